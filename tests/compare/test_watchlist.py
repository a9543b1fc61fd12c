"""The watchlist on real articles: phrases planted at known rates by year in 118 real
Vietnamese articles are counted back through the real segmentation (underthesea), whether it
keeps the phrase as one compound or splits it and drops a stop-word, and measured by group
with intervals and a trend test."""
from __future__ import annotations

import gzip
import json
import unicodedata

import numpy as np
import pandas as pd
import pytest

from tests.conftest import FIXTURES
from vntopics.pipeline.compare.watchlist import WATCHLIST_COLUMNS, watchlist_table
from vntopics.pipeline.config import CompareConfig, RunConfig
from vntopics.pipeline.config_io import resolve_path
from vntopics.pipeline.parallel import ProcessMapper
from vntopics.pipeline.segment import segment_documents
from vntopics.pipeline.segment.segmenter import token_lists
from vntopics.pipeline.segment.terms import parse_watchlist
from vntopics.pipeline.text.cleaning import clean_document
from vntopics.pipeline.text.documents import document_set, documents_table
from vntopics.pipeline.text.read import RawDocument

YEARS = (2019, 2020, 2021)
# phrase -> share of each year's articles it is planted in, and the sentence that carries it
PLANTED = {
    "chuyển đổi số": ({2019: 0.1, 2020: 0.3, 2021: 0.6},
                      "Tỉnh quyết liệt đẩy mạnh chuyển đổi số trong các cơ quan nhà nước"),
    "tham nhũng": ({2019: 0.5, 2020: 0.25, 2021: 0.05},
                   "Công tác phòng, chống tham nhũng được chú trọng"),
}
WATCHLIST = ["chuyển đổi số", "Tham nhũng", "18-NQ/TW", "kinh tế tuần hoàn"]
SETTINGS = CompareConfig(bootstrap=100, trend_min_year_docs=30)


def segmented(raws: list[RawDocument], terms) -> list:
    """The documents as a run makes them: cleaned, segmented (no cache), terms counted."""
    text = RunConfig().text
    documents = document_set(clean_document(raw) for raw in raws)
    segment_documents(documents, text,
                      stopword_files=[resolve_path(p) for p in text.stopword_files],
                      cache_dir=None, mapper=ProcessMapper(1), watchlist=terms)
    return documents


@pytest.fixture(scope="module")
def planted():
    """Real articles without the planted phrases, dealt over three years; each phrase
    inserted mid-article into the planted share of each year's articles (different
    articles for the two phrases, chosen at random)."""
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows = [r for r in rows if not any(p in r["text"].lower() for p in PLANTED)]
    rng = np.random.default_rng(3)
    years = np.array([YEARS[i % 3] for i in range(len(rows))])
    expected = {phrase: {} for phrase in PLANTED}
    texts = [r["text"] for r in rows]
    for phrase, (shares, sentence) in PLANTED.items():
        for year in YEARS:
            members = np.flatnonzero(years == year)
            chosen = rng.choice(members, size=round(shares[year] * len(members)), replace=False)
            expected[phrase][year] = len(chosen) / len(members)
            for i in chosen:
                stop = texts[i].find(". ", len(texts[i]) // 2)
                middle = stop + 2 if stop >= 0 else len(texts[i])
                texts[i] = f"{texts[i][:middle]} {sentence}. {texts[i][middle:]}"
    raws = [RawDocument(r["id"], text, "planted", {"province": r["province"],
                                                  "date": f"{year}-05-01"})
            for r, text, year in zip(rows, texts, years)]
    terms = parse_watchlist(WATCHLIST, "test")
    documents = segmented(raws, terms)
    table = watchlist_table(terms, [d.term_counts for d in documents],
                            documents_table(documents), SETTINGS, seed=42)
    return documents, expected, table


def test_segmentation_keeps_one_phrase_whole_and_splits_the_other(planted):
    documents, _, _ = planted
    tokens = [set(t) for t in token_lists(documents)]
    with_corruption = [t for t, d in zip(tokens, documents) if "Tham nhũng" in d.term_counts]
    assert with_corruption and all("tham_nhũng" in t for t in with_corruption)   # one token
    with_digital = [t for t, d in zip(tokens, documents) if "chuyển đổi số" in d.term_counts]
    assert with_digital and all("chuyển_đổi" in t for t in with_digital)       # split, and
    assert not any("số" in t or "chuyển_đổi_số" in t for t in tokens)          # số dropped


def test_planted_document_shares_come_back_by_year(planted):
    _, planted_shares, table = planted
    years = table[table.dimension == "year"]
    for phrase, term in (("chuyển đổi số", "chuyển đổi số"), ("tham nhũng", "Tham nhũng")):
        measured = years[years.term == term].set_index("group")["doc_share"]
        for year, rate in PLANTED[phrase][0].items():
            assert measured[str(year)] == pytest.approx(rate, abs=0.03), (phrase, year)
            # exactly the articles planted (the rate rounded to whole articles)
            assert measured[str(year)] == pytest.approx(planted_shares[phrase][year])


def test_table_rows_intervals_and_trends(planted):
    documents, _, table = planted
    assert list(table.columns) == WATCHLIST_COLUMNS
    frame = documents_table(documents)
    groups = 1 + frame.province.nunique() + 3 + frame.groupby(["province", "year"]).ngroups
    assert len(table) == len(WATCHLIST) * groups
    assert list(dict.fromkeys(table.term)) == ["chuyển đổi số", "Tham nhũng", "18-NQ/TW",
                                               "kinh tế tuần hoàn"]
    assert (table.doc_share_ci_low <= table.doc_share).all()
    assert (table.doc_share <= table.doc_share_ci_high).all()
    assert (table.rate_per_10k_ci_low <= table.rate_per_10k).all()
    overall = table[table.dimension == "all"].set_index("term")
    digital = overall.loc["chuyển đổi số"]
    assert digital.docs == sum("chuyển đổi số" in d.term_counts for d in documents)
    assert digital["count"] == sum(d.term_counts.get("chuyển đổi số", 0) for d in documents)
    assert digital.tokens == sum(map(len, token_lists(documents))) > 10_000
    assert digital.rate_per_10k == pytest.approx(1e4 * digital["count"] / digital.tokens)
    assert digital.doc_share_ci_low < digital.doc_share < digital.doc_share_ci_high
    assert (digital.trend, overall.loc["Tham nhũng", "trend"]) == ("rising", "falling")
    assert digital.trend_q < 0.01 and digital.trend_z > 0 and digital.first_year == 2019
    for never in ("18-NQ/TW", "kinh tế tuần hoàn"):      # listed, all zero, not tested
        rows = table[table.term == never]
        assert (rows.docs == 0).all() and (rows.doc_share_ci_low == 0).all()
        # never [0, 0]: the fewer the documents, the higher the share they cannot rule out
        assert (rows.doc_share_ci_high > 0).all() and (rows.rate_per_10k_ci_high > 0).all()
        by_size = rows.sort_values("n_docs")
        assert by_size.doc_share_ci_high.is_monotonic_decreasing
        assert overall.loc[never, "trend"] == "never found"
        assert pd.isna(overall.loc[never, "trend_q"])
    assert overall.loc["18-NQ/TW", "kind"] == "code"
    years = table[table.dimension == "year"]
    assert years.tested.all() and table[table.dimension != "year"].tested.isna().all()


def test_small_years_are_shown_but_not_tested(planted):
    documents, _, _ = planted
    terms = parse_watchlist(WATCHLIST[:2], "test")
    table = watchlist_table(terms, [d.term_counts for d in documents],
                            documents_table(documents), SETTINGS.model_copy(
                                update={"trend_min_year_docs": 40}), seed=42)
    years = table[(table.dimension == "year") & (table.term == "chuyển đổi số")]
    assert list(years.tested) == [list(years.n_docs)[i] >= 40 for i in range(3)]
    assert (years.n_docs < 40).any()
    overall = table[table.dimension == "all"]
    assert set(overall.trend) == {"not tested"} and overall.trend_p.isna().all()


def test_nfd_text_lookalike_d_case_and_code_spellings_are_counted():
    nfd = unicodedata.normalize("NFD", "Thành phố đẩy mạnh Chuyển Đổi Số ở mọi cấp.")
    texts = [
        nfd + " Công tác XÂY DỰNG ÐẢNG được coi trọng.",                  # Icelandic Ð
        "Quán triệt Nghị quyết 18 - NQ/TƯ và Nghị quyết 18-NQ/T.Ư của Trung ương. "
        "Công tác xây dựng\nĐảng ở cơ sở.",                                # line break: no
        "Chuyển đổi. Số liệu cho thấy xây dựng, Đảng bộ tỉnh đã làm tốt.",  # punctuation: no
    ]
    raws = [RawDocument(f"d{i}", text, "test") for i, text in enumerate(texts)]
    terms = parse_watchlist([unicodedata.normalize("NFD", "chuyển đổi số"), "xây dựng Đảng",
                             "18-nq/tw"], "test")
    documents = segmented(raws, terms)
    assert [d.term_counts for d in documents] == [
        {"chuyển đổi số": 1, "xây dựng Đảng": 1}, {"18-NQ/TW": 2}, {}]
