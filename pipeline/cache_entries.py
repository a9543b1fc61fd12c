"""Entries of the run's caches (cleaned documents, filtered tokens, the modelling corpus):
one folder per key, so a damaged or half-written entry costs time, never data.

An entry is written under a temporary name (`.<key>.<pid>.partial`) and renamed, so a killed
run never leaves a half entry (a later run removes what is left of it). Its `entry.json`,
written last, lists every file's size and sha256: an entry cut short, edited or damaged on
disk is found when it is loaded, logged naming the file, set aside (`.<key>.damaged`) and
made again from what produced it. Entries used least recently are pruned.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Callable

KEEP_ENTRIES = 8
ABANDONED_AFTER_S = 24 * 3600   # a partial entry this old belongs to a killed run
INTEGRITY_FILE = "entry.json"
log = logging.getLogger(__name__)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_fingerprint(package: Path, *distributions: str) -> str:
    """sha256 of every module of a package folder (name and source) and the versions of the
    distributions it depends on: editing, adding or moving a module changes it."""
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in distributions:
        digest.update(f"{name}={importlib_metadata.version(name)}".encode())
    return digest.hexdigest()


def key_of(payload: dict) -> str:
    """The key of an entry made from `payload` (JSON-able: settings, fingerprints)."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CacheEntries:
    """The entries of one cache (`folder`), each a folder named by its key. `what` names the
    cache in warnings; `redo` says what a damaged entry costs ("the documents are read
    again from the inputs")."""

    def __init__(self, folder: Path, what: str, redo: str, keep: int = KEEP_ENTRIES):
        self.folder, self.what, self.redo, self.keep = folder, what, redo, keep

    def find(self, key: str) -> Path | None:
        """The entry's folder when it is there and intact (its files those entry.json
        lists), marked as recently used; None when there is none, or when it is damaged
        (then set aside with a warning: the caller makes it again)."""
        entry = self.folder / key
        if not entry.is_dir():
            return None
        try:
            problem = entry_problem(entry)
        except OSError as exc:
            problem = (entry, f"unreadable ({exc})")
        if problem is not None:
            self.set_aside(entry, *problem)
            return None
        os.utime(entry)          # recently used entries survive pruning
        return entry

    def facts(self, entry: Path) -> dict:
        """What `publish` was given beside the files (e.g. the number of documents)."""
        return json.loads((entry / INTEGRITY_FILE).read_text(encoding="utf-8"))

    def set_aside(self, entry: Path, damaged: Path, reason: str) -> None:
        aside = entry.with_name(f".{entry.name}.damaged")
        shutil.rmtree(aside, ignore_errors=True)
        try:
            os.replace(entry, aside)
        except OSError:
            shutil.rmtree(entry, ignore_errors=True)
        log.warning("%s entry damaged: %s: %s; set aside as %s, %s", self.what, damaged,
                    reason, aside, self.redo)

    def staging(self, key: str) -> Path:
        """Where a new entry is written before `publish` renames it."""
        return self.folder / f".{key}.{os.getpid()}.partial"

    def publish(self, key: str, **facts) -> Path:
        """Seal `staging(key)`: entry.json lists its files (and `facts`), then it is renamed
        to the entry. Returns the entry's folder."""
        partial = self.staging(key)
        files = sorted(p for p in partial.iterdir() if p.name != INTEGRITY_FILE)
        integrity = {**facts, "files": {p.name: {"bytes": p.stat().st_size,
                                                 "sha256": sha256_of(p)} for p in files}}
        (partial / INTEGRITY_FILE).write_text(json.dumps(integrity, indent=1))
        final = self.folder / key
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)
        self.prune()
        return final

    def write(self, key: str, fill: Callable[[Path], None], unwritten: str, **facts) -> bool:
        """Write entry `key`: `fill(folder)` puts its files in the staging folder, then it is
        sealed (`publish`, with `facts`). A cache that cannot be written (full disk,
        read-only) is a warning saying what the next run does instead (`unwritten`), and
        False."""
        try:
            partial = self.staging(key)
            partial.mkdir(parents=True, exist_ok=True)
            fill(partial)
            self.publish(key, **facts)
            return True
        except OSError as exc:
            self.discard(key)
            log.warning("%s %s cannot be written (%s): %s", self.what, self.folder,
                        exc.strerror or exc, unwritten)
            return False

    def discard(self, key: str) -> None:
        """Drop an entry that could not be written completely."""
        shutil.rmtree(self.staging(key), ignore_errors=True)

    def prune(self) -> None:
        entries = sorted((p for p in self.folder.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        abandoned = [p for pattern in (".*.partial", ".*.damaged")
                     for p in self.folder.glob(pattern)
                     if time.time() - p.stat().st_mtime > ABANDONED_AFTER_S]
        for stale in entries[self.keep:] + abandoned:
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)    # an entry of an older version (one file)


def entry_problem(entry: Path) -> tuple[Path, str] | None:
    """(the damaged file, what is wrong) when an entry's files are not those its
    `entry.json` lists (count, sizes, sha256), else None."""
    integrity_path = entry / INTEGRITY_FILE
    if not integrity_path.is_file():
        return integrity_path, "missing (the entry was cut short or not written by vntopics)"
    try:
        listed = json.loads(integrity_path.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as exc:
        return integrity_path, f"unreadable ({exc})"
    present = {p.name for p in entry.iterdir()} - {INTEGRITY_FILE}
    for name in sorted(present - set(listed)):
        return entry / name, "not listed in entry.json"
    for name, expected in sorted(listed.items()):
        path = entry / name
        if not path.is_file():
            return path, "missing"
        if path.stat().st_size != expected["bytes"]:
            return path, f"{path.stat().st_size} bytes, {expected['bytes']} expected"
        if sha256_of(path) != expected["sha256"]:
            return path, "sha256 differs from entry.json"
    return None
