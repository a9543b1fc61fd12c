"""Topic quality: coherence (c_npmi, c_v) against the run's own segmented corpus, and diversity.

Coherence asks whether a topic's top words really occur together in these articles (gensim's
c_npmi and c_v definitions, counted over sliding windows of the token lists the models were
fitted on, by pipeline.cooccurrence);
diversity asks whether the topics are different from one another.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from pipeline.cooccurrence import WindowCounts, window_counts

COHERENCE_TOP_N = 10
MEASURES = ("c_npmi", "c_v")


def top_word_lists(topic_word: np.ndarray, vocabulary: Sequence[str], top_n: int
                   ) -> list[list[str]]:
    """Top words of every topic, heaviest first (ties by vocabulary order: deterministic)."""
    words = []
    for weights in np.asarray(topic_word):
        order = np.lexsort((np.arange(len(weights)), -weights))[:top_n]
        words.append([vocabulary[i] for i in order])
    return words


def coherence_scores(top_words: list[list[str]], texts: list[list[str]], dictionary,
                     measures: Sequence[str] = MEASURES, top_n: int = COHERENCE_TOP_N) -> dict:
    """{measure: mean over topics, measure + '_per_topic': [one score per topic]} for c_npmi and
    c_v, from the top `top_n` words of each topic counted in `texts` (the token lists the model
    was fitted on; words outside `dictionary` are skipped).

    A topic whose score is undefined (NaN: its words never co-occur) counts as the worst
    possible score of the measure (-1 for c_npmi, 0 for c_v) so that it lowers the mean
    instead of vanishing from it.
    """
    return coherence_scores_many([top_words], texts, dictionary, measures, top_n)[0]


def coherence_scores_many(topic_sets: list[list[list[str]]], texts: list[list[str]],
                          dictionary, measures: Sequence[str] = MEASURES,
                          top_n: int = COHERENCE_TOP_N) -> list[dict]:
    """coherence_scores for several fits at once (one dict per entry of `topic_sets`).

    The cost is the pass over the texts counting windows, nearly independent of the number
    of topics, so a whole K sweep is scored in one pass per window size. Definitions are
    gensim's CoherenceModel ones (c_npmi: window 10, mean NPMI over the topic's word pairs;
    c_v: window 110, mean cosine between each word's NPMI context vector and the topic's),
    with exact window counts (pipeline.cooccurrence).
    """
    known = dictionary.token2id
    topics = [[w for w in words if w in known][:top_n] for fit in topic_sets for words in fit]
    results: list[dict] = [{} for _ in topic_sets]
    if not topics:
        return results
    words = sorted({w for topic in topics for w in topic})
    position = {w: i for i, w in enumerate(words)}
    members = [np.array([position[w] for w in topic], dtype=int) for topic in topics]
    pairs = {(min(a, b), max(a, b)) for ids in members for a in ids for b in ids if a != b}
    for measure in measures:
        counts = window_counts(texts, words, sorted(pairs), WINDOW[measure])
        with np.errstate(all="ignore"):
            scores = [SCORERS[measure](npmi_matrix(counts, ids)) for ids in members]
        floor = -1.0 if measure == "c_npmi" else 0.0
        scores = [floor if math.isnan(x) else x for x in scores]
        start = 0
        for result, fit in zip(results, topic_sets):
            per_topic = scores[start:start + len(fit)]
            start += len(fit)
            result[measure] = float(np.mean(per_topic)) if per_topic else float("nan")
            result[f"{measure}_per_topic"] = per_topic
    return results


def npmi_matrix(counts: WindowCounts, ids: np.ndarray) -> np.ndarray:
    """NPMI between every two of a topic's words (diagonal: a word with itself), with
    gensim's smoothing: log((p12 + ε) / (p1 p2)) / -log(p12 + ε)."""
    n = float(counts.windows)
    together = np.array([[counts.occurrences[a] if a == b else
                          counts.pair_counts[(min(a, b), max(a, b))] for b in ids]
                         for a in ids], dtype=float) / n
    alone = counts.occurrences[ids] / n
    return np.log((together + EPSILON) / np.outer(alone, alone)) / -np.log(together + EPSILON)


def npmi_coherence(matrix: np.ndarray) -> float:
    """Mean NPMI over the ordered pairs of different words (s_one_one segmentation)."""
    size = len(matrix)
    if size < 2:
        return float("nan")
    return float(matrix[~np.eye(size, dtype=bool)].mean())


def cv_coherence(matrix: np.ndarray) -> float:
    """Mean cosine between each word's context vector (its NPMI with every topic word) and
    the topic's (their sum): s_one_set segmentation, indirect cosine, γ = 1."""
    if len(matrix) == 0:
        return float("nan")
    topic = matrix.sum(axis=0)
    cosines = matrix @ topic / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(topic))
    return float(cosines.mean())


WINDOW = {"c_npmi": 10, "c_v": 110}
SCORERS = {"c_npmi": npmi_coherence, "c_v": cv_coherence}
EPSILON = 1e-12


def topic_diversity(top_words: list[list[str]], n: int = 25) -> float:
    """Share of unique words among the top-n words of all topics: 1.0 when no two topics
    share a top word, 1/K when every topic has the same top words."""
    words = [w for topic in top_words for w in topic[:n]]
    return len(set(words)) / len(words) if words else 0.0
