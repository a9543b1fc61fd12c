"""What a collect writes: `corpus/<source>/<UTC timestamp>.jsonl.gz` (the run's new articles of
one source) and `corpus/.collect/log/<timestamp>.csv` (every URL met, with its outcome).

A corpus file is written under a hidden name (which `vntopics run` never reads), flushed to
disk and then renamed into place; a killed collect leaves at most a hidden part file, removed
by the next collect of that source.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

LOG_COLUMNS = ["url", "source", "outcome", "reason", "http_status", "bytes", "seconds"]
OUTCOMES = ("new", "unchanged", "duplicate", "not_article", "skipped_robots",
            "skipped_offsite", "too_large", "failed")
RECORD_FIELDS = ("id", "url", "title", "date", "province", "source", "text", "fetched_at",
                 "extractor")
STATE_FOLDER = ".collect"
PART_SUFFIX = ".part"
LOG_LOCKS: dict[Path, threading.Lock] = {}
LOG_LOCKS_GUARD = threading.Lock()


def run_stamp() -> str:
    """The UTC timestamp naming a collect run's files, e.g. 20261202T182307Z."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class CorpusFile:
    """One source's articles of one run, invisible until `finish` makes them durable."""

    def __init__(self, corpus_dir: Path, source: str, stamp: str):
        self.folder = corpus_dir / source
        self.path = self.folder / f"{stamp}.jsonl.gz"
        self.part = self.folder / f".{stamp}.jsonl.gz{PART_SUFFIX}"
        self.handle = None
        self.count = 0

    def remove_leftovers(self) -> None:
        """Part files of killed runs: their articles were never marked collected."""
        if self.folder.is_dir():
            for leftover in self.folder.glob(f".*{PART_SUFFIX}"):
                leftover.unlink(missing_ok=True)

    def add(self, record: dict) -> None:
        if self.handle is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.raw = open(self.part, "wb")
            self.handle = gzip.GzipFile(fileobj=self.raw, mode="wb", mtime=0)
        line = json.dumps({key: record.get(key) for key in RECORD_FIELDS}, ensure_ascii=False)
        self.handle.write(line.encode("utf-8") + b"\n")
        self.count += 1

    def finish(self) -> Path | None:
        """The durable file (None when the run found nothing new); never over another."""
        if self.handle is None:
            return None
        number = 1
        while self.path.exists():
            number += 1
            self.path = self.path.with_name(f"{self.path.name.split('.')[0].split('-')[0]}"
                                            f"-{number}.jsonl.gz")
        self.handle.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()
        self.handle = None
        os.replace(self.part, self.path)
        fsync_folder(self.folder)
        return self.path


class RunLog:
    """The run's CSV of every URL met; several sources (threads, tasks) may append to it."""

    def __init__(self, corpus_dir: Path, stamp: str):
        self.path = corpus_dir / STATE_FOLDER / "log" / f"{stamp}.csv"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with LOG_LOCKS_GUARD:
            self.lock = LOG_LOCKS.setdefault(self.path, threading.Lock())

    def write(self, url: str, source: str, outcome: str, reason: str = "",
              details: tuple[int | None, int, float] = (None, 0, 0.0)) -> None:
        """details = (http_status, bytes, seconds)."""
        assert outcome in OUTCOMES, outcome
        status, size, seconds = details
        with self.lock, open(self.path, "a", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            if handle.tell() == 0:
                writer.writerow(LOG_COLUMNS)
            writer.writerow([url, source, outcome, reason, "" if status is None else status,
                             size, f"{seconds:.3f}"])


def committed_rows(path: Path) -> list[dict]:
    """The state rows of a corpus file's articles (recovering a file written by a collect
    that was killed before it committed the state)."""
    from vntopics.pipeline.collect.urls import canonical_url

    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            rows.append({"url": canonical_url(record["url"]), "source": record["source"],
                         "status": "collected", "content_hash": hashlib.sha256(
                             record["text"].encode("utf-8")).hexdigest()})
    return rows
