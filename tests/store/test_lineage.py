"""Topic identity across versions (store/lineage.py): a refit that lands on (nearly) the same
topics, as a re-run of an unchanged corpus does, keeps its ids instead of failing."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from vntopics.pipeline.store.lineage import Lineage, js_distances


def nearly_the_same(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """A topic and its refit a few rounding errors away: scipy's distance is NaN here."""
    topic = np.random.default_rng(seed).dirichlet(np.full(1400, 0.05))
    refit = topic * (1 + 1e-9 * np.random.default_rng(seed + 1000).standard_normal(1400))
    return topic, refit / refit.sum()


def test_nearly_identical_topics_are_at_distance_zero_not_nan():
    topic, refit = nearly_the_same()
    with pytest.warns(RuntimeWarning):
        assert np.isnan(jensenshannon(topic, refit, base=2))   # what made runs fail
    other = np.random.default_rng(7).dirichlet(np.full(1400, 0.05))
    distances = js_distances(np.vstack([topic, other]), np.vstack([refit, other]))
    assert not np.isnan(distances).any()
    assert distances[0, 0] == 0 and distances[1, 1] < 1e-6 and distances[0, 1] > 0.5


def test_unchanged_refit_keeps_every_topic_id():
    topic, refit = nearly_the_same()
    other = np.random.default_rng(7).dirichlet(np.full(1400, 0.05))
    vocabulary = [f"từ_{i}" for i in range(1400)]
    lineage = Lineage(vocabulary=vocabulary, topic_word={"nmf": np.vstack([topic, other])},
                      topic_ids={"nmf": ["N03", "N07"]}, next_number={"nmf": 8})
    ids, next_number = lineage.assign("nmf", vocabulary, np.vstack([other, refit]))
    assert ids == ["N07", "N03"] and next_number == 8
