"""Party document citations by province and year, and the report's citation section."""
from __future__ import annotations

import pandas as pd

from vntopics.pipeline.compare.citations import (CITATION_COLUMNS, citation_table,
                                                 top_citations_by_year)


def test_citation_table_counts_documents_and_mentions():
    citations = [["18-nq/tw", "18-nq/tw", "05-ct/tw"], ["18-nq/tw"], ["08-qđi/tw"],
                 ["18-nq/tw"], [], ["05-ct/tw"]]
    provinces = ["Hà Giang", "Hà Giang", "Bến Tre", None, "Bến Tre", "Hà Giang"]
    years = [2018, 2018, 2019, None, 2019, 2019]
    table = citation_table(citations, provinces, years)
    assert list(table.columns) == CITATION_COLUMNS
    counts = table[CITATION_COLUMNS[:6]]
    assert counts.astype(object).where(counts.notna(), None).values.tolist() == [
        ["05-CT/TW", "Hà Giang", 2018, 1, 1, 2],
        ["05-CT/TW", "Hà Giang", 2019, 1, 1, 1],
        ["08-QĐI/TW", "Bến Tre", 2019, 1, 1, 2],      # Bến Tre 2019: one of two documents
        ["18-NQ/TW", "Hà Giang", 2018, 2, 3, 2],
        ["18-NQ/TW", "unknown", None, 1, 1, 1],
    ]
    assert str(table.year.dtype) == "Int64"
    # shares of a cell's documents, with intervals as wide as one or two documents deserve
    assert list(table.doc_share) == [0.5, 1.0, 0.5, 1.0, 1.0]
    assert (table.doc_share_ci_low <= table.doc_share).all()
    assert (table.doc_share <= table.doc_share_ci_high).all()
    assert (table.doc_share_ci_high - table.doc_share_ci_low > 0.5).all()

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
