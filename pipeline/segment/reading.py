"""Segmenting while the text stage is still reading: cleaned texts go to the segmentation
workers shard by shard as they are written, not once the last input is read, cleaned and
deduplicated.

Segmentation is a cold run's floor (benchmarks/README.md); reading, cleaning and the
near-duplicate search before it leave cores idle (the search is one process's work). Here a
thread of the flow's process hears of each text shard (`on_shard`, from text.TextShards),
hashes its texts, and sends those not yet in the segmentation cache to worker processes; their
words go to the cache as batches finish. The segment stage filters the documents a window at
a time as their words arrive (`wait_for`), so it ends soon after the last batch. A document
later dropped as a near-duplicate may have been segmented for nothing: that costs time, never
words (the segment stage keeps exactly the documents left `ok`, as without this). Measured
gain and how the cores are split: benchmarks/README.md (issue 32).
"""
from __future__ import annotations

import logging
import queue
import tempfile
import threading
from concurrent.futures import FIRST_COMPLETED, wait
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from vntopics.pipeline.config import SegmentConfig
from vntopics.pipeline.memory import release_arrow_memory
from vntopics.pipeline.parallel import kill_workers, worker_pool
from vntopics.pipeline.segment.cache import SegmentationCache, cache_key
from vntopics.pipeline.segment.segmenter import segment_batch_joined

log = logging.getLogger(__name__)


class Stopped(Exception):
    """The run ended before reading did (an error, a signal): the workers are killed."""


class ReadingSegmenter:
    """Segments the texts of every shard it is told of (`on_shard`) into the segmentation
    cache in `folder` (`cache_dir`, or a temporary folder when the run has no cache), on a
    pool of `workers` processes started with the first batch; `finish` waits for the rest."""

    def __init__(self, cache_dir: Path | None, workers: int, batch_size: int = 64):
        self.temporary = (tempfile.TemporaryDirectory(prefix="vntopics-segments-")
                          if cache_dir is None else None)
        self.folder = Path(self.temporary.name) if self.temporary else Path(cache_dir)
        self.workers, self.batch_size = workers, batch_size
        self.shards: queue.SimpleQueue[BinaryIO | None] = queue.SimpleQueue()
        self.seen: set[str] = set()          # keys hashed (cached already or sent)
        self.segmented: set[str] = set()     # keys segmented here, in the cache now
        self.ready: set[str] = set()         # keys in the cache: found there or segmented
        self.changed = threading.Condition()
        self.planned = self.done = 0
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self.finished = False
        self.pool = None
        self.thread = threading.Thread(target=self.run, name="vntopics-reading-segmenter",
                                       daemon=True)
        self.thread.start()

    def on_shard(self, path: Path) -> None:
        """A shard of cleaned texts was written: opened now, so that the ingest cache
        renaming its folder later leaves it readable."""
        if self.finished:
            return
        try:
            self.shards.put(open(path, "rb"))
        except OSError as exc:        # the segment stage segments it instead
            log.debug("segmenting while reading skips %s: %s", path, exc)

    def run(self) -> None:
        cache = None
        try:
            cache = SegmentationCache(self.folder)
            with worker_pool(self.workers) as pool:
                self.pool = pool
                pending: dict = {}
                while (handle := self.shards.get()) is not None:
                    for keys, texts in self.new_batches(handle, cache):
                        self.settle(pending, cache, 2 * self.workers - 1)
                        pending[pool.submit(segment_batch_joined, texts)] = keys
                self.settle(pending, cache, 0)
        except BaseException as exc:       # noqa: BLE001 - reported by `finish`
            self.error = exc
        finally:
            if cache is not None:
                cache.close()
            while not self.shards.empty():
                if (handle := self.shards.get()) is not None:
                    handle.close()

    def new_batches(self, handle: BinaryIO, cache: SegmentationCache
                    ) -> Iterator[tuple[list[str], list[str]]]:
        """(keys, texts) of the shard's texts not yet cached nor sent, in batches; records
        that gave their own words are not segmented (as in the segment stage)."""
        import pyarrow.parquet as pq

        with handle:
            table = pq.read_table(handle, columns=["text", "words"])
        fresh: dict[str, str] = {}
        for text, words in zip(table.column("text").to_pylist(),
                               table.column("words").to_pylist()):
            if not words and (key := cache_key(text)) not in self.seen:
                fresh.setdefault(key, text)
        del table
        release_arrow_memory()      # the flow's process: its peak is during this stage
        known = cache.known(list(fresh))
        self.seen.update(fresh)
        with self.changed:
            self.ready.update(known)
            self.changed.notify_all()
        todo = [(key, text) for key, text in fresh.items() if key not in known]
        self.planned += len(todo)
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start:start + self.batch_size]
            yield [key for key, _ in batch], [text for _, text in batch]

    def settle(self, pending: dict, cache: SegmentationCache, limit: int) -> None:
        """Write finished batches to the cache until at most `limit` are in flight."""
        while len(pending) > limit:
            if self.stopping.is_set():
                raise Stopped
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                keys = pending.pop(future)
                cache.put_joined(dict(zip(keys, future.result())))
                if cache.temporary is not None:    # not where the segment stage reads
                    raise OSError(f"segmentation cache {self.folder} not writable")
                with self.changed:
                    self.segmented.update(keys)
                    self.ready.update(keys)
                    self.done += len(keys)
                    self.changed.notify_all()

    def end_of_reading(self) -> None:
        """Every shard has been told of: the work ends with the last one."""
        if not self.finished:
            self.finished = True
            self.shards.put(None)

    def wait_for(self, keys: list[str], progress: Callable[[int, int], None] | None = None
                 ) -> bool:
        """Wait until every key is in the cache (True), or the work ended without some of
        them (False: the caller segments those); `progress(done, total)` meanwhile."""
        while True:
            with self.changed:
                if self.ready.issuperset(keys):
                    return True
                if not self.thread.is_alive():
                    return False
                self.changed.wait(0.5)
            if progress:                  # outside the lock: the thread goes on meanwhile
                progress(self.done, self.planned)

    def finish(self, progress: Callable[[int, int], None] | None = None) -> set[str]:
        """Wait until every shard told of is segmented and cached (`progress(done, total)`
        meanwhile); the keys segmented here. A failure is logged, not raised: the segment
        stage then segments what is missing itself (and meets the error again if it is one)."""
        self.end_of_reading()
        while self.thread.is_alive():
            self.thread.join(0.5)
            if progress:
                progress(self.done, self.planned)
        if self.error is not None:
            log.warning("segmenting while reading stopped (%s); the rest is segmented now",
                        self.error)
            self.error = None
        return self.segmented

    def close(self) -> None:
        """End the work (the run is over or failed): workers killed, temporary cache gone,
        the keys forgotten (~25 MB on the full VNTC, through the model fits otherwise)."""
        if self.thread.is_alive():
            self.stopping.set()
            self.finished = True
            self.shards.put(None)
            if self.pool is not None:
                kill_workers(self.pool)
            self.thread.join(5)
        if self.temporary is not None:
            self.temporary.cleanup()
        if not self.thread.is_alive():
            self.seen, self.segmented, self.ready = set(), set(), set()


@contextmanager
def reading_segmenter(settings: SegmentConfig, *, cache_dir: Path | None, workers: int
                      ) -> Iterator[ReadingSegmenter | None]:
    """A `ReadingSegmenter` for the run (ended when the block ends), or None when
    `segment.while_reading` is off or `workers` is 1 (segmenting beside the cleaning would
    use a second process)."""
    if not settings.while_reading or workers <= 1:
        yield None
        return
    segmenter = ReadingSegmenter(cache_dir, workers, settings.batch_size)
    try:
        yield segmenter
    finally:
        segmenter.close()
