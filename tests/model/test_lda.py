"""The batched E-step (pipeline/model/lda.py) against gensim's own per-document loop, on real
articles: same topics, same learned alpha, same document-topic weights."""
from __future__ import annotations

import numpy as np
import pytest
from gensim.models import LdaModel

import vntopics.pipeline.model.lda as vblda
from gensim.matutils import Sparse2Corpus
from vntopics.pipeline.config import LdaConfig
from vntopics.pipeline.model.lda import fit_lda
from vntopics.pipeline.model.lda import BatchLdaModel, bow_to_csr


def bow(corpus):
    """The corpus as gensim bag-of-words, streamed from its counts."""
    return Sparse2Corpus(corpus.counts, documents_columns=False)


def make(cls, corpus, seed: int = 3, chunksize: int = 25, alpha="auto", iterations: int = 50):
    return cls(corpus=None, id2word=corpus.dictionary, num_topics=5, iterations=iterations,
               alpha=alpha, eta=0.03, chunksize=chunksize, decay=0.5, offset=1.0,
               random_state=seed, eval_every=None, dtype=np.float64)


@pytest.mark.parametrize("alpha,iterations", [("auto", 50), ("symmetric", 3)])
def test_training_matches_gensim(real_corpus, alpha, iterations):
    """Several online chunks over 2 passes, alpha learned or fixed, iterations capped or not."""
    corpus = real_corpus[0]
    reference = make(LdaModel, corpus, alpha=alpha, iterations=iterations)
    reference.update(bow(corpus), passes=2)
    batched = make(BatchLdaModel, corpus, alpha=alpha, iterations=iterations)
    batched.update_counts(corpus.counts, passes=2)
    assert reference.num_updates == batched.num_updates == corpus.num_docs   # 2nd pass: extra
    np.testing.assert_allclose(batched.get_topics(), reference.get_topics(), rtol=1e-9, atol=0)
    np.testing.assert_allclose(batched.alpha, reference.alpha, rtol=1e-9)
    # the topics are not degenerate: 5 distinct top words
    assert len({int(np.argmax(row)) for row in batched.get_topics()}) == 5

    gamma_reference, _ = reference.inference(bow(corpus))
    gamma = batched.infer_counts(corpus.counts)
    np.testing.assert_allclose(gamma, gamma_reference, rtol=1e-8)


def test_small_blocks_bag_of_words_and_empty_documents(real_corpus, monkeypatch):
    """Row blocks of a few documents, gensim bag-of-words input and an empty document give
    gensim's gamma and sufficient statistics."""
    corpus = real_corpus[0]
    chunk = list(bow(corpus))[:30]
    chunk[4] = []
    reference = make(LdaModel, corpus, seed=11)
    reference.update(bow(corpus), passes=1)
    batched = make(BatchLdaModel, corpus, seed=11)
    batched.update_counts(corpus.counts, passes=1)
    monkeypatch.setattr(vblda, "GATHER_ELEMENTS", 5 * 400)    # ~400 entries per block
    gamma_reference, sstats_reference = reference.inference(chunk, collect_sstats=True)
    gamma, sstats = batched.inference(chunk, collect_sstats=True)
    np.testing.assert_allclose(gamma, gamma_reference, rtol=1e-8)
    np.testing.assert_allclose(sstats, sstats_reference, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(gamma[4], batched.alpha)        # no words: the prior alone
    assert len(vblda.row_blocks(bow_to_csr(chunk, batched.num_terms, float).indptr,
                                400)) > 5


def test_stability_refit_skips_document_topics(real_corpus):
    corpus = real_corpus[0]
    full = fit_lda(corpus, 4, LdaConfig(), seed=5)
    topics_only = fit_lda(corpus, 4, LdaConfig(), seed=5, doc_topics=False)
    assert topics_only.doc_topic is None and full.doc_topic.shape == (corpus.num_docs, 4)
    np.testing.assert_array_equal(topics_only.topic_word, full.topic_word)


def test_the_e_steps_c_loops_are_built_and_give_numpys_bits(real_corpus, monkeypatch):
    """The per-entry normaliser and the ratio products in C (pipeline/model/_estep.c) are
    what fits use here (this machine has a compiler), and a fit with them has exactly the
    bits of the numpy/scipy one."""
    from scipy import sparse

    from vntopics.pipeline.model import estep_norms

    assert estep_norms.norms_function() is estep_norms.compiled_norms
    assert estep_norms.ratio_function() is estep_norms.compiled_ratio_products
    for indptr, theta, beta_nz, live in estep_norms.probe_cases():
        expected, got = np.full(len(beta_nz), -1.0), np.full(len(beta_nz), -1.0)
        estep_norms.numpy_norms(indptr, theta, beta_nz, live, expected, 1e-16)
        estep_norms.compiled_norms(indptr, theta, beta_nz, live, got, 1e-16)
        assert np.array_equal(got, expected)
        assert (got[np.repeat(~live, np.diff(indptr))] == -1.0).all()   # dead rows untouched
        beta_t = np.random.default_rng(3).random((30, theta.shape[1]))
        indices = np.arange(len(beta_nz)) % 30
        counts = sparse.csr_matrix((np.arange(len(beta_nz)) % 7 + 1.0, indices, indptr),
                                   shape=(len(theta), 30))
        scipy_products = estep_norms.scipy_ratio_products(counts, expected, beta_t,
                                                          beta_t[indices], live)
        c_products = estep_norms.compiled_ratio_products(counts, expected, beta_t,
                                                         beta_t[indices], live)
        assert np.array_equal(c_products[live], scipy_products[live])
    corpus = real_corpus[0]
    with_c = fit_lda(corpus, 6, LdaConfig(), seed=5)
    monkeypatch.setattr(estep_norms, "norms_function", lambda: estep_norms.numpy_norms)
    monkeypatch.setattr(estep_norms, "ratio_function", lambda: estep_norms.scipy_ratio_products)
    with_numpy = fit_lda(corpus, 6, LdaConfig(), seed=5)
    assert np.array_equal(with_c.topic_word, with_numpy.topic_word)
    assert np.array_equal(with_c.doc_topic, with_numpy.doc_topic)


def off_by_one_ulp_norms(indptr, theta, beta_nz, live, norm, eps):
    from vntopics.pipeline.model import estep_norms

    estep_norms.numpy_norms(indptr, theta, beta_nz, live, norm, eps)
    norm[:] = np.nextafter(norm, np.inf)


def off_by_one_ulp_products(counts, norm, beta_t, beta_nz, live):
    from vntopics.pipeline.model import estep_norms

    return np.nextafter(estep_norms.scipy_ratio_products(counts, norm, beta_t, beta_nz, live),
                        np.inf)


@pytest.mark.parametrize("compiled, chooser, fallback, says", [
    ("compiled_norms", "norms_function", "numpy_norms", "runs in numpy"),
    ("compiled_ratio_products", "ratio_function", "scipy_ratio_products", "run in scipy")])
def test_a_c_loop_with_other_numbers_is_not_used(compiled, chooser, fallback, says,
                                                 monkeypatch, caplog):
    from vntopics.pipeline.model import estep_norms

    monkeypatch.setattr(estep_norms, compiled, off_by_one_ulp_norms
                        if compiled == "compiled_norms" else off_by_one_ulp_products)
    choose = getattr(estep_norms, chooser)
    choose.cache_clear()
    try:
        assert choose() is getattr(estep_norms, fallback)
        assert says in caplog.text and "different numbers" in caplog.text
    finally:
        choose.cache_clear()
