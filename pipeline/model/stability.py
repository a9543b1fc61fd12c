"""Topic stability across seeds: are a model's topics a property of the corpus or of one seed?

Topics of the main fit are matched one-to-one to the topics of each other seed's fit by the
Hungarian assignment (model.matching) that maximises the total Jaccard overlap of
their top-10 words. A topic's score is the mean (and the min) of its matched Jaccard over the
other seeds. `stable` means mean_jaccard >= 0.5 (by default): at least half of the union of
the two top-10 lists is shared on average, i.e. ~7 of 10 top words recur; below that the
topic is usually a different mixture in other seeds and should be read with care.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from vntopics.pipeline.model.matching import best_pairs, jaccard_matrix

STABILITY_TOP_N = 10
STABLE_JACCARD = 0.5
STABILITY_COLUMNS = ["model", "topic", "mean_jaccard", "min_jaccard", "stable"]


def matched_jaccard(reference: Sequence[Sequence[str]], other: Sequence[Sequence[str]]
                    ) -> np.ndarray:
    """For each reference topic, the Jaccard of the topic it is matched to in `other` under the
    one-to-one assignment maximising total overlap (0 if `other` has fewer topics)."""
    matched = np.zeros(len(reference))
    for row, _, score in best_pairs(jaccard_matrix(reference, other)):
        matched[row] = score
    return matched


def stability_table(name: str, reference: Sequence[Sequence[str]],
                    others: Sequence[Sequence[Sequence[str]]],
                    threshold: float = STABLE_JACCARD) -> pd.DataFrame:
    """model, topic, mean_jaccard, min_jaccard, stable for each topic of the reference fit.

    `reference` and every entry of `others` are top-word lists (one list per topic). With no
    other seeds the reference is only compared to itself: every topic scores 1.0.
    """
    if others:
        scores = np.vstack([matched_jaccard(reference, other) for other in others])
    else:
        scores = np.ones((1, len(reference)))
    mean, low = scores.mean(axis=0), scores.min(axis=0)
    return pd.DataFrame({"model": name, "topic": np.arange(len(reference)),
                         "mean_jaccard": mean, "min_jaccard": low,
                         "stable": mean >= threshold}, columns=STABILITY_COLUMNS)
