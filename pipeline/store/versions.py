"""The versions in an artifacts folder: listing, resolving a name, which is latest, retention.

`LATEST` (a file) and `latest` (a symlink) are replaced atomically after a version is
published, so a reader following them always lands on a complete version.

A damaged version (its manifest missing, cut short or not a manifest, its tables gone) never
blocks the folder: it is listed with the file and the reason (`runs`), passed over by
`latest` (the newest intact version) and by a run continuing from the latest one, and
LATEST/`latest` are repaired when they are not what the tools wrote (`repair_pointers`).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # pandas loads when a table is read (a light start)
    import pandas as pd


VERSION_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


def version_problem(version: Path) -> str | None:
    """What is wrong with a version folder ('<file>: <reason>'), or None when it is intact."""
    path = version / "manifest.json"
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return "manifest.json: missing"
    except (UnicodeDecodeError, ValueError) as exc:
        return f"manifest.json: not JSON ({str(exc).splitlines()[0]})"
    except OSError as exc:
        return f"manifest.json: unreadable ({exc.strerror or exc})"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("documents", {}), dict):
        return "manifest.json: not a vntopics manifest (not a mapping with document counts)"
    return None


def all_versions(artifacts_dir: Path) -> list[tuple[Path, str | None]]:
    """Every version folder, oldest first, with what is wrong with it (None: intact)."""
    if not artifacts_dir.is_dir():
        return []
    return [(p, version_problem(p)) for p in sorted(artifacts_dir.iterdir())
            if VERSION_PATTERN.match(p.name) and p.is_dir() and not p.is_symlink()]


def list_versions(artifacts_dir: Path) -> list[Path]:
    """Intact versions, oldest first (names sort by creation time)."""
    return [p for p, problem in all_versions(artifacts_dir) if problem is None]


def resolve_version(artifacts_dir: Path, name: str) -> Path:
    """A version by exact name, unique prefix, or 'latest'; never a path outside the folder."""
    if name == "latest":
        latest = latest_version(artifacts_dir)
        if latest is None:
            raise ValueError(f"no versions in {artifacts_dir}")
        return latest
    versions = all_versions(artifacts_dir)
    exact = [p for p in versions if p[0].name == name]
    matches = exact or [p for p in versions if p[0].name.startswith(name)]
    if len(matches) != 1:
        raise ValueError(f"no single version matching {name!r} in {artifacts_dir}")
    version, problem = matches[0]
    if problem:
        raise ValueError(f"version {version.name} is damaged: {version / problem}")
    return version


def previous_version(artifacts_dir: Path, compare_to: str | None) -> Path | None:
    """The version a new run is compared to: None for no comparison or an empty folder."""
    if not compare_to:
        return None
    if compare_to == "latest":
        return latest_version(artifacts_dir)
    return resolve_version(artifacts_dir, compare_to)


def pointed_to(artifacts_dir: Path) -> str:
    """The version name LATEST holds ('' when it is not a small text file naming one)."""
    pointer = artifacts_dir / "LATEST"
    try:
        if pointer.is_file() and not pointer.is_symlink() and pointer.stat().st_size < 200:
            name = pointer.read_bytes().decode("utf-8").strip()
            return name if VERSION_PATTERN.match(name) else ""
    except (OSError, UnicodeDecodeError):
        pass
    return ""


def latest_version(artifacts_dir: Path) -> Path | None:
    """The version LATEST names when it is intact, else the newest intact one."""
    name = pointed_to(artifacts_dir)
    if name and (artifacts_dir / name).is_dir() and version_problem(artifacts_dir / name) is None:
        return artifacts_dir / name
    versions = list_versions(artifacts_dir)
    return versions[-1] if versions else None


def pointer_problems(artifacts_dir: Path, latest: Path) -> list[str]:
    """How LATEST and `latest` differ from what `set_latest(latest)` writes."""
    problems = []
    if pointed_to(artifacts_dir) != latest.name:
        problems.append("LATEST does not name it")
    link = artifacts_dir / "latest"
    if not link.is_symlink() and (link.exists() or pointed_to(artifacts_dir)):
        problems.append("latest is not a symbolic link" if link.exists() else
                        "latest is missing")
    elif link.is_symlink() and os.readlink(link) != latest.name:
        problems.append("latest does not point to it")
    return problems


def repair_pointers(artifacts_dir: Path) -> list[str]:
    """Point LATEST and `latest` at the newest intact version when they are not what the
    tools wrote (hold `artifacts_dir.folder_lock`); returns what was repaired, for the log."""
    latest = latest_version(artifacts_dir)
    if latest is None:
        return []
    problems = pointer_problems(artifacts_dir, latest)
    if problems:
        set_latest(artifacts_dir, latest)
        return [f"{artifacts_dir}: {'; '.join(problems)}: repaired to point to {latest.name}"]
    return []


def move_aside(path: Path) -> None:
    """A folder where LATEST or latest belongs (a copy, not what the tools wrote)."""
    if path.is_dir() and not path.is_symlink():
        os.replace(path, path.with_name(f"{path.name}.replaced-{time.strftime('%Y%m%dT%H%M%S')}"))


def set_latest(artifacts_dir: Path, version: Path) -> None:
    """Point LATEST (file) and latest (symlink) at `version`, each with an atomic replace."""
    move_aside(artifacts_dir / "LATEST")
    move_aside(artifacts_dir / "latest")
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
    """Delete versions beyond the newest `keep_last`, never one in `protect` nor one a live
    run continues from (hold `artifacts_dir.folder_lock`)."""
    from vntopics.pipeline.store.artifacts_dir import pinned_versions

    if not keep_last:
        return []
    versions = list_versions(artifacts_dir)
    protected = {p.resolve() for p in protect}
    pinned = pinned_versions(artifacts_dir)
    doomed = [p for p in versions[:-keep_last]
              if p.resolve() not in protected and p.name not in pinned]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def read_manifest(version: Path) -> dict:
    return json.loads((version / "manifest.json").read_text(encoding="utf-8"))


def runs_table(artifacts_dir: Path, *, k_per_model: bool = False) -> pd.DataFrame:
    """One row per version, newest first: what `vntopics runs` prints (`k_per_model`: K as
    {model: K}, for JSON, instead of the text 'lda=8 nmf=8')."""
    import pandas as pd

    rows = []
    for version, problem in reversed(all_versions(artifacts_dir)):
        if problem:
            rows.append({"version": version.name, "created": "", "ok": "", "rejected": "",
                         "k": "", "npmi": "", "problem": f"damaged: {version / problem}"})
            continue
        manifest = read_manifest(version)
        metrics, counts = manifest.get("metrics", {}), manifest.get("documents", {})
        npmi = metrics.get("npmi", {})
        rows.append({
            "version": version.name, "created": manifest.get("created_at", ""),
            "ok": counts.get("ok", ""), "rejected": counts.get("rejected", ""),
            "k": dict(metrics.get("num_topics", {})) if k_per_model else
                 " ".join(f"{m}={k}" for m, k in metrics.get("num_topics", {}).items()),
            "npmi": " ".join(f"{m}={v:.3f}" for m, v in npmi.items()) or "-", "problem": ""})
    return pd.DataFrame(rows, columns=["version", "created", "ok", "rejected", "k", "npmi",
                                       "problem"])


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
