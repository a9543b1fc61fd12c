"""Cleaned documents reused across runs, keyed by everything that produced them.

Reading, cleaning, metadata inference and near-duplicate detection are the largest cost of
a re-run once segmentation is cached (full-VNTC figures in benchmarks/README.md). A re-run
that changes only model or comparison parameters reads the same files with the same code
and settings, so it gets the same documents: the key is the inputs' sha256 (which the
manifest records anyway), the ingest settings, and the source of every file of this `text`
package (every module that shapes a document lives here), so editing the cleaner or the
gazetteer rules, or adding or moving a module, invalidates the entry.

An entry is a folder (pipeline/cache_entries.py: written under a temporary name and renamed,
checked against its `entry.json` when loaded, set aside and rebuilt from the inputs when
damaged, so a damaged cache costs time, never documents): the documents' metadata as JSON
lines and their texts as Parquet shards (no pickle: nothing in a cache folder can run code).
A cache that cannot be written (full disk, read-only) is a warning, and the run goes on
without it.
"""
from __future__ import annotations

import json
import logging
import shutil
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Callable

from vntopics.pipeline.cache_entries import (CacheEntries, code_fingerprint, key_of,
                                             sha256_of)
from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.parallel import Progress
from vntopics.pipeline.text.cleaning import prepare_documents
from vntopics.pipeline.text.documents import Document, DocumentSet
from vntopics.pipeline.text.folders import tag_folder
from vntopics.pipeline.text.shards import ShardWriteError, TextShards

STORED_FIELDS = tuple(f.name for f in fields(Document)
                      if f.name not in ("given_words", "citations", "term_counts",
                                        "token_row", "n_tokens"))
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def text_code() -> str:
    return code_fingerprint(Path(__file__).parent, "vietnamadminunits")


def ingest_key(inputs: list[dict], sidecar_sha256: str | None, settings: InputConfig) -> str:
    """`inputs` as `describe_inputs` (text/inputs.py) gives them (path, bytes, sha256); every
    input setting but the paths (which `inputs` lists file by file)."""
    return key_of({"code": text_code(), "sidecar": sidecar_sha256,
                   "settings": settings.model_dump(exclude={"paths"}),
                   "inputs": [[i["path"], i["sha256"]] for i in inputs]})


class IngestCache:
    """One entry per key (pipeline/cache_entries.py): a folder with the documents' metadata
    (`documents.jsonl`) and their texts (the TextShards files), so a cached run reads its
    texts where they are. Documents loaded or saved here carry the entry's `fingerprint`
    (the sha256 of its entry.json), which the segment stage's own cache is keyed by."""

    def __init__(self, folder: Path):
        self.entries = CacheEntries(folder / "ingest", "ingest cache",
                                    "the documents are read again from the inputs")
        self.folder = self.entries.folder
        if folder.is_dir():
            tag_folder(folder, "cache")     # never read as input (text/folders.py)

    def load(self, key: str) -> DocumentSet | None:
        """The entry's documents; None when there is none, or when it is damaged (then set
        aside with a warning: the caller rebuilds it from the inputs)."""
        entry = self.entries.find(key)
        if entry is None:
            return None
        try:
            with (entry / "documents.jsonl").open(encoding="utf-8") as handle:
                documents = DocumentSet((Document(**json.loads(line)) for line in handle),
                                        TextShards.reopen(entry))
            problem = None
            count = self.entries.facts(entry)["documents"]
            if len(documents) != count or len(documents.texts) != sum(
                    d.text_row >= 0 for d in documents):
                problem = (entry / "documents.jsonl",
                           f"{len(documents)} documents, {count} expected")
        except (OSError, ValueError, TypeError, KeyError) as exc:
            problem = (entry, f"unreadable ({exc})")
        if problem is not None:
            self.entries.set_aside(entry, *problem)
            return None
        documents.fingerprint = sha256_of(entry / "entry.json")
        return documents

    def staging(self, key: str) -> Path:
        """Where a new entry's texts are written while it is prepared."""
        return self.entries.staging(key)

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
        final = self.entries.publish(key, documents=len(documents))
        if texts.folder == partial:
            texts.moved_to(final)
        documents.fingerprint = sha256_of(final / "entry.json")


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
