"""The analyst's watchlist measured by group: for every term and every group of every
dimension (`all`, province, year, province×year), the documents using it, their share of the
group's documents, occurrences per 10,000 tokens, bootstrap intervals for both, and one trend
test per term across years.

Occurrences are counted during segmentation (pipeline/segment/terms.py says how a phrase or a
Party code is matched); here they are only added up. The intervals are those of
pipeline/compare/intervals.py: the share of documents an exact (Clopper–Pearson) interval
(never [0, 0], wide for a small group); the rate the wider of a Bayesian bootstrap over
documents (a ratio of two sums over the same resampled documents, so an article that repeats
a term forty times moves it as much as it should) and the exact interval of a Poisson count. The trend is the document-level test of pipeline/compare/trends.py with q-values
across the watchlist's terms. A term found nowhere keeps its rows, all zero.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from vntopics.pipeline.compare.intervals import (bayesian_bootstrap, proportion_interval,
                                                 poisson_rate_interval)
from vntopics.pipeline.compare.prevalence import DIMENSIONS, group_labels, indicator
from vntopics.pipeline.compare.trends import q_values, tested_trend
from vntopics.pipeline.config import CompareConfig
from vntopics.pipeline.segment import WatchTerm

WATCHLIST_COLUMNS = ["term", "kind", "dimension", "group", "n_docs", "docs", "doc_share",
                     "doc_share_ci_low", "doc_share_ci_high", "count", "tokens",
                     "rate_per_10k", "rate_per_10k_ci_low", "rate_per_10k_ci_high",
                     "low_support", "tested", "first_year", "trend_slope", "trend_z",
                     "trend_p", "trend_q", "trend"]
TERMS_PER_BOOTSTRAP = 8   # bounds the resamples × groups × terms arrays of one bootstrap


def term_matrix(term_counts: Sequence[dict[str, int]], terms: Sequence[str]) -> np.ndarray:
    """Documents × terms occurrence counts."""
    column = {term: j for j, term in enumerate(terms)}
    counts = np.zeros((len(term_counts), len(terms)))
    for i, found in enumerate(term_counts):
        for term, count in found.items():
            if term in column:
                counts[i, column[term]] = count
    return counts


def all_groups(documents: pd.DataFrame) -> list[tuple[str, list[str], sparse.csr_matrix]]:
    """(dimension, group names, documents × groups indicator) for `all` and every dimension
    with at least one group."""
    everything = sparse.csr_matrix(np.ones((len(documents), 1)))
    found = [("all", ["all"], everything)]
    for dimension in DIMENSIONS:
        groups, members = indicator(group_labels(documents, dimension).to_numpy())
        if groups:
            found.append((dimension, groups, members))
    return found


def rate_intervals(counts: np.ndarray, tokens: np.ndarray, members: sparse.csr_matrix,
                   settings: CompareConfig, *, seed: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) of the rate per 10,000 tokens, each groups × terms: the wider of the
    Bayesian bootstrap over documents and the Poisson count's Jeffreys interval. Every block
    of terms is resampled with the same seed, so all terms share the same resampled
    documents."""
    tail = (1 - settings.confidence) / 2 * 100
    bounds = [np.empty((members.shape[1], counts.shape[1])) for _ in range(2)]
    for start in range(0, counts.shape[1], TERMS_PER_BOOTSTRAP):
        block = slice(start, start + TERMS_PER_BOOTSTRAP)
        width = counts[:, block].shape[1]
        values = np.column_stack([counts[:, block], tokens])
        means, _ = bayesian_bootstrap(values, members, settings.bootstrap,
                                      rng=np.random.default_rng(seed), prior=False)
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = 1e4 * means[:, :, :width] / means[:, :, width:]
        bounds[0][:, block], bounds[1][:, block] = np.nanpercentile(
            rates, [tail, 100 - tail], axis=0)
    group_counts = members.T @ counts
    group_tokens = members.T @ tokens
    low, high = poisson_rate_interval(group_counts, group_tokens[:, None],
                                      settings.confidence, per=1e4)
    return np.fmin(bounds[0], low), np.fmax(bounds[1], high)


def verdicts(found: np.ndarray, z: np.ndarray, q: np.ndarray, alpha: float) -> list[str]:
    """What the trend test says of each term, in words for the report."""
    return ["never found" if not f else "not tested" if not np.isfinite(qi) else
            ("rising" if zi > 0 else "falling") if qi < alpha else "no clear trend"
            for f, zi, qi in zip(found, z, q)]


def watchlist_table(terms: Sequence[WatchTerm], term_counts: Sequence[dict[str, int]],
                    documents: pd.DataFrame, settings: CompareConfig, seed: int
                    ) -> pd.DataFrame:
    """One row per term × group (terms in the watchlist's order; `all`, then province, year
    and province×year groups, sorted). `documents` are the modelled documents (province,
    year, n_tokens) in the order of `term_counts`. The trend columns are on each term's
    `all` row; `tested` on its year rows says which years entered the test."""
    if not terms:
        return pd.DataFrame(columns=WATCHLIST_COLUMNS)
    names = [t.term for t in terms]
    counts = term_matrix(term_counts, names)
    present = (counts > 0).astype(np.float64)
    tokens = documents["n_tokens"].to_numpy(dtype=np.float64)
    dimensions = all_groups(documents)
    members = sparse.hstack([m for _, _, m in dimensions], format="csr")
    by_group = members.T.tocsr()
    n_docs = np.asarray(members.sum(axis=0)).ravel()
    docs = by_group @ present                                          # groups × terms
    occurrences = by_group @ counts
    group_tokens = by_group @ tokens
    with np.errstate(invalid="ignore", divide="ignore"):
        share = docs / n_docs[:, None]
        rate = 1e4 * occurrences / group_tokens[:, None]
    share_low, share_high = proportion_interval(docs, n_docs[:, None], settings.confidence)
    rate_low, rate_high = rate_intervals(counts, tokens, members, settings, seed=seed)
    labels = [(dimension, group) for dimension, groups, _ in dimensions for group in groups]
    year_rows = np.array([d == "year" for d, _ in labels])
    years = np.array([int(g) for d, g in labels if d == "year"], dtype=np.float64)
    slope, z, p_value, tested = tested_trend(docs[year_rows].T, n_docs[year_rows], years,
                                             settings.trend_min_year_docs, n_docs[year_rows])
    found = docs[0] > 0                                     # row 0: the `all` group
    slope, z, p_value = (np.where(found, v, np.nan) for v in (slope, z, p_value))
    q_value = q_values(p_value)                             # across the terms found
    trend = verdicts(found, z, q_value, settings.trend_alpha)
    first_year = [int(years[docs[year_rows, j] > 0].min()) if docs[year_rows, j].any()
                  else pd.NA for j in range(len(terms))]
    tested_by_row = pd.array([pd.NA] * len(labels), dtype="boolean")
    tested_by_row[np.flatnonzero(year_rows)] = tested
    frames = []
    for j, term in enumerate(terms):
        def on_all_row(value, dtype=object):   # labels[0] is the `all` group
            return pd.array([value] + [None] * (len(labels) - 1), dtype=dtype)

        frames.append(pd.DataFrame({
            "term": term.term, "kind": term.kind,
            "dimension": [d for d, _ in labels], "group": [g for _, g in labels],
            "n_docs": n_docs.astype(np.int64), "docs": docs[:, j].astype(np.int64),
            "doc_share": share[:, j],
            "doc_share_ci_low": np.minimum(share_low[:, j], share[:, j]),
            "doc_share_ci_high": np.maximum(share_high[:, j], share[:, j]),
            "count": occurrences[:, j].astype(np.int64),
            "tokens": group_tokens.astype(np.int64), "rate_per_10k": rate[:, j],
            "rate_per_10k_ci_low": np.fmin(rate_low[:, j], rate[:, j]),
            "rate_per_10k_ci_high": np.fmax(rate_high[:, j], rate[:, j]),
            "low_support": n_docs < settings.min_group_docs, "tested": tested_by_row,
            "first_year": on_all_row(first_year[j], "Int64"),
            "trend_slope": on_all_row(slope[j], "Float64"),
            "trend_z": on_all_row(z[j], "Float64"), "trend_p": on_all_row(p_value[j], "Float64"),
            "trend_q": on_all_row(q_value[j], "Float64"), "trend": on_all_row(trend[j])}))
    return pd.concat(frames, ignore_index=True)[WATCHLIST_COLUMNS]
