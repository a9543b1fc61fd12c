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
later run).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import fields
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.parallel import Progress
from vntopics.pipeline.text.documents import Document, DocumentSet, prepare_documents
from vntopics.pipeline.text.shards import TextShards

STORED_FIELDS = tuple(f.name for f in fields(Document)
                      if f.name not in ("given_words", "citations", "term_counts",
                                        "token_row", "n_tokens"))
KEEP_ENTRIES = 8
ABANDONED_AFTER_S = 24 * 3600   # a partial entry this old belongs to a killed run


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

    def load(self, key: str) -> DocumentSet | None:
        entry = self.folder / key
        try:
            with (entry / "documents.jsonl").open(encoding="utf-8") as handle:
                documents = DocumentSet((Document(**json.loads(line)) for line in handle),
                                        TextShards.reopen(entry))
        except (OSError, ValueError, TypeError):
            return None          # missing, or written by an incompatible version: rebuild
        os.utime(entry)          # recently used entries survive pruning
        return documents

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
        final = self.folder / key
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)
        if texts.folder == partial:
            texts.moved_to(final)
        self.prune()

    def prune(self) -> None:
        entries = sorted((p for p in self.folder.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        abandoned = [p for p in self.folder.glob(".*.partial")
                     if time.time() - p.stat().st_mtime > ABANDONED_AFTER_S]
        for stale in entries[KEEP_ENTRIES:] + abandoned:
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)    # an entry of an older version (one file)


def load_or_prepare(paths: list[Path], inputs: list[dict], settings: InputConfig, *,
                    sidecar: Path | None, sidecar_sha256: str | None, cache_dir: Path | None,
                    workers: int = 1, progress: Progress | None = None,
                    work_dir: Path | None = None) -> tuple[DocumentSet, bool]:
    """Cleaned documents of `paths`, from the ingest cache when
    the same inputs were read with the same code and settings (True), else prepared and
    cached (False). `cache_dir` None: no cache, the texts go to `work_dir` (the run's work
    folder; a temporary one by default). `progress`: see `prepare_documents`."""
    cache = IngestCache(cache_dir) if cache_dir is not None else None
    key = ingest_key(inputs, sidecar_sha256, settings)
    documents = cache.load(key) if cache else None
    if documents is not None:
        return documents, True
    texts = (TextShards(cache.staging(key)) if cache else
             TextShards(work_dir / "texts") if work_dir else None)
    documents = prepare_documents(paths, sidecar, settings, workers=workers, progress=progress,
                                  texts=texts)
    if cache:
        cache.save(key, documents)
    return documents, False
