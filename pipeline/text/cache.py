"""Cleaned documents reused across runs, keyed by everything that produced them.

Reading, cleaning, metadata inference and near-duplicate detection are the largest cost of
a re-run once segmentation is cached (full-VNTC figures in benchmarks/README.md). A re-run
that changes only model or comparison parameters reads the same files with the same code
and settings, so it gets the same documents: the key is the inputs' sha256 (which the
manifest records anyway), the ingest settings, and the source of every file of this `text`
package (every module that shapes a document lives here), so editing the cleaner or the
gazetteer rules, or adding or moving a module, invalidates the entry.

An entry is a folder: the documents' metadata as JSON lines and their texts as Parquet
shards (no pickle: nothing in a cache folder can run code), written under a temporary name
and renamed, so a killed run never leaves a half entry (its partial folder is removed by a
later run). Its `entry.json`, written last, gives the number of documents and every file's
size and sha256: an entry cut short, edited or damaged on disk is found when it is loaded,
logged as a warning naming the file, set aside (`.<key>.damaged`) and rebuilt from the
inputs, so a damaged cache costs time, never documents. A cache that cannot be written
(full disk, read-only) is a warning, and the run goes on without it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import fields
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Callable

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.parallel import Progress
from vntopics.pipeline.text.documents import Document, DocumentSet, prepare_documents
from vntopics.pipeline.text.folders import tag_folder
from vntopics.pipeline.text.inputs import sha256_of
from vntopics.pipeline.text.shards import ShardWriteError, TextShards

STORED_FIELDS = tuple(f.name for f in fields(Document)
                      if f.name not in ("given_words", "citations", "term_counts",
                                        "token_row", "n_tokens"))
KEEP_ENTRIES = 8
ABANDONED_AFTER_S = 24 * 3600   # a partial entry this old belongs to a killed run
INTEGRITY_FILE = "entry.json"
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(importlib_metadata.version("vietnamadminunits").encode())
    return digest.hexdigest()


def ingest_key(inputs: list[dict], sidecar_sha256: str | None, settings: InputConfig) -> str:
    """`inputs` as `describe_inputs` (text/inputs.py) gives them (path, bytes, sha256); every
    input setting but the paths (which `inputs` lists file by file)."""
    payload = json.dumps({"code": code_fingerprint(), "sidecar": sidecar_sha256,
                          "settings": settings.model_dump(exclude={"paths"}),
                          "inputs": [[i["path"], i["sha256"]] for i in inputs]},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class IngestCache:
    """One entry per key: a folder with the documents' metadata (`documents.jsonl`) and
    their texts (the TextShards files), so a cached run reads its texts where they are."""

    def __init__(self, folder: Path):
        self.folder = folder / "ingest"
        if folder.is_dir():
            tag_folder(folder, "cache")     # never read as input (text/folders.py)

    def load(self, key: str) -> DocumentSet | None:
        """The entry's documents; None when there is none, or when it is damaged (then set
        aside with a warning: the caller rebuilds it from the inputs)."""
        entry = self.folder / key
        if not entry.is_dir():
            return None
        try:
            expected = entry_problem(entry)
            if expected is None:
                with (entry / "documents.jsonl").open(encoding="utf-8") as handle:
                    documents = DocumentSet((Document(**json.loads(line)) for line in handle),
                                            TextShards.reopen(entry))
                count = json.loads((entry / INTEGRITY_FILE).read_text())["documents"]
                if len(documents) != count or len(documents.texts) != sum(
                        d.text_row >= 0 for d in documents):
                    expected = (entry / "documents.jsonl",
                                f"{len(documents)} documents, {count} expected")
        except (OSError, ValueError, TypeError, KeyError) as exc:
            expected = (entry, f"unreadable ({exc})")
        if expected is not None:
            self.set_aside(entry, *expected)
            return None
        os.utime(entry)          # recently used entries survive pruning
        return documents

    def set_aside(self, entry: Path, damaged: Path, reason: str) -> None:
        aside = entry.with_name(f".{entry.name}.damaged")
        shutil.rmtree(aside, ignore_errors=True)
        try:
            os.replace(entry, aside)
        except OSError:
            shutil.rmtree(entry, ignore_errors=True)
        log.warning("ingest cache entry damaged: %s: %s; set aside as %s, the documents are "
                    "read again from the inputs", damaged, reason, aside)

    def staging(self, key: str) -> Path:
        """Where a new entry's texts are written while it is prepared."""
        return self.folder / f".{key}.{os.getpid()}.partial"

    def save(self, key: str, documents: DocumentSet) -> None:
        """Publish `documents` as the entry `key`; their texts move in when they were written
        to `staging(key)`, else they are copied."""
        texts, partial = documents.texts.flush(), self.staging(key)
        if texts.folder != partial:
            partial.mkdir(parents=True, exist_ok=True)
            for path in texts.files:
                shutil.copyfile(path, partial / path.name)
        with (partial / "documents.jsonl").open("w", encoding="utf-8") as handle:
            for document in documents:
                record = {name: getattr(document, name) for name in STORED_FIELDS}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        files = [partial / "documents.jsonl", *(partial / p.name for p in texts.files)]
        integrity = {"documents": len(documents),
                     "files": {p.name: {"bytes": p.stat().st_size, "sha256": sha256_of(p)}
                               for p in files}}
        (partial / INTEGRITY_FILE).write_text(json.dumps(integrity, indent=1))
        final = self.folder / key
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)
        if texts.folder == partial:
            texts.moved_to(final)
        self.prune()

    def prune(self) -> None:
        entries = sorted((p for p in self.folder.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        abandoned = [p for pattern in (".*.partial", ".*.damaged")
                     for p in self.folder.glob(pattern)
                     if time.time() - p.stat().st_mtime > ABANDONED_AFTER_S]
        for stale in entries[KEEP_ENTRIES:] + abandoned:
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


def load_or_prepare(paths: list[Path], inputs: list[dict], settings: InputConfig, *,
                    sidecar: Path | None, sidecar_sha256: str | None, cache_dir: Path | None,
                    workers: int = 1, progress: Progress | None = None,
                    work_dir: Path | None = None,
                    on_shard: Callable[[Path], None] | None = None
                    ) -> tuple[DocumentSet, bool]:
    """Cleaned documents of `paths`, from the ingest cache when
    the same inputs were read with the same code and settings (True), else prepared and
    cached (False). `cache_dir` None: no cache, the texts go to `work_dir` (the run's work
    folder; a temporary one by default). `progress`: see `prepare_documents`; `on_shard`:
    see `TextShards` (told only of shards written now, not of a cache entry's)."""
    cache = IngestCache(cache_dir) if cache_dir is not None else None
    key = ingest_key(inputs, sidecar_sha256, settings)
    documents = cache.load(key) if cache else None
    if documents is not None:
        return documents, True
    if cache:
        try:
            cache.staging(key).mkdir(parents=True, exist_ok=True)
            tag_folder(cache_dir, "cache")
        except OSError as exc:
            cache_unwritable(cache, exc)
            cache = None
    if cache:
        try:
            documents = prepare_documents(paths, sidecar, settings, workers=workers,
                                          progress=progress,
                                          texts=TextShards(cache.staging(key), on_shard))
        except ShardWriteError as exc:
            cache_unwritable(cache, exc)
            shutil.rmtree(cache.staging(key), ignore_errors=True)
            cache = None
    if not cache:
        texts = TextShards(work_dir / "texts" if work_dir else None, on_shard)
        documents = prepare_documents(paths, sidecar, settings, workers=workers,
                                      progress=progress, texts=texts)
    documents.texts.on_shard = None      # written: later flushes are no news
    if cache:
        try:
            cache.save(key, documents)
        except OSError as exc:
            cache_unwritable(cache, exc)
    return documents, False


def cache_unwritable(cache: IngestCache, error: OSError) -> None:
    log.warning("ingest cache %s cannot be written (%s): this run goes on without it",
                cache.folder, error.strerror or error)
