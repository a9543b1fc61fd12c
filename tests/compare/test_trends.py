"""Keyword trends with a document-level Cochran–Armitage test and q-values, and their summary."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from vntopics.pipeline.compare.trends import (SUMMARY_COLUMNS, TREND_COLUMNS, keyword_trends,
                                              q_values, trend_summary, trend_test)

YEARS = list(range(2015, 2023))


def planted_corpus(seed: int = 0):
    """30 articles of 100 tokens a year: chuyển_đổi_số rises, xoá_đói_giảm_nghèo falls,
    đảng_viên stays at exactly 2 per article."""
    rng = np.random.default_rng(seed)
    background = ["xây_dựng", "phát_triển", "kinh_tế", "cán_bộ", "nhân_dân", "tỉnh",
                  "chính_quyền", "hội_nghị", "triển_khai", "công_tác"]
    docs, years = [], []
    for k, year in enumerate(YEARS):
        for d in range(30):
            rising = ["chuyển_đổi_số"] * int(d < 4 * k)               # 0 → 28 articles
            falling = ["xoá_đói_giảm_nghèo"] * int(d < 30 - 4 * k)    # 30 → 2 articles
            planted = rising + falling + ["đảng_viên"] * 2
            tokens = list(rng.choice(background, size=100 - len(planted))) + planted
            docs.append(tokens)
            years.append(year)
    docs.append(["chuyển_đổi_số"] * 50)   # no year: ignored
    years.append(None)
    return docs, years


def test_planted_rising_and_falling_words_are_found():
    docs, years = planted_corpus()
    trends = keyword_trends(docs, years, top_n=20)
    assert list(trends.columns) == TREND_COLUMNS
    assert len(trends) == trends.word.nunique() * len(YEARS)
    rising = trends[trends.word == "chuyển_đổi_số"]
    assert list(rising.year) == YEARS and rising["count"].sum() == sum(4 * k for k in range(8))
    assert (rising.tokens == 3000).all() and (rising.year_docs == 30).all()
    assert list(rising.doc_share) == pytest.approx([4 * k / 30 for k in range(8)])
    assert rising.z.iloc[0] > 5 and rising.p_value.iloc[0] < 1e-6
    assert rising.q_value.iloc[0] < 1e-5 and rising.q_value.iloc[0] >= rising.p_value.iloc[0]
    assert rising.slope_per_10k_per_year.iloc[0] == pytest.approx(4 / 3000 * 1e4)
    assert rising.z.nunique() == 1                      # repeated on each of the word's rows
    falling = trends[trends.word == "xoá_đói_giảm_nghèo"]
    assert falling.z.iloc[0] < -5 and falling.p_value.iloc[0] < 1e-6
    flat = trends[trends.word == "đảng_viên"]           # in every article: no trend to find
    assert flat.z.iloc[0] == 0 and flat.p_value.iloc[0] == 1

    summary = trend_summary(trends)
    assert list(summary.columns) == SUMMARY_COLUMNS
    emerging = summary[summary.direction == "emerging"]
    declining = summary[summary.direction == "declining"]
    assert "chuyển_đổi_số" in set(emerging.word) and "chuyển_đổi_số" not in set(declining.word)
    assert "xoá_đói_giảm_nghèo" in set(declining.word)
    assert "đảng_viên" not in set(summary.word)
    assert emerging.z.is_monotonic_decreasing and declining.z.is_monotonic_increasing
    assert (summary.q_value < 0.05).all() and (summary.total_count >= 20).all()
    row = emerging[emerging.word == "chuyển_đổi_số"].iloc[0]
    assert (row.first_year, row.last_year, row.first_rate, row.first_share) == (2015, 2022, 0, 0)
    assert row.last_rate == pytest.approx(28 / 3000 * 1e4)
    assert row.last_share == pytest.approx(28 / 30)
    assert trend_summary(trends, top_n=1).groupby("direction").size().max() == 1


def test_document_level_test_matches_hand_computation():
    # "nông_thôn_mới" is used by 1 of 20, 2 of 10 and 4 of 10 articles in 2019..2021; how
    # often each article repeats it does not matter to the test, only to the rate.
    docs = ([["nông_thôn_mới"] * 9 + ["a"] * 11] + [["a", "b"]] * 19
            + [["nông_thôn_mới", "b"]] * 2 + [["b", "c"]] * 8
            + [["nông_thôn_mới"] * 3 + ["c"]] * 4 + [["c", "a"]] * 6)
    years = [2019] * 20 + [2020] * 10 + [2021] * 10
    trends = keyword_trends(docs, years, top_n=10, min_docs=1)
    word = trends[trends.word == "nông_thôn_mới"]
    row = word.iloc[0]
    x, n, t = [1, 2, 4], [20, 10, 10], [2019, 2020, 2021]
    N = sum(n)
    p_bar = sum(x) / N
    T = sum(ti * (xi - ni * p_bar) for xi, ni, ti in zip(x, n, t))
    var = p_bar * (1 - p_bar) * (sum(ni * ti ** 2 for ni, ti in zip(n, t))
                                 - sum(ni * ti for ni, ti in zip(n, t)) ** 2 / N)
    z = T / math.sqrt(var)
    assert row.z == pytest.approx(z, rel=1e-6)
    assert row.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-6)
    assert list(word.docs) == x and list(word.year_docs) == n
    # The slope is the token-weighted least-squares slope of the rate per 10k over year.
    counts, tokens = [9, 2, 12], [20 + 19 * 2, 10 * 2, 4 * 4 + 6 * 2]
    rate = [1e4 * c / k for c, k in zip(counts, tokens)]
    t_bar = sum(k * ti for k, ti in zip(tokens, t)) / sum(tokens)
    r_bar = sum(k * r for k, r in zip(tokens, rate)) / sum(tokens)
    slope = (sum(k * (ti - t_bar) * (r - r_bar) for k, ti, r in zip(tokens, t, rate))
             / sum(k * (ti - t_bar) ** 2 for k, ti in zip(tokens, t)))
    assert row.slope_per_10k_per_year == pytest.approx(slope)
    assert list(word["rate_per_10k"]) == pytest.approx(rate)
    assert list(word["tokens"]) == tokens


def test_one_article_repeating_a_word_is_not_a_trend():
    """The token-level test would call it: 60 mentions in one 2021 article against one a
    year elsewhere. Per document it is one article of thirty."""
    docs, years = [], []
    for year in (2019, 2020, 2021):
        for d in range(30):
            tokens = ["cán_bộ", "nhân_dân", "tỉnh"] * 30
            if d == 0:
                tokens.append("lũ_lụt")
            if year == 2021 and d == 1:
                tokens += ["lũ_lụt"] * 60
            docs.append(tokens)
            years.append(year)
    trends = keyword_trends(docs, years, top_n=10)
    flood = trends[trends.word == "lũ_lụt"]
    assert flood.p_value.iloc[0] > 0.3
    _, _, token_level_p = trend_test(flood[["count"]].to_numpy().T, flood.tokens.to_numpy(),
                                     flood.year.to_numpy())
    assert token_level_p[0] < 1e-10
    assert trend_summary(trends, min_count=1).empty


def test_years_with_few_documents_are_shown_but_not_tested():
    docs, years = planted_corpus()
    docs += [["xoá_đói_giảm_nghèo"] * 40] * 2                 # two articles in 2023
    years += [2023, 2023]
    all_years = keyword_trends(docs, years, top_n=20, min_year_docs=1)
    trends = keyword_trends(docs, years, top_n=20, min_year_docs=30)
    falling = trends[trends.word == "xoá_đói_giảm_nghèo"].set_index("year")
    assert not falling.loc[2023, "tested"] and falling.loc[2023, "docs"] == 2
    assert falling.drop(index=2023)["tested"].all()
    without = keyword_trends(*planted_corpus(), top_n=20)
    expected = without[without.word == "xoá_đói_giảm_nghèo"].iloc[0]
    assert falling.z.iloc[0] == pytest.approx(expected.z)   # 2023 left out of the test
    assert all_years[all_years.word == "xoá_đói_giảm_nghèo"].z.iloc[0] > falling.z.iloc[0]
    row = trend_summary(trends).set_index("word").loc["xoá_đói_giảm_nghèo"]
    assert row.last_year == 2022                             # the last tested year
    assert keyword_trends(docs, years, top_n=5, min_year_docs=31).z.isna().all()


def test_q_values_are_benjamini_hochberg_over_the_tested_words():
    q = q_values(np.array([0.01, 0.04, 0.03, 0.5, np.nan]))
    assert q[:4] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5]) and np.isnan(q[4])
    assert np.isnan(q_values(np.array([np.nan]))).all()


def test_shuffled_years_find_no_more_than_chance(real_corpus):
    """120 real articles with years dealt at random, 100 times: no word has a trend, so a
    valid test finds p < 0.05 for about 5% of the tracked words, and the listed words
    (q < 0.05) are empty in at least 95% of the shuffles. The token-level test, for
    contrast, flags about a third of the words."""
    from vntopics.pipeline.compare.distinctive import count_matrix

    _, tokens, _ = real_corpus
    counted = count_matrix(tokens)
    scores = np.array([2018, 2019, 2020, 2021], dtype=float)
    tests = significant = shuffles_listing = token_level = 0
    for seed in range(100):
        years = np.random.default_rng(seed).permutation(np.repeat(scores.astype(int), 30))
        trends = keyword_trends(tokens, list(years[:len(tokens)]), top_n=300, counted=counted,
                                min_year_docs=30)
        words = trends.drop_duplicates("word")
        tests += len(words)
        significant += int((words.p_value < 0.05).sum())
        shuffles_listing += int((words.q_value < 0.05).any())
        by_year = trends.pivot(index="word", columns="year", values="count").to_numpy()
        year_tokens = trends.drop_duplicates("year").sort_values("year").tokens.to_numpy()
        token_level += int((trend_test(by_year, year_tokens, scores)[2] < 0.05).sum())
    assert tests == 100 * 300
    assert 0.03 < significant / tests < 0.065
    assert shuffles_listing <= 7
    assert token_level / tests > 0.25


def test_min_docs_and_missing_years():
    docs = [["đảng_viên"] * 50, ["cán_bộ"], ["cán_bộ"], ["cán_bộ"], ["cán_bộ", "x"]]
    trends = keyword_trends(docs, [2020, 2020, 2022, 2022, pd.NA], top_n=5, min_docs=2)
    assert set(trends.word) == {"cán_bộ"}               # đảng_viên is in one document only
    assert list(trends.year) == [2020, 2022]            # 2021 has no documents: absent
    assert list(trends["count"]) == [1, 2] and list(trends.docs) == [1, 2]


def test_single_year_gives_empty_summary():
    docs, years = planted_corpus()
    one_year = [(d, y) for d, y in zip(docs, years) if y == 2018]
    trends = keyword_trends([d for d, _ in one_year], [y for _, y in one_year], top_n=10)
    assert trends.year.nunique() == 1 and trends.z.isna().all()
    summary = trend_summary(trends)
    assert summary.empty and list(summary.columns) == SUMMARY_COLUMNS
    assert trend_summary(keyword_trends([], [], top_n=5)).empty


def test_counts_cut_from_the_whole_corpus_equal_counting_the_dated_documents_again():
    from vntopics.pipeline.compare.distinctive import count_matrix, restrict_rows

    docs, years = planted_corpus()
    docs[-1] = ["chỉ_ở_bài_không_năm"] * 5 + docs[-1]     # a word only the undated article has
    counted = count_matrix(docs)
    words, counts = restrict_rows(*counted, range(len(docs) - 1))
    expected_words, expected = count_matrix(docs[:-1])
    assert words == expected_words and "chỉ_ở_bài_không_năm" not in words
    assert (counts != expected).nnz == 0
    pd.testing.assert_frame_equal(keyword_trends(docs, years, top_n=20, counted=counted),
                                  keyword_trends(docs, years, top_n=20))
