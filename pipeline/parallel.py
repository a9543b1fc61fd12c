"""Running a function over many items on local worker processes, with bounded memory.

A *mapper* is any `mapper(function, items) -> results in input order` (the builtin `map`, a
`ProcessMapper`, or the flow's Prefect/Dask task map); stages take one so the same code runs
in one process, on local processes or on a cluster. A mapper may also offer
`unordered(function, tagged) -> (tag, result) as they finish`, which segmentation uses so no
worker idles behind one slow batch.
"""
from __future__ import annotations

import ctypes
import multiprocessing.spawn
import os
import signal
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from itertools import chain, islice
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any, Callable, Iterable, Iterator

Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]
# progress(step, done, total): a long stage tells how far one of its steps got (e.g.
# ("clean", 1200, 16800) documents), in the calling process, as work finishes. The flow turns
# it into Prefect progress artifacts and terminal bars; stages never know where it goes.
Progress = Callable[[str, int, int], None]


def batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def completed_map(pool: Executor, function: Callable, tagged: Iterable[tuple[Any, Any]],
                  in_flight: int) -> Iterator[tuple[Any, Any]]:
    """(tag, function(argument)) for each (tag, argument) in the order they finish, at most
    `in_flight` submitted. In input order (ordered_map) a slow batch at the head would leave
    the other workers idle once the rest of the window is done."""
    tagged = iter(tagged)
    pending = {pool.submit(function, argument): tag for tag, argument in islice(tagged,
                                                                                 in_flight)}
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield pending.pop(future), future.result()
        for tag, argument in islice(tagged, len(done)):
            pending[pool.submit(function, argument)] = tag


def ordered_map(pool: Executor, function: Callable, items: Iterable, in_flight: int
                ) -> Iterator:
    """pool.map that keeps at most `in_flight` items submitted (Executor.map submits all at
    once: every input pickled and queued, however large the corpus)."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(function, item))
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


PR_SET_PDEATHSIG = 1


def start_worker(parent: int, unneeded_modules: tuple[str, ...] = ()) -> None:
    """Pool initialiser: the worker dies with its parent, and never imports the modules its
    function declares it does not need (`function.unneeded_modules`): they stay out of this
    process's memory even when a library imports them when it can (scikit-learn imports pandas
    and with it pyarrow: 60 MB per fit worker on the full VNTC)."""
    if unneeded_modules:
        sys.meta_path.insert(0, ImportRefusal(frozenset(unneeded_modules)))
    die_with_parent(parent)


class ImportRefusal:
    """A finder that makes `import name` raise ImportError for the named top-level modules, as
    if they were not installed (a None entry in sys.modules instead breaks libraries that look
    there, e.g. scikit-learn's `sys.modules["pandas"].DataFrame` checks)."""

    def __init__(self, names: frozenset[str]):
        self.names = names

    def find_spec(self, fullname: str, path=None, target=None):
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"{fullname} is not needed in this worker", name=fullname)
        return None


def die_with_parent(parent: int) -> None:
    """End this worker when the process that started it dies, even by SIGKILL (otherwise
    workers stay blocked on their queue for ever, holding memory). On Linux the kernel sends
    SIGKILL (PR_SET_PDEATHSIG); elsewhere a thread polls the parent."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)
        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:      # the parent died before the signal was armed
        os._exit(1)


WORKER_NAME = "vntopics-worker"


class WorkerProcess(SpawnProcess):
    """A spawned pool worker, named so that its start leaves out the caller's `__main__`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.name = f"{WORKER_NAME}-{':'.join(map(str, self._identity))}"


class WorkerContext(SpawnContext):
    """'spawn' whose workers do not run the caller's main module. multiprocessing tells every
    spawned child to re-run the parent's `__main__` (the script, or the module of `python -m`)
    so that functions defined there can be unpickled; a script without an `if __name__ ==
    "__main__":` guard that calls `vntopics.run` then ran the whole run again in each worker
    (another Prefect server and flow run each, then "bootstrapping phase" errors). Workers run
    vntopics functions only, which they import by name: they never need the caller's main."""
    Process = WorkerProcess


def preparation_without_main(name: str, prepare=multiprocessing.spawn.get_preparation_data
                             ) -> dict:
    """multiprocessing's preparation data of a new child, without the main module for
    vntopics workers (other processes of the program are left as they are)."""
    data = prepare(name)
    if name.startswith(WORKER_NAME):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


# The one place multiprocessing decides what a spawned child imports before it starts.
multiprocessing.spawn.get_preparation_data = preparation_without_main


def spawn_pool(workers: int, unneeded_modules: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    """Worker processes started with 'spawn' (they must not inherit the orchestrator's
    threads and locks: Prefect's, the SQLite cache's), without the caller's main module
    (`WorkerContext`), each dying with this process."""
    return ProcessPoolExecutor(workers, mp_context=WorkerContext(),
                               initializer=start_worker,
                               initargs=(os.getpid(), tuple(unneeded_modules)))


@contextmanager
def worker_pool(workers: int, unneeded_modules: tuple[str, ...] = ()
                ) -> Iterator[ProcessPoolExecutor]:
    """`spawn_pool` for one map. Left early (an error, a signal ending the run, a consumer
    that stops reading), queued items are cancelled and the workers killed at once: leaving
    it as `with` does would wait for every item in flight, for as long as they take."""
    pool = spawn_pool(workers, unneeded_modules)
    try:
        yield pool
    except BaseException:
        kill_workers(pool)
        raise
    pool.shutdown(wait=True)


def kill_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and kill the workers now, without waiting for items in flight."""
    workers_alive = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers_alive:
        process.kill()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


# Beyond this many processes per core, more workers only add memory (each holds its own
# imports and batch) and switching: `workers: 10000` would start a process per batch.
WORKERS_PER_CORE = 2


def usable_workers(requested: int | None) -> tuple[int, str]:
    """(The local processes a run uses, a warning when fewer than `requested`): `workers`
    (default: the cores), at most WORKERS_PER_CORE per core."""
    cores = default_workers()
    cap = WORKERS_PER_CORE * cores
    if requested is None:
        return cores, ""
    if requested > cap:
        return cap, (f"workers: {requested} requested, {cap} used (at most {WORKERS_PER_CORE} "
                     f"per core, {cores} cores)")
    return requested, ""


class ProcessMapper:
    """A mapper over `workers` local processes (in this process when `workers` is 1; at most
    `usable_workers`), at most `4 * workers` items in flight."""

    def __init__(self, workers: int | None = None):
        self.workers = usable_workers(workers)[0]
        self.description = f"{self.workers} workers"

    def __call__(self, function: Callable, items: Iterable) -> Iterator:
        items = iter(items)
        head = list(islice(items, 2))
        if self.workers <= 1 or len(head) <= 1:    # one item: not worth a process
            yield from map(function, chain(head, items))
            return
        items = chain(head, items)
        with worker_pool(self.workers, getattr(function, "unneeded_modules", ())) as pool:
            yield from ordered_map(pool, function, items, 4 * self.workers)

    def unordered(self, function: Callable, tagged: Iterable[tuple[Any, Any]]
                  ) -> Iterator[tuple[Any, Any]]:
        if self.workers <= 1:
            yield from ((tag, function(argument)) for tag, argument in tagged)
            return
        with worker_pool(self.workers, getattr(function, "unneeded_modules", ())) as pool:
            yield from completed_map(pool, function, tagged, 4 * self.workers)
