"""`workers` beyond a sane multiple of the cores is capped with a warning: `workers: 10000`
used to start one process per batch (each holding its own imports), exhausting memory."""
from __future__ import annotations

from vntopics.pipeline.parallel import (WORKERS_PER_CORE, ProcessMapper, default_workers,
                                        usable_workers)


def square(value: int) -> int:
    return value * value


def test_workers_far_above_the_cores_are_capped_with_a_warning():
    cap = WORKERS_PER_CORE * default_workers()
    used, warning = usable_workers(10_000)
    assert used == cap
    assert warning == (f"workers: 10000 requested, {cap} used (at most {WORKERS_PER_CORE} per "
                       f"core, {default_workers()} cores)")
    mapper = ProcessMapper(10_000)
    assert mapper.workers == cap and mapper.description == f"{cap} workers"
    assert list(mapper(square, range(20))) == [n * n for n in range(20)]


def test_workers_within_the_cap_or_unset_are_used_as_given():
    assert usable_workers(None) == (default_workers(), "")
    assert usable_workers(1) == (1, "")
    cap = WORKERS_PER_CORE * default_workers()
    assert usable_workers(cap) == (cap, "")
