"""Stability refits kept between runs (pipeline/model/kept_fits.py), on unc-small's 120 real
articles: a re-run over the same corpus reads them back and gets the same stability table;
another K, seed count or model setting fits again; a damaged entry is named, set aside and
fitted again."""
from __future__ import annotations

import logging

import pandas as pd
import pytest

from vntopics.pipeline.config import ModelConfig
from vntopics.pipeline.model.kept_fits import TOPICS_FILE, KeptFits
from vntopics.pipeline.model.selection import sweep_and_fit


def config(**changes) -> ModelConfig:
    base = {"num_topics": 4, "stability_seeds": 3, "lda": {"passes": 2, "iterations": 30},
            "nmf": {"max_iter": 200}}
    return ModelConfig.model_validate({**base, **changes})


def fit(real_corpus, cache_dir, settings: ModelConfig, corpus_key: str = "unc-small"):
    corpus, texts, _ = real_corpus
    kept = KeptFits(cache_dir, corpus_key) if cache_dir else None
    return sweep_and_fit(corpus, texts, settings, kept=kept)


def entries(cache_dir):
    return sorted(p.name for p in (cache_dir / "fits").iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="module")
def without_cache(real_corpus):
    return fit(real_corpus, None, config())


@pytest.fixture(scope="module")
def cache_dir(real_corpus, tmp_path_factory):
    """A cache holding the refits of one run (2 models x 2 further seeds)."""
    folder = tmp_path_factory.mktemp("cache")
    first = fit(real_corpus, folder, config())
    assert first.refits_reused == 0 and len(entries(folder)) == 4
    return folder


def test_a_rerun_reads_the_refits_back_and_gets_the_same_tables(real_corpus, cache_dir,
                                                                without_cache):
    again = fit(real_corpus, cache_dir, config())
    assert again.refits_reused == 4
    pd.testing.assert_frame_equal(again.stability, without_cache.stability)
    pd.testing.assert_frame_equal(again.k_sweep.drop(columns="seconds"),
                                  without_cache.k_sweep.drop(columns="seconds"))
    # the main fits are fitted (they may continue from other topics): same topics as before
    for name, model in without_cache.models.items():
        assert (again.models[name].topic_word == model.topic_word).all()
    assert without_cache.stability.stable.any()     # a table that could differ


@pytest.mark.parametrize("changed", [{"num_topics": 5}, {"seed": 7},
                                     {"stability_sample": 0.7}, {"nmf": {"alpha_W": 1e-3}}])
def test_other_settings_fit_again(real_corpus, cache_dir, changed):
    changes = {**changed}
    if "nmf" in changed:
        changes["nmf"] = {"max_iter": 200, **changed["nmf"]}
    rerun = fit(real_corpus, cache_dir, config(**changes))
    reused_lda = "nmf" in changed       # only NMF's settings changed: LDA's refits still hold
    assert rerun.refits_reused == (2 if reused_lda else 0)


def test_another_corpus_fits_again(real_corpus, cache_dir):
    assert fit(real_corpus, cache_dir, config(), corpus_key="other").refits_reused == 0


def test_a_damaged_entry_is_named_set_aside_and_fitted_again(real_corpus, tmp_path, caplog,
                                                             without_cache):
    fit(real_corpus, tmp_path, config())
    damaged = tmp_path / "fits" / entries(tmp_path)[0] / TOPICS_FILE
    damaged.write_bytes(damaged.read_bytes()[:-40] + b"\0" * 40)
    with caplog.at_level(logging.WARNING):
        rerun = fit(real_corpus, tmp_path, config())
    assert rerun.refits_reused == 3
    assert str(damaged) in caplog.text and "set aside" in caplog.text
    assert (tmp_path / "fits" / f".{damaged.parent.name}.damaged").is_dir()
    pd.testing.assert_frame_equal(rerun.stability, without_cache.stability)
    assert len(entries(tmp_path)) == 4 and fit(real_corpus, tmp_path, config()).refits_reused == 4
