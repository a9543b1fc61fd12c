"""The versions in an artifacts folder: listing, resolving a name, which is latest, retention.

`LATEST` (a file) and `latest` (a symlink) are replaced atomically after a version is
published, so a reader following them always lands on a complete version.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # pandas loads when a table is read (a light start)
    import pandas as pd


VERSION_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


def list_versions(artifacts_dir: Path) -> list[Path]:
    """Complete versions, oldest first (names sort by creation time)."""
    if not artifacts_dir.is_dir():
        return []
    return sorted(p for p in artifacts_dir.iterdir()
                  if p.is_dir() and VERSION_PATTERN.match(p.name)
                  and (p / "manifest.json").is_file())


def resolve_version(artifacts_dir: Path, name: str) -> Path:
    """A version by exact name, unique prefix, or 'latest'; never a path outside the folder."""
    if name == "latest":
        latest = latest_version(artifacts_dir)
        if latest is None:
            raise ValueError(f"no versions in {artifacts_dir}")
        return latest
    versions = list_versions(artifacts_dir)
    exact = [p for p in versions if p.name == name]
    matches = exact or [p for p in versions if p.name.startswith(name)]
    if len(matches) != 1:
        raise ValueError(f"no single version matching {name!r} in {artifacts_dir}")
    return matches[0]


def previous_version(artifacts_dir: Path, compare_to: str | None) -> Path | None:
    """The version a new run is compared to: None for no comparison or an empty folder."""
    if not compare_to:
        return None
    if compare_to == "latest":
        return latest_version(artifacts_dir)
    return resolve_version(artifacts_dir, compare_to)


def latest_version(artifacts_dir: Path) -> Path | None:
    pointer = artifacts_dir / "LATEST"
    if pointer.is_file():
        name = pointer.read_text(encoding="utf-8").strip()
        if VERSION_PATTERN.match(name) and (artifacts_dir / name).is_dir():
            return artifacts_dir / name
    versions = list_versions(artifacts_dir)
    return versions[-1] if versions else None


def set_latest(artifacts_dir: Path, version: Path) -> None:
    """Point LATEST (file) and latest (symlink) at `version`, each with an atomic replace."""
    temporary = artifacts_dir / f".LATEST.{os.getpid()}"
    temporary.write_text(version.name + "\n", encoding="utf-8")
    os.replace(temporary, artifacts_dir / "LATEST")
    link = artifacts_dir / f".latest.{os.getpid()}"
    try:
        if link.is_symlink():
            link.unlink()
        os.symlink(version.name, link)
        os.replace(link, artifacts_dir / "latest")
    except OSError:  # file systems without symlinks still have LATEST
        link.unlink(missing_ok=True)


def prune_versions(artifacts_dir: Path, keep_last: int | None, protect: list[Path]) -> list[Path]:
    """Delete versions beyond the newest `keep_last`, never one in `protect`."""
    if not keep_last:
        return []
    versions = list_versions(artifacts_dir)
    protected = {p.resolve() for p in protect}
    doomed = [p for p in versions[:-keep_last] if p.resolve() not in protected]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def read_manifest(version: Path) -> dict:
    return json.loads((version / "manifest.json").read_text(encoding="utf-8"))


def runs_table(artifacts_dir: Path) -> pd.DataFrame:
    """One row per version, newest first: what `vntopics runs` prints."""
    import pandas as pd

    rows = []
    for version in reversed(list_versions(artifacts_dir)):
        manifest = read_manifest(version)
        metrics = manifest.get("metrics", {})
        npmi = metrics.get("npmi", {})
        rows.append({
            "version": version.name, "created": manifest.get("created_at", ""),
            "ok": manifest["documents"]["ok"], "rejected": manifest["documents"]["rejected"],
            "k": " ".join(f"{m}={k}" for m, k in metrics.get("num_topics", {}).items()),
            "npmi": " ".join(f"{m}={v:.3f}" for m, v in npmi.items()) or "-"})
    return pd.DataFrame(rows, columns=["version", "created", "ok", "rejected", "k", "npmi"])


# Columns read as text by `read_table(typed=True)`: ids that look like numbers stay ids
# ("0012"), missing text is "".
TEXT_COLUMNS = ("doc_id", "topic_id", "label", "group", "title", "word", "code", "province",
                "province_2025", "source", "reason", "evidence", "citations", "date",
                "version", "words_a", "words_b", "status", "model", "dimension", "direction",
                "term", "kind", "created_at", "date_source", "province_source",
                "source_source", "trend")
TABLE_SUFFIXES = (".parquet", ".csv")


def table_names(version: Path) -> list[str]:
    """Every table of a version, sorted: written as CSV, as Parquet, or both."""
    folder = version / "tables"
    return sorted({p.stem for p in folder.iterdir() if p.suffix in TABLE_SUFFIXES}
                  ) if folder.is_dir() else []


def read_table(version: Path, name: str, *, typed: bool = False) -> pd.DataFrame:
    """A version's table by name (`doc_topics`, `topics` …): the Parquet file when there is
    one (large document-level tables are only Parquet), else the CSV; KeyError naming the
    version's tables when it has none of that name.

    `typed`: the same columns whichever file was read, as the Python API gives them: text
    columns (`TEXT_COLUMNS`) as text with "" for missing, `year` as Int64, numbers as numbers
    (NaN for missing). Otherwise a CSV's cells are read as `keep_default_na=False` does."""
    import pandas as pd

    folder = version / "tables"
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    if parquet.is_file():
        frame = pd.read_parquet(parquet)
    elif not csv.is_file():
        raise KeyError(f"{name!r}: no table {name} in {version} "
                       f"(tables: {', '.join(table_names(version))})")
    elif typed:
        header = pd.read_csv(csv, nrows=0).columns
        frame = pd.read_csv(csv, dtype={c: str for c in header if c in TEXT_COLUMNS})
    else:
        return pd.read_csv(csv, keep_default_na=False)
    if not typed:
        return frame
    text = [column for column in frame.columns if column in TEXT_COLUMNS]
    frame[text] = frame[text].fillna("").astype(str)
    if "year" in frame.columns:
        frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    return frame
