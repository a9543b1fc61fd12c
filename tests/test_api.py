"""The Python API called the way a new user calls it: a plain script without a `__main__`
guard (in a fresh interpreter, through a real Prefect server) runs a report, then a second
one from a thread; the versions it made are then read, labelled, compared and used to score
new text here, and checked against the tables and the CLI."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import vntopics
from tests.conftest import FIXTURES, PROJECT, parse_csv, run_cli

K = 4
SCRIPT = textwrap.dedent("""
    import json, sys, threading
    import vntopics

    print("script body ran", flush=True)
    corpus, runs, cache = sys.argv[1:4]
    overrides = {"model.num_topics": K, "compare.bootstrap": 20, "model.stability_seeds": 1,
                 "cache.dir": cache}
    try:
        vntopics.run(corpus, overrides={"model.num_topcs": 3}, artifacts_dir=runs)
    except ValueError as error:
        rejected = str(error)
    first = vntopics.run(corpus, artifacts_dir=runs, overrides=overrides, quiet=True)
    second = {}
    thread = threading.Thread(target=lambda: second.update(version=vntopics.run(
        [corpus], artifacts_dir=runs, overrides=overrides, quiet=True)))
    thread.start()
    thread.join()
    topics = first.tables["topics"]
    print(json.dumps({"first": str(first.path), "second": str(second["version"].path),
                      "rejected": rejected,
                      "lda_topics": int(topics[topics.model == "lda"].topic.nunique())}))
""").replace("K,", f"{K},")


@pytest.fixture(scope="module")
def script_runs(cli_env, tmp_path_factory):
    """(what the script printed, stderr, artifacts folder, cache folder)."""
    folder = tmp_path_factory.mktemp("api")
    script = folder / "weekly.py"
    script.write_text(SCRIPT, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(FIXTURES / "unc-small.jsonl.gz"),
                             str(folder / "runs"), str(folder / "cache")], cwd=folder,
                            env=cli_env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.splitlines(), result.stderr, folder / "runs", folder / "cache"


@pytest.fixture(scope="module")
def runs_folder(script_runs):
    return script_runs[2]


def test_a_guardless_script_runs_once_in_the_main_thread_and_in_a_thread(script_runs):
    stdout, stderr, runs, _ = script_runs
    assert stdout[0] == "script body ran" and len(stdout) == 2   # workers never re-ran it
    seen = json.loads(stdout[1])
    assert "model.num_topcs: unknown key" in seen["rejected"]    # checked like --set
    assert Path(seen["first"]).parent == Path(seen["second"]).parent == runs.resolve()
    assert seen["lda_topics"] == K
    assert "INFO" not in stderr and "Task run" not in stderr      # quiet=True: warnings only


def test_runs_lists_both_versions_newest_first(script_runs):
    stdout, _, runs, _ = script_runs
    seen = json.loads(stdout[1])
    table = vntopics.runs(runs)
    assert list(table["version"]) == [Path(seen["second"]).name, Path(seen["first"]).name]
    assert (table["ok"] == 120).all()


def test_open_version_reads_tables_as_dataframes_with_ids_as_text(runs_folder):
    version = vntopics.open_version(artifacts_dir=runs_folder)
    assert version.manifest["version"] == version.name
    assert version.path == vntopics.runs(runs_folder)["version"].map(
        lambda name: runs_folder.resolve() / name).iloc[0]
    assert {"topics", "doc_topics", "documents", "topic_prevalence"} <= set(version.tables)
    doc_topics = version.tables["doc_topics"]
    sums = doc_topics.groupby(["doc_id", "model"]).weight.sum()
    assert len(sums) == 2 * version.manifest["documents"]["ok"]
    assert np.allclose(sums, 1.0, atol=1e-4)
    documents = version.tables["documents"]
    assert documents.year.dtype == "Int64" and (documents.date != "").any()
    assert set(doc_topics.topic_id.str[0]) == {"L", "N"}
    assert version.tables["topics"].label.map(type).eq(str).all()
    with pytest.raises(KeyError, match="no table nope"):
        version.tables["nope"]


def test_topics_give_ids_labels_words_and_shares(runs_folder):
    version = vntopics.open_version(artifacts_dir=runs_folder)
    topics = version.topics("lda")
    assert list(topics.columns) == ["model", "topic", "topic_id", "label", "words", "share",
                                    "n_docs"]
    assert len(topics) == K and set(topics.model) == {"lda"}
    assert topics.share.is_monotonic_decreasing and abs(topics.share.sum() - 1) < 1e-3
    assert topics.n_docs.sum() == version.manifest["documents"]["ok"]
    table = version.tables["topics"]
    first = topics.iloc[0]
    words = table[(table.topic_id == first.topic_id)].sort_values("rank").word.head(10)
    assert first.words == ", ".join(words)
    assert set(version.topics().model) == {"lda", "nmf"}
    with pytest.raises(ValueError, match="model 'bert' is not in this version"):
        version.topics("bert")


def test_prevalence_by_province_year_and_both(runs_folder):
    version = vntopics.open_version(artifacts_dir=runs_folder)
    raw = version.tables["topic_prevalence"]
    by_province = version.prevalence("lda", by="province")
    assert list(by_province.columns[:5]) == ["model", "province", "topic_id", "label",
                                             "prevalence"]
    expected = raw[(raw.model == "lda") & (raw.dimension == "province")]
    assert len(by_province) == len(expected)
    assert set(by_province.province) == set(expected.group)
    # each province's topic prevalences sum to 1, and the intervals hold them
    assert np.allclose(by_province.groupby("province").prevalence.sum(), 1, atol=1e-3)
    assert (by_province.ci_low <= by_province.prevalence + 1e-9).all()
    by_year = version.prevalence("nmf", by="year")
    assert by_year.year.dtype == "Int64" and set(by_year.year) <= {2020, 2021}
    both = version.prevalence("lda", by="province_year")
    assert {"province", "year"} <= set(both.columns) and both.year.dtype == "Int64"
    assert set(both.province) <= set(by_province.province)
    with pytest.raises(ValueError, match="by='district'"):
        version.prevalence("lda", by="district")


def test_a_label_shows_at_once_in_topics_scores_and_the_summary(runs_folder):
    version = vntopics.open_version(artifacts_dir=runs_folder)
    top = version.topics("lda").iloc[0].topic_id
    path = vntopics.label("lda", top, "Phòng chống dịch", artifacts_dir=runs_folder)
    try:
        assert path == runs_folder.resolve() / "labels.yaml"
        assert version.topics("lda").set_index("topic_id").label[top] == "Phòng chống dịch"
        assert "Phòng chống dịch" in version._repr_html_()
    finally:
        vntopics.label("lda", top, None, artifacts_dir=runs_folder)
    assert version.topics("lda").set_index("topic_id").label[top] == ""
    with pytest.raises(ValueError, match="not a lda topic id"):
        vntopics.label("lda", "N01", "x", artifacts_dir=runs_folder)


def test_diff_by_names_and_versions_matches_topic_ids(script_runs):
    stdout, _, runs, _ = script_runs
    seen = json.loads(stdout[1])
    first, second = vntopics.Version(seen["first"]), vntopics.open_version(artifacts_dir=runs)
    table = vntopics.diff(first, second)
    by_name = vntopics.diff(first.name, "latest", artifacts_dir=runs)
    pd.testing.assert_frame_equal(table, by_name)
    assert len(table) == 2 * K
    # the same corpus and settings continued from the first version: every topic kept its id
    assert (table.status == "kept").all()
    assert (table.topic_id_a == table.topic_id_b).all()
    assert set(table.topic_id_a) == set(first.manifest["topic_ids"]["lda"]
                                        + first.manifest["topic_ids"]["nmf"])


def article_texts(count: int) -> list[dict]:
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:: len(rows) // count][:count]


def test_score_gives_the_dominant_topic_vntopics_apply_gives(script_runs, tmp_path):
    _, _, runs, cache = script_runs
    articles = article_texts(4)
    version = vntopics.open_version(artifacts_dir=runs)
    scores = version.score([a["text"] for a in articles])
    assert list(scores.columns) == ["doc", "model", "topic_id", "label", "weight"]
    assert list(scores.doc.unique()) == [0, 1, 2, 3]
    assert np.allclose(scores.groupby(["doc", "model"]).weight.sum(), 1, atol=1e-6)

    inputs = tmp_path / "articles.jsonl"
    inputs.write_text("".join(json.dumps({"id": f"a{i}", "text": a["text"]}, ensure_ascii=False)
                              + "\n" for i, a in enumerate(articles)), encoding="utf-8")
    applied = run_cli(["apply", "--input", str(inputs), "--artifacts-dir", str(runs),
                       "--set", f"cache.dir={cache}"])
    assert applied.returncode == 0, applied.stderr[-2000:]
    cli = pd.DataFrame(parse_csv(applied.stdout)).astype({"weight": float})
    cli_dominant = cli.loc[cli.groupby(["doc_id", "model"]).weight.idxmax()]
    api_dominant = scores.loc[scores.groupby(["doc", "model"]).weight.idxmax()]
    assert sorted(zip("a" + api_dominant.doc.astype(str), api_dominant.model,
                      api_dominant.topic_id)) == \
        sorted(zip(cli_dominant.doc_id, cli_dominant.model, cli_dominant.topic_id))
    # the same article through version.apply (files, as the CLI): the same weights
    applied_here = version.apply(inputs)
    merged = applied_here.merge(cli, on=["doc_id", "model", "topic_id"])
    assert len(merged) == len(cli) and np.allclose(merged.weight_x, merged.weight_y, atol=1e-5)


def test_score_keeps_a_series_index_and_repeats_and_names_what_it_cannot_score(runs_folder):
    version = vntopics.open_version(artifacts_dir=runs_folder)
    text = article_texts(1)[0]["text"]
    texts = pd.Series([text, "", text], index=["hôm nay", "trống", "lặp lại"])
    with pytest.warns(UserWarning, match="1 text\\(s\\) not scored \\('trống'"):
        scores = version.score(texts)
    assert list(scores.doc.unique()) == ["hôm nay", "lặp lại"]   # a repeat is scored too
    weights = scores.pivot_table(index=["model", "topic_id"], columns="doc", values="weight")
    assert np.allclose(weights["hôm nay"], weights["lặp lại"])


def test_score_refuses_one_bare_string(runs_folder):
    version = vntopics.open_version(artifacts_dir=runs_folder)
    with pytest.raises(TypeError, match=r"pass a list: version.score\(\[text\]\)"):
        version.score("Tỉnh ủy An Giang thực hiện Nghị quyết")
    with pytest.raises(TypeError, match="item 1 is int"):
        version.score(["Tỉnh ủy An Giang", 7])


def test_repr_html_summarises_counts_models_topics_and_links_the_report(runs_folder):
    version = vntopics.open_version(artifacts_dir=runs_folder)
    html = version._repr_html_()
    assert version.name in html and "120 documents modelled of 120" in html
    npmi = version.manifest["metrics"]["npmi"]["lda"]
    assert f"NPMI {npmi:.3f}" in html and f"K = {K}" in html
    assert version.topics("lda").iloc[0].topic_id in html
    assert version.report.as_uri() in html and version.report.is_file()


def test_parquet_only_tables_load_through_version_tables(real_results, tmp_path):
    from dataclasses import replace

    from vntopics.pipeline.store import publish_version

    config = {**real_results.config, "artifacts": {**real_results.config["artifacts"],
                                                   "csv_max_rows": 50}}
    path, _ = publish_version(replace(real_results, config=config), tmp_path, top_words=10)
    assert not (path / "tables" / "doc_topics.csv").exists()       # 120 x 3 x 2 rows > 50
    version = vntopics.Version(path)
    assert {"doc_topics", "documents", "topics"} <= set(version.tables)
    weights = version.tables["doc_topics"]
    assert len(weights) == 120 * 3 * 2
    assert weights.doc_id.map(type).eq(str).all() and weights.topic_id.str.match(r"[LN]\d\d").all()
    assert version.tables["documents"].year.dtype == "Int64"
    assert version.topics("lda").n_docs.sum() == 120


def test_import_vntopics_is_light():
    code = ("import sys, vntopics; print(sorted(m for m in ('prefect', 'pandas', 'gensim') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stderr


def test_every_public_name_has_a_numpydoc_docstring_with_examples():
    public = [getattr(vntopics, name) for name in vntopics.__all__ if name != "__version__"]
    public += [getattr(vntopics.Version, name) for name in dir(vntopics.Version)
               if not name.startswith("_")]
    for item in public:
        doc = getattr(item, "__doc__", None) or getattr(getattr(item, "fget", None),
                                                        "__doc__", "")
        assert "Examples\n" in (doc or ""), f"{item!r} has no Examples section"
    for function in (vntopics.run, vntopics.diff, vntopics.Version.score):
        assert "Parameters\n" in function.__doc__ and "Returns\n" in function.__doc__


def test_score_of_a_text_files_content_equals_vntopics_apply_on_the_file(script_runs,
                                                                          tmp_path):
    """The seed articles as .txt files (read as files are: title line, date line, body) give
    the weights `vntopics apply` gives them when their content is scored as text."""
    _, _, runs, cache = script_runs
    for seed in sorted((FIXTURES / "seeds").glob("*.txt")):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    files = sorted(tmp_path.glob("*.txt"))
    scores = vntopics.open_version(artifacts_dir=runs).score(
        [f.read_text(encoding="utf-8") for f in files])
    applied = run_cli(["apply", "--input", str(tmp_path), "--artifacts-dir", str(runs),
                       "--set", f"cache.dir={cache}"])
    assert applied.returncode == 0, applied.stderr[-2000:]
    cli = pd.DataFrame(parse_csv(applied.stdout)).astype({"weight": float})
    assert (cli.status == "ok").all() and set(cli.doc_id) == {f.name for f in files}
    cli = cli.assign(doc=cli.doc_id.map({f.name: i for i, f in enumerate(files)}))
    merged = scores.merge(cli, on=["doc", "model", "topic_id"])
    assert len(merged) == len(scores) == len(cli)
    assert np.allclose(merged.weight_x, merged.weight_y, atol=1e-5)
