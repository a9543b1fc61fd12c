"""The vocabulary and the counts matrix straight from a TokenStore's ids, a block at a time:
no token becomes a Python string, and memory is the matrix being built plus one block.

The results equal `corpus.filtered_dictionary` and `corpus.counts_matrix` on the same
documents as token lists (gensim's word order: words numbered by the document they first
appear in, a document's new words in sorted order; tests/model/test_stored_corpus.py).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
from gensim.corpora import Dictionary
from scipy import sparse

from vntopics.pipeline.segment.tokens import TokenRows


def row_index(rows: TokenRows, positions: np.ndarray) -> np.ndarray:
    """The position (in `rows`) of every id of a block."""
    lengths = rows.store.lengths([rows.row_numbers[p] for p in positions.tolist()])
    return np.repeat(positions, lengths)


def document_frequency(rows: TokenRows) -> tuple[np.ndarray, np.ndarray]:
    """(documents holding each store id, the first of them) over `rows`."""
    size = len(rows.store.words)
    frequency = np.zeros(size, dtype=np.int64)
    first = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    for positions, ids in rows.blocks():
        pairs = np.unique(row_index(rows, positions) * size + ids.astype(np.int64))
        documents, words = np.divmod(pairs, size)
        frequency += np.bincount(words, minlength=size)
        np.minimum.at(first, words, documents)
    return frequency, first


def stored_dictionary(rows: TokenRows, no_below: int, no_above: float, keep_n: int | None
                      ) -> Dictionary:
    """`corpus.filtered_dictionary` of the rows' tokens."""
    words = rows.store.words
    frequency, first = document_frequency(rows)
    ceiling = int(no_above * len(rows))
    good = np.flatnonzero((frequency >= no_below) & (frequency <= ceiling)).tolist()
    good.sort(key=lambda i: (first[i], words[i]))                 # gensim's numbering order
    by_frequency = sorted(good, key=frequency.__getitem__, reverse=True)   # stable
    kept_set = set(by_frequency[:keep_n] if keep_n is not None else by_frequency)
    kept = [i for i in good if i in kept_set]
    dictionary = Dictionary()
    dictionary.token2id = {words[i]: n for n, i in enumerate(kept)}
    dictionary.dfs = {n: int(frequency[i]) for n, i in enumerate(kept)}
    dictionary.num_docs = len(rows)
    return dictionary


def stored_counts(rows: TokenRows, columns: Mapping[str, int], width: int | None = None,
                  dtype=np.float64) -> sparse.csr_matrix:
    """documents x `columns` counts of the rows' tokens (a token without a column is not
    counted), indices sorted within each row, as `corpus.counts_matrix` gives them."""
    store = rows.store
    width = len(columns) if width is None else width
    column_of = np.full(len(store.words) + 1, -1, dtype=np.int64)
    for word, column in columns.items():
        found = store.index.get(word)
        if found is not None:
            column_of[found] = column
    pieces = []
    for positions, ids in rows.blocks():
        documents = row_index(rows, positions) - positions[0]
        mapped = column_of[ids]
        known = mapped >= 0
        piece = sparse.csr_matrix((np.ones(int(known.sum()), dtype=dtype),
                                   (documents[known], mapped[known])),
                                  shape=(len(positions), width))
        piece.sum_duplicates()
        pieces.append(piece)
    if not pieces:
        return sparse.csr_matrix((0, width), dtype=dtype)
    counts = sparse.vstack(pieces, format="csr")
    counts.indices = counts.indices.astype(np.int32)
    return counts


def word_counts_matrix(rows: TokenRows) -> tuple[list[str], sparse.csr_matrix]:
    """`compare.distinctive.count_matrix` of the rows' tokens: every word they hold, in
    alphabetical order, and the documents x words counts (int32: a third of the memory of
    the int64 values and indices of the list path)."""
    present = np.zeros(len(rows.store.words), dtype=bool)
    for _, ids in rows.blocks():
        present[np.unique(ids)] = True
    words = sorted(rows.store.words[i] for i in np.flatnonzero(present).tolist())
    return words, stored_counts(rows, dict(zip(words, range(len(words)))), dtype=np.int32)
