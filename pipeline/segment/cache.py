"""The segmentation cache: segmented words on disk, content-addressed.

Segmentation is the run's floor (benchmarks/README.md), so a re-run that changes only model
parameters must not repeat it. Keys are sha256(segmenter version + normaliser
version + text): the same article segments once, whatever file or run it comes from. The
cache holds settings-free words (stop-words are filtered afterwards), so changing stop-words
or token settings does not invalidate it. SQLite gives atomic, concurrent-safe writes.
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from vntopics.pipeline.segment.words import SEGMENTER_VERSION
from vntopics.pipeline.text import NORMALISER_VERSION

SEPARATOR = "\t"


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

    def known(self, keys: Sequence[str]) -> set[str]:
        """Which of `keys` are cached."""
        found: set[str] = set()
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            batch = unique[start:start + 500]
            marks = ",".join("?" * len(batch))
            found.update(key for key, in self.connection.execute(
                f"SELECT key FROM words WHERE key IN ({marks})", batch))
        return found

    def put_joined(self, items: dict[str, str]) -> None:
        """key -> words already joined with SEPARATOR (what the worker processes return)."""
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO words VALUES (?, ?)",
                                        list(items.items()))

    def close(self) -> None:
        self.connection.close()
