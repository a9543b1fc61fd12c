"""Keyword trends by year with a test for trend, and Party document citations by province and
year.

A word's yearly rate per 10k tokens moves by chance when a year has few articles; the
Cochran–Armitage test for trend in proportions (the word's share of each year's tokens, scores
= year) says whether a rise or fall is more than that noise, so the report lists only words
whose trend survives it.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import norm

from vntopics.pipeline.compare.prevalence import indicator
from vntopics.pipeline.compare.distinctive import count_matrix, restrict_rows

TREND_COLUMNS = ["word", "year", "count", "docs", "tokens", "rate_per_10k",
                 "slope_per_10k_per_year", "z", "p_value"]
SUMMARY_COLUMNS = ["direction", "word", "slope_per_10k_per_year", "z", "p_value",
                   "total_count", "first_year", "last_year", "first_rate", "last_rate"]
CITATION_COLUMNS = ["code", "province", "year", "docs", "count"]
TOP_CITATION_COLUMNS = ["year", "code", "docs", "count", "rank"]


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def cochran_armitage(counts: np.ndarray, tokens: np.ndarray, scores: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(slope_per_10k_per_year, z, two-sided p) for each row of a words × years count matrix.

    T = Σ t_i (x_i − n_i p̄), Var(T) = p̄(1−p̄)[Σ n_i t_i² − (Σ n_i t_i)²/N], z = T/√Var. Both
    are unchanged by shifting the scores, so years are centred on their token-weighted mean
    first (Σ n_i t_i² with t ≈ 2020 loses digits). The slope is the least-squares slope of the
    rate over year weighted by tokens per year, T / Σ n_i (t_i − t̄)² per token, times 10k:
    the slope whose significance z measures. Undefined (NaN) with fewer than two years.
    """
    x = np.asarray(counts, dtype=np.float64)
    n = np.asarray(tokens, dtype=np.float64)
    total = n.sum()
    t = np.asarray(scores, dtype=np.float64)
    t = t - (n * t).sum() / max(total, 1.0)
    spread = (n * t * t).sum()                                  # Σ n (t − t̄)²
    p_bar = x.sum(axis=1) / max(total, 1.0)
    statistic = x @ t                                           # Σ t x − p̄ Σ n t, Σ n t = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = p_bar * (1 - p_bar) * spread
        z = np.where(variance > 0, statistic / np.sqrt(variance), np.nan)
        slope = np.where(spread > 0, 1e4 * statistic / spread, np.nan)
    p_value = 2 * norm.sf(np.abs(z))
    return slope, z, p_value


def keyword_trends(token_lists: Sequence[Sequence[str]], years: Sequence, top_n: int,
                   min_docs: int = 3,
                   counted: tuple[list[str], sparse.csr_matrix] | None = None) -> pd.DataFrame:
    """Count, documents, tokens and rate per 10k tokens by year for the corpus's top words,
    with each word's trend slope and Cochran–Armitage z and p repeated on its rows.

    Tracked words: the top_n by total count among words in at least min_docs documents
    (a word repeated fifty times in one article is not a trend), ties by word. Documents
    without a year are ignored; years without documents are absent. `counted`:
    count_matrix(token_lists), if already made.
    """
    if len(token_lists) != len(years):
        raise ValueError("token_lists and years differ in length")
    dated = [i for i, year in enumerate(years) if not _missing(year)]
    year_labels = np.array([int(years[i]) for i in dated], dtype=object)
    words, counts = (restrict_rows(*counted, dated) if counted
                     else count_matrix([token_lists[i] for i in dated]))
    if not words:
        return pd.DataFrame(columns=TREND_COLUMNS)
    year_list, members = indicator(year_labels)
    present = counts.copy()
    present.data[:] = 1
    totals = np.asarray(counts.sum(axis=0)).ravel()
    doc_freq = np.asarray(present.sum(axis=0)).ravel()
    eligible = np.flatnonzero(doc_freq >= min_docs)
    top = eligible[np.argsort(-totals[eligible], kind="stable")[:top_n]]  # stable: ties by word
    if top.size == 0:
        return pd.DataFrame(columns=TREND_COLUMNS)
    by_year = members.T.tocsr()
    word_counts = np.asarray((by_year @ counts[:, top]).todense()).T     # words × years
    word_docs = np.asarray((by_year @ present[:, top]).todense()).T
    year_tokens = by_year @ np.asarray(counts.sum(axis=1)).ravel()       # years
    slope, z, p_value = cochran_armitage(word_counts, year_tokens, np.asarray(year_list))
    n_words, n_years = word_counts.shape
    rate = 1e4 * word_counts / np.maximum(year_tokens, 1)[None, :]
    return pd.DataFrame({
        "word": np.repeat(np.asarray(words, dtype=object)[top], n_years),
        "year": np.tile(np.asarray(year_list, dtype=np.int64), n_words),
        "count": word_counts.ravel().astype(np.int64),
        "docs": word_docs.ravel().astype(np.int64),
        "tokens": np.tile(year_tokens, n_words).astype(np.int64),
        "rate_per_10k": rate.ravel(),
        "slope_per_10k_per_year": np.repeat(slope, n_years),
        "z": np.repeat(z, n_years), "p_value": np.repeat(p_value, n_years)},
        columns=TREND_COLUMNS)


def trend_summary(trends: pd.DataFrame, alpha: float = 0.05, min_count: int = 20,
                  top_n: int = 20) -> pd.DataFrame:
    """Up to top_n 'emerging' words (z > 0, strongest first) then up to top_n 'declining'
    ones (z < 0, strongest first), each with p < alpha and at least min_count occurrences.

    Fewer than two years have no trend: the empty table. Words are tested one by one, so with
    hundreds of tracked words some pass alpha by chance; z orders them by strength of evidence.
    """
    if trends.empty or trends["year"].nunique() < 2:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    ordered = trends.sort_values(["word", "year"])
    per_word = ordered.groupby("word", sort=True).agg(
        slope_per_10k_per_year=("slope_per_10k_per_year", "first"), z=("z", "first"),
        p_value=("p_value", "first"), total_count=("count", "sum"),
        first_year=("year", "first"), last_year=("year", "last"),
        first_rate=("rate_per_10k", "first"), last_rate=("rate_per_10k", "last"),
    ).reset_index()
    strong = per_word[(per_word["p_value"] < alpha) & (per_word["total_count"] >= min_count)]
    emerging = strong[strong["z"] > 0].sort_values(["z", "word"], ascending=[False, True])
    declining = strong[strong["z"] < 0].sort_values(["z", "word"], ascending=[True, True])
    table = pd.concat([emerging.head(top_n).assign(direction="emerging"),
                       declining.head(top_n).assign(direction="declining")],
                      ignore_index=True)
    return table[SUMMARY_COLUMNS]


def citation_table(citation_lists: Sequence[Sequence[str]], provinces: Sequence[str],
                   years: Sequence) -> pd.DataFrame:
    """Documents citing and total mentions of each Party document code by province × year.

    Codes arrive in the tokenizer's lower-case normal form ('18-nq/tw') and leave upper-cased
    for display ('18-NQ/TW', 'qđi' → 'QĐI'). Nothing is dropped: a document without a province
    counts under 'unknown', one without a year under year <NA>. Sorted by code, province, year.
    """
    if not len(citation_lists) == len(provinces) == len(years):
        raise ValueError("citation_lists, provinces and years differ in length")
    cells: dict[tuple, list[int]] = {}
    for codes, province, year in zip(citation_lists, provinces, years):
        if not codes:
            continue
        province = "unknown" if _missing(province) or province == "" else province
        year = None if _missing(year) else int(year)
        for code, mentions in Counter(code.upper() for code in codes).items():
            cell = cells.setdefault((code, province, year), [0, 0])
            cell[0] += 1
            cell[1] += mentions
    if not cells:
        return pd.DataFrame({"code": pd.Series(dtype=object),
                             "province": pd.Series(dtype=object),
                             "year": pd.Series(dtype="Int64"), "docs": pd.Series(dtype="int64"),
                             "count": pd.Series(dtype="int64")})
    keys = list(cells)
    table = pd.DataFrame({
        "code": [k[0] for k in keys], "province": [k[1] for k in keys],
        "year": pd.array([k[2] for k in keys], dtype="Int64"),
        "docs": np.array([cells[k][0] for k in keys], dtype=np.int64),
        "count": np.array([cells[k][1] for k in keys], dtype=np.int64)})
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
