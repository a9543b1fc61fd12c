"""Topics with memory: four weekly runs into one artifacts folder on a real dated corpus that
grows by ~10 % a week keep their topic ids, labels and history; a version's saved models
score new articles without refitting."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import PROJECT, parse_csv, run_cli

CORPUS = PROJECT / "data" / "default" / "unc-provinces.jsonl.gz"
WEEKS = 4
FIRST_WEEK = 450      # documents in the first run; each later run adds ~10 %


def weekly_inputs(folder: Path) -> list[Path]:
    """The corpus sorted by date, cut into four growing inputs (450, 495, 545, 600 docs)."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        rows = sorted((json.loads(line) for line in handle if line.strip()),
                      key=lambda r: (r["date"], r["id"]))
    paths, size = [], FIRST_WEEK
    for week in range(WEEKS):
        path = folder / f"week{week + 1}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in rows[:size]), encoding="utf-8")
        paths.append(path)
        size = int(size * 1.1)
    return paths


def run_week(cli_env, path: Path, artifacts: Path, continue_from: str) -> Path:
    result = run_cli(["run", "--input", str(path), "--artifacts-dir", str(artifacts),
                      "--set", f"model.continue_from={continue_from}",
                      "--set", "compare.bootstrap=20", "--set", "model.stability_seeds=1",
                      "--set", f"cache.dir={artifacts.parent / 'cache'}"], env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1])


def top_words(version: Path) -> dict[tuple[str, str], set[str]]:
    topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
    top = topics[topics["rank"] <= 10]
    return {key: set(group["word"]) for key, group in top.groupby(["model", "topic_id"])}


def kept_share(versions: list[Path], model: str) -> float:
    """Share of topic ids that keep a top-10-word Jaccard >= 0.5 with their previous selves."""
    kept = total = 0
    for before, after in zip(versions, versions[1:]):
        old, new = top_words(before), top_words(after)
        for (name, topic_id), words in new.items():
            if name != model:
                continue
            total += 1
            previous = old.get((name, topic_id))
            if previous and len(words & previous) / len(words | previous) >= 0.5:
                kept += 1
    return kept / total


@pytest.fixture(scope="module")
def weekly_runs(cli_env, tmp_path_factory):
    """Four weekly runs with continue_from=latest, a label set after week 2."""
    root = tmp_path_factory.mktemp("weekly")
    inputs = weekly_inputs(root)
    artifacts = root / "artifacts"
    versions = []
    for week, path in enumerate(inputs, start=1):
        versions.append(run_week(cli_env, path, artifacts, "latest"))
        if week == 2:
            labelled = run_cli(["label", "lda", "L01", "Giáo dục & <thi cử>", "--artifacts-dir",
                                str(artifacts)], env=cli_env)
            assert labelled.returncode == 0, labelled.stderr
    return root, inputs, artifacts, versions


@pytest.mark.slow
def test_topic_ids_keep_their_topics_week_to_week(weekly_runs, cli_env, capsys):
    root, inputs, _, versions = weekly_runs
    for model in ("lda", "nmf"):
        assert kept_share(versions, model) >= 0.85, model
    fresh_artifacts = root / "fresh"
    fresh = [run_week(cli_env, path, fresh_artifacts, "none") for path in inputs]
    with capsys.disabled():
        print("\ntopic ids keeping a top-10 Jaccard >= 0.5 week to week: " + ", ".join(
            f"{model} {kept_share(versions, model):.0%} (continue_from=latest) / "
            f"{kept_share(fresh, model):.0%} (none)" for model in ("lda", "nmf")))
    ids = pd.read_csv(fresh[-1] / "tables" / "topics.csv")["topic_id"]
    assert ids.str.match(r"^[LN]\d{2}$").all()


@pytest.mark.slow
def test_labels_follow_their_topic_and_history_holds_every_version(weekly_runs):
    _, _, artifacts, versions = weekly_runs
    label = "Giáo dục & <thi cử>"
    for week, version in enumerate(versions, start=1):
        topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
        labelled = topics[topics["label"] == label]
        if week <= 2:
            assert labelled.empty
            continue
        assert set(labelled["topic_id"]) == {"L01"} and set(labelled["model"]) == {"lda"}
        markdown = (version / "report.md").read_text(encoding="utf-8")
        assert "Giáo dục &amp; &lt;thi cử&gt;" in markdown and "<thi cử>" not in markdown
        html = (version / "report.html").read_text(encoding="utf-8")
        assert "Giáo dục &amp; &lt;thi cử&gt;" in html and "<thi cử>" not in html
    history = pd.read_csv(versions[-1] / "tables" / "topic_history.csv",
                          keep_default_na=False)
    assert list(dict.fromkeys(history["version"])) == [v.name for v in versions]
    assert set(history.columns) >= {"version", "created_at", "model", "topic_id", "label",
                                    "prevalence", "n_docs"}
    first = history[history["version"] == versions[0].name]
    assert (first["status"] == "new").all() and len(first) == 16
    assert history.loc[history["version"] == versions[-1].name, "label"].eq(label).any()
    assert "Topic history (LDA)" in (versions[-1] / "report.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_apply_scores_known_articles_like_the_version(weekly_runs, cli_env):
    _, inputs, artifacts, versions = weekly_runs
    latest = versions[-1]
    result = run_cli(["apply", "--input", str(inputs[0]), "--artifacts-dir", str(artifacts)],
                     env=cli_env)
    assert result.returncode == 0, result.stderr[-2000:]
    scored = pd.DataFrame(parse_csv(result.stdout))
    assert set(scored.columns) >= {"doc_id", "model", "topic_id", "weight", "status", "reason"}
    scored = scored[scored["status"] == "ok"].astype({"weight": float})
    table = pd.read_csv(latest / "tables" / "doc_topics.csv", keep_default_na=False)
    for model in ("lda", "nmf"):
        ours = scored[scored["model"] == model]
        theirs = table[(table["model"] == model) & table["doc_id"].isin(ours["doc_id"])]
        dominant_ours = ours.loc[ours.groupby("doc_id")["weight"].idxmax()].set_index(
            "doc_id")["topic_id"]
        dominant_theirs = theirs.loc[theirs.groupby("doc_id")["weight"].idxmax()].set_index(
            "doc_id")["topic_id"]
        common = dominant_theirs.index
        assert len(common) > 300
        agreement = (dominant_ours.reindex(common) == dominant_theirs).mean()
        assert agreement >= 0.9, (model, agreement)


@pytest.mark.slow
def test_reloaded_gensim_model_gives_the_version_weights(weekly_runs):
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    from vntopics.pipeline.model.corpus import counts_matrix
    from vntopics.pipeline.model.topics import normalise_rows

    version = weekly_runs[3][-1]
    model = LdaModel.load(str(version / "models" / "lda.gensim"))
    dictionary = Dictionary.load(str(version / "models" / "dictionary.gensim"))
    assert model.get_topics().shape == (8, len(dictionary))
    table = pd.read_csv(version / "tables" / "doc_topics.csv", keep_default_na=False)
    lda = table[table["model"] == "lda"].sort_values(["doc_id", "topic"], kind="stable")
    # the version's modelled documents, in corpus order, as the models saw them: rebuild
    # their counts from the documents table order and the saved vocabulary
    documents = pd.read_csv(version / "tables" / "documents.csv", keep_default_na=False)
    order = [d for d in documents["doc_id"] if d in set(lda["doc_id"])]
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["artifact_contract"] == 2
    assert set(manifest["models"]["files"]) >= {"models/lda.gensim", "models/nmf.joblib",
                                                "models/dictionary.gensim"}
    expected = (lda.set_index(["doc_id", "topic"])["weight"].unstack().loc[order]).to_numpy()
    tokens = token_lists(version, order)
    gamma = model.infer_counts(counts_matrix(tokens, dictionary))
    assert np.allclose(normalise_rows(gamma), expected, rtol=0, atol=1e-6)


def token_lists(version: Path, doc_ids: list[str]) -> list[list[str]]:
    """The modelled documents' tokens, re-derived as the run did (segmentation cache hit)."""
    from vntopics.pipeline.config_io import load_config, resolve_path
    from vntopics.pipeline.parallel import ProcessMapper
    from vntopics.pipeline.segment import segment_documents
    from vntopics.pipeline.segment.segmenter import token_lists
    from vntopics.pipeline.text import prepare_documents

    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    config = load_config(overrides=[f"cache.dir={manifest['config']['cache']['dir']}"])
    paths = [Path(p) for p in manifest["config"]["input"]["paths"]]
    documents = prepare_documents(paths, None, config.input)
    segment_documents(documents, config.text,
                      stopword_files=[resolve_path(p) for p in config.text.stopword_files],
                      cache_dir=resolve_path(config.cache.dir), mapper=ProcessMapper(1))
    by_id = dict(zip((d.doc_id for d in documents), token_lists(documents)))
    return [by_id[d] for d in doc_ids]


@pytest.mark.slow
def test_old_and_damaged_versions(weekly_runs, cli_env, tmp_path):
    _, inputs, artifacts, versions = weekly_runs
    copy = tmp_path / "artifacts"
    shutil.copytree(artifacts, copy, symlinks=True)
    # a contract-1 version: no models/, no topic ids; it still lists and diffs
    old = copy / versions[0].name
    shutil.rmtree(old / "models")
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["artifact_contract"] = 1
    for key in ("models", "topic_ids", "topic_id_next"):
        manifest.pop(key)
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    listed = run_cli(["runs", "--artifacts-dir", str(copy)], env=cli_env)
    assert listed.returncode == 0 and old.name in listed.stdout
    diffed = run_cli(["diff", old.name, versions[-1].name, "--artifacts-dir", str(copy)],
                     env=cli_env)
    assert diffed.returncode == 0 and "kept" in diffed.stdout, diffed.stderr
    applied = run_cli(["apply", "--version", old.name, "--input", str(inputs[0]),
                       "--artifacts-dir", str(copy)], env=cli_env)
    assert applied.returncode == 2 and "no saved models" in applied.stderr
    assert "Traceback" not in applied.stderr
    # a missing and a damaged model file are named
    missing = copy / versions[-2].name / "models" / "lda.gensim"
    missing.unlink()
    applied = run_cli(["apply", "--version", versions[-2].name, "--input", str(inputs[0]),
                       "--artifacts-dir", str(copy)], env=cli_env)
    assert applied.returncode == 2 and str(missing) in applied.stderr
    damaged = copy / versions[-1].name / "models" / "nmf.joblib"
    damaged.write_bytes(damaged.read_bytes()[:100])
    applied = run_cli(["apply", "--input", str(inputs[0]), "--artifacts-dir", str(copy)],
                      env=cli_env)
    assert applied.returncode == 2 and str(damaged) in applied.stderr
    assert "Traceback" not in applied.stderr
