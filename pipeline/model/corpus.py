"""One filtered vocabulary feeding both models: a scipy CSR matrix of counts, streamed to
gensim as bag-of-words.

Both LDA and NMF see exactly the same words, so their topics can be compared side by side.
Only the CSR matrix is stored (12 bytes per document-word pair): gensim's own list-of-tuples
corpus costs several times that per pair (full-VNTC figure in benchmarks/README.md), copied
again into every worker process, so gensim reads the matrix through a streaming view instead.
"""
from __future__ import annotations

from collections import Counter
from functools import partial
from itertools import chain
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np
from gensim.corpora import Dictionary
from scipy import sparse

from vntopics.pipeline.config import CorpusConfig
from vntopics.pipeline.memory import release_freed_memory
from vntopics.pipeline.model.saved_counts import SavedCounts
from vntopics.pipeline.model.stored_corpus import stored_counts, stored_dictionary
from vntopics.pipeline.segment import TokenRows
from vntopics.pipeline.text import DocumentSet

if TYPE_CHECKING:
    from vntopics.pipeline.model.kept_corpus import KeptCorpus


@dataclass
class Corpus:
    """What both models are fitted on, filled by `build_corpus`: the filtered vocabulary
    (a gensim Dictionary), the documents x vocabulary counts, and which input documents
    (indices into the token lists given) kept at least one word."""
    dictionary: Dictionary
    counts: sparse.csr_matrix | None   # documents x vocabulary, raw counts
    kept: np.ndarray                   # indices (into the input list) of documents kept
    saved: SavedCounts | None = None   # counts also in files: pickled without them (`share`)
    owned: bool = False                # counts read for one fit alone: may change in place

    @property
    def num_docs(self) -> int:
        return self.counts.shape[0] if self.counts is not None else self.saved.shape[0]

    def share(self, folder: Path) -> "Corpus":
        """Move the counts to `folder` (the run's work folder): fits, here or in worker
        processes, read the rows they need from there instead of receiving a pickled copy
        each, and this process no longer holds them while the fits run."""
        self.saved = SavedCounts.save(self.counts, folder)
        self.counts = None
        return self

    def word_totals(self) -> np.ndarray:
        """Occurrences of each vocabulary word in the corpus."""
        if self.counts is not None:
            return np.asarray(self.counts.sum(axis=0), dtype=np.float64).ravel()
        return self.saved.column_totals()

    def rows(self, rows: np.ndarray | None = None, dtype=None) -> "Corpus":
        """The corpus (`rows` None) or some of its documents, with counts of its own; read
        from the saved files, the counts come as `dtype` if given (in memory they stay as
        they are: a cast would copy them)."""
        if rows is None and self.counts is not None:
            return self
        counts = (self.saved.load(rows, dtype) if self.counts is None else self.counts[rows])
        return Corpus(self.dictionary, counts,
                      self.kept if rows is None else self.kept[rows], owned=True)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if self.saved is not None:
            state["counts"] = None      # the worker reads what it needs from the files
        return state

    @property
    def vocabulary(self) -> list[str]:
        return [self.dictionary[i] for i in range(len(self.dictionary))]


def build_corpus(token_lists: Sequence[Sequence[str]] | TokenRows, no_below: int,
                 no_above: float, keep_n: int) -> Corpus:
    """Vocabulary filtered by document frequency; documents left empty by it are not kept.
    Rows of a TokenStore are counted from their ids a block at a time (stored_corpus.py)."""
    dictionary = (stored_dictionary(token_lists, no_below, no_above, keep_n)
                  if isinstance(token_lists, TokenRows) else
                  filtered_dictionary(token_lists, no_below, no_above, keep_n))
    counts = counts_matrix(token_lists, dictionary)
    kept = np.flatnonzero(np.diff(counts.indptr) > 0).astype(np.int64)
    if len(kept) < counts.shape[0]:     # else no copy: on a large corpus, one is hundreds of MB
        counts = counts[kept]
    return Corpus(dictionary=dictionary, counts=counts, kept=kept)


def filtered_dictionary(token_lists: Sequence[Sequence[str]], no_below: int, no_above: float,
                        keep_n: int) -> Dictionary:
    """What gensim's Dictionary(token_lists) + filter_extremes + compactify give (same words,
    same ids), counted with set operations instead of a Python loop per token: gensim's loop
    was a visible cost of every run, warm or cold (benchmarks/README.md)."""
    first_seen: dict[str, int] = {}
    document_frequency: Counter = Counter()
    for tokens in token_lists:
        distinct = set(tokens)
        document_frequency.update(distinct)
        new = distinct.difference(first_seen)
        if new:                          # gensim numbers a document's new words in sorted order
            start = len(first_seen)
            first_seen.update(zip(sorted(new), range(start, start + len(new))))
    ceiling = int(no_above * len(token_lists))
    good = [w for w in first_seen if no_below <= document_frequency[w] <= ceiling]
    good.sort(key=document_frequency.__getitem__, reverse=True)       # stable, as gensim's
    kept = sorted(good[:keep_n] if keep_n is not None else good, key=first_seen.__getitem__)
    dictionary = Dictionary()
    dictionary.token2id = {word: i for i, word in enumerate(kept)}
    dictionary.dfs = {i: document_frequency[word] for i, word in enumerate(kept)}
    dictionary.num_docs = len(token_lists)
    return dictionary


class TokenIds(dict):
    """token -> id, -1 for a token outside the vocabulary."""

    def __missing__(self, token: str) -> int:
        return -1


def flat_token_ids(token_lists: Sequence[Sequence[str]], index: dict[str, int]
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(tokens per document, index[token] for every token in order) as int64 arrays.

    map/chain keep the per-token loop in C: a large corpus has tens of millions of tokens,
    and a generator expression over them was seconds per pass (benchmarks/README.md)."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    ids = np.fromiter(chain.from_iterable(map(partial(map, index.__getitem__), token_lists)),
                      dtype=np.int64, count=int(lengths.sum()))
    return lengths, ids


def counts_matrix(token_lists: Sequence[Sequence[str]], dictionary: Dictionary
                  ) -> sparse.csr_matrix:
    """documents x vocabulary counts (ids sorted within each row, as doc2bow gives them)."""
    if isinstance(token_lists, TokenRows):
        return stored_counts(token_lists, dictionary.token2id)
    lengths, ids = flat_token_ids(token_lists, TokenIds(dictionary.token2id))
    rows = np.repeat(np.arange(len(token_lists)), lengths)
    known = ids >= 0
    counts = sparse.csr_matrix((np.ones(int(known.sum())), (rows[known], ids[known])),
                               shape=(len(token_lists), len(dictionary)))
    counts.sum_duplicates()              # also sorts the indices of every row
    counts.indices = counts.indices.astype(np.int32)
    return counts


def build_modelling_corpus(documents: DocumentSet, settings: CorpusConfig, *,
                           largest_k: int, kept: KeptCorpus | None = None,
                           share_dir: Path | None = None) -> tuple[Corpus, list, bool]:
    """The model stage's first step: the vocabulary and counts of the `ok` documents (their
    tokens in `documents.tokens`); those left with no word of the vocabulary are rejected.
    With `kept` (the cache entry for these tokens and settings: model/kept_corpus.py), the
    corpus is read back from it, or counted here and kept there; `share_dir`: the counts go
    there (`Corpus.share`). Returns the corpus, the documents it models (in corpus order) and
    whether it was read back. Too few of them for `largest_k` topics is an error."""
    candidates = [d for d in documents if d.status == "ok"]
    corpus = kept.load(share_dir) if kept else None
    reused = corpus is not None
    if corpus is None:
        corpus = build_corpus(documents.tokens.rows([d.token_row for d in candidates]),
                              settings.no_below, settings.no_above, settings.keep_n)
        if share_dir is not None:
            corpus.share(share_dir)
        if kept:
            kept.save(corpus)
    kept_rows = set(corpus.kept.tolist())
    for index, document in enumerate(candidates):
        if index not in kept_rows:
            document.reject("no words left after vocabulary filtering (no_below/no_above)")
    modelled = [candidates[i] for i in corpus.kept]
    if len(modelled) < max(2 * largest_k, 10):
        raise ValueError(f"only {len(modelled)} usable documents for K={largest_k} topics; "
                         "add documents or lower model.num_topics")
    release_freed_memory()   # before the model fits, the run's peak
    return corpus, modelled, reused
