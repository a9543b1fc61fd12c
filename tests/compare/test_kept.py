"""The topic-free comparison tables kept between runs (pipeline/compare/kept.py), on 120 real
articles with a real NMF fit: read back, every table is what counting gives, down to the
CSV bytes; other settings, watchlist or seed count again; a damaged entry is named, set
aside and counted again."""
from __future__ import annotations

import logging

import pandas as pd
import pytest

from vntopics.pipeline.compare import compare_groups
from vntopics.pipeline.compare.kept import TABLES, KeptComparisons
from vntopics.pipeline.config import CompareConfig, NmfConfig
from vntopics.pipeline.model.nmf import fit_nmf
from vntopics.pipeline.segment.terms import parse_watchlist

SETTINGS = CompareConfig(bootstrap=50, trend_min_year_docs=10)
SEED = 42
WATCHLIST = parse_watchlist(["bóng đá", "18-NQ/TW"], "test")


@pytest.fixture(scope="module")
def model(real_corpus):
    return fit_nmf(real_corpus[0], 3, NmfConfig(), seed=SEED)


def run(model, real_corpus, cache_dir, settings=SETTINGS, watchlist=WATCHLIST, seed=SEED):
    _, tokens, modelled = real_corpus
    counts = [{"bóng đá": sum(t == "bóng_đá" for t in doc)} for doc in tokens]
    citations = [["18-NQ/TW"] if i % 7 == 0 else [] for i in range(len(tokens))]
    kept = (KeptComparisons(cache_dir, "unc-small", settings, watchlist, seed)
            if cache_dir else None)
    documents = modelled.assign(n_tokens=[len(doc) for doc in tokens])
    return compare_groups([model], documents, tokens, citations, settings, seed=seed,
                          watchlist=watchlist, term_counts=counts, kept=kept)


@pytest.fixture(scope="module")
def counted(model, real_corpus):
    return run(model, real_corpus, None)


@pytest.fixture(scope="module")
def cache_dir(model, real_corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cache")
    assert not run(model, real_corpus, folder).reused
    return folder


def same_tables(one, other) -> bool:
    for name in ("prevalence", *TABLES):
        a, b = getattr(one, name), getattr(other, name)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        assert a.to_csv(index=False) == b.to_csv(index=False), name
    return True


def test_a_rerun_reads_them_back_down_to_the_csv_bytes(model, real_corpus, cache_dir,
                                                       counted):
    again = run(model, real_corpus, cache_dir)
    assert again.reused and same_tables(again, counted)
    assert not counted.distinctive.empty and not counted.watchlist.empty
    assert not counted.citations.empty and not counted.keyword_trends.empty


@pytest.mark.parametrize("change", ["settings", "watchlist", "seed"])
def test_other_settings_watchlist_or_seed_count_again(model, real_corpus, cache_dir, change):
    arguments = {"settings": {"settings": CompareConfig(bootstrap=50, trend_min_year_docs=5)},
                 "watchlist": {"watchlist": parse_watchlist(["bóng đá"], "test")},
                 "seed": {"seed": 7}}[change]
    assert not run(model, real_corpus, cache_dir, **arguments).reused


def test_a_damaged_entry_is_named_set_aside_and_counted_again(model, real_corpus, tmp_path,
                                                              caplog, counted):
    run(model, real_corpus, tmp_path)
    (entry,) = [p for p in (tmp_path / "comparisons").iterdir() if not p.name.startswith(".")]
    damaged = entry / "citations.parquet"
    damaged.write_bytes(b"PAR1 not really")
    with caplog.at_level(logging.WARNING):
        rerun = run(model, real_corpus, tmp_path)
    assert not rerun.reused and same_tables(rerun, counted)
    assert str(damaged) in caplog.text and "set aside" in caplog.text
    assert run(model, real_corpus, tmp_path).reused
