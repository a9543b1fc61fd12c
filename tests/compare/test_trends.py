"""Keyword trends with a Cochran–Armitage test, their summary, and Party document citations."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from vntopics.pipeline.compare.trends import (CITATION_COLUMNS, SUMMARY_COLUMNS, TREND_COLUMNS,
                                              citation_table, keyword_trends,
                                              top_citations_by_year, trend_summary)

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
    assert (rising.tokens == 3000).all()
    assert rising.z.iloc[0] > 5 and rising.p_value.iloc[0] < 1e-6
    assert rising.slope_per_10k_per_year.iloc[0] == pytest.approx(4 / 3000 * 1e4)
    assert rising.z.nunique() == 1                      # repeated on each of the word's rows
    falling = trends[trends.word == "xoá_đói_giảm_nghèo"]
    assert falling.z.iloc[0] < -5 and falling.p_value.iloc[0] < 1e-6
    flat = trends[trends.word == "đảng_viên"]
    assert flat.z.iloc[0] == pytest.approx(0, abs=1e-9) and flat.p_value.iloc[0] == 1

    summary = trend_summary(trends)
    assert list(summary.columns) == SUMMARY_COLUMNS
    emerging = summary[summary.direction == "emerging"]
    declining = summary[summary.direction == "declining"]
    assert "chuyển_đổi_số" in set(emerging.word) and "chuyển_đổi_số" not in set(declining.word)
    assert "xoá_đói_giảm_nghèo" in set(declining.word)
    assert "đảng_viên" not in set(summary.word)
    assert emerging.z.is_monotonic_decreasing and declining.z.is_monotonic_increasing
    assert (summary.p_value < 0.05).all() and (summary.total_count >= 20).all()
    row = emerging[emerging.word == "chuyển_đổi_số"].iloc[0]
    assert (row.first_year, row.last_year, row.first_rate) == (2015, 2022, 0)
    assert row.last_rate == pytest.approx(28 / 3000 * 1e4)
    assert trend_summary(trends, top_n=1).groupby("direction").size().max() == 1


def test_cochran_armitage_matches_hand_computation():
    # The word "nông_thôn_mới": x = (1, 2, 4) among n = (20, 10, 10) tokens in 2019..2021.
    docs = [["nông_thôn_mới"] + ["a"] * 19, ["nông_thôn_mới"] * 2 + ["b"] * 8,
            ["nông_thôn_mới"] * 4 + ["c"] * 6]
    trends = keyword_trends(docs, [2019, 2020, 2021], top_n=10, min_docs=1)
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
    # Token-weighted least-squares slope of the rate per 10k over year.
    rate = [1e4 * xi / ni for xi, ni in zip(x, n)]
    t_bar = sum(ni * ti for ni, ti in zip(n, t)) / N
    r_bar = sum(ni * ri for ni, ri in zip(n, rate)) / N
    slope = (sum(ni * (ti - t_bar) * (ri - r_bar) for ni, ti, ri in zip(n, t, rate))
             / sum(ni * (ti - t_bar) ** 2 for ni, ti in zip(n, t)))
    assert row.slope_per_10k_per_year == pytest.approx(slope)
    assert list(word["rate_per_10k"]) == pytest.approx(rate)
    assert list(word["tokens"]) == n


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


def test_citation_table_counts_documents_and_mentions():
    citations = [["18-nq/tw", "18-nq/tw", "05-ct/tw"], ["18-nq/tw"], ["08-qđi/tw"],
                 ["18-nq/tw"], [], ["05-ct/tw"]]
    provinces = ["Hà Giang", "Hà Giang", "Bến Tre", None, "Bến Tre", "Hà Giang"]
    years = [2018, 2018, 2019, None, 2019, 2019]
    table = citation_table(citations, provinces, years)
    assert list(table.columns) == CITATION_COLUMNS
    assert table.astype(object).where(table.notna(), None).values.tolist() == [
        ["05-CT/TW", "Hà Giang", 2018, 1, 1],
        ["05-CT/TW", "Hà Giang", 2019, 1, 1],
        ["08-QĐI/TW", "Bến Tre", 2019, 1, 1],
        ["18-NQ/TW", "Hà Giang", 2018, 2, 3],
        ["18-NQ/TW", "unknown", None, 1, 1],
    ]
    assert str(table.year.dtype) == "Int64"

    top = top_citations_by_year(table, top_n=1)
    assert list(top.columns) == ["year", "code", "docs", "count", "rank"]
    assert top.astype(object).where(top.notna(), None).values.tolist() == [
        [2018, "18-NQ/TW", 2, 3, 1],
        [2019, "05-CT/TW", 1, 1, 1],        # ties on docs and mentions: by code
        [None, "18-NQ/TW", 1, 1, 1],
    ]
    everything = top_citations_by_year(table)
    assert list(everything[everything.year == 2019].code) == ["05-CT/TW", "08-QĐI/TW"]
    assert list(everything[everything.year == 2019]["rank"]) == [1, 2]
    assert citation_table([], [], []).empty


def test_citation_section_without_dated_documents_still_lists_the_codes():
    from vntopics.pipeline.report.comparison_sections import citations_section

    undated = pd.DataFrame({"code": ["18-nq/tw", "05-ct/tw"], "province": ["An Giang", "unknown"],
                            "year": [pd.NA, pd.NA], "docs": [3, 1], "count": [4, 1]})
    section = citations_section(undated)
    assert "18-nq/tw (3 documents)" in section.markdown
    dated = undated.assign(year=[2021, 2021])
    assert "| 2021 | 18-nq/tw (3), 05-ct/tw (1) |" in citations_section(dated).markdown


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
