"""Prevalence intervals and keyword trends on planted data."""
from __future__ import annotations

import numpy as np
import pandas as pd

from vntopics.pipeline.compare.prevalence import topic_prevalence
from vntopics.pipeline.compare.trends import keyword_trends


def planted_documents(n_per_group: int = 40):
    rng = np.random.default_rng(0)
    provinces = ["Cần Thơ"] * n_per_group + ["Gia Lai"] * n_per_group
    years = [2020, 2021] * n_per_group
    weights = rng.dirichlet([1, 1, 1], size=2 * n_per_group)
    weights[:n_per_group, 0] += 2   # Cần Thơ writes far more about topic 0
    weights /= weights.sum(axis=1, keepdims=True)
    table = pd.DataFrame({"province": provinces, "year": pd.array(years, dtype="Int64")})
    return table, weights


def test_planted_province_effect_is_recovered_with_intervals():
    table, weights = planted_documents()
    prevalence = topic_prevalence("lda", weights, table, 200, 0.95, seed=1)
    topic0 = prevalence[(prevalence.dimension == "province") & (prevalence.topic == 0)]
    can_tho = topic0[topic0.group == "Cần Thơ"].iloc[0]
    gia_lai = topic0[topic0.group == "Gia Lai"].iloc[0]
    assert can_tho.ci_low > gia_lai.ci_high
    assert can_tho.n_docs == 40 and not can_tho.low_support
    corpus_mean = weights[:, 0].mean()
    assert can_tho.ci_low > corpus_mean and gia_lai.ci_high < corpus_mean
    assert can_tho.diff_low > 0 and gia_lai.diff_high < 0
    assert abs(can_tho.diff_vs_rest - (weights[:40, 0].mean() - weights[40:, 0].mean())) < 1e-12
    assert set(prevalence.dimension) == {"province", "year", "province_year"}
    again = topic_prevalence("lda", weights, table, 200, 0.95, seed=1)
    pd.testing.assert_frame_equal(prevalence, again)


def test_keyword_trends_rates_per_10k_tokens():
    tokens = [["đảng_viên", "xây_dựng"], ["đảng_viên"] * 3 + ["cán_bộ"], ["cán_bộ"]]
    trends = keyword_trends(tokens, [2020, 2021, None], top_n=2, min_docs=1)
    row = trends[(trends.word == "đảng_viên") & (trends.year == 2021)].iloc[0]
    assert (row["count"], row["docs"]) == (3, 1)
    assert row["rate_per_10k"] == 7500
    assert set(trends.word) == {"đảng_viên", "cán_bộ"}


def test_small_groups_are_kept_and_flagged():
    table, weights = planted_documents()
    table.loc[0, "province"] = "Bến Tre"
    prevalence = topic_prevalence("nmf", weights, table, 100, 0.95, seed=3, min_group_docs=10)
    ben_tre = prevalence[(prevalence.dimension == "province") & (prevalence.group == "Bến Tre")]
    assert len(ben_tre) == 3 and ben_tre.low_support.all() and (ben_tre.n_docs == 1).all()
    assert np.allclose(ben_tre.prevalence, weights[0])
    unknown = table.assign(province="unknown")
    assert "province" not in set(
        topic_prevalence("nmf", weights, unknown, 20, 0.9, seed=0).dimension)


def test_bootstrap_progress_counts_every_resample_once():
    table, weights = planted_documents(10)
    heard = []
    topic_prevalence("lda", weights, table, 30, 0.95, seed=1,
                     progress=lambda done, total: heard.append((done, total)))
    assert heard == [(b, 30) for b in range(1, 31)]
