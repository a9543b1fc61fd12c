"""One filtered vocabulary feeding both models: gensim bag-of-words and a scipy CSR matrix.

Both LDA and NMF see exactly the same words, so their topics can be compared side by side.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from gensim.corpora import Dictionary
from scipy import sparse


@dataclass
class Corpus:
    dictionary: Dictionary
    bow: list[list[tuple[int, int]]]
    counts: sparse.csr_matrix          # documents x vocabulary, raw counts
    kept: np.ndarray                   # indices (into the input list) of documents kept

    @property
    def vocabulary(self) -> list[str]:
        return [self.dictionary[i] for i in range(len(self.dictionary))]


def build_corpus(token_lists: Sequence[Sequence[str]], no_below: int, no_above: float,
                 keep_n: int) -> Corpus:
    """Vocabulary filtered by document frequency; documents left empty by it are not kept."""
    dictionary = Dictionary(token_lists)
    dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
    dictionary.compactify()
    bows = [dictionary.doc2bow(tokens) for tokens in token_lists]
    kept = np.array([i for i, bow in enumerate(bows) if bow], dtype=np.int64)
    bow = [bows[i] for i in kept]
    counts = bow_to_csr(bow, len(dictionary))
    return Corpus(dictionary=dictionary, bow=bow, counts=counts, kept=kept)


def bow_to_csr(bow: Sequence[Sequence[tuple[int, int]]], n_terms: int) -> sparse.csr_matrix:
    indptr = np.zeros(len(bow) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(doc) for doc in bow])
    indices = np.fromiter((t for doc in bow for t, _ in doc), dtype=np.int32, count=indptr[-1])
    data = np.fromiter((c for doc in bow for _, c in doc), dtype=np.float64, count=indptr[-1])
    return sparse.csr_matrix((data, indices, indptr), shape=(len(bow), n_terms))
