"""Topic models: gensim LDA on counts and scikit-learn NMF on tf-idf, one result shape.

LdaModel (not LdaMulticore) is used because only the single-process trainer gives the same
topics for the same seed, which a versioned report needs.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.config import LdaConfig, NmfConfig
from pipeline.corpus import Corpus


@dataclass
class TopicModel:
    name: str
    topic_word: np.ndarray   # K x V, each row sums to 1
    doc_topic: np.ndarray    # D x K, each row sums to 1

    @property
    def num_topics(self) -> int:
        return self.topic_word.shape[0]


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum 1; an all-zero row (NMF gave it nothing) becomes uniform."""
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    uniform = np.full_like(matrix, 1.0 / matrix.shape[1])
    return np.where(sums > 0, matrix / np.where(sums > 0, sums, 1.0), uniform)


def fit_lda(corpus: Corpus, num_topics: int, config: LdaConfig, seed: int) -> TopicModel:
    from gensim.models import LdaModel

    model = LdaModel(corpus=corpus.bow, id2word=corpus.dictionary, num_topics=num_topics,
                     passes=config.passes, iterations=config.iterations, alpha=config.alpha,
                     eta=config.eta, chunksize=config.chunksize, random_state=seed,
                     eval_every=None, dtype=np.float64)
    doc_topic = np.zeros((len(corpus.bow), num_topics))
    for row, bow in enumerate(corpus.bow):
        for topic, weight in model.get_document_topics(bow, minimum_probability=0.0):
            doc_topic[row, topic] = weight
    return TopicModel("lda", normalise_rows(model.get_topics()), normalise_rows(doc_topic))


def fit_nmf(corpus: Corpus, num_topics: int, config: NmfConfig, seed: int) -> TopicModel:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer

    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(corpus.counts)
    model = NMF(n_components=num_topics, init=config.init, beta_loss=config.beta_loss,
                solver="mu" if config.beta_loss != "frobenius" else "cd",
                alpha_W=config.alpha_W, alpha_H=config.alpha_H, l1_ratio=config.l1_ratio,
                max_iter=config.max_iter, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        doc_topic = model.fit_transform(tfidf)
    return TopicModel("nmf", normalise_rows(model.components_), normalise_rows(doc_topic))


def topics_table(model: TopicModel, vocabulary: list[str], top_n: int) -> pd.DataFrame:
    """model, topic, rank, word, weight for the top words of every topic."""
    rows = []
    for topic, weights in enumerate(model.topic_word):
        order = np.lexsort((np.arange(len(weights)), -weights))[:top_n]
        rows.extend({"model": model.name, "topic": topic, "rank": rank + 1,
                     "word": vocabulary[index], "weight": float(weights[index])}
                    for rank, index in enumerate(order))
    return pd.DataFrame(rows, columns=["model", "topic", "rank", "word", "weight"])


def doc_topics_table(model: TopicModel, doc_ids: list[str]) -> pd.DataFrame:
    k = model.num_topics
    return pd.DataFrame({"doc_id": np.repeat(np.asarray(doc_ids, dtype=object), k),
                         "model": model.name,
                         "topic": np.tile(np.arange(k), len(doc_ids)),
                         "weight": model.doc_topic.ravel()})


def representative_documents(model: TopicModel, modelled: pd.DataFrame, per_topic: int = 3
                             ) -> pd.DataFrame:
    """The documents most devoted to each topic (highest weight; ties by input order), so a
    reader can check what a topic means in real articles."""
    rows = []
    for topic in range(model.num_topics):
        weights = model.doc_topic[:, topic]
        order = np.lexsort((np.arange(len(weights)), -weights))[:per_topic]
        for rank, index in enumerate(order, start=1):
            document = modelled.iloc[index]
            rows.append({"model": model.name, "topic": topic, "rank": rank,
                         "doc_id": document["doc_id"], "title": document["title"],
                         "province": document["province"], "year": document["year"],
                         "weight": float(weights[index])})
    return pd.DataFrame(rows, columns=["model", "topic", "rank", "doc_id", "title", "province",
                                       "year", "weight"])
