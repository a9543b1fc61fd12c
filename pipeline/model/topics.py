"""What a fitted topic model is, whichever library fitted it, and the tables read from it.

`TopicModel` is the one shape LDA and NMF results take (filled by `model.lda.fit_lda` and
`model.nmf.fit_nmf`); everything downstream (comparisons, report, store) reads only this.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

if TYPE_CHECKING:     # pandas is imported where a table is made: fit workers never need it
    import pandas as pd


@dataclass
class TopicModel:
    """A fit: `topic_word` rows are topics over the corpus vocabulary; `doc_topic` rows are
    the modelled documents in corpus order (None for stability refits, which need topics
    only)."""
    name: str
    topic_word: np.ndarray   # K x V, each row sums to 1
    doc_topic: np.ndarray | None   # D x K, each row sums to 1; None if not inferred
    estimator: Any = None    # the library's fitted model (what a version saves), final fits only
    seed_labels: tuple[str, ...] = ()   # labels of the seeded topics, which come first

    @property
    def num_topics(self) -> int:
        return self.topic_word.shape[0]


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum 1; an all-zero row (NMF gave it nothing) becomes uniform."""
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    uniform = np.full_like(matrix, 1.0 / matrix.shape[1])
    return np.where(sums > 0, matrix / np.where(sums > 0, sums, 1.0), uniform)


def heaviest_first(weights: np.ndarray, top_n: int | None = None) -> np.ndarray:
    """Indices of `weights` from the largest down, ties by index (deterministic)."""
    return np.lexsort((np.arange(len(weights)), -np.asarray(weights)))[:top_n]


def top_word_lists(topic_word: np.ndarray, vocabulary: Sequence[str], top_n: int
                   ) -> list[list[str]]:
    """Top words of every topic, heaviest first."""
    return [[vocabulary[i] for i in heaviest_first(weights, top_n)]
            for weights in np.asarray(topic_word)]


def topics_table(model: TopicModel, vocabulary: list[str], top_n: int) -> pd.DataFrame:
    """model, topic, rank, word, weight for the top words of every topic."""
    import pandas as pd

    rows = []
    for topic, weights in enumerate(model.topic_word):
        order = heaviest_first(weights, top_n)
        rows.extend({"model": model.name, "topic": topic, "rank": rank + 1,
                     "word": vocabulary[index], "weight": float(weights[index])}
                    for rank, index in enumerate(order))
    return pd.DataFrame(rows, columns=["model", "topic", "rank", "word", "weight"])


def doc_topics_table(model: TopicModel, doc_ids: list[str]) -> pd.DataFrame:
    import pandas as pd

    k = model.num_topics
    # the ids' strings made once and repeated by index: 1.6M Python strings converted one by
    # one cost ~0.3 s a model on the full VNTC (same column, same bytes written)
    ids = pd.Series(doc_ids).array.take(np.repeat(np.arange(len(doc_ids)), k))
    return pd.DataFrame({"doc_id": ids,
                         "model": model.name,
                         "topic": np.tile(np.arange(k), len(doc_ids)),
                         "weight": model.doc_topic.ravel()})


def representative_documents(model: TopicModel, modelled: pd.DataFrame, per_topic: int = 3
                             ) -> pd.DataFrame:
    """The documents most devoted to each topic, so a reader can check what a topic means in
    real articles: among the documents whose top topic it is (argmax of doc_topic), the
    `per_topic` with the highest weight (ties by input order). A topic that is no document's
    top topic gets no rows: showing articles that are mostly about something else would
    mislead."""
    import pandas as pd

    rows = []
    dominant = model.doc_topic.argmax(axis=1)
    for topic in range(model.num_topics):
        weights = model.doc_topic[:, topic]
        order = heaviest_first(weights)
        order = order[dominant[order] == topic][:per_topic]
        for rank, index in enumerate(order, start=1):
            document = modelled.iloc[index]
            rows.append({"model": model.name, "topic": topic, "rank": rank,
                         "doc_id": document["doc_id"], "title": document["title"],
                         "province": document["province"], "year": document["year"],
                         "weight": float(weights[index])})
    return pd.DataFrame(rows, columns=["model", "topic", "rank", "doc_id", "title", "province",
                                       "year", "weight"])
