"""Party document citations by province and year: which resolutions and directives are cited,
where and when.

Codes arrive from the tokenizer in one normal form ('18-nq/tw' for every spelling of it,
pipeline/segment/words.py), so counting them is counting documents and mentions per cell.
Each cell's share of documents citing the code has an exact interval
(pipeline/compare/intervals.py), wide when the province wrote little that year.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd

from vntopics.pipeline.compare.intervals import proportion_interval

CITATION_COLUMNS = ["code", "province", "year", "docs", "count", "n_docs", "doc_share",
                    "doc_share_ci_low", "doc_share_ci_high"]
TOP_CITATION_COLUMNS = ["year", "code", "docs", "count", "rank"]


def missing(value) -> bool:
    """None or a pandas/numpy missing value (a document without a province or year)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def citation_table(citation_lists: Sequence[Sequence[str]], provinces: Sequence[str],
                   years: Sequence, confidence: float = 0.95) -> pd.DataFrame:
    """Documents citing and total mentions of each Party document code by province × year.

    Codes arrive in the tokenizer's lower-case normal form ('18-nq/tw') and leave upper-cased
    for display ('18-NQ/TW', 'qđi' → 'QĐI'). Nothing is dropped: a document without a province
    counts under 'unknown', one without a year under year <NA>. `n_docs` is the cell's
    documents (citing or not), `doc_share` = docs / n_docs with its interval at
    `confidence`. Sorted by code, province, year.
    """
    if not len(citation_lists) == len(provinces) == len(years):
        raise ValueError("citation_lists, provinces and years differ in length")
    cells: dict[tuple, list[int]] = {}
    sizes: Counter = Counter()
    for codes, province, year in zip(citation_lists, provinces, years):
        province = "unknown" if missing(province) or province == "" else province
        year = None if missing(year) else int(year)
        sizes[province, year] += 1
        if not codes:
            continue
        for code, mentions in Counter(code.upper() for code in codes).items():
            cell = cells.setdefault((code, province, year), [0, 0])
            cell[0] += 1
            cell[1] += mentions
    if not cells:
        return pd.DataFrame({"code": pd.Series(dtype=object),
                             "province": pd.Series(dtype=object),
                             "year": pd.Series(dtype="Int64"), "docs": pd.Series(dtype="int64"),
                             "count": pd.Series(dtype="int64"),
                             "n_docs": pd.Series(dtype="int64"),
                             **{c: pd.Series(dtype=float) for c in CITATION_COLUMNS[-3:]}})
    keys = list(cells)
    table = pd.DataFrame({
        "code": [k[0] for k in keys], "province": [k[1] for k in keys],
        "year": pd.array([k[2] for k in keys], dtype="Int64"),
        "docs": np.array([cells[k][0] for k in keys], dtype=np.int64),
        "count": np.array([cells[k][1] for k in keys], dtype=np.int64),
        "n_docs": np.array([sizes[k[1], k[2]] for k in keys], dtype=np.int64)})
    table["doc_share"] = table["docs"] / table["n_docs"]
    table["doc_share_ci_low"], table["doc_share_ci_high"] = proportion_interval(
        table["docs"], table["n_docs"], confidence)
    return (table.sort_values(["code", "province", "year"], na_position="last")
            .reset_index(drop=True)[CITATION_COLUMNS])


def top_citations_by_year(citations: pd.DataFrame, top_n: int = 10) -> pd.DataFrame:
    """The top_n codes of each year by documents citing them (then mentions, then code),
    summed over provinces; undated citations rank as their own year <NA>, listed last."""
    if citations.empty:
        return pd.DataFrame({"year": pd.Series(dtype="Int64"), "code": pd.Series(dtype=object),
                             "docs": pd.Series(dtype="int64"), "count": pd.Series(dtype="int64"),
                             "rank": pd.Series(dtype="int64")})
    per_year = (citations.groupby(["year", "code"], dropna=False, sort=False)[["docs", "count"]]
                .sum().reset_index())
    per_year = per_year.sort_values(["year", "docs", "count", "code"],
                                    ascending=[True, False, False, True], na_position="last")
    per_year["rank"] = per_year.groupby("year", dropna=False, sort=False).cumcount() + 1
    per_year = per_year[per_year["rank"] <= top_n].reset_index(drop=True)
    per_year["year"] = per_year["year"].astype("Int64")
    return per_year[TOP_CITATION_COLUMNS]
