"""The segmentation cache: segmented words on disk, content-addressed.

Segmentation is the run's floor (benchmarks/README.md), so a re-run that changes only model
parameters must not repeat it. Keys are sha256(segmenter version + normaliser
version + text): the same article segments once, whatever file or run it comes from. The
cache holds settings-free words (stop-words are filtered afterwards), so changing stop-words
or token settings does not invalidate it. SQLite gives atomic, concurrent-safe writes.

The cache is derived state, so it can never cost a run: a file SQLite's `quick_check` finds
damaged (or that is not a database) is logged naming it, set aside
(`segmentation.sqlite.damaged`) and started afresh; a cache that cannot be opened or written
(read-only, full disk) is a warning, and the words go to a temporary cache instead.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from vntopics.pipeline.segment.words import SEGMENTER_VERSION
from vntopics.pipeline.text import NORMALISER_VERSION

SEPARATOR = "\t"
log = logging.getLogger(__name__)


def split_joined(joined: str) -> list[str]:
    """Tab-joined words (what the cache and the workers hold) back to a list."""
    return joined.split(SEPARATOR) if joined else []


def split_words(joined: str) -> list[str]:
    """Tab-joined words back to a list of interned strings.

    Interning matters when the words of a whole corpus are kept: a large corpus has tens of
    millions of words but only a few hundred thousand distinct ones, and one shared str object
    per distinct word saves GBs. It also costs seconds per corpus (full-VNTC figures in
    benchmarks/README.md), so the pipeline itself filters each document's words as they arrive
    instead (TokenFilter returns one shared object per distinct token).
    """
    return list(map(sys.intern, split_joined(joined)))


def cache_key(text: str) -> str:
    digest = hashlib.sha256(f"{SEGMENTER_VERSION}|{NORMALISER_VERSION}|".encode("utf-8"))
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def open_database(path: Path) -> sqlite3.Connection:
    """The cache database at `path`, checked with `quick_check` (raises sqlite3.Error)."""
    connection = sqlite3.connect(path, timeout=60)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        # a cache: losing the last batches on power loss is fine, an fsync per batch is not
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("CREATE TABLE IF NOT EXISTS words "
                           "(key TEXT PRIMARY KEY, words TEXT NOT NULL)")
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise sqlite3.DatabaseError(verdict)
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its WAL files) out of the way; returns where it went."""
    aside = path.with_name(path.name + ".damaged")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            os.replace(source, Path(str(aside) + suffix))
    return aside


class SegmentationCache:
    """key -> segmented words, in one SQLite file under the configured cache folder (or a
    temporary one when that cannot be used: `fallback`)."""

    def __init__(self, folder: Path):
        self.path = folder / "segmentation.sqlite"
        self.temporary: tempfile.TemporaryDirectory | None = None
        self.previous: sqlite3.Connection | None = None   # read-only after a failed write
        try:
            folder.mkdir(parents=True, exist_ok=True)
            try:
                self.connection = open_database(self.path)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):   # locked, read-only, full
                    raise
                aside = set_aside(self.path)
                log.warning("segmentation cache damaged: %s (%s); set aside as %s, texts "
                            "are segmented again", self.path, exc, aside)
                self.connection = open_database(self.path)
        except (OSError, sqlite3.Error) as exc:
            self.fallback(exc)

    def fallback(self, error: Exception) -> None:
        """Go on with a temporary cache: warned once, the run is not stopped."""
        log.warning("segmentation cache %s cannot be used (%s): this run goes on without it",
                    self.path, error)
        self.temporary = tempfile.TemporaryDirectory(prefix="vntopics-segments-")
        self.path = Path(self.temporary.name) / "segmentation.sqlite"
        self.connection = open_database(self.path)

    def connections(self) -> list[sqlite3.Connection]:
        return [c for c in (self.connection, self.previous) if c is not None]

    def lookup(self, query: str, keys: Sequence[str]) -> Iterator[tuple]:
        """Rows of `query` (one `IN (...)` of keys) for every key, in batches of 500."""
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            batch = unique[start:start + 500]
            marks = ",".join("?" * len(batch))
            for connection in self.connections():
                yield from connection.execute(query.format(marks=marks), batch)

    def get_many(self, keys: Sequence[str], shape: Callable[[str], Any] = split_words
                 ) -> dict[str, Any]:
        """key -> shape(tab-joined words) for the keys that are cached."""
        return {key: shape(words) for key, words in
                self.lookup("SELECT key, words FROM words WHERE key IN ({marks})", keys)}

    def known(self, keys: Sequence[str]) -> set[str]:
        """Which of `keys` are cached."""
        return {key for key, in self.lookup("SELECT key FROM words WHERE key IN ({marks})",
                                            keys)}

    def put_joined(self, items: dict[str, str]) -> None:
        """key -> words already joined with SEPARATOR (what the worker processes return)."""
        rows = list(items.items())
        try:
            with self.connection:
                self.connection.executemany("INSERT OR REPLACE INTO words VALUES (?, ?)", rows)
        except sqlite3.OperationalError as exc:     # full disk, read-only: keep going
            if self.temporary is not None:
                raise
            self.previous = self.connection
            self.fallback(exc)
            with self.connection:
                self.connection.executemany("INSERT OR REPLACE INTO words VALUES (?, ?)", rows)

    def close(self) -> None:
        for connection in self.connections():
            connection.close()
        if self.temporary is not None:
            self.temporary.cleanup()
