"""Keyword trends by year, and the trend test the watchlist shares.

The test is the Cochran–Armitage test for trend in proportions with the document as the unit:
of each year's documents, the share that use the word. Testing the word's share of each year's
tokens instead treats every token as an independent draw, but words come in bursts (an article
about a flood says "lũ" thirty times), so token counts vary far more than that test assumes:
on the shipped default corpus it called 128 of 300 tracked words significant at p < 0.05.
Years with fewer than `min_year_docs` documents are shown but left out of the test (two
articles say nothing about a year), and every p-value becomes a Benjamini–Hochberg q-value
across the words tested together (scipy.stats.false_discovery_control): listing the words with
q < 0.05 keeps the expected share of chance findings among them at 5%, where p < 0.05 on 300
words would list about 15 by chance alone.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import false_discovery_control, norm

from vntopics.pipeline.compare.citations import missing
from vntopics.pipeline.compare.distinctive import count_matrix, restrict_rows
from vntopics.pipeline.compare.prevalence import indicator

TREND_COLUMNS = ["word", "year", "count", "docs", "tokens", "rate_per_10k",
                 "slope_per_10k_per_year", "z", "p_value", "q_value", "year_docs", "doc_share",
                 "tested"]
SUMMARY_COLUMNS = ["direction", "word", "slope_per_10k_per_year", "z", "p_value", "q_value",
                   "total_count", "first_year", "last_year", "first_rate", "last_rate",
                   "first_share", "last_share"]


def trend_test(successes: np.ndarray, trials: np.ndarray, scores: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cochran–Armitage test for trend: (slope, z, two-sided p) for each row of a rows × years
    matrix of successes out of `trials` per year (documents using a word out of the year's
    documents, or occurrences out of tokens for a descriptive slope).

    T = Σ t_i (x_i − n_i p̄), Var(T) = p̄(1−p̄)[Σ n_i t_i² − (Σ n_i t_i)²/N], z = T/√Var. Both
    are unchanged by shifting the scores, so years are centred on their trial-weighted mean
    first (Σ n_i t_i² with t ≈ 2020 loses digits). The slope is the least-squares slope of
    the proportion over year weighted by trials, T / Σ n_i (t_i − t̄)²: the slope whose
    significance z measures. A row with the same proportion 0 or 1 every year has no trend
    (z = 0); with fewer than two years there is no test (NaN).
    """
    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    total = n.sum()
    t = np.asarray(scores, dtype=np.float64)
    t = t - (n * t).sum() / max(total, 1.0)
    spread = (n * t * t).sum()                                  # Σ n (t − t̄)²
    p_bar = x.sum(axis=1) / max(total, 1.0)
    statistic = x @ t                                           # Σ t x − p̄ Σ n t, Σ n t = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = p_bar * (1 - p_bar) * spread
        z = np.where(variance > 0, statistic / np.sqrt(variance),
                     0.0 if spread > 0 else np.nan)
        slope = np.where(spread > 0, statistic / spread, np.nan)
    return slope, z, 2 * norm.sf(np.abs(z))


def q_values(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg q-values of the finite p-values taken together; NaN stays NaN."""
    p_values = np.asarray(p_values, dtype=np.float64)
    q = np.full_like(p_values, np.nan)
    finite = np.isfinite(p_values)
    if finite.any():
        q[finite] = false_discovery_control(p_values[finite], method="bh")
    return q


def tested_trend(successes: np.ndarray, trials: np.ndarray, years: np.ndarray,
                 min_year_docs: int, year_docs: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """trend_test on the years with at least `min_year_docs` documents, and which years those
    are; all NaN when fewer than two years qualify."""
    tested = np.asarray(year_docs) >= min_year_docs
    if tested.sum() < 2:
        nan = np.full(successes.shape[0], np.nan)
        return nan, nan, nan, tested
    slope, z, p_value = trend_test(successes[:, tested], trials[tested], years[tested])
    return slope, z, p_value, tested


def keyword_trends(token_lists: Sequence[Sequence[str]], years: Sequence, top_n: int, *,
                   min_docs: int = 3,
                   counted: tuple[list[str], sparse.csr_matrix] | None = None,
                   min_year_docs: int = 1) -> pd.DataFrame:
    """Count, documents, tokens and rate per 10k tokens by year for the corpus's top words,
    with each word's trend (slope of its rate, document-level z, p and q over the years with
    at least `min_year_docs` documents) repeated on its rows.

    Tracked words: the top_n by total count among words in at least min_docs documents
    (a word repeated fifty times in one article is not a trend), ties by word. Documents
    without a year are ignored; years without documents are absent. `counted`:
    count_matrix(token_lists), if already made.
    """
    if len(token_lists) != len(years):
        raise ValueError("token_lists and years differ in length")
    dated = [i for i, year in enumerate(years) if not missing(year)]
    year_labels = np.array([int(years[i]) for i in dated], dtype=object)
    words, counts = (restrict_rows(*counted, dated) if counted
                     else count_matrix([token_lists[i] for i in dated]))
    if not words:
        return pd.DataFrame(columns=TREND_COLUMNS)
    year_list, members = indicator(year_labels)
    totals = np.asarray(counts.sum(axis=0)).ravel()
    doc_freq = np.bincount(counts.indices, minlength=counts.shape[1])  # one entry a document
    eligible = np.flatnonzero(doc_freq >= min_docs)
    top = eligible[np.argsort(-totals[eligible], kind="stable")[:top_n]]  # stable: ties by word
    if top.size == 0:
        return pd.DataFrame(columns=TREND_COLUMNS)
    by_year = members.T.tocsr()
    top_counts = counts[:, top]
    word_counts = np.asarray((by_year @ top_counts).todense()).T         # words × years
    top_counts.data[:] = 1                                               # present or not
    word_docs = np.asarray((by_year @ top_counts).todense()).T
    year_tokens = by_year @ np.asarray(counts.sum(axis=1)).ravel()       # years
    year_docs = np.asarray(members.sum(axis=0)).ravel()                  # years
    scores = np.asarray(year_list, dtype=np.float64)
    _, z, p_value, tested = tested_trend(word_docs, year_docs, scores, min_year_docs, year_docs)
    rate_slope = tested_trend(word_counts, year_tokens, scores, min_year_docs, year_docs)[0]
    n_words, n_years = word_counts.shape
    rate = 1e4 * word_counts / np.maximum(year_tokens, 1)[None, :]

    def per_word(values: np.ndarray) -> np.ndarray:
        return np.repeat(values, n_years)

    return pd.DataFrame({
        "word": per_word(np.asarray(words, dtype=object)[top]),
        "year": np.tile(np.asarray(year_list, dtype=np.int64), n_words),
        "count": word_counts.ravel().astype(np.int64),
        "docs": word_docs.ravel().astype(np.int64),
        "tokens": np.tile(year_tokens, n_words).astype(np.int64),
        "rate_per_10k": rate.ravel(),
        "slope_per_10k_per_year": per_word(1e4 * rate_slope),
        "z": per_word(z), "p_value": per_word(p_value), "q_value": per_word(q_values(p_value)),
        "year_docs": np.tile(year_docs, n_words).astype(np.int64),
        "doc_share": (word_docs / np.maximum(year_docs, 1)[None, :]).ravel(),
        "tested": np.tile(tested, n_words)},
        columns=TREND_COLUMNS)


def trend_summary(trends: pd.DataFrame, alpha: float = 0.05, min_count: int = 20,
                  top_n: int = 20) -> pd.DataFrame:
    """Up to top_n 'emerging' words (z > 0, strongest first) then up to top_n 'declining'
    ones (z < 0, strongest first), each with q < alpha (false discovery rate across the
    tracked words) and at least min_count occurrences. First and last year, rate and
    document share are those of the first and last tested year.

    Fewer than two tested years have no trend: the empty table.
    """
    tested = trends[trends["tested"].astype(bool)] if not trends.empty else trends
    if tested.empty or tested["year"].nunique() < 2:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    ordered = tested.sort_values(["word", "year"])
    per_word = ordered.groupby("word", sort=True).agg(
        slope_per_10k_per_year=("slope_per_10k_per_year", "first"), z=("z", "first"),
        p_value=("p_value", "first"), q_value=("q_value", "first"),
        first_year=("year", "first"), last_year=("year", "last"),
        first_rate=("rate_per_10k", "first"), last_rate=("rate_per_10k", "last"),
        first_share=("doc_share", "first"), last_share=("doc_share", "last"),
    ).reset_index()
    per_word["total_count"] = per_word["word"].map(trends.groupby("word")["count"].sum())
    strong = per_word[(per_word["q_value"] < alpha) & (per_word["total_count"] >= min_count)]
    emerging = strong[strong["z"] > 0].sort_values(["z", "word"], ascending=[False, True])
    declining = strong[strong["z"] < 0].sort_values(["z", "word"], ascending=[True, True])
    table = pd.concat([emerging.head(top_n).assign(direction="emerging"),
                       declining.head(top_n).assign(direction="declining")],
                      ignore_index=True)
    return table[SUMMARY_COLUMNS]
