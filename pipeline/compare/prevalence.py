"""Comparisons by province, year and province×year: topic prevalence with intervals.

Prevalence is the mean document-topic weight of a group; its interval comes from the
Bayesian bootstrap with a Jeffreys prior over the group's documents (pipeline/compare/
intervals.py says why), so a province with 1 or 6 articles gets an honest, wide interval.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
from scipy import sparse

from vntopics.pipeline.compare.intervals import bayesian_bootstrap, reaching

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


def topic_prevalence(model_name: str, doc_topic: np.ndarray, documents: pd.DataFrame,
                     resamples: int, confidence: float, *, seed: int,
                     min_group_docs: int = 10,
                     progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Mean topic weight per group with intervals, and its difference from the rest of the
    corpus with an interval, for every dimension.

    `documents` are the modelled documents, in the row order of `doc_topic`. Groups under
    `min_group_docs` are kept and flagged `low_support`, never dropped, and their interval
    reaches the topic's share over all documents. `progress(done, total)` counts resamples.
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
    boot_all, rest_all = bayesian_bootstrap(doc_topic, all_members, resamples,
                                            rng=np.random.default_rng(seed), progress=progress)
    overall = doc_topic.mean(axis=0)[None, :]
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
        low_support, has_rest = n_docs < min_group_docs, rest_n[:, None] > 0
        low, high = reaching(np.minimum(low, means), np.maximum(high, means), overall,
                             low_support[:, None])
        diff_low, diff_high = reaching(*np.nanpercentile(boot_group - boot_rest,
                                                         [tail, 100 - tail], axis=0),
                                       0.0, low_support[:, None])
        frames.append(pd.DataFrame({
            "model": model_name, "dimension": dimension,
            "group": np.repeat(groups, k), "topic": np.tile(np.arange(k), len(groups)),
            "prevalence": means.ravel(), "ci_low": low.ravel(), "ci_high": high.ravel(),
            "n_docs": np.repeat(n_docs, k), "low_support": np.repeat(low_support, k),
            "diff_vs_rest": np.where(has_rest, means - rest, np.nan).ravel(),
            "diff_low": np.where(has_rest, diff_low, np.nan).ravel(),
            "diff_high": np.where(has_rest, diff_high, np.nan).ravel()}))
    return pd.concat(frames, ignore_index=True)[PREVALENCE_COLUMNS]
