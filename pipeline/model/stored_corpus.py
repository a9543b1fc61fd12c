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

from vntopics.pipeline.segment import DocumentFrequency, TokenRows


def document_frequency(rows: TokenRows) -> tuple[np.ndarray, np.ndarray]:
    """(documents holding each store id, the first of them) over `rows`: those the segment
    stage counted as the rows came, when they are exactly these rows (then dropped: read
    once), else counted now."""
    counted, size = rows.store.frequency, len(rows.store.words)
    if counted is not None and counted.rows == rows.row_numbers:
        rows.store.frequency = None
        return counted.arrays(size)
    return DocumentFrequency().add(rows).arrays(size)


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


def block_entries(rows: TokenRows, positions: np.ndarray, ids: np.ndarray,
                  column_of: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(row-major keys row*width+column, counts) of a block's counted tokens, sorted: the
    block's CSR entries in order."""
    mapped = column_of[ids]
    known = mapped >= 0
    keys = (rows.id_positions(positions) - positions[0])[known] * width + mapped[known]
    return np.unique(keys, return_counts=True)


def stored_counts(rows: TokenRows, columns: Mapping[str, int], width: int | None = None,
                  dtype=np.float64) -> sparse.csr_matrix:
    """documents x `columns` counts of the rows' tokens (a token without a column is not
    counted), indices sorted within each row, as `corpus.counts_matrix` gives them.

    Two passes over the ids: the first counts each row's entries, so the matrix is
    allocated once at its final size and filled block by block (building it from blocks
    and stacking them held it twice, the largest memory of the vocabulary stage)."""
    width = len(columns) if width is None else width
    column_of = rows.store.lookup(columns)
    entries = np.zeros(len(rows), dtype=np.int64)
    for positions, ids in rows.blocks():
        keys, _ = block_entries(rows, positions, ids, column_of, width)
        entries[positions[0]:positions[-1] + 1] = np.bincount(keys // width,
                                                              minlength=len(positions))
    indptr = np.concatenate([[0], np.cumsum(entries)])
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    data = np.empty(int(indptr[-1]), dtype=dtype)
    for positions, ids in rows.blocks():
        keys, counts = block_entries(rows, positions, ids, column_of, width)
        start, end = indptr[positions[0]], indptr[positions[-1] + 1]
        indices[start:end] = keys % width
        data[start:end] = counts
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))


def word_counts_matrix(rows: TokenRows) -> tuple[list[str], sparse.csr_matrix]:
    """`compare.distinctive.count_matrix` of the rows' tokens: every word they hold, in
    alphabetical order, and the documents x words counts (int32: a third of the memory of
    the int64 values and indices of the list path)."""
    present = np.zeros(len(rows.store.words), dtype=bool)
    for _, ids in rows.blocks():
        present[np.unique(ids)] = True
    words = sorted(rows.store.words[i] for i in np.flatnonzero(present).tolist())
    return words, stored_counts(rows, dict(zip(words, range(len(words)))), dtype=np.int32)
