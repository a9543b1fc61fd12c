"""The versions in an artifacts folder: which is latest, listing, retention, and what changed
between two versions (topics matched by top-word overlap).

`LATEST` (a file) and `latest` (a symlink) are replaced atomically after a version is
published, so a reader following them always lands on a complete version.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from pipeline.stability import jaccard_matrix  # one definition of topic overlap

VERSION_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")
KEPT_OVERLAP, CHANGED_OVERLAP = 0.5, 0.2
DIFF_TOP_WORDS = 10


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


def top_words(version: Path, top_n: int = DIFF_TOP_WORDS) -> dict[str, list[list[str]]]:
    """Per model, each topic's top words in rank order."""
    topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
    words: dict[str, list[list[str]]] = {}
    for model, rows in topics[topics["rank"] <= top_n].groupby("model", sort=True):
        ordered = rows.sort_values(["topic", "rank"])
        words[model] = [list(g["word"]) for _, g in ordered.groupby("topic", sort=True)]
    return words


def match_topics(left: list[list[str]], right: list[list[str]]
                 ) -> list[tuple[int | None, int | None, float]]:
    """Hungarian assignment on top-word Jaccard; pairs below CHANGED_OVERLAP are unmatched."""
    overlap = jaccard_matrix(left, right)
    pairs: list[tuple[int | None, int | None, float]] = []
    matched_left, matched_right = set(), set()
    if overlap.size:
        for i, j in zip(*linear_sum_assignment(-overlap)):
            if overlap[i, j] >= CHANGED_OVERLAP:
                pairs.append((int(i), int(j), float(overlap[i, j])))
                matched_left.add(i)
                matched_right.add(j)
    pairs += [(i, None, 0.0) for i in range(len(left)) if i not in matched_left]
    pairs += [(None, j, 0.0) for j in range(len(right)) if j not in matched_right]
    return pairs


def province_shift(version_a: Path, version_b: Path, model: str, topic_a: int, topic_b: int
                   ) -> str:
    """Largest prevalence changes by province for a matched topic, as short text."""
    def load(version: Path, topic: int) -> pd.Series:
        table = pd.read_csv(version / "tables" / "topic_prevalence.csv", keep_default_na=False)
        rows = table[(table["model"] == model) & (table["dimension"] == "province")
                     & (table["topic"] == topic)]
        return rows.set_index("group")["prevalence"].astype(float)

    change = (load(version_b, topic_b) - load(version_a, topic_a)).dropna()
    if change.empty:
        return ""
    top = change.reindex(change.abs().sort_values(ascending=False).index).head(3)
    return "; ".join(f"{province} {value:+.3f}" for province, value in top.items())


def diff_versions(version_a: Path, version_b: Path) -> pd.DataFrame:
    """Topics of B matched to A: kept / changed / new / vanished, with word overlap and the
    biggest province prevalence shifts of matched topics."""
    words_a, words_b = top_words(version_a), top_words(version_b)
    rows = []
    for model in sorted(set(words_a) | set(words_b)):
        left, right = words_a.get(model, []), words_b.get(model, [])
        for topic_a, topic_b, overlap in match_topics(left, right):
            if topic_a is None:
                status = "new"
            elif topic_b is None:
                status = "vanished"
            else:
                status = "kept" if overlap >= KEPT_OVERLAP else "changed"
            both = topic_a is not None and topic_b is not None
            rows.append({
                "model": model, "topic_a": topic_a, "topic_b": topic_b, "status": status,
                "overlap": round(overlap, 3),
                "words_a": " ".join(left[topic_a]) if topic_a is not None else "",
                "words_b": " ".join(right[topic_b]) if topic_b is not None else "",
                "province_shift": province_shift(version_a, version_b, model, topic_a,
                                                 topic_b) if both else ""})
    frame = pd.DataFrame(rows, columns=["model", "topic_a", "topic_b", "status", "overlap",
                                        "words_a", "words_b", "province_shift"])
    for column in ("topic_a", "topic_b"):
        frame[column] = frame[column].astype("Int64")
    return frame
