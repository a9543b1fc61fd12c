"""scikit-learn NMF on sublinear tf-idf; also the warm start of LDA (model.lda)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from vntopics.pipeline.config import NmfConfig
from vntopics.pipeline.model.corpus import Corpus
from vntopics.pipeline.model.seeds import SeedTopic, place_seeds
from vntopics.pipeline.model.topics import TopicModel, normalise_rows

if TYPE_CHECKING:
    from scipy import sparse


@dataclass
class NmfEstimator:
    """A fitted NMF with the tf-idf weighting it was fitted on: what scores a new document
    (`nmf.transform(tfidf.transform(counts))`) and what a version saves."""
    tfidf: object   # sklearn TfidfTransformer
    nmf: object     # sklearn NMF


def tfidf_weighting(corpus: Corpus, in_place: bool = False):
    """(fitted transformer, matrix): sublinear tf-idf (1 + log tf), rows L2-normalised;
    `in_place`: the corpus' own counts become the matrix (a fit's private copy)."""
    transformer = fitted_tfidf(corpus.counts)
    return transformer, transformer.transform(corpus.counts, copy=not in_place)


def fitted_tfidf(counts):
    """The idf in float64 whatever the counts' dtype: scikit-learn computes it in float32 for
    float32 counts, so then it is recomputed here by scikit-learn's own steps (smooth idf),
    from the document frequencies alone (a float64 copy of the counts to fit on would be 8
    bytes a non-zero: LDA's float32 counts exist to save 4)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    if transformer.idf_.dtype != np.float64:
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64) + 1.0
        transformer.idf_ = np.log(np.full_like(df, counts.shape[0] + 1) / df) + 1.0
    return transformer


def tfidf_float32(corpus: Corpus, rows_at_once: int = 5000):
    """The tf-idf matrix in float32, the same values as `tfidf_weighting`'s cast down (from
    float64 or float32 counts), made a block of rows at a time (each row is weighted on its
    own): a float64 copy of the whole matrix is never held beside the counts, whose indices
    it shares."""
    from scipy import sparse

    counts = corpus.counts
    transformer = fitted_tfidf(counts)
    data = np.empty(counts.nnz, dtype=np.float32)
    for start in range(0, counts.shape[0], rows_at_once):
        block = transformer.transform(counts[start:start + rows_at_once]
                                      .astype(np.float64, copy=False))
        data[counts.indptr[start]:counts.indptr[min(start + rows_at_once,
                                                    counts.shape[0])]] = block.data
    return sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)


def nmf_factors(matrix, num_topics: int, seed: int, *, init: str, beta_loss: str, alpha_W: float,
                alpha_H: float | str, l1_ratio: float, max_iter: int,
                init_topics: np.ndarray | None = None):
    """(W documents x K, H K x vocabulary, the fitted NMF) of scikit-learn NMF, convergence
    warnings muted. `init_topics` (K x V) starts H there (init="custom", W solved for it)."""
    from sklearn.decomposition import NMF, non_negative_factorization

    solver = "mu" if beta_loss != "frobenius" else "cd"
    model = NMF(n_components=num_topics, init=init, beta_loss=beta_loss, solver=solver,
                alpha_W=alpha_W, alpha_H=alpha_H, l1_ratio=l1_ratio,
                max_iter=max_iter, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        if init_topics is None:
            doc_topic = model.fit_transform(matrix)
        else:
            start = np.asarray(init_topics, dtype=matrix.dtype)
            start = start / start.sum(axis=1, keepdims=True) * np.sqrt(matrix.shape[1])
            W, _, _ = non_negative_factorization(matrix, H=start, n_components=num_topics,
                                                 init="custom", update_H=False,
                                                 solver=solver, beta_loss=beta_loss,
                                                 max_iter=max_iter, random_state=seed)
            model.set_params(init="custom")
            doc_topic = model.fit_transform(matrix, W=W.astype(matrix.dtype), H=start)
    return doc_topic, model.components_, model


def fit_nmf(corpus: Corpus, num_topics: int, config: NmfConfig, *, seed: int,
            doc_topics: bool = True, init_topics: np.ndarray | None = None,
            seed_topics: Sequence[SeedTopic] = ()) -> TopicModel:
    """scikit-learn NMF of the sublinear tf-idf matrix; the default light elastic-net
    regularisation (alpha_W 2e-5, l1_ratio 0.5) drops the weakest word and document loadings,
    which raises coherence at little cost in category agreement. `init_topics` (K x V, e.g.
    the previous version's topics) starts H there instead of `config.init`. `seed_topics`
    (pipeline/model/seeds.py) become the first rows of H, started at their seed words; the
    other rows start from `init_topics` or from an unseeded fit."""
    # a worker's own copy of the counts is not needed once weighted (seeds read them later)
    transformer, tfidf = tfidf_weighting(corpus, in_place=corpus.owned and not seed_topics)

    def factors(start: np.ndarray | None):
        return nmf_factors(tfidf, num_topics, seed, init=config.init,
                           beta_loss=config.beta_loss, alpha_W=config.alpha_W,
                           alpha_H=config.alpha_H, l1_ratio=config.l1_ratio,
                           max_iter=config.max_iter, init_topics=start)

    if seed_topics:
        init_topics = place_seeds(seed_topics, init_topics if init_topics is not None
                                  else factors(None)[1], corpus.counts)
    doc_topic, topic_word, nmf = factors(init_topics)
    labels = tuple(s.label for s in seed_topics)
    if not doc_topics:
        return TopicModel("nmf", normalise_rows(topic_word), None, seed_labels=labels)
    return TopicModel("nmf", normalise_rows(topic_word), normalise_rows(doc_topic),
                      estimator=NmfEstimator(transformer, nmf), seed_labels=labels)


# The family's interface (model/registry.py): its fit, and its estimator in a version.
fit = fit_nmf


def save(estimator: NmfEstimator, path: Path) -> None:
    import joblib

    joblib.dump(estimator, path)


def load(path: Path) -> NmfEstimator:
    import joblib

    return joblib.load(path)


def topic_word(estimator: NmfEstimator) -> np.ndarray:
    return estimator.nmf.components_


def doc_topics(estimator: NmfEstimator, counts: sparse.csr_matrix) -> np.ndarray:
    return estimator.nmf.transform(estimator.tfidf.transform(counts))
