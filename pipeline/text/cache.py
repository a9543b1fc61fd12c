"""Cleaned documents reused across runs, keyed by everything that produced them.

Reading, cleaning, metadata inference and near-duplicate detection are the largest cost of
a re-run once segmentation is cached (full-VNTC figures in benchmarks/README.md). A re-run
that changes only model or comparison parameters reads the same files with the same code
and settings, so it gets the same documents: the key is the inputs' sha256 (which the
manifest records anyway), the ingest settings, and the source of every file of this `text`
package (every module that shapes a document lives here), so editing the cleaner or the
gazetteer rules, or adding or moving a module, invalidates the entry.

Entries are JSON lines (no pickle: nothing in a cache folder can run code), written to a
temporary file and renamed, so a killed run never leaves a half entry.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.parallel import Progress
from vntopics.pipeline.text.documents import Document, prepare_documents

STORED_FIELDS = tuple(f.name for f in fields(Document)
                      if f.name not in ("tokens", "citations", "term_counts"))
KEEP_ENTRIES = 8


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(importlib_metadata.version("vietnamadminunits").encode())
    return digest.hexdigest()


def ingest_key(inputs: list[dict], sidecar_sha256: str | None, settings: InputConfig) -> str:
    """`inputs` as `store.writer.describe_inputs` gives them (path, bytes, sha256); every
    input setting but the paths (which `inputs` lists file by file)."""
    payload = json.dumps({"code": code_fingerprint(), "sidecar": sidecar_sha256,
                          "settings": settings.model_dump(exclude={"paths"}),
                          "inputs": [[i["path"], i["sha256"]] for i in inputs]},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class IngestCache:
    def __init__(self, folder: Path):
        self.folder = folder / "ingest"

    def load(self, key: str) -> list[Document] | None:
        path = self.folder / f"{key}.jsonl"
        try:
            with path.open(encoding="utf-8") as handle:
                documents = [Document(**json.loads(line)) for line in handle]
        except (OSError, ValueError, TypeError):
            return None          # missing, or written by an incompatible version: rebuild
        os.utime(path)           # recently used entries survive pruning
        return documents

    def save(self, key: str, documents: list[Document]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.folder / f"{key}.jsonl"
        partial = self.folder / f".{key}.{os.getpid()}.partial"
        with partial.open("w", encoding="utf-8") as handle:
            for document in documents:
                record = {name: getattr(document, name) for name in STORED_FIELDS}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(partial, final)
        self.prune()

    def prune(self) -> None:
        entries = sorted(self.folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime,
                         reverse=True)
        for stale in entries[KEEP_ENTRIES:]:
            stale.unlink(missing_ok=True)


def load_or_prepare(paths: list[Path], inputs: list[dict], settings: InputConfig,
                    sidecar: Path | None, sidecar_sha256: str | None, cache_dir: Path | None,
                    workers: int = 1, progress: Progress | None = None
                    ) -> tuple[list[Document], bool]:
    """The text stage's entry point: cleaned documents of `paths`, from the ingest cache when
    the same inputs were read with the same code and settings (True), else prepared and
    cached (False). `cache_dir` None: no cache. `progress`: see `prepare_documents`."""
    cache = IngestCache(cache_dir) if cache_dir is not None else None
    key = ingest_key(inputs, sidecar_sha256, settings)
    documents = cache.load(key) if cache else None
    if documents is not None:
        return documents, True
    documents = prepare_documents(paths, sidecar, settings, workers, progress=progress)
    if cache:
        cache.save(key, documents)
    return documents, False
