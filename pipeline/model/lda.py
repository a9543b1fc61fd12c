"""LDA: gensim's LdaModel, warm-started from NMF, with its E-step batched over a chunk.

LdaModel is gensim's single-process model (LdaMulticore does not give the same topics for
the same seed, which a versioned report needs).

gensim's `LdaModel.inference` loops over documents in Python, a dozen small numpy calls per
document per iteration; on the 80k articles of VNTC that loop is nearly all of an LDA fit.
`BatchLdaModel` runs the same fixed-point updates (Hoffman's online VB with the Lee-Seung
substitution for phi, gensim's gamma(100, 1/100) start, each document stopping once its mean
|change of gamma| falls below `gamma_threshold`) as sparse matrix products over the chunk's
documents that have not converged yet. The topics equal gensim's up to floating-point
rounding (tests/model/test_lda.py). The M-step, alpha/eta optimisation and the online schedule
(rho, decay, offset) are gensim's own: `update_counts` is gensim's `update` loop for a
single process, fed CSR row blocks instead of lists of tuples.
Kept over gensim's E-step: 3.1x as fast, same topics (python benchmarks/kept_by_hand.py --only estep)
Its per-entry normaliser (sum over topics of theta x beta for each stored entry) and the
products of the ratios with the topics are C loops with numpy's and scipy's bits when the
extension is built (model/estep_norms.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
from gensim.matutils import dirichlet_expectation
from gensim.models import LdaModel
from gensim.models.ldamodel import LdaState
from scipy import sparse

from vntopics.pipeline.config import LdaConfig
from vntopics.pipeline.model.corpus import Corpus
from vntopics.pipeline.model.estep_norms import entry_norms, ratio_products
from vntopics.pipeline.model.nmf import nmf_factors, tfidf_float32
from vntopics.pipeline.model.seeds import SeedTopic, place_seeds, seeded_eta
from vntopics.pipeline.model.topics import TopicModel, normalise_rows

# Bound on the (non-zeros x topics) temporaries of one block: ~16 MB of float64 (half
# of what 1 << 22 held, 30 MB less peak per LDA worker on the full VNTC, and no slower).
GATHER_ELEMENTS = 1 << 21


def bow_to_csr(chunk: Sequence[Sequence[tuple[int, float]]], num_terms: int, dtype
               ) -> sparse.csr_matrix:
    """A list of gensim bag-of-words documents as a documents x terms CSR matrix."""
    lengths = np.fromiter((len(doc) for doc in chunk), dtype=np.int64, count=len(chunk))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    ids = np.fromiter((int(i) for doc in chunk for i, _ in doc), dtype=np.int64,
                      count=int(indptr[-1]))
    cts = np.fromiter((c for doc in chunk for _, c in doc), dtype=dtype, count=int(indptr[-1]))
    return sparse.csr_matrix((cts, ids, indptr), shape=(len(chunk), num_terms))


def row_blocks(indptr: np.ndarray, per_block: int) -> list[tuple[int, int]]:
    """Consecutive row ranges holding about `per_block` stored entries each (>= 1 row)."""
    blocks, start, num_rows = [], 0, len(indptr) - 1
    while start < num_rows:
        stop = int(np.searchsorted(indptr, indptr[start] + per_block, side="right")) - 1
        stop = min(num_rows, max(stop, start + 1))
        blocks.append((start, stop))
        start = stop
    return blocks


def batch_estep(counts: sparse.csr_matrix, exp_elog_beta: np.ndarray, alpha: np.ndarray,
                gamma: np.ndarray, iterations: int, gamma_threshold: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Variational E-step for every row of `counts`, starting from `gamma` (D x K).

    Returns (gamma, exp(E[log theta]), phinorm per stored entry of `counts`): the last two are
    what the sufficient statistics need. Documents are independent here, so the rows are
    processed in blocks that keep the (entries x K) temporaries near GATHER_ELEMENTS.
    """
    beta_t = np.ascontiguousarray(exp_elog_beta.T)                        # V x K
    final, exp_theta = np.empty_like(gamma), np.empty_like(gamma)
    phinorm = np.empty(counts.nnz, dtype=gamma.dtype)
    for start, stop in row_blocks(counts.indptr, max(1, GATHER_ELEMENTS // gamma.shape[1])):
        lo, hi = counts.indptr[start], counts.indptr[stop]
        final[start:stop], exp_theta[start:stop], phinorm[lo:hi] = estep_block(
            counts[start:stop], beta_t, alpha, gamma[start:stop], iterations, gamma_threshold)
    return final, exp_theta, phinorm


def estep_block(counts: sparse.csr_matrix, beta_t: np.ndarray, alpha: np.ndarray,
                gamma: np.ndarray, iterations: int, gamma_threshold: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """batch_estep on one block.

    A converged document keeps its gamma and phinorm (later updates are computed but not
    kept); the working set is compacted once a quarter of it has converged, which costs far
    less than copying the (entries x K) arrays on every iteration.
    """
    eps = np.finfo(gamma.dtype).eps
    gamma = gamma.copy()
    exp_theta = np.exp(dirichlet_expectation(gamma))
    phinorm = np.empty(counts.nnz, dtype=gamma.dtype)
    rows = np.arange(counts.shape[0])              # documents in the working set
    entries = np.arange(counts.nnz)                # their stored entries, in `counts` order
    sub, lengths = counts, np.diff(counts.indptr)
    beta_nz = beta_t[counts.indices]               # (entries x K): fixed during the E-step
    live = np.ones(len(rows), dtype=bool)          # working-set rows not yet converged
    sub_gamma, sub_exp_theta = gamma, exp_theta
    norm = np.empty(counts.nnz, dtype=gamma.dtype)     # sum_k theta * beta per entry, + eps
    entry_norms(sub.indptr, exp_theta, beta_nz, live, norm, eps)
    for _ in range(iterations):
        new_gamma = alpha + sub_exp_theta * ratio_products(sub, norm, beta_t, beta_nz, live)
        new_exp_theta = np.exp(dirichlet_expectation(new_gamma))
        entry_norms(sub.indptr, new_exp_theta, beta_nz, live, norm, eps)   # live rows only
        done = live & (np.mean(np.abs(new_gamma - sub_gamma), axis=1) < gamma_threshold)
        sub_gamma = np.where(live[:, None], new_gamma, sub_gamma)
        sub_exp_theta = np.where(live[:, None], new_exp_theta, sub_exp_theta)
        live &= ~done
        if live.sum() <= 0.75 * len(live):
            keep_nz = np.repeat(live, lengths)
            gamma[rows], exp_theta[rows] = sub_gamma, sub_exp_theta
            phinorm[entries] = norm
            if not live.any():
                return gamma, exp_theta, phinorm
            rows, entries = rows[live], entries[keep_nz]
            norm, beta_nz = norm[keep_nz], beta_nz[keep_nz]
            sub_gamma, sub_exp_theta = sub_gamma[live], sub_exp_theta[live]
            sub = sub[np.flatnonzero(live)]
            lengths, live = np.diff(sub.indptr), np.ones(len(rows), dtype=bool)
    gamma[rows], exp_theta[rows] = sub_gamma, sub_exp_theta
    phinorm[entries] = norm
    return gamma, exp_theta, phinorm


class BatchLdaModel(LdaModel):
    """LdaModel whose `inference` takes a CSR chunk (or gensim bag-of-words) in one batch."""

    def inference(self, chunk, collect_sstats=False):
        counts = chunk if sparse.issparse(chunk) else bow_to_csr(chunk, self.num_terms,
                                                                 self.dtype)
        counts = sparse.csr_matrix(counts, dtype=self.dtype)
        start = self.random_state.gamma(100., 1. / 100., (counts.shape[0], self.num_topics))
        gamma, exp_theta, phinorm = batch_estep(
            counts, self.expElogbeta, np.asarray(self.alpha, dtype=self.dtype),
            start.astype(self.dtype, copy=False), self.iterations, self.gamma_threshold)
        if not collect_sstats:
            return gamma, None
        ratio = sparse.csr_matrix((counts.data / phinorm, counts.indices, counts.indptr),
                                  shape=counts.shape)
        sstats = np.asarray((ratio.T @ exp_theta).T) * self.expElogbeta
        return gamma, sstats

    def update_counts(self, counts: sparse.csr_matrix, passes: int) -> None:
        """gensim's `update` (one process, update_every=1, no evaluation) over CSR rows."""
        num_docs = counts.shape[0]
        chunksize = min(num_docs, self.chunksize)
        self.state.numdocs += num_docs

        def rho():
            return pow(self.offset + pass_ + (self.num_updates / chunksize), -self.decay)

        for pass_ in range(passes):
            for start in range(0, num_docs, chunksize):
                other = LdaState(self.eta, self.state.sstats.shape, self.dtype)
                gamma = self.do_estep(counts[start:start + chunksize], other)
                if self.optimize_alpha:
                    self.update_alpha(gamma, rho())
                self.do_mstep(rho(), other, pass_ > 0)

    def infer_counts(self, counts: sparse.csr_matrix) -> np.ndarray:
        """Document-topic gamma for every row, a chunk at a time (bounded memory)."""
        return np.vstack([self.inference(counts[start:start + self.chunksize])[0]
                          for start in range(0, counts.shape[0], self.chunksize)])


def nmf_start(corpus: Corpus, num_topics: int, config: LdaConfig, seed: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """(documents × K, K × V) of the sparse NMF of tf-idf that LDA starts from."""
    # float32: faster on VNTC and the same topics after VB (benchmarks/README.md)
    tfidf = tfidf_float32(corpus)
    doc_topic, topic_word, _ = nmf_factors(tfidf, num_topics, seed, init="nndsvda",
                                           beta_loss="frobenius", alpha_W=config.init_nmf_alpha,
                                           alpha_H="same", l1_ratio=0.5, max_iter=400)
    return doc_topic, topic_word


def topic_word_prior(config: LdaConfig, num_topics: int, vocabulary_size: int,
                     seed_topics: Sequence[SeedTopic], corpus_tokens: float):
    """gensim's `eta`: the configured one, or with seed topics the K × V matrix of
    seeded_eta over the configured number (null and 'symmetric' are gensim's 1/K)."""
    if not seed_topics:
        return config.eta
    base = (float(config.eta) if isinstance(config.eta, (int, float))
            else 1.0 / num_topics)
    return seeded_eta(seed_topics, num_topics, vocabulary_size, base=base,
                      strength=config.seed_strength, corpus_tokens=corpus_tokens)


def fit_lda(corpus: Corpus, num_topics: int, config: LdaConfig, *, seed: int,
            doc_topics: bool = True, init_topics: np.ndarray | None = None,
            seed_topics: Sequence[SeedTopic] = ()) -> TopicModel:
    """Variational-Bayes LDA (gensim LdaModel), warm-started from NMF topics or from given
    ones.

    With `init: nmf` (default) the topic-word statistics start from a sparse NMF of the tf-idf
    matrix (nndsvda, alpha_W = `init_nmf_alpha`, l1_ratio 0.5), scaled to the expected word
    counts of each topic, instead of gensim's random gamma draw; a couple of passes of batch
    VB (chunksize >= corpus size) then turn it into a proper LDA posterior. This converges in
    2 passes to topics that are both more coherent and closer to the editorial categories than
    many more passes from a random start (benchmarks/README.md), and stays deterministic for
    a seed. `init: random` is gensim's random start. `init_topics` (K x V rows over this
    corpus' vocabulary, e.g. the previous version's topics) replaces either start: what keeps
    a topic's identity across scheduled runs. `seed_topics` (pipeline/model/seeds.py) become
    the first topics: a prior on their words, and their start. `doc_topics=False` skips the
    final inference pass (a stability refit only needs the topics).
    """
    doc_tokens = np.asarray(corpus.counts.sum(axis=1), dtype=np.float64).ravel()
    eta = topic_word_prior(config, num_topics, len(corpus.dictionary), seed_topics,
                           doc_tokens.sum())
    model = BatchLdaModel(corpus=None, id2word=corpus.dictionary, num_topics=num_topics,
                          passes=config.passes, iterations=config.iterations,
                          alpha=config.alpha, eta=eta, chunksize=config.chunksize,
                          decay=config.decay, offset=config.offset, random_state=seed,
                          eval_every=None, dtype=np.float64)
    if seed_topics:
        start = (init_topics if init_topics is not None else
                 nmf_start(corpus, num_topics, config, seed)[1] if config.init == "nmf"
                 else model.state.sstats)
        init_topics = place_seeds(seed_topics, start, corpus.counts)
    if init_topics is not None:
        start = normalise_rows(init_topics)
        model.state.sstats = start * (doc_tokens.sum() / num_topics)
        model.sync_state()
        expected_counts = normalise_rows(model.infer_counts(corpus.counts)).T @ doc_tokens
        model.state.sstats = start * expected_counts[:, None]
        model.sync_state()
    elif config.init == "nmf":
        doc_topic, topic_word = nmf_start(corpus, num_topics, config, seed)
        expected_counts = normalise_rows(doc_topic).T @ doc_tokens          # per topic
        model.state.sstats = normalise_rows(topic_word) * expected_counts[:, None]
        model.sync_state()
    model.update_counts(corpus.counts, passes=config.passes)
    labels = tuple(s.label for s in seed_topics)
    if not doc_topics:
        return TopicModel("lda", normalise_rows(model.get_topics()), None, seed_labels=labels)
    # inference draws its starting gamma from the model's random state: the saved model keeps
    # the state it had before this pass, so loading it back gives these weights exactly
    before = model.random_state.get_state()
    gamma = model.infer_counts(corpus.counts)
    model.random_state.set_state(before)
    return TopicModel("lda", normalise_rows(model.get_topics()), normalise_rows(gamma),
                      estimator=model, seed_labels=labels)


# The family's interface (model/registry.py): its fit, and its estimator in a version.
fit = fit_lda


def save(estimator: LdaModel, path: Path) -> None:
    estimator.save(str(path))


def load(path: Path) -> LdaModel:
    return LdaModel.load(str(path))


def topic_word(estimator: LdaModel) -> np.ndarray:
    return estimator.get_topics()


def doc_topics(estimator: BatchLdaModel, counts: sparse.csr_matrix) -> np.ndarray:
    return estimator.infer_counts(counts)
