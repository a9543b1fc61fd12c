"""Word segmentation at corpus scale: a content-addressed on-disk cache and worker processes.

Segmentation is the run's floor (~37,600 syllables/s per core), so a re-run that changes
only model parameters must not repeat it. Keys are sha256(segmenter version + normaliser
version + text): the same article segments once, whatever file or run it comes from. The
cache holds settings-free words (stop-words are filtered afterwards), so changing stop-words
or token settings does not invalidate it. SQLite gives atomic, concurrent-safe writes.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from pipeline.normalize import NORMALISER_VERSION
from pipeline.tokens import SEGMENTER_VERSION, segment_words

SEPARATOR = "\t"


def split_joined(joined: str) -> list[str]:
    """Tab-joined words (what the cache and the workers hold) back to a list."""
    return joined.split(SEPARATOR) if joined else []


def split_words(joined: str) -> list[str]:
    """Tab-joined words back to a list of interned strings.

    Interning matters when the words of a whole corpus are kept: 40 M syllables give ~28 M
    words but only a few hundred thousand distinct ones; one shared str object per distinct
    word saves ~50 bytes per word (GBs on the full VNTC). It costs ~6 s on the full VNTC, so
    the pipeline itself filters each document's words as they arrive instead (TokenFilter
    returns one shared object per distinct token).
    """
    return list(map(sys.intern, split_joined(joined)))


def cache_key(text: str) -> str:
    digest = hashlib.sha256(f"{SEGMENTER_VERSION}|{NORMALISER_VERSION}|".encode("utf-8"))
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


class SegmentationCache:
    """key -> segmented words, in one SQLite file under the configured cache folder."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "segmentation.sqlite"
        self.connection = sqlite3.connect(self.path, timeout=60)
        self.connection.execute("PRAGMA journal_mode=WAL")
        # a cache: losing the last batches on power loss is fine, an fsync per batch is not
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute("CREATE TABLE IF NOT EXISTS words "
                                "(key TEXT PRIMARY KEY, words TEXT NOT NULL)")

    def get_many(self, keys: Sequence[str], shape: Callable[[str], Any] = split_words
                 ) -> dict[str, Any]:
        """key -> shape(tab-joined words) for the keys that are cached."""
        found: dict[str, Any] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            batch = unique[start:start + 500]
            marks = ",".join("?" * len(batch))
            for key, words in self.connection.execute(
                    f"SELECT key, words FROM words WHERE key IN ({marks})", batch):
                found[key] = shape(words)
        return found

    def put_joined(self, items: dict[str, str]) -> None:
        """key -> words already joined with SEPARATOR (what the worker processes return)."""
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO words VALUES (?, ?)",
                                        list(items.items()))

    def close(self) -> None:
        self.connection.close()


@dataclass
class SegmentationStats:
    documents: int = 0
    cache_hits: int = 0
    segmented: int = 0


def segment_batch_joined(texts: list[str]) -> list[str]:
    """Worker side: each text's words as one tab-joined string. One str per document pickles
    and unpickles ~10x faster than a list of hundreds of small strs, costs a fraction of the
    memory in flight, and is exactly what the cache stores."""
    return [SEPARATOR.join(segment_words(text)) for text in texts]


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


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def segment_texts(texts: Sequence[str], cache: SegmentationCache | None, workers: int,
                  batch_size: int = 64,
                  progress: Callable[[int, int], None] | None = None,
                  mapper: Callable[[Callable, list], Iterable] | None = None,
                  shape: Callable[[str], Any] = split_words
                  ) -> tuple[list[Any], SegmentationStats]:
    """Segmented words for every text: cached ones read, the rest segmented in `workers`
    processes (batches of `batch_size` texts) and written back as they finish. A `mapper`
    (fn, batches) -> results in order replaces the local processes.

    Each text's result is `shape(tab-joined words)`: by default its list of (interned) words;
    a caller that filters them passes its filter, so the raw words of the whole corpus are
    never held at once.
    """
    keys = [cache_key(text) for text in texts]
    known = cache.get_many(keys, shape) if cache else {}
    stats = SegmentationStats(documents=len(texts),
                              cache_hits=sum(key in known for key in keys))
    todo = list(dict.fromkeys(k for k in keys if k not in known))
    text_of = dict(zip(keys, texts))
    work = list(batches(todo, batch_size))
    done = 0

    def record(batch_keys: Sequence[str], results: list[str]) -> None:
        nonlocal done
        fresh = dict(zip(batch_keys, results))
        if cache:
            cache.put_joined(fresh)
        for key, joined in fresh.items():
            known[key] = shape(joined)
        done += len(batch_keys)
        if progress:
            progress(done, len(todo))

    if mapper is not None:  # e.g. Prefect tasks on a Dask cluster
        results = mapper(segment_batch_joined, [[text_of[k] for k in b] for b in work])
        for batch_keys, segmented in zip(work, results):
            record(batch_keys, segmented)
    elif workers <= 1 or len(work) <= 1:
        for batch_keys in work:
            record(batch_keys, segment_batch_joined([text_of[k] for k in batch_keys]))
    else:
        # 'spawn': worker processes must not inherit the orchestrator's threads and locks.
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            for batch_keys, segmented in completed_map(
                    pool, segment_batch_joined,
                    ((b, [text_of[k] for k in b]) for b in work), 4 * workers):
                record(batch_keys, segmented)
    stats.segmented = len(todo)
    del text_of, work
    return [known[key] for key in keys], stats
