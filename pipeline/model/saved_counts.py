"""The corpus' counts matrix as files that worker processes read themselves, instead of a
pickled copy per fit.

Sent by pickle, every fit job held the whole matrix three times at once: pickled in the
flow's process, received and unpickled in the worker; a stability refit then cut its
subsample beside it. Saved once to the run's work folder, each job reads only the rows it
fits, a block at a time, into arrays of their final size (benchmarks/README.md, "Memory
against corpus size").
Kept by hand over scipy.sparse.save_npz / np.load(mmap_mode="r"): load_npz reads the whole
matrix, and a memory map counts every page read as the reader's RSS until it is unmapped; with
this file reader the fit stage's memory per document fell from 5.8 to 3.3 KB (python
benchmarks/scale.py --sizes 40000,160000, before and after).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format
from scipy import sparse

PARTS = ("data", "indices", "indptr")
BLOCK_ENTRIES = 1 << 20          # matrix entries read at once


@dataclass(frozen=True)
class SavedCounts:
    folder: Path
    shape: tuple[int, int]

    @classmethod
    def save(cls, counts: sparse.csr_matrix, folder: Path) -> "SavedCounts":
        folder.mkdir(parents=True, exist_ok=True)
        for part in PARTS:
            np.save(folder / f"{part}.npy", getattr(counts, part))
        return cls(folder, counts.shape)

    def read(self, part: str, start: int, stop: int) -> np.ndarray:
        """Elements start..stop of one saved array, read from the file (not mapped: mapped
        pages would count as this process's memory until unmapped)."""
        with (self.folder / f"{part}.npy").open("rb") as handle:
            version = npy_format.read_magic(handle)
            read_header = (npy_format.read_array_header_1_0 if version == (1, 0)
                           else npy_format.read_array_header_2_0)
            shape, _, dtype = read_header(handle)
            stop = min(stop, shape[0])
            handle.seek(handle.tell() + start * dtype.itemsize)
            return np.fromfile(handle, dtype=dtype, count=max(stop - start, 0))

    def column_totals(self) -> np.ndarray:
        """Sum of each column, read a block at a time."""
        totals = np.zeros(self.shape[1], dtype=np.float64)
        nnz = int(self.read("indptr", self.shape[0], self.shape[0] + 1)[0])
        for start in range(0, nnz, BLOCK_ENTRIES):
            totals += np.bincount(self.read("indices", start, start + BLOCK_ENTRIES),
                                  weights=self.read("data", start, start + BLOCK_ENTRIES),
                                  minlength=self.shape[1])
        return totals

    def load(self, rows: np.ndarray | None = None, dtype=None) -> sparse.csr_matrix:
        """The matrix, or its `rows` (ascending), as a private CSR matrix; its values as
        `dtype` if given (cast a block at a time)."""
        stored = self.read("data", 0, 0).dtype
        if rows is None and dtype in (None, stored):
            return sparse.csr_matrix(tuple(self.read(part, 0, 1 << 62) for part in PARTS),
                                     shape=self.shape)
        indptr = self.read("indptr", 0, self.shape[0] + 1)
        rows = np.arange(self.shape[0]) if rows is None else np.asarray(rows, np.int64)
        sizes = indptr[rows + 1] - indptr[rows]
        new_indptr = np.concatenate([[0], np.cumsum(sizes)])
        data = np.empty(int(new_indptr[-1]), dtype=dtype or stored)
        indices = np.empty(int(new_indptr[-1]), dtype=self.read("indices", 0, 0).dtype)
        position = 0
        while position < len(rows):
            first = int(indptr[rows[position]])
            stop = max(int(np.searchsorted(indptr[rows + 1], first + BLOCK_ENTRIES,
                                           side="right")), position + 1)
            last = int(indptr[rows[stop - 1] + 1])
            into = slice(int(new_indptr[position]), int(new_indptr[stop]))
            wanted = wanted_entries(indptr[rows[position:stop]] - first,
                                    indptr[rows[position:stop] + 1] - first, last - first)
            data[into] = self.read("data", first, last)[wanted]
            indices[into] = self.read("indices", first, last)[wanted]
            position = stop
        return sparse.csr_matrix((data, indices, new_indptr), shape=(len(rows), self.shape[1]))


def wanted_entries(starts: np.ndarray, ends: np.ndarray, size: int) -> np.ndarray:
    """Mask of the `size` entries inside the ranges starts[i]..ends[i] (ascending, never
    overlapping), one byte per entry: +1 where a range starts, -1 where it ends, summed."""
    starts, ends = starts[ends > starts], ends[ends > starts]   # each position now marked once
    marks = np.zeros(size + 1, dtype=np.int8)
    marks[starts] = 1
    marks[ends] -= 1                     # an end meeting the next start leaves 0: still inside
    return np.cumsum(marks[:-1], dtype=np.int8).view(bool)
