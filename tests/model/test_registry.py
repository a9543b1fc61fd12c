"""The model registry (pipeline/model/registry.py): the shipped families, and a toy third one
added with one module (tests/model/toy_family.py) and one `register` line, run through the
whole flow on 120 real articles next to NMF."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from tests.conftest import FIXTURES, PROJECT
from vntopics.pipeline.model import FAMILIES, ModelFamily, family, register

TOY = 'ModelFamily("toy", "T", "toy fits", "tests.model.toy_family", "toy.npy")'


def test_the_shipped_families():
    assert {name: f.id_prefix for name, f in FAMILIES.items()} == {"lda": "L", "nmf": "N"}
    assert family("lda").cost > family("nmf").cost      # LDA fits are started first
    assert callable(family("nmf").code().fit)
    with pytest.raises(ValueError, match="unknown model 'toy'"):
        family("toy")


def test_a_family_needs_its_own_id_prefix():
    with pytest.raises(ValueError, match="prefix 'L' is taken"):
        register(ModelFamily("other", "L", "other fits", "tests.model.toy_family", "o.npy"))
    assert "other" not in FAMILIES


def test_the_toy_fit_is_a_topic_model(real_corpus):
    from tests.model import toy_family

    corpus, _, _ = real_corpus
    model = toy_family.fit(corpus, 4, None, seed=42)
    assert model.topic_word.shape == (4, len(corpus.dictionary))
    assert np.allclose(model.doc_topic.sum(axis=1), 1.0)


NOTEBOOK = textwrap.dedent(f"""
    import json, sys
    sys.path.insert(0, {str(PROJECT)!r})
    from vntopics.pipeline.model import ModelFamily, register
    register({TOY})
    import vntopics

    version = vntopics.run([sys.argv[1]], artifacts_dir=sys.argv[2], overrides=[
        "model.models=[nmf, toy]", "model.num_topics=4", "model.stability_seeds=2",
        "compare.bootstrap=20", "workers=1", "cache.enabled=false"])
    topics, prevalence = version.tables["topics"], version.tables["topic_prevalence"]
    scores = version.models.doc_topics("toy", [["bóng_đá", "trận", "cầu_thủ"]])
    print(json.dumps({{
        "toy_ids": sorted(topics[topics.model == "toy"].topic_id.unique()),
        "nmf_ids": sorted(topics[topics.model == "nmf"].topic_id.unique()),
        "prevalence_models": sorted(prevalence.model.unique()),
        "files": sorted(version.manifest["models"]["files"]),
        "k": version.manifest["metrics"]["num_topics"], "score_sum": float(scores.sum())}}))
""")


@pytest.mark.slow
def test_a_toy_family_runs_through_the_flow(cli_env, tmp_path):
    result = subprocess.run([sys.executable, "-c", NOTEBOOK,
                             str(FIXTURES / "unc-small.jsonl.gz"), str(tmp_path / "runs")],
                            cwd=tmp_path, env=cli_env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["toy_ids"] == ["T00", "T01", "T02", "T03"]
    assert seen["nmf_ids"] == ["N00", "N01", "N02", "N03"]
    assert seen["prevalence_models"] == ["nmf", "toy"]
    assert "models/toy.npy" in seen["files"] and "models/nmf.joblib" in seen["files"]
    assert seen["k"] == {"nmf": 4, "toy": 4}
    assert seen["score_sum"] == pytest.approx(1.0)
