"""Intervals honest at small n: simulated groups drawn from a known share must be covered at
(about) the nominal rate whatever their size, and a handful of articles never looks
certain."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from vntopics.pipeline.compare.intervals import poisson_rate_interval, proportion_interval
from vntopics.pipeline.compare.prevalence import topic_prevalence

SHARE = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.08, 0.05, 0.02])    # K = 8, a known truth
SIZES = (1, 3, 10, 30, 300)


def simulated_groups(n: int, groups: int, concentration: float, seed: int):
    """`groups` provinces of `n` documents each, every document's topic weights drawn from
    Dirichlet(concentration · SHARE): peaked, mostly one or two topics, as LDA gives."""
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(concentration * SHARE, size=n * groups)
    table = pd.DataFrame({"province": np.repeat([f"P{g:03d}" for g in range(groups)], n),
                          "year": pd.array([None] * (n * groups), dtype="Int64")})
    return table, weights


@pytest.mark.parametrize("concentration", [1.0, 3.0])
@pytest.mark.parametrize("n", SIZES)
def test_nominal_90_percent_intervals_cover_the_truth_at_every_size(n, concentration):
    groups = 150 if n < 300 else 60
    table, weights = simulated_groups(n, groups, concentration, seed=n)
    # min_group_docs=1: the posterior interval itself, not its widening for low support
    prevalence = topic_prevalence("lda", weights, table, 300, 0.90, seed=7, min_group_docs=1)
    truth = SHARE[prevalence["topic"].to_numpy()]
    covered = (prevalence["ci_low"] <= truth) & (truth <= prevalence["ci_high"])
    assert covered.mean() >= 0.85, (n, covered.mean())
    per_topic = covered.groupby(prevalence["topic"]).mean()
    assert per_topic.min() >= 0.75, (n, per_topic.to_dict())
    if n == 300:    # and still as narrow as the data allow once there are documents
        assert (prevalence["ci_high"] - prevalence["ci_low"]).mean() < 0.08


def test_the_old_bootstrap_would_have_failed_at_one_document():
    """The check above can fail: a zero-width interval at n = 1 covers nothing."""
    table, weights = simulated_groups(1, 150, 1.0, seed=1)
    point = weights.ravel()
    assert np.mean(np.isclose(point, np.tile(SHARE, 150))) < 0.05


@pytest.mark.parametrize("n", [1, 2, 3])
def test_dominant_topic_of_a_tiny_group_is_never_certain(n):
    rng = np.random.default_rng(n)
    weights = rng.dirichlet(SHARE, size=200)
    weights[:n] = 0.001
    weights[:n, 2] = 1 - 0.007                     # n articles almost entirely topic 2
    table = pd.DataFrame({"province": ["Long An"] * n + ["Hà Nội"] * (200 - n),
                          "year": pd.array([2019] * n + [2021] * (200 - n), dtype="Int64")})
    prevalence = topic_prevalence("lda", weights, table, 200, 0.95, seed=3)
    for dimension, group in (("province", "Long An"), ("year", "2019")):
        rows = prevalence[(prevalence.dimension == dimension) & (prevalence.group == group)]
        assert rows.low_support.all()
        dominant = rows.loc[rows.prevalence.idxmax()]
        assert dominant.topic == 2 and dominant.ci_high - dominant.ci_low >= 0.2
        overall = weights.mean(axis=0)[rows.topic.to_numpy()]   # the corpus-wide share
        assert ((rows.ci_low <= overall) & (overall <= rows.ci_high)).all()
        assert ((rows.diff_low <= 0) & (0 <= rows.diff_high)).all()


@pytest.mark.parametrize("p", [0.02, 0.1, 0.3, 0.5])
def test_share_of_documents_covers_at_every_size(p):
    rng = np.random.default_rng(11)
    for n in SIZES:
        successes = rng.binomial(n, p, size=4000)
        low, high = proportion_interval(successes, np.full(4000, n), 0.90)
        assert ((low <= p) & (p <= high)).mean() >= 0.85, (p, n)


def test_absent_terms_and_small_groups_get_wide_intervals_not_zero():
    low, high = proportion_interval([0, 0, 0], [1, 4, 400], 0.95)
    assert list(low) == [0, 0, 0]
    assert high[0] > 0.7 and high[1] == pytest.approx(0.602, abs=0.01) and high[2] < 0.01
    rate_low, rate_high = poisson_rate_interval([0, 12], [500, 2000], 0.95, per=1e4)
    assert rate_low[0] == 0 and rate_high[0] > 40         # 0 of 500 tokens: up to ~50 / 10k
    assert rate_low[1] < 60 < rate_high[1]


@pytest.mark.parametrize("columns", [1, 2, 8])
def test_one_product_per_resample_gives_the_very_numbers_of_the_plain_sums(columns,
                                                                          monkeypatch):
    """`weighted_members` (the weights placed in the membership matrix) against the sums it
    replaces, bit for bit: groups of every size, documents in no group, one column (where
    numpy's column sum is pairwise and the plain path is kept)."""
    from scipy import sparse

    from vntopics.pipeline.compare import intervals

    rng = np.random.default_rng(11)
    n_docs, n_groups = 3001, 40
    values = rng.dirichlet(np.ones(max(columns, 2)), size=n_docs)[:, :columns]
    group = rng.integers(-1, n_groups, n_docs)            # -1: in no group
    rows = np.flatnonzero(group >= 0)
    members = sparse.csr_matrix((np.ones(len(rows)), (rows, group[rows])),
                                shape=(n_docs, n_groups))
    members = sparse.hstack([members, sparse.csr_matrix(np.ones((n_docs, 1)))], format="csr")
    fast = intervals.bayesian_bootstrap(values, members, 7, rng=np.random.default_rng(3))
    assert (intervals.weighted_members(members.T.tocsr(), values) is None) == (columns == 1)
    monkeypatch.setattr(intervals, "weighted_members", lambda members_t, values: None)
    slow = intervals.bayesian_bootstrap(values, members, 7, rng=np.random.default_rng(3))
    for got, expected in zip(fast, slow):
        assert np.array_equal(got, expected, equal_nan=True)
