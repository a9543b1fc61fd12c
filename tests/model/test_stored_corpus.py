"""The document store changes where tokens live, not the results: the vocabulary, counts,
coherence windows, comparison counts and fitted topics read from a TokenStore equal those
of the in-memory token lists, on real articles, also when rows are read in many small
blocks and out of their stored order."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from vntopics.pipeline.compare.distinctive import count_matrix
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.model import sweep_and_fit
from vntopics.pipeline.model.coherence import coherence_scores_many, window_counts
from vntopics.pipeline.model.corpus import build_corpus
from vntopics.pipeline.segment import tokens as token_module
from vntopics.pipeline.segment.tokens import DocumentFrequency, TokenStore


@pytest.fixture(params=[1 << 22, 997], ids=["one block", "many blocks"])
def stored(request, real_corpus, monkeypatch):
    """(token lists of unc-small's modelled articles, the same as rows of a TokenStore)
    with every other article stored before them, so rows are not 0..n-1."""
    monkeypatch.setattr(token_module, "READ_TOKENS", request.param)
    monkeypatch.setattr(token_module, "FLUSH_TOKENS", 1500)
    _, token_lists, _ = real_corpus
    store = TokenStore()
    rows = []
    for tokens in token_lists:
        store.append(tokens[::2])                 # another document, not modelled
        rows.append(store.append(tokens))
    return [list(t) for t in token_lists], store.rows(rows)


def test_rows_read_back_as_the_lists_that_were_stored(stored):
    lists, rows = stored
    assert list(rows) == lists
    assert rows[3] == lists[3] and list(rows[2:5]) == lists[2:5]
    assert rows.lengths().tolist() == [len(t) for t in lists]
    again = pickle.loads(pickle.dumps(rows))      # what a Dask worker on this machine gets
    assert list(again) == lists and again.store.index == rows.store.index


def test_corpus_is_the_same_from_the_store(stored):
    lists, rows = stored
    for no_below, no_above, keep_n in ((3, 0.5, 20000), (1, 1.0, None), (2, 0.3, 300)):
        expected = build_corpus(lists, no_below, no_above, keep_n)
        corpus = build_corpus(rows, no_below, no_above, keep_n)
        assert corpus.dictionary.token2id == expected.dictionary.token2id
        assert corpus.dictionary.dfs == expected.dictionary.dfs
        assert corpus.dictionary.num_docs == expected.dictionary.num_docs
        assert (corpus.counts != expected.counts).nnz == 0
        assert corpus.counts.dtype == expected.counts.dtype
        assert np.array_equal(corpus.kept, expected.kept)
        assert np.array_equal(corpus.counts.indices, expected.counts.indices)


def test_frequencies_counted_as_rows_come_give_the_same_vocabulary(real_corpus):
    """The segment stage counts each window as it is filtered (segment.DocumentFrequency),
    new words arriving between windows and rejected rows left out: the vocabulary built from
    those counts is the one counted at once; counts of other rows are not used."""
    _, token_lists, _ = real_corpus
    lists = [list(t) for t in token_lists]
    store, rows, counted = TokenStore(), [], DocumentFrequency()
    for start in range(0, len(lists), 7):
        window = []
        for tokens in lists[start:start + 7]:
            store.append(tokens[:3])              # a document rejected: not counted
            window.append(store.append(tokens))
        counted.add(store.rows(window))
        rows += window
    for no_below, no_above, keep_n in ((3, 0.5, 20000), (2, 0.3, 300)):
        expected = build_corpus(lists, no_below, no_above, keep_n)
        store.frequency = counted
        corpus = build_corpus(store.rows(rows), no_below, no_above, keep_n)
        assert store.frequency is None            # read (once): the counted path was taken
        assert corpus.dictionary.token2id == expected.dictionary.token2id
        assert corpus.dictionary.dfs == expected.dictionary.dfs
        assert (corpus.counts != expected.counts).nnz == 0
    store.frequency = counted
    subset = build_corpus(store.rows(rows[1:]), 3, 0.5, 20000)
    assert store.frequency is counted              # other rows: counted afresh
    assert subset.dictionary.token2id == build_corpus(lists[1:], 3, 0.5, 20000
                                                      ).dictionary.token2id


def test_comparison_counts_are_the_same_from_the_store(stored):
    lists, rows = stored
    words, counts = count_matrix(lists)
    stored_words, stored_counts = count_matrix(rows)
    assert stored_words == words and len(words) > 3000
    assert (stored_counts != counts).nnz == 0


def test_coherence_windows_are_the_same_from_the_store(stored, real_corpus):
    lists, rows = stored
    corpus = real_corpus[0]
    words = corpus.vocabulary[:40]
    pairs = [(i, j) for i in range(len(words)) for j in range(i + 1, len(words))]
    expected, counted = window_counts(lists, words, pairs, 10), window_counts(rows, words,
                                                                                pairs, 10)
    assert counted.windows == expected.windows
    assert np.array_equal(counted.occurrences, expected.occurrences)
    assert counted.pair_counts == expected.pair_counts
    topics = [[corpus.vocabulary[i:i + 10] for i in range(0, 50, 10)]]
    assert coherence_scores_many(topics, rows, corpus.dictionary) == \
        coherence_scores_many(topics, lists, corpus.dictionary)


def test_fitted_topics_are_the_same_from_the_store(stored):
    lists, rows = stored
    config = RunConfig.model_validate({"model": {"num_topics": 4, "stability_seeds": 1,
                                                 "lda": {"passes": 1, "iterations": 20},
                                                 "nmf": {"max_iter": 100}}}).model
    in_memory = sweep_and_fit(build_corpus(lists, 3, 0.5, 20000), lists, config)
    from_store = sweep_and_fit(build_corpus(rows, 3, 0.5, 20000), rows, config)
    for name, model in in_memory.models.items():
        assert np.array_equal(from_store.models[name].topic_word, model.topic_word), name
        assert np.array_equal(from_store.models[name].doc_topic, model.doc_topic), name
    assert from_store.metrics["lda"]["c_npmi"] == in_memory.metrics["lda"]["c_npmi"]
