"""Comparisons by province, year and province×year: topic prevalence with bootstrap intervals.

Prevalence is the mean document-topic weight of a group; its interval comes from resampling
the group's documents, so a province with 6 articles gets an honest, wide interval.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
from scipy import sparse

PREVALENCE_COLUMNS = ["model", "dimension", "group", "topic", "prevalence", "ci_low",
                      "ci_high", "n_docs", "low_support", "diff_vs_rest", "diff_low",
                      "diff_high"]
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


def indicator(labels: np.ndarray) -> tuple[list[str], sparse.csr_matrix]:
    """Sorted group names and the documents × groups 0/1 matrix (unlabelled rows empty)."""
    groups = sorted({g for g in labels if g is not None})
    column = {g: j for j, g in enumerate(groups)}
    rows = [i for i, g in enumerate(labels) if g is not None]
    cols = [column[labels[i]] for i in rows]
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                               shape=(len(labels), len(groups)))
    return groups, matrix


def poisson_bootstrap(doc_topic: np.ndarray, members: sparse.csr_matrix, resamples: int,
                      rng: np.random.Generator,
                      progress: Callable[[int, int], None] | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap means of each group and of the rest of the corpus, (B × groups × K) each.

    Poisson(1) weights per document (the Poisson bootstrap) resample every group at once: one
    sparse product per resample instead of one resampling loop per group.
    """
    members_t = members.T.tocsr()
    n_groups, k = members.shape[1], doc_topic.shape[1]
    group_means = np.empty((resamples, n_groups, k))
    rest_means = np.empty((resamples, n_groups, k))
    for b in range(resamples):
        weights = rng.poisson(1.0, size=doc_topic.shape[0]).astype(np.float64)
        weighted = weights[:, None] * doc_topic
        group_weight = members_t @ weights                       # G
        group_sums = members_t @ weighted                        # G × K
        rest_weight = weights.sum() - group_weight
        rest_sums = weighted.sum(axis=0)[None, :] - group_sums
        with np.errstate(invalid="ignore", divide="ignore"):
            group_means[b] = group_sums / group_weight[:, None]
            rest_means[b] = rest_sums / rest_weight[:, None]
        if progress:
            progress(b + 1, resamples)
    return group_means, rest_means


def topic_prevalence(model_name: str, doc_topic: np.ndarray, documents: pd.DataFrame,
                     resamples: int, confidence: float, *, seed: int,
                     min_group_docs: int = 10,
                     progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Mean topic weight per group with bootstrap intervals, and its difference from the rest
    of the corpus with an interval, for every dimension.

    `documents` are the modelled documents, in the row order of `doc_topic`. Small groups are
    kept and flagged `low_support`, never dropped. `progress(done, total)` counts resamples.
    """
    tail = (1 - confidence) / 2 * 100
    k = doc_topic.shape[1]
    indicators = [(dimension, *indicator(group_labels(documents, dimension).to_numpy()))
                  for dimension in DIMENSIONS]
    indicators = [(dimension, groups, members) for dimension, groups, members in indicators
                  if groups]
    if not indicators:
        return pd.DataFrame(columns=PREVALENCE_COLUMNS)
    # one bootstrap for every group of every dimension: each resample's document weights are
    # drawn once and shared, so the dimensions cost one loop instead of three
    all_members = sparse.hstack([members for _, _, members in indicators], format="csr")
    boot_all, rest_all = poisson_bootstrap(doc_topic, all_members, resamples,
                                           np.random.default_rng(seed), progress)
    frames, offset = [], 0
    for dimension, groups, members in indicators:
        columns = slice(offset, offset + len(groups))
        offset += len(groups)
        boot_group, boot_rest = boot_all[:, columns], rest_all[:, columns]
        n_docs = np.asarray(members.sum(axis=0)).ravel().astype(int)
        means = np.asarray(members.T @ doc_topic) / n_docs[:, None]            # G × K
        rest_n = doc_topic.shape[0] - n_docs
        rest = ((doc_topic.sum(axis=0)[None, :] - np.asarray(members.T @ doc_topic))
                / np.maximum(rest_n, 1)[:, None])
        low, high = np.nanpercentile(boot_group, [tail, 100 - tail], axis=0)
        diff_low, diff_high = np.nanpercentile(boot_group - boot_rest, [tail, 100 - tail],
                                               axis=0)
        frames.append(pd.DataFrame({
            "model": model_name, "dimension": dimension,
            "group": np.repeat(groups, k), "topic": np.tile(np.arange(k), len(groups)),
            "prevalence": means.ravel(), "ci_low": np.minimum(low, means).ravel(),
            "ci_high": np.maximum(high, means).ravel(), "n_docs": np.repeat(n_docs, k),
            "low_support": np.repeat(n_docs < min_group_docs, k),
            "diff_vs_rest": np.where(rest_n[:, None] > 0, means - rest, np.nan).ravel(),
            "diff_low": diff_low.ravel(), "diff_high": diff_high.ravel()}))
    return pd.concat(frames, ignore_index=True)[PREVALENCE_COLUMNS]
