"""A toy third model family, all a newcomer writes to add one (with one `register` line):
each topic is the word distribution of every K-th document, and a document's topics are its
words' overlap with them. No library, deterministic; not a good model, a complete one."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from vntopics.pipeline.model import TopicModel, normalise_rows


def fit(corpus, k: int, params, *, seed: int, doc_topics: bool = True,
        init_topics: np.ndarray | None = None, seed_topics=()) -> TopicModel:
    counts = corpus.counts
    dealt = np.arange(counts.shape[0]) % k
    topic_word = normalise_rows(np.vstack([np.asarray(counts[dealt == t].sum(axis=0)).ravel()
                                           for t in range(k)]) + 0.01)
    if init_topics is not None:            # a warm start: halfway to the previous topics
        topic_word = normalise_rows(topic_word + normalise_rows(init_topics))
    if not doc_topics:
        return TopicModel("toy", topic_word, None)
    return TopicModel("toy", topic_word, normalise_rows(overlap(topic_word, counts)),
                      estimator=topic_word)


def save(estimator: np.ndarray, path: Path) -> None:
    with path.open("wb") as handle:
        np.save(handle, estimator)


def load(path: Path) -> np.ndarray:
    return np.load(path)


def topic_word(estimator: np.ndarray) -> np.ndarray:
    return estimator


def overlap(estimator: np.ndarray, counts) -> np.ndarray:
    return np.asarray(counts @ estimator.T)


doc_topics = overlap   # the registry's name; fit's keyword `doc_topics` shadows it there
