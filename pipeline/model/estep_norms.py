"""The LDA E-step's per-entry normaliser, in place for the live rows of a block:

    norm[e] = einsum("ij,ij->i", repeat(theta, lengths), beta_nz)[e] + eps

numpy has to copy theta's row once per stored entry (entries x K float64, up to ~16 MB a
block, every iteration) and read it back; the C loop (_estep.c) reads the row in place and
sums in einsum's own order, so the numbers are the same bits. Kept by hand: 2.3 → 1.0 ms per
200k entries at K = 10, the full-VNTC LDA fit at K = 10 37.6 → 29.0 s (benchmarks/README.md);
numba gave the same speed but +110 MB per fit worker (LLVM), over the memory goal.
Without the extension (no compiler at install), or where its numbers differ from einsum's
on this numpy (a probe at first use), numpy does it, with one warning.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np

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


@lru_cache(maxsize=1)
def norms_function():
    """compiled_norms when it is there and gives numpy's bits on the probe, else numpy_norms."""
    try:
        for indptr, theta, beta_nz, live in probe_cases():
            expected = np.full(len(beta_nz), -1.0)
            got = expected.copy()
            numpy_norms(indptr, theta, beta_nz, live, expected, 2.2e-16)
            compiled_norms(indptr, theta, beta_nz, live, got, 2.2e-16)
            if not np.array_equal(got, expected):
                raise ValueError(f"different numbers from numpy's at K = {theta.shape[1]}")
    except (ImportError, ValueError, TypeError) as exc:
        log.warning("the LDA E-step runs in numpy, slower (its C loop: %s)", exc)
        return numpy_norms
    return compiled_norms


def entry_norms(indptr: np.ndarray, theta: np.ndarray, beta_nz: np.ndarray,
                live: np.ndarray, norm: np.ndarray, eps: float) -> None:
    """Write norm[e] for every stored entry e of the rows where `live` is true (`indptr`:
    the rows' entries, `theta` rows x K, `beta_nz` entries x K); other entries keep theirs."""
    function = norms_function() if norm.dtype == np.float64 else numpy_norms
    function(indptr, theta, beta_nz, live, norm, eps)
