"""The files a run reads, each with its size and sha256: the manifest's `inputs`, the ingest
cache's key (text/cache.py) and the run's fingerprint."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from vntopics.pipeline.cache_entries import sha256_of
from vntopics.pipeline.text.folders import walk_folder


def describe_inputs(paths: Iterable[Path], symlinks: str = "inside") -> list[dict]:
    """Every input file that is read, with its size and sha256 (folders are listed file by
    file, as the text stage walks them: links it does not follow are not opened)."""
    described = []
    for path in paths:
        files = ([e.path for e in walk_folder(path, symlinks) if not e.problem]
                 if path.is_dir() else [path])
        for file in files:
            described.append({"path": str(file), "bytes": file.stat().st_size,
                              "sha256": sha256_of(file)})
    return described
