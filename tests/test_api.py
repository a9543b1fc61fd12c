"""The Python API (`vntopics.run`, `vntopics.open_version`), called the way a notebook does:
`import vntopics` in a fresh interpreter, a run on real articles through a real Prefect
server, then the tables, manifest and saved models of the version it returns."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import vntopics
from tests.conftest import FIXTURES, PROJECT

K = 4
NOTEBOOK = textwrap.dedent("""
    import json, sys
    import vntopics

    try:
        vntopics.run([sys.argv[1]], overrides=["model.num_topcs=3"], artifacts_dir=sys.argv[2])
    except ValueError as error:
        rejected = str(error)
    version = vntopics.run([sys.argv[1]], artifacts_dir=sys.argv[2],
                           overrides=["model.num_topics={k}", "compare.bootstrap=20",
                                      "model.stability_seeds=1", f"cache.dir={{sys.argv[3]}}"])
    topics = version.tables["topics"]
    print(json.dumps({{"path": str(version.path), "rejected": rejected,
                      "lda_topics": int(topics[topics.model == "lda"].topic.nunique()),
                      "k": version.manifest["config"]["model"]["num_topics"]}}))
""").format(k=K)


@pytest.fixture(scope="module")
def notebook_run(cli_env, tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    result = subprocess.run([sys.executable, "-c", NOTEBOOK, str(FIXTURES / "unc-small.jsonl.gz"),
                             str(folder / "runs"), str(folder / "cache")], cwd=folder,
                            env=cli_env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), folder / "runs"


def test_run_returns_the_new_version_with_its_tables(notebook_run):
    seen, runs = notebook_run
    assert "num_topcs" in seen["rejected"]          # a typo fails before anything runs
    assert Path(seen["path"]).parent == runs.resolve()
    assert seen["lda_topics"] == seen["k"] == K


def test_open_version_reads_tables_as_dataframes_with_ids_as_text(notebook_run):
    seen, runs = notebook_run
    version = vntopics.open_version(artifacts_dir=runs)
    assert str(version.path) == seen["path"] and version.name == Path(seen["path"]).name
    assert version.manifest["version"] == version.name
    assert {"topics", "doc_topics", "documents", "topic_prevalence"} <= set(version.tables)
    doc_topics = version.tables["doc_topics"]
    sums = doc_topics.groupby(["doc_id", "model"]).weight.sum()
    assert len(sums) == 2 * version.manifest["documents"]["ok"]
    assert np.allclose(sums, 1.0, atol=1e-4)
    documents = version.tables["documents"]
    assert documents.year.dtype == "Int64" and (documents.date != "").any()
    assert set(doc_topics.topic_id.str[0]) == {"L", "N"}
    assert version.tables["topics"].label.map(type).eq(str).all()
    with pytest.raises(KeyError, match="no tables/nope.csv"):
        version.tables["nope"]


def test_saved_models_score_documents_like_the_run_did(notebook_run):
    _, runs = notebook_run
    version = vntopics.open_version("latest", overrides=[f"artifacts.dir={runs}"])
    models = version.models
    topics = version.tables["topics"]
    lda_words = topics[(topics.model == "lda") & (topics.topic == 0)].sort_values("rank").word
    assert models.topic_word("lda").shape[0] == K
    weights = models.doc_topics("lda", [list(lda_words.head(10)) * 5])
    assert weights.shape == (1, K) and weights.argmax() == 0   # topic 0's own words


def test_open_version_names_the_folder_when_there_is_nothing(tmp_path):
    with pytest.raises(ValueError, match=str(tmp_path)):
        vntopics.open_version(artifacts_dir=tmp_path)
    with pytest.raises(ValueError, match="not a vntopics version"):
        vntopics.Version(tmp_path)


def test_import_vntopics_is_light():
    code = ("import sys, vntopics; print(sorted(m for m in ('prefect', 'pandas', 'gensim') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stderr
