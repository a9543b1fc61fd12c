"""Handing freed memory back to the operating system between stages.

glibc keeps what Python frees in its heap, and Arrow's allocator (mimalloc) keeps what reading
or writing Parquet used: RSS that nothing uses but the peak counts (benchmarks/README.md).
"""
from __future__ import annotations

import ctypes
import gc
import sys


def release_freed_memory(collect: bool = True) -> None:
    """Give the heap that a stage freed back to the OS (glibc keeps it otherwise: hundreds of
    MB of RSS on the full VNTC while the models are fitted; after cleaning the VNTC 1/5 slice,
    23 MB of heap and 52 MB of Arrow's pool, which wrote the text shards). `collect`: run the
    garbage collector first (slow with millions of objects; a fit worker has few)."""
    if collect:
        gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):   # not glibc: nothing to do
        pass
    release_arrow_memory()


def release_arrow_memory() -> None:
    """What Arrow's memory pool holds but no longer uses (if pyarrow is loaded at all)."""
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
