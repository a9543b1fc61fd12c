"""Distinctive words of each group (province, year, ...) against all other documents: the
log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
Words", section 3.5).

Raw frequency differences rank the corpus's commonest words first and raw log-odds rank words
seen twice first; the prior shrinks both toward the corpus rate and the z-score divides by the
estimate's uncertainty, so a word tops its group only if it is frequent there and rare
elsewhere.

Prior: α_w = prior_scale · corpus_count_w / corpus_total, so α_0 = Σ α_w = prior_scale (default
1000): the corpus's own word distribution, worth a thousand tokens of evidence. Using the raw
corpus counts (α_0 = corpus size, as some implementations do) would outweigh every province's
own counts at 84k documents; a flat prior would not shrink rare words toward their corpus rate.
Because "rest" is the corpus minus the group, a word absent from a group always gets δ < 0.
"""
from __future__ import annotations

from itertools import chain
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from vntopics.pipeline.compare.prevalence import indicator
from vntopics.pipeline.model import flat_token_ids, word_counts_matrix
from vntopics.pipeline.segment import TokenRows

DISTINCTIVE_COLUMNS = ["dimension", "group", "word", "zscore", "log_odds", "count_group",
                       "count_rest"]
PRIOR_SCALE = 1000.0
GROUP_CHUNK = 64   # groups scored at once: bounds the dense groups × vocabulary arrays


def count_matrix(token_lists: Sequence[Sequence[str]] | TokenRows
                 ) -> tuple[list[str], sparse.csr_matrix]:
    """Alphabetically sorted vocabulary and the documents × vocabulary count matrix.

    Columns are in word order so that a stable sort on any score breaks ties by word.
    Rows of a TokenStore are counted from their ids (model/stored_corpus.py).
    """
    if isinstance(token_lists, TokenRows):
        return word_counts_matrix(token_lists)
    words = sorted(dict.fromkeys(chain.from_iterable(token_lists)))
    index = dict(zip(words, range(len(words))))
    lengths, columns = flat_token_ids(token_lists, index)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    matrix = sparse.csr_matrix((np.ones(len(columns), dtype=np.int64), columns, indptr),
                               shape=(len(token_lists), len(words)))
    matrix.sum_duplicates()
    return words, matrix


def restrict_rows(words: list[str], counts: sparse.csr_matrix, rows: Sequence[int]
                  ) -> tuple[list[str], sparse.csr_matrix]:
    """count_matrix of a subset of the documents, cut from the whole corpus's matrix (the
    same words and counts as counting the subset again, without another pass over tokens)."""
    rows = np.asarray(rows, dtype=np.int64)
    every_row = len(rows) == counts.shape[0] and np.array_equal(rows, np.arange(len(rows)))
    subset = counts if every_row else counts[rows]   # copies only when rows are left out
    present = np.flatnonzero(np.bincount(subset.indices, minlength=subset.shape[1]) > 0)
    if len(present) == subset.shape[1]:
        return list(words), subset
    return [words[i] for i in present], subset[:, present].tocsr()


def log_odds_z(counts_group: np.ndarray, counts_rest: np.ndarray, prior: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(δ, variance, z) of every word, group vs rest; the vocabulary is the last axis.

    δ_w = log((y_iw+α_w)/(n_i+α_0−y_iw−α_w)) − log((y_jw+α_w)/(n_j+α_0−y_jw−α_w)),
    var_w ≈ 1/(y_iw+α_w) + 1/(y_jw+α_w), z_w = δ_w/√var_w, with n and α_0 the sums over the
    last axis: pass the whole vocabulary (or lump the words left out into one column).
    Accepts one group (1-D) or a groups × vocabulary block (2-D) with a 1-D prior.
    """
    y_i = np.asarray(counts_group, dtype=np.float64)
    y_j = np.asarray(counts_rest, dtype=np.float64)
    alpha = np.asarray(prior, dtype=np.float64)
    n_i = y_i.sum(axis=-1, keepdims=True)
    n_j = y_j.sum(axis=-1, keepdims=True)
    alpha_0 = alpha.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log(y_i + alpha) - np.log(n_i + alpha_0 - y_i - alpha)
                 - np.log(y_j + alpha) + np.log(n_j + alpha_0 - y_j - alpha))
        variance = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
        z = delta / np.sqrt(variance)
    return delta, variance, z


def _no_group(label) -> bool:
    return label is None or (not isinstance(label, str) and bool(pd.isna(label)))


def distinctive_keywords(token_lists: Sequence[Sequence[str]], labels: Sequence[str | None],
                         dimension: str, *, top_n: int = 20, min_count: int = 5,
                         prior_scale: float = PRIOR_SCALE,
                         counted: tuple[list[str], sparse.csr_matrix] | None = None
                         ) -> pd.DataFrame:
    """The top_n words of each group with the highest positive z against all other documents.

    Documents labelled None belong to no group but stay in the corpus, hence in every group's
    rest and in the prior: dropping them would change what "rest of the corpus" means. Only
    words with at least min_count corpus occurrences are ranked; the others are lumped into
    one column so group sizes and α_0 stay those of the whole corpus. Sorted by group, then
    zscore descending, ties by word. `counted`: count_matrix(token_lists), if already made.
    """
    if len(token_lists) != len(labels):
        raise ValueError("token_lists and labels differ in length")
    labels = np.array([None if _no_group(g) else g for g in labels], dtype=object)
    words, counts = counted or count_matrix(token_lists)
    groups, members = indicator(labels)
    if not groups or not words:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    corpus = np.asarray(counts.sum(axis=0)).ravel()
    kept = np.flatnonzero(corpus >= min_count)
    if kept.size == 0:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    # Kept words plus one "other" column holding every rarer word.
    by_group = members.T.tocsr()
    group_kept = (by_group @ counts).tocsc()[:, kept].tocsr()              # G × K, sparse
    group_tokens = by_group @ np.asarray(counts.sum(axis=1)).ravel()         # G
    corpus_lumped = np.append(corpus[kept], corpus.sum() - corpus[kept].sum())
    prior = prior_scale * corpus_lumped / corpus_lumped.sum()
    kept_words = np.asarray(words, dtype=object)[kept]
    frames = []
    for start in range(0, len(groups), GROUP_CHUNK):
        chunk = slice(start, start + GROUP_CHUNK)
        block = group_kept[chunk].toarray()
        block = np.column_stack([block, group_tokens[chunk] - block.sum(axis=1)])
        rest = corpus_lumped[None, :] - block
        delta, _, z = log_odds_z(block, rest, prior)
        delta, z, block, rest = delta[:, :-1], z[:, :-1], block[:, :-1], rest[:, :-1]
        order = np.argsort(-z, axis=1, kind="stable")[:, :top_n]   # stable: ties by word
        for row in range(block.shape[0]):
            top = order[row][z[row, order[row]] > 0]
            frames.append(pd.DataFrame({
                "dimension": dimension, "group": groups[start + row],
                "word": kept_words[top], "zscore": z[row, top], "log_odds": delta[row, top],
                "count_group": block[row, top].astype(np.int64),
                "count_rest": rest[row, top].astype(np.int64)}))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[DISTINCTIVE_COLUMNS]
