"""The text stage's entry point: the run's input files in, their cleaned documents out, with
what the manifest records of the inputs (every file read, its size and sha256) and the
warnings about input folders that yield nothing."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.memory import release_freed_memory
from vntopics.pipeline.parallel import Progress
from vntopics.pipeline.text import cache
from vntopics.pipeline.text.documents import DocumentSet
from vntopics.pipeline.text.inputs import describe_inputs, sha256_of
from vntopics.pipeline.text.read import input_warnings


@dataclass
class PreparedText:
    documents: DocumentSet
    reused: bool              # the cleaned documents came from the ingest cache
    inputs: list[dict]        # every file read: path, bytes, sha256
    warnings: list[str]       # input folders with nothing to read


def prepare_text(paths: list[Path], settings: InputConfig, *, sidecar: Path | None,
                 cache_dir: Path | None, work_dir: Path | None = None, workers: int = 1,
                 progress: Progress | None = None,
                 on_shard: Callable[[Path], None] | None = None) -> PreparedText:
    """Hash every input file (`settings.symlinks` decides which links are followed), then
    the cleaned documents: from the ingest cache in `cache_dir` (None: no cache) when the
    same files were read with the same code and settings, else read, cleaned and deduplicated
    on `workers` processes, their texts in `work_dir`. `progress` hears "clean" and
    "dedupe"; `on_shard(path)` is told of each file of cleaned texts as it is written (the
    segment stage's `ReadingSegmenter` segments it while cleaning goes on)."""
    inputs = describe_inputs(paths, settings.symlinks)
    documents, reused = cache.load_or_prepare(
        paths, inputs, settings, sidecar=sidecar,
        sidecar_sha256=sha256_of(sidecar) if sidecar else None, cache_dir=cache_dir,
        workers=workers, progress=progress, work_dir=work_dir, on_shard=on_shard)
    if not reused:      # cleaning and the duplicate search left a heap that nothing uses
        release_freed_memory()
    return PreparedText(documents, reused, inputs, input_warnings(paths, inputs))
