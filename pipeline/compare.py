"""Comparisons by province, year and province×year: topic prevalence with bootstrap intervals,
keyword counts by year.

Prevalence is the mean document-topic weight of a group; its interval comes from resampling
the group's documents, so a province with 6 articles gets an honest, wide interval.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd

PREVALENCE_COLUMNS = ["model", "dimension", "group", "topic", "prevalence", "ci_low",
                      "ci_high", "n_docs"]
DIMENSIONS = ("province", "year", "province_year")


def group_labels(documents: pd.DataFrame, dimension: str) -> pd.Series:
    """Group label per document; documents without the metadata get no group (None)."""
    province = documents["province"].where(documents["province"] != "unknown")
    year = documents["year"].astype("Int64").astype("string")
    if dimension == "province":
        labels = province
    elif dimension == "year":
        labels = year
    elif dimension == "province_year":
        labels = province.astype("string") + "|" + year
    else:
        raise ValueError(f"unknown dimension {dimension!r}")
    return labels.astype(object).where(labels.notna(), None)


def bootstrap_means(weights: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of `resamples` bootstrap samples of the rows of `weights` (n x K) -> (B x K)."""
    n = weights.shape[0]
    draws = rng.multinomial(n, np.full(n, 1.0 / n), size=resamples)
    return draws @ weights / n


def topic_prevalence(model_name: str, doc_topic: np.ndarray, documents: pd.DataFrame,
                     resamples: int, confidence: float, seed: int) -> pd.DataFrame:
    """Mean topic weight per group for every dimension, with percentile bootstrap intervals.

    `documents` are the modelled documents, in the row order of `doc_topic`.
    """
    rng = np.random.default_rng(seed)
    tail = (1 - confidence) / 2 * 100
    frames = []
    for dimension in DIMENSIONS:
        labels = group_labels(documents, dimension).to_numpy()
        for group in sorted({g for g in labels if g is not None}):
            weights = doc_topic[labels == group]
            means = bootstrap_means(weights, resamples, rng)
            low, high = np.percentile(means, [tail, 100 - tail], axis=0)
            frames.append(pd.DataFrame({
                "model": model_name, "dimension": dimension, "group": group,
                "topic": np.arange(doc_topic.shape[1]), "prevalence": weights.mean(axis=0),
                "ci_low": low, "ci_high": high, "n_docs": len(weights)}))
    if not frames:
        return pd.DataFrame(columns=PREVALENCE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[PREVALENCE_COLUMNS]


def keyword_trends(token_lists: Sequence[Sequence[str]], years: Sequence, top_n: int
                   ) -> pd.DataFrame:
    """Counts, document counts and rate per 10k tokens by year for the corpus's top words."""
    totals: Counter = Counter()
    per_year: dict[int, Counter] = {}
    docs_per_year: dict[int, Counter] = {}
    tokens_per_year: Counter = Counter()
    for tokens, year in zip(token_lists, years):
        if year is None or pd.isna(year):
            continue
        year = int(year)
        counts = Counter(tokens)
        totals.update(counts)
        per_year.setdefault(year, Counter()).update(counts)
        docs_per_year.setdefault(year, Counter()).update(counts.keys())
        tokens_per_year[year] += len(tokens)
    top = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:top_n]
    rows = []
    for word, _ in top:
        for year in sorted(per_year):
            count = per_year[year][word]
            rows.append({"word": word, "year": year, "count": count,
                         "docs": docs_per_year[year][word],
                         "rate_per_10k": 1e4 * count / max(tokens_per_year[year], 1)})
    return pd.DataFrame(rows, columns=["word", "year", "count", "docs", "rate_per_10k"])
