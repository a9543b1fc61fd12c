"""Topic quality: coherence (c_npmi, c_v) against the run's own segmented corpus, and diversity.

Coherence asks whether a topic's top words really occur together in these articles (gensim
CoherenceModel with a sliding window over the token lists the models were fitted on);
diversity asks whether the topics are different from one another.
"""
from __future__ import annotations

import math
import warnings
from typing import Sequence

import numpy as np

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

    The cost of CoherenceModel is the pass over the texts counting co-occurrences, nearly
    independent of the number of topics, so a whole K sweep is scored in one pass per
    measure instead of one per fit; the per-topic scores are the same either way.
    """
    from gensim.models.coherencemodel import CoherenceModel

    known = dictionary.token2id
    topics = [[w for w in words if w in known][:top_n] for fit in topic_sets for words in fit]
    results: list[dict] = [{} for _ in topic_sets]
    if not topics:
        return results
    for measure in measures:
        model = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary,
                               coherence=measure, topn=top_n, processes=1)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            scores = [float(x) for x in model.get_coherence_per_topic()]
        floor = -1.0 if measure == "c_npmi" else 0.0
        scores = [floor if math.isnan(x) else x for x in scores]
        start = 0
        for result, fit in zip(results, topic_sets):
            per_topic = scores[start:start + len(fit)]
            start += len(fit)
            result[measure] = float(np.mean(per_topic)) if per_topic else float("nan")
            result[f"{measure}_per_topic"] = per_topic
    return results


def topic_diversity(top_words: list[list[str]], n: int = 25) -> float:
    """Share of unique words among the top-n words of all topics: 1.0 when no two topics
    share a top word, 1/K when every topic has the same top words."""
    words = [w for topic in top_words for w in topic[:n]]
    return len(set(words)) / len(words) if words else 0.0
