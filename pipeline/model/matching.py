"""Which topic of one fit is which topic of another: the one matcher every comparison uses.

Stability (seeds of one run) and `vntopics diff` (two versions) both pair topics one-to-one
by the Hungarian assignment (scipy's linear_sum_assignment) that maximises total similarity.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment


def jaccard_matrix(left: Sequence[Sequence[str]], right: Sequence[Sequence[str]]) -> np.ndarray:
    """|A ∩ B| / |A ∪ B| for every pair of topics (rows: left, columns: right)."""
    left_sets = [set(words) for words in left]
    right_sets = [set(words) for words in right]
    matrix = np.zeros((len(left_sets), len(right_sets)))
    for i, a in enumerate(left_sets):
        for j, b in enumerate(right_sets):
            union = len(a | b)
            matrix[i, j] = len(a & b) / union if union else 1.0
    return matrix


def best_pairs(similarity: np.ndarray) -> list[tuple[int, int, float]]:
    """(row, column, similarity) of the one-to-one assignment maximising total similarity;
    with unequal sides the extra rows or columns stay unpaired."""
    if not similarity.size:
        return []
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return [(int(i), int(j), float(similarity[i, j])) for i, j in zip(rows, cols)]
