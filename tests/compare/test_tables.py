"""The comparisons' entry point (compare.compare_groups) on 120 real Vietnamese articles with
a real NMF fit: every table with its documented columns (artifacts/README.md), groups that
cover the modelled documents, intervals around their estimates, and reproducible output."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from vntopics.pipeline.compare import ComparisonTables, compare_groups
from vntopics.pipeline.config import CompareConfig, NmfConfig
from vntopics.pipeline.model.nmf import fit_nmf
from vntopics.pipeline.model.topics import top_word_lists

COLUMNS = {
    "prevalence": ["model", "dimension", "group", "topic", "prevalence", "ci_low", "ci_high",
                   "n_docs", "low_support", "diff_vs_rest", "diff_low", "diff_high"],
    "distinctive": ["dimension", "group", "word", "zscore", "log_odds", "count_group",
                    "count_rest"],
    "keyword_trends": ["word", "year", "count", "docs", "tokens", "rate_per_10k",
                       "slope_per_10k_per_year", "z", "p_value", "q_value", "year_docs",
                       "doc_share", "tested"],
    "trend_summary": ["direction", "word", "slope_per_10k_per_year", "z", "p_value", "q_value",
                      "total_count", "first_year", "last_year", "first_rate", "last_rate",
                      "first_share", "last_share"],
    "citations": ["code", "province", "year", "docs", "count", "n_docs", "doc_share",
                  "doc_share_ci_low", "doc_share_ci_high"],
    "watchlist": ["term", "kind", "dimension", "group", "n_docs", "docs", "doc_share",
                  "doc_share_ci_low", "doc_share_ci_high", "count", "tokens", "rate_per_10k",
                  "rate_per_10k_ci_low", "rate_per_10k_ci_high", "low_support", "tested",
                  "first_year", "trend_slope", "trend_z", "trend_p", "trend_q", "trend"],
}
# the fixture has 14 articles of 2020 and 106 of 2021: test both years
SETTINGS = CompareConfig(bootstrap=50, trend_min_year_docs=10)
SEED = 42


@pytest.fixture(scope="module")
def model(real_corpus):
    corpus, _, _ = real_corpus
    return fit_nmf(corpus, 3, NmfConfig(), seed=SEED)


def run(model, real_corpus, documents=None, citations=None, seed=SEED,
        settings=SETTINGS) -> ComparisonTables:
    _, tokens, modelled = real_corpus
    documents = modelled if documents is None else documents
    return compare_groups([model], documents, tokens,
                          citations or [[] for _ in tokens], settings, seed=seed)


@pytest.fixture(scope="module")
def tables(model, real_corpus) -> ComparisonTables:
    return run(model, real_corpus)


def football_topic(model, real_corpus) -> int:
    corpus, _, _ = real_corpus
    words = top_word_lists(model.topic_word, corpus.vocabulary, 10)
    topics = [t for t, w in enumerate(words) if "hlv" in w]
    assert len(topics) == 1, words
    return topics[0]


def test_every_table_has_its_documented_columns(tables):
    for name, columns in COLUMNS.items():
        assert list(getattr(tables, name).columns) == columns, name
    for name in ("prevalence", "distinctive", "keyword_trends", "trend_summary"):
        assert not getattr(tables, name).empty, name
    assert tables.watchlist.empty                       # no watchlist given


def test_prevalence_groups_cover_every_modelled_document(tables, real_corpus):
    _, _, modelled = real_corpus
    prevalence = tables.prevalence
    assert set(prevalence.model) == {"nmf"}
    expected = {
        "province": Counter(modelled.province),
        "year": Counter(modelled.year.astype(str)),
        "province_year": Counter(modelled.province + "|" + modelled.year.astype(str))}
    assert set(prevalence.dimension) == set(expected)
    for dimension, counts in expected.items():
        rows = prevalence[prevalence.dimension == dimension]
        assert rows.groupby("group")["topic"].apply(sorted).map(lambda t: t == [0, 1, 2]).all()
        n_docs = rows.drop_duplicates("group").set_index("group")["n_docs"]
        assert n_docs.to_dict() == dict(counts), dimension
        assert n_docs.sum() == len(modelled)
    assert sorted(expected["province"]) == ["Gia Lai", "Hà Nam", "Hà Nội", "Hồ Chí Minh",
                                            "Thanh Hóa", "Đà Nẵng"]


def test_prevalence_is_the_group_mean_and_the_interval_contains_it(tables, model, real_corpus):
    _, _, modelled = real_corpus
    prevalence = tables.prevalence
    values = prevalence[["prevalence", "ci_low", "ci_high", "diff_vs_rest", "diff_low",
                         "diff_high"]]
    assert values.notna().all().all()
    assert (prevalence.ci_low <= prevalence.prevalence).all()
    assert (prevalence.prevalence <= prevalence.ci_high).all()
    assert (prevalence.diff_low <= prevalence.diff_high).all()
    sums = prevalence.groupby(["dimension", "group"])["prevalence"].sum()
    assert np.allclose(sums, 1.0)                     # doc-topic rows sum to 1
    for province in modelled.province.unique():
        inside = (modelled.province == province).to_numpy()
        rows = prevalence[(prevalence.dimension == "province")
                          & (prevalence.group == province)].sort_values("topic")
        assert np.allclose(rows.prevalence, model.doc_topic[inside].mean(axis=0))
        assert np.allclose(rows.diff_vs_rest, model.doc_topic[inside].mean(axis=0)
                           - model.doc_topic[~inside].mean(axis=0))
        assert (rows.ci_low < rows.ci_high).all()     # 20 articles: a real interval
    assert (prevalence.low_support == (prevalence.n_docs < SETTINGS.min_group_docs)).all()
    assert prevalence.low_support.any() and not prevalence.low_support.all()


def test_gia_lai_clearly_writes_more_about_football(tables, model, real_corpus):
    topic = football_topic(model, real_corpus)
    rows = tables.prevalence[(tables.prevalence.dimension == "province")
                             & (tables.prevalence.topic == topic)].set_index("group")
    assert rows.prevalence.idxmax() == "Gia Lai"
    assert rows.loc["Gia Lai", "diff_low"] > 0
    assert rows.loc["Gia Lai", "ci_low"] > rows.drop("Gia Lai").ci_high.max()


def test_same_seed_gives_identical_tables_and_another_seed_other_intervals(tables, model,
                                                                          real_corpus):
    again = run(model, real_corpus)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(getattr(tables, name), getattr(again, name))
    other = run(model, real_corpus, seed=SEED + 1).prevalence
    assert np.allclose(other.prevalence, tables.prevalence.prevalence)
    assert not np.allclose(other.ci_low, tables.prevalence.ci_low)


def test_distinctive_words_per_province_and_year(tables, real_corpus):
    _, tokens, modelled = real_corpus
    distinctive = tables.distinctive
    province = distinctive[distinctive.dimension == "province"]
    assert set(province.group) == set(modelled.province)
    assert set(distinctive[distinctive.dimension == "year"].group) == {"2020", "2021"}
    assert (distinctive.zscore > 0).all()
    assert (distinctive.groupby(["dimension", "group"]).size() <= SETTINGS.distinctive_top_n).all()
    for _, rows in distinctive.groupby(["dimension", "group"]):
        assert rows.zscore.is_monotonic_decreasing
    gia_lai = province[province.group == "Gia Lai"].set_index("word")
    assert "hlv" in gia_lai.index[:5]
    inside = (modelled.province == "Gia Lai").to_numpy()
    counted = sum(words.count("hlv") for words, keep in zip(tokens, inside) if keep)
    total = sum(words.count("hlv") for words in tokens)
    assert gia_lai.loc["hlv", "count_group"] == counted
    assert gia_lai.loc["hlv", "count_rest"] == total - counted


def test_keyword_trends_count_the_tokens_of_each_year(tables, real_corpus):
    _, tokens, modelled = real_corpus
    trends = tables.keyword_trends
    assert set(trends.year) == {2020, 2021}
    assert trends.word.nunique() == SETTINGS.keyword_top_n == len(trends) // 2
    for year in (2020, 2021):
        in_year = [words for words, y in zip(tokens, modelled.year) if y == year]
        assert (trends[trends.year == year].tokens == sum(map(len, in_year))).all()
        row = trends[(trends.word == "cách_ly") & (trends.year == year)].iloc[0]
        assert row["count"] == sum(words.count("cách_ly") for words in in_year)
        assert row["docs"] == sum("cách_ly" in words for words in in_year)
        assert row["rate_per_10k"] == pytest.approx(1e4 * row["count"] / row["tokens"])
    summary = tables.trend_summary
    assert set(summary.direction) <= {"emerging", "declining"}
    assert (summary.q_value < SETTINGS.trend_alpha).all()
    assert (summary.p_value <= summary.q_value).all()
    assert (summary.total_count >= SETTINGS.trend_min_count).all()
    assert ((summary.direction == "emerging") == (summary.z > 0)).all()
    assert ((summary.first_year == 2020) & (summary.last_year == 2021)).all()


def test_no_citations_in_the_fixture_gives_an_empty_well_formed_table(tables):
    assert tables.citations.empty
    assert list(tables.citations.columns) == COLUMNS["citations"]


def test_citations_are_counted_by_province_and_year(model, real_corpus):
    _, tokens, modelled = real_corpus
    gia_lai = modelled.index[(modelled.province == "Gia Lai") & (modelled.year == 2021)]
    ha_noi = modelled.index[(modelled.province == "Hà Nội") & (modelled.year == 2020)]
    codes = [[] for _ in tokens]
    codes[gia_lai[0]] = ["18-nq/tw"]
    codes[gia_lai[1]] = ["18-nq/tw", "18-nq/tw", "05-ct/tw"]
    codes[ha_noi[0]] = ["08-qđi/tw"]
    citations = run(model, real_corpus, citations=codes).citations
    assert list(citations.columns) == COLUMNS["citations"]
    assert [tuple(r)[:5] for r in citations.itertuples(index=False)] == [
        ("05-CT/TW", "Gia Lai", 2021, 1, 1), ("08-QĐI/TW", "Hà Nội", 2020, 1, 1),
        ("18-NQ/TW", "Gia Lai", 2021, 2, 3)]
    cells = modelled.groupby(["province", "year"]).size()
    assert list(citations.n_docs) == [cells["Gia Lai", 2021], cells["Hà Nội", 2020],
                                      cells["Gia Lai", 2021]]


@pytest.mark.filterwarnings("ignore:All-NaN slice")
def test_one_year_has_no_trends_and_unknown_provinces_no_group(model, real_corpus):
    _, _, modelled = real_corpus
    documents = modelled.assign(year=2021)
    documents.loc[documents.index[:7], "province"] = "unknown"
    tables = run(model, real_corpus, documents=documents)
    assert tables.trend_summary.empty
    assert list(tables.trend_summary.columns) == COLUMNS["trend_summary"]
    assert set(tables.keyword_trends.year) == {2021}
    prevalence = tables.prevalence
    province = prevalence[prevalence.dimension == "province"].drop_duplicates("group")
    assert "unknown" not in set(province.group) and province.n_docs.sum() == 120 - 7
    year = prevalence[prevalence.dimension == "year"]
    assert set(year.group) == {"2021"} and (year.n_docs == 120).all()
    assert year[["diff_vs_rest", "diff_low", "diff_high"]].isna().all().all()   # no rest
    assert "unknown" not in set(tables.distinctive.group)
    assert not any(g.startswith("unknown|") for g in prevalence.group)
