"""`workers` beyond a sane multiple of the cores is capped with a warning: `workers: 10000`
used to start one process per batch (each holding its own imports), exhausting memory. And a
map left early ends its workers at once."""
from __future__ import annotations

import time

import pytest

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


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_a_map_left_early_kills_its_workers_instead_of_finishing_their_queue():
    """What a signal ending the run meets: before, leaving the pool waited for every item
    in flight (here 8 of 3 s on 2 workers: 12 s more)."""
    mapper = ProcessMapper(2)
    with pytest.raises(RuntimeError):
        for _ in mapper(nap, [3.0] * 20):
            stopped = time.monotonic()
            raise RuntimeError("the run stops here")
    assert time.monotonic() - stopped < 2.0
