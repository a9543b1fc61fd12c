"""Topic models: gensim LDA on counts and scikit-learn NMF on tf-idf, one result shape.

LDA is gensim's single-process LdaModel (LdaMulticore does not give the same topics for the
same seed, which a versioned report needs) with its per-document E-step loop replaced by a
batched one (pipeline/vblda.py, same topics, ~2.5x faster); with the NMF warm start
(fit_lda) two passes suffice where LdaMulticore would need 10+.
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
    doc_topic: np.ndarray | None   # D x K, each row sums to 1; None if not inferred

    @property
    def num_topics(self) -> int:
        return self.topic_word.shape[0]


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum 1; an all-zero row (NMF gave it nothing) becomes uniform."""
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    uniform = np.full_like(matrix, 1.0 / matrix.shape[1])
    return np.where(sums > 0, matrix / np.where(sums > 0, sums, 1.0), uniform)


def tfidf_matrix(corpus: Corpus):
    """Sublinear tf-idf (1 + log tf), rows L2-normalised: what NMF factorises."""
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(corpus.counts)


def nmf_factors(matrix, num_topics: int, seed: int, init: str, beta_loss: str, alpha_W: float,
                alpha_H: float | str, l1_ratio: float, max_iter: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """(W documents x K, H K x vocabulary) of scikit-learn NMF, convergence warnings muted."""
    from sklearn.decomposition import NMF

    model = NMF(n_components=num_topics, init=init, beta_loss=beta_loss,
                solver="mu" if beta_loss != "frobenius" else "cd",
                alpha_W=alpha_W, alpha_H=alpha_H, l1_ratio=l1_ratio,
                max_iter=max_iter, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        doc_topic = model.fit_transform(matrix)
    return doc_topic, model.components_


def fit_lda(corpus: Corpus, num_topics: int, config: LdaConfig, seed: int,
            doc_topics: bool = True) -> TopicModel:
    """Variational-Bayes LDA (gensim LdaModel), optionally warm-started from NMF topics.

    With `init: nmf` (default) the topic-word statistics start from a sparse NMF of the tf-idf
    matrix (nndsvda, alpha_W = `init_nmf_alpha`, l1_ratio 0.5), scaled to the expected word
    counts of each topic, instead of gensim's random gamma draw; a couple of passes of batch
    VB (chunksize >= corpus size) then turn it into a proper LDA posterior. This converges in
    2 passes to topics that are both more coherent and closer to the editorial categories than
    10+ passes from a random start (benchmarks/topic_quality.py), and stays deterministic for
    a seed. `init: random` is gensim's random start. `doc_topics=False` skips the final
    inference pass (a stability refit only needs the topics).
    """
    from pipeline.vblda import BatchLdaModel

    model = BatchLdaModel(corpus=None, id2word=corpus.dictionary, num_topics=num_topics,
                     passes=config.passes, iterations=config.iterations, alpha=config.alpha,
                     eta=config.eta, chunksize=config.chunksize, decay=config.decay,
                     offset=config.offset, random_state=seed, eval_every=None,
                     dtype=np.float64)
    if config.init == "nmf":
        # float32: ~12% faster on VNTC and the same topics after VB (benchmarks/topic_quality)
        tfidf = tfidf_matrix(corpus).astype(np.float32)
        doc_topic, topic_word = nmf_factors(tfidf, num_topics, seed,
                                            init="nndsvda", beta_loss="frobenius",
                                            alpha_W=config.init_nmf_alpha, alpha_H="same",
                                            l1_ratio=0.5, max_iter=400)
        doc_tokens = np.asarray(corpus.counts.sum(axis=1)).ravel()
        expected_counts = normalise_rows(doc_topic).T @ doc_tokens          # per topic
        model.state.sstats = normalise_rows(topic_word) * expected_counts[:, None]
        model.sync_state()
    model.update_counts(corpus.counts, passes=config.passes)
    gamma = model.infer_counts(corpus.counts) if doc_topics else None
    return TopicModel("lda", normalise_rows(model.get_topics()),
                      normalise_rows(gamma) if doc_topics else None)


def fit_nmf(corpus: Corpus, num_topics: int, config: NmfConfig, seed: int,
            doc_topics: bool = True) -> TopicModel:
    """scikit-learn NMF of the sublinear tf-idf matrix; the default light elastic-net
    regularisation (alpha_W 2e-5, l1_ratio 0.5) drops the weakest word and document loadings,
    which raises coherence at little cost in category agreement."""
    doc_topic, topic_word = nmf_factors(tfidf_matrix(corpus), num_topics, seed, config.init,
                                        config.beta_loss, config.alpha_W, config.alpha_H,
                                        config.l1_ratio, config.max_iter)
    return TopicModel("nmf", normalise_rows(topic_word),
                      normalise_rows(doc_topic) if doc_topics else None)


MODEL_FITTERS = {"lda": fit_lda, "nmf": fit_nmf}


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
    """The documents most devoted to each topic, so a reader can check what a topic means in
    real articles: among the documents whose top topic it is (argmax of doc_topic), the
    `per_topic` with the highest weight (ties by input order). A topic that is no document's
    top topic gets no rows: showing articles that are mostly about something else would
    mislead."""
    rows = []
    dominant = model.doc_topic.argmax(axis=1)
    for topic in range(model.num_topics):
        weights = model.doc_topic[:, topic]
        order = np.lexsort((np.arange(len(weights)), -weights))
        order = order[dominant[order] == topic][:per_topic]
        for rank, index in enumerate(order, start=1):
            document = modelled.iloc[index]
            rows.append({"model": model.name, "topic": topic, "rank": rank,
                         "doc_id": document["doc_id"], "title": document["title"],
                         "province": document["province"], "year": document["year"],
                         "weight": float(weights[index])})
    return pd.DataFrame(rows, columns=["model", "topic", "rank", "doc_id", "title", "province",
                                       "year", "weight"])
