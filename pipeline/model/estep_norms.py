"""The LDA E-step's two loops over stored entries, in place for the live rows of a block:

    norm[e] = einsum("ij,ij->i", repeat(theta, lengths), beta_nz)[e] + eps
    products = csr_matrix((data / norm, indices, indptr)) @ beta_t

numpy has to copy theta's row once per stored entry (entries x K float64, up to ~16 MB a
block, every iteration) and read it back; the C loop (_estep.c) reads the row in place and
sums in einsum's own order, so the numbers are the same bits. Kept by hand: 2.3 → 1.0 ms per
200k entries at K = 10, the full-VNTC LDA fit at K = 10 37.6 → 29.0 s (benchmarks/README.md);
numba gave the same speed but +110 MB per fit worker (LLVM), over the memory goal.
The products: scipy builds a CSR matrix of the ratios every iteration and gathers beta_t's
rows by word; the C loop divides on the fly, reads beta_nz (already gathered) in order and
adds in csr_matvecs' order from 0.0, skipping rows that have converged. Kept by hand: the
same fit 30.5 → 29.2 s, same bits (C loops for NMF's sparse products were no faster).
Without the extension (no compiler at install), or where its numbers differ from numpy's or
scipy's on this machine (a probe at first use), numpy/scipy do it, with one warning.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Callable, Iterator

import numpy as np
from scipy import sparse

log = logging.getLogger(__name__)


def numpy_norms(indptr: np.ndarray, theta: np.ndarray, beta_nz: np.ndarray,
                live: np.ndarray, norm: np.ndarray, eps: float) -> None:
    lengths = np.diff(indptr)
    fresh = np.einsum("ij,ij->i", np.repeat(theta, lengths, axis=0), beta_nz) + eps
    np.copyto(norm, fresh, where=np.repeat(live, lengths))


def compiled_norms(indptr: np.ndarray, theta: np.ndarray, beta_nz: np.ndarray,
                   live: np.ndarray, norm: np.ndarray, eps: float) -> None:
    from vntopics.pipeline.model._estep import entry_norms

    if norm.dtype != np.float64 or not norm.flags.c_contiguous:
        raise TypeError("norm must be contiguous float64")
    entry_norms(np.ascontiguousarray(indptr, dtype=np.int64),
                np.ascontiguousarray(theta, dtype=np.float64),
                np.ascontiguousarray(beta_nz, dtype=np.float64),
                np.ascontiguousarray(live, dtype=np.bool_), norm, theta.shape[1], float(eps))


def probe_cases():
    """Blocks that exercise every path of the loop: K below, at and past a block of 8, odd
    tails, empty rows, dead rows, magnitudes from 1e-12 to 1e2."""
    rng = np.random.default_rng(20261203)
    for k in (1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 24, 50):
        lengths = rng.integers(0, 40, 60)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        theta = rng.random((60, k)) * 10.0 ** rng.uniform(-6, 2, (60, 1))
        beta_nz = rng.random((int(indptr[-1]), k)) * 10.0 ** rng.uniform(-12, 0, (1, k))
        yield indptr, theta, beta_nz, rng.random(60) < 0.8


def checked(compiled: Callable, plain: Callable, differences: Callable[[], Iterator[str]],
            warning: str) -> Callable:
    """`compiled` when it imports and the probe (`differences`) finds nothing, else `plain`
    with one warning (`warning` % the reason)."""
    try:
        for difference in differences():
            raise ValueError(difference)
    except (ImportError, ValueError, TypeError) as exc:
        log.warning(warning, exc)
        return plain
    return compiled


@lru_cache(maxsize=1)
def norms_function():
    """compiled_norms when it is there and gives numpy's bits on the probe, else numpy_norms."""
    def differences() -> Iterator[str]:
        for indptr, theta, beta_nz, live in probe_cases():
            expected = np.full(len(beta_nz), -1.0)
            got = expected.copy()
            numpy_norms(indptr, theta, beta_nz, live, expected, 2.2e-16)
            compiled_norms(indptr, theta, beta_nz, live, got, 2.2e-16)
            if not np.array_equal(got, expected):
                yield f"different numbers from numpy's at K = {theta.shape[1]}"

    return checked(compiled_norms, numpy_norms, differences,
                   "the LDA E-step runs in numpy, slower (its C loop: %s)")


def entry_norms(indptr: np.ndarray, theta: np.ndarray, beta_nz: np.ndarray,
                live: np.ndarray, norm: np.ndarray, eps: float) -> None:
    """Write norm[e] for every stored entry e of the rows where `live` is true (`indptr`:
    the rows' entries, `theta` rows x K, `beta_nz` entries x K); other entries keep theirs."""
    function = norms_function() if norm.dtype == np.float64 else numpy_norms
    function(indptr, theta, beta_nz, live, norm, eps)


def scipy_ratio_products(counts: sparse.csr_matrix, norm: np.ndarray, beta_t: np.ndarray,
                         beta_nz: np.ndarray, live: np.ndarray) -> np.ndarray:
    return sparse.csr_matrix((counts.data / norm, counts.indices, counts.indptr),
                             shape=counts.shape) @ beta_t


def compiled_ratio_products(counts: sparse.csr_matrix, norm: np.ndarray, beta_t: np.ndarray,
                            beta_nz: np.ndarray, live: np.ndarray) -> np.ndarray:
    from vntopics.pipeline.model._estep import ratio_products

    out = np.empty((counts.shape[0], beta_t.shape[1]), dtype=np.float64)
    ratio_products(np.ascontiguousarray(counts.indptr, dtype=np.int64),
                   np.ascontiguousarray(counts.data, dtype=np.float64),
                   np.ascontiguousarray(norm, dtype=np.float64),
                   np.ascontiguousarray(beta_nz, dtype=np.float64),
                   np.ascontiguousarray(live, dtype=np.bool_), out, beta_t.shape[1])
    return out


@lru_cache(maxsize=1)
def ratio_function():
    """compiled_ratio_products when it is there and gives scipy's bits on the probe (live
    rows), else scipy_ratio_products."""
    def differences() -> Iterator[str]:
        for indptr, theta, beta_nz, live in probe_cases():
            rng = np.random.default_rng(len(beta_nz))
            beta_t = rng.random((64, theta.shape[1]))
            indices = rng.integers(0, 64, len(beta_nz))
            counts = sparse.csr_matrix((rng.integers(1, 9, len(beta_nz)).astype(np.float64),
                                        indices, indptr), shape=(len(theta), 64))
            norm = rng.random(len(beta_nz)) * 10.0 ** rng.uniform(-9, 1, len(beta_nz))
            expected = scipy_ratio_products(counts, norm, beta_t, beta_t[indices], live)
            got = compiled_ratio_products(counts, norm, beta_t, beta_t[indices], live)
            if not np.array_equal(got[live], expected[live]):
                yield f"different numbers from scipy's at K = {theta.shape[1]}"

    return checked(compiled_ratio_products, scipy_ratio_products, differences,
                   "the LDA E-step's products run in scipy, slower (its C loop: %s)")


def ratio_products(counts: sparse.csr_matrix, norm: np.ndarray, beta_t: np.ndarray,
                   beta_nz: np.ndarray, live: np.ndarray) -> np.ndarray:
    """(rows x K): the CSR matrix of counts.data / norm times `beta_t` (V x K), for the rows
    where `live` is true (others: any finite value); `beta_nz` is beta_t[counts.indices]."""
    function = (ratio_function() if counts.dtype == np.float64 and beta_t.dtype == np.float64
                else scipy_ratio_products)
    return function(counts, norm, beta_t, beta_nz, live)
