"""Versioned artifact folders: `<dir>/<YYYYMMDDTHHMMSSZ>-<8 hex>/` written whole or not at all.

A run writes into a hidden temporary folder and renames it into place when complete, so a
reader never sees half a version.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
from datetime import datetime, timedelta, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from vntopics.pipeline.store.artifacts_dir import LOCK_NAME, hold_lock
from vntopics.pipeline.text import sha256_of

ARTIFACT_CONTRACT = 2
TRACKED_PACKAGES = ("vntopics", "underthesea", "underthesea_core", "gensim", "scikit-learn",
                    "numpy", "scipy", "pandas", "pyarrow", "prefect", "pydantic")
FLOAT_FORMAT = "%.6g"


def run_fingerprint(config: dict, inputs: list[dict]) -> str:
    payload = json.dumps({"config": config, "inputs": [i["sha256"] for i in inputs]},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:8]


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["blas"] = blas_in_use()
    return versions


def blas_in_use() -> str:
    """The BLAS libraries loaded (numpy's, scipy's) and their thread counts, by package: a
    matrix-vector product over all documents sums in another order with another number of
    threads, so the same seed gives slightly different topics on a machine with more cores
    (benchmarks/README.md). In package order, not load order (which varies with imports)."""
    from threadpoolctl import threadpool_info

    found = sorted(f"{Path(pool.get('filepath', '')).parent.name.removesuffix('.libs')}: "
                   f"{pool.get('internal_api')} {pool.get('version')} "
                   f"({pool.get('num_threads')} threads)"
                   for pool in threadpool_info() if pool.get("user_api") == "blas")
    return "; ".join(found) or "none found"


STAMP = "%Y%m%dT%H%M%SZ"
STAMPED = re.compile(r"^(?:\.tmp-)?\d{8}T\d{6}Z-")   # a version or a run in progress


def version_name(created: datetime, fingerprint: str) -> str:
    return f"{created.strftime(STAMP)}-{fingerprint}"


class VersionWriter:
    """Writes one version: reserves its name, collects its files (tables, JSON, text, never
    outside the folder) in `.tmp-<version>`, then publishes them with one rename or discards
    them. Used by `store.publish.publish_version`.

    Creating the staging folder reserves the name: two runs in the same second with the same
    fingerprint get consecutive seconds, never the same folder. Its lock file tells the next
    run whether the folder is still being written (store.artifacts_dir.clean_stale_staging).
    """

    def __init__(self, artifacts_dir: Path, fingerprint: str):
        self.artifacts_dir = artifacts_dir.resolve()
        self.artifacts_dir.mkdir(parents=True, exist_ok=True)
        # names sort by creation time: never at or before a second already taken by a
        # version or a run in progress, whatever their fingerprints
        taken = {p.name.removeprefix(".tmp-")[:16] for p in self.artifacts_dir.iterdir()
                 if STAMPED.match(p.name)}
        created = datetime.now(timezone.utc).replace(microsecond=0)
        if taken:
            newest = datetime.strptime(max(taken), STAMP).replace(tzinfo=timezone.utc)
            created = max(created, newest + timedelta(seconds=1))
        for _ in range(600):
            name = version_name(created, fingerprint)
            staging = self.artifacts_dir / f".tmp-{name}"
            try:
                staging.mkdir()
                break
            except FileExistsError:
                created += timedelta(seconds=1)
        else:
            raise RuntimeError(f"no free version name in {self.artifacts_dir}")
        self.lock = hold_lock(staging)
        self.created, self.version, self.staging = created, name, staging
        (self.staging / "tables").mkdir()

    @property
    def created_at(self) -> str:
        return self.created.isoformat().replace("+00:00", "Z")

    def path(self, relative: str) -> Path:
        target = (self.staging / relative).resolve()
        if self.staging.resolve() not in target.parents:
            raise ValueError(f"refusing to write outside the version folder: {relative}")
        return target

    def write_table(self, name: str, frame: pd.DataFrame) -> None:
        frame.to_csv(self.path(f"tables/{name}.csv"), index=False, float_format=FLOAT_FORMAT,
                     lineterminator="\n")

    def write_document_table(self, name: str, frame: pd.DataFrame, csv_max_rows: int) -> None:
        """A document-level table: always as Parquet (typed, compressed, fast to load), and
        also as CSV unless it has more than `csv_max_rows` rows."""
        frame.to_parquet(self.path(f"tables/{name}.parquet"), index=False)
        if len(frame) <= csv_max_rows:
            self.write_table(name, frame)

    def write_text(self, relative: str, text: str) -> None:
        self.path(relative).write_text(text, encoding="utf-8")

    def write_json(self, relative: str, data: dict) -> None:
        self.write_text(relative, json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def publish(self) -> Path:
        final = self.artifacts_dir / self.version
        (self.staging / LOCK_NAME).unlink()
        os.rename(self.staging, final)
        os.close(self.lock)
        return final

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        os.close(self.lock)
