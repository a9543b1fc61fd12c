"""Counts moved to the work folder come back exactly (whole, or the rows a fit needs, read a
block at a time), a shared corpus pickles without them, and the memory-saving paths of the
fits (block-wise float32 tf-idf, NMF weighting its own copy in place) give the same numbers
as before."""
from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from vntopics.pipeline.config import NmfConfig
from vntopics.pipeline.model import saved_counts as saved_module
from vntopics.pipeline.model.nmf import fit_nmf, tfidf_float32, tfidf_weighting
from vntopics.pipeline.model.saved_counts import SavedCounts
from vntopics.pipeline.model.fitting import subsample


@pytest.fixture
def corpus(real_corpus):
    return copy.deepcopy(real_corpus[0])


@pytest.mark.parametrize("block", [1 << 22, 1000])
def test_saved_counts_load_whole_or_some_rows(corpus, tmp_path, monkeypatch, block):
    monkeypatch.setattr(saved_module, "BLOCK_ENTRIES", block)
    counts = corpus.counts
    saved = SavedCounts.save(counts, tmp_path)
    rng = np.random.default_rng(0)
    for rows in (None, np.sort(rng.choice(counts.shape[0], 90, replace=False)),
                 np.array([0, counts.shape[0] - 1]), np.array([], dtype=np.int64)):
        loaded = saved.load(rows)
        expected = counts if rows is None else counts[rows]
        assert loaded.shape == expected.shape
        assert (loaded != expected).nnz == 0
        assert loaded.indices.dtype == expected.indices.dtype
        narrow = saved.load(rows, np.float32)
        assert narrow.data.dtype == np.float32 and (narrow != expected).nnz == 0
    assert np.array_equal(saved.column_totals(), np.asarray(counts.sum(axis=0)).ravel())


def test_rows_read_back_around_empty_rows_and_runs_of_neighbours(tmp_path, monkeypatch):
    from scipy import sparse

    monkeypatch.setattr(saved_module, "BLOCK_ENTRIES", 7)
    dense = np.array([[1, 0, 2], [0, 0, 0], [3, 4, 0], [0, 0, 0], [0, 5, 6], [7, 0, 0],
                      [0, 0, 0], [8, 9, 1]], dtype=np.float64)
    saved = SavedCounts.save(sparse.csr_matrix(dense), tmp_path)
    for rows in ([0, 1, 2], [1, 3, 6], [0, 1, 4, 5, 7], [2, 3, 5], [6, 7], list(range(8))):
        assert np.array_equal(saved.load(np.array(rows)).toarray(), dense[rows])


def test_a_shared_corpus_pickles_without_its_counts_and_reads_them_back(corpus, tmp_path):
    counts = corpus.counts.copy()
    totals = corpus.word_totals()
    corpus.share(tmp_path / "corpus")
    assert corpus.counts is None and corpus.num_docs == counts.shape[0]
    payload = pickle.dumps(corpus)
    # the dictionary (its size depends on what earlier tests looked up in it), not the matrix
    assert len(payload) < len(pickle.dumps(corpus.dictionary)) + corpus.kept.nbytes + 2000
    elsewhere = pickle.loads(payload)
    whole = subsample(elsewhere, 1.0, seed=1)
    assert whole.owned and (whole.counts != counts).nnz == 0
    part = subsample(elsewhere, 0.8, seed=1)
    rows = np.sort(np.random.default_rng(1).choice(counts.shape[0], part.num_docs,
                                                   replace=False))
    assert (part.counts != counts[rows]).nnz == 0 and np.array_equal(part.kept,
                                                                      corpus.kept[rows])
    assert np.array_equal(corpus.word_totals(), totals)


def test_blockwise_float32_tfidf_is_the_whole_matrix_cast_down(corpus):
    expected = tfidf_weighting(corpus)[1].astype(np.float32)
    made = tfidf_float32(corpus, rows_at_once=7)
    assert np.array_equal(made.indptr, expected.indptr)
    assert np.array_equal(made.indices, expected.indices)
    assert np.array_equal(made.data, expected.data)         # bit for bit
    narrow = copy.copy(corpus)                               # LDA's float32 counts
    narrow.counts = corpus.counts.astype(np.float32)
    assert np.array_equal(tfidf_float32(narrow, rows_at_once=7).data, expected.data)


def test_nmf_on_its_own_copy_in_place_gives_the_same_topics(corpus):
    config = NmfConfig(max_iter=50)
    shared = fit_nmf(corpus, 4, config, seed=3)
    before = corpus.counts.copy()
    own = fit_nmf(corpus.rows(np.arange(corpus.num_docs)), 4, config, seed=3)
    assert np.array_equal(own.topic_word, shared.topic_word)
    assert np.array_equal(own.doc_topic, shared.doc_topic)
    assert (corpus.counts != before).nnz == 0               # the shared counts untouched


def pandas_in_worker(_: int) -> bool:
    """Whether this process could import pandas (run in a pool worker)."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


pandas_in_worker.unneeded_modules = ("pandas",)


def test_fits_in_worker_processes_without_pandas_are_the_fits_made_here(corpus, tmp_path):
    from vntopics.pipeline.config import LdaConfig
    from vntopics.pipeline.model.fitting import FitJob, run_fit_job
    from vntopics.pipeline.parallel import ProcessMapper

    assert list(ProcessMapper(2)(pandas_in_worker, range(2))) == [False, False]
    corpus.share(tmp_path / "counts")
    jobs = [FitJob("lda", 4, 42, LdaConfig(), corpus), FitJob("nmf", 4, 42, NmfConfig(), corpus),
            FitJob("nmf", 4, 43, NmfConfig(), corpus, sample=0.8, doc_topics=False)]
    here = [run_fit_job(job) for job in jobs]
    there = list(ProcessMapper(2)(run_fit_job, jobs))
    for mine, theirs in zip(here, there):     # LDA there read float32 counts: same numbers
        assert mine.top_words == theirs.top_words
        assert np.array_equal(mine.model.topic_word, theirs.model.topic_word)
        if mine.model.doc_topic is not None:
            assert np.array_equal(mine.model.doc_topic, theirs.model.doc_topic)
