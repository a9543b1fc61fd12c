"""One filtered vocabulary feeding both models: a scipy CSR matrix of counts, streamed to
gensim as bag-of-words.

Both LDA and NMF see exactly the same words, so their topics can be compared side by side.
Only the CSR matrix is stored (12 bytes per document-word pair): gensim's own list-of-tuples
corpus costs ~90 bytes per pair (1+ GB on the full VNTC, copied again into every worker
process), so gensim reads the matrix through a streaming view instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from gensim.corpora import Dictionary
from gensim.matutils import Sparse2Corpus
from scipy import sparse


@dataclass
class Corpus:
    dictionary: Dictionary
    counts: sparse.csr_matrix          # documents x vocabulary, raw counts
    kept: np.ndarray                   # indices (into the input list) of documents kept

    @property
    def bow(self) -> Sparse2Corpus:
        """The documents as gensim bag-of-words, generated from `counts` as they are read."""
        return Sparse2Corpus(self.counts, documents_columns=False)

    @property
    def num_docs(self) -> int:
        return self.counts.shape[0]

    @property
    def vocabulary(self) -> list[str]:
        return [self.dictionary[i] for i in range(len(self.dictionary))]


def build_corpus(token_lists: Sequence[Sequence[str]], no_below: int, no_above: float,
                 keep_n: int) -> Corpus:
    """Vocabulary filtered by document frequency; documents left empty by it are not kept."""
    dictionary = Dictionary(token_lists)
    dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
    dictionary.compactify()
    counts = counts_matrix(token_lists, dictionary)
    kept = np.flatnonzero(np.diff(counts.indptr) > 0).astype(np.int64)
    return Corpus(dictionary=dictionary, counts=counts[kept], kept=kept)


def counts_matrix(token_lists: Sequence[Sequence[str]], dictionary: Dictionary
                  ) -> sparse.csr_matrix:
    """documents x vocabulary counts, one document's bag-of-words at a time."""
    indptr = np.zeros(len(token_lists) + 1, dtype=np.int64)
    indices, data = [], []
    for row, tokens in enumerate(token_lists):
        bow = dictionary.doc2bow(tokens)
        indptr[row + 1] = indptr[row] + len(bow)
        indices.append(np.fromiter((t for t, _ in bow), dtype=np.int32, count=len(bow)))
        data.append(np.fromiter((c for _, c in bow), dtype=np.float64, count=len(bow)))
    return sparse.csr_matrix((np.concatenate(data) if data else np.zeros(0),
                              np.concatenate(indices) if indices else np.zeros(0, np.int32),
                              indptr), shape=(len(token_lists), len(dictionary)))
