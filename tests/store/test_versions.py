"""The versions of an artifacts folder (store/versions.py): which folders are versions, how a
name resolves, which one is latest, the LATEST/latest pointers, retention and `vntopics runs`.

Each version here is a fake folder holding only what these functions read: manifest.json."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vntopics.pipeline.store import versions
from vntopics.pipeline.store.versions import (latest_version, list_versions, previous_version,
                                              prune_versions, resolve_version, runs_table,
                                              set_latest)

OLDEST = "20240105T060000Z-1a2b3c4d"
MIDDLE = "20240212T060000Z-9f8e7d6c"
NEWEST = "20240212T070000Z-00aa11bb"


def make_version(root: Path, name: str, ok: int = 118, rejected: int = 2,
                 num_topics: dict | None = None, npmi: dict | None = None) -> Path:
    folder = root / name
    (folder / "tables").mkdir(parents=True)
    metrics = {"num_topics": num_topics or {"lda": 8, "nmf": 8}}
    if npmi is not None:
        metrics["npmi"] = npmi
    manifest = {"version": name, "created_at": f"{name[:4]}-{name[4:6]}-{name[6:8]}T"
                                              f"{name[9:11]}:{name[11:13]}:00Z",
                "documents": {"in": ok + rejected, "ok": ok, "rejected": rejected},
                "metrics": metrics}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                          encoding="utf-8")
    return folder


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    """Three complete versions created out of order, plus everything that is not a version."""
    root = tmp_path / "artifacts"
    for name in (NEWEST, OLDEST, MIDDLE):
        make_version(root, name)
    make_version(root, ".tmp-20240301T000000Z-deadbeef")          # a run in progress
    (root / "20240302T000000Z-cafebabe" / "tables").mkdir(parents=True)   # no manifest
    make_version(root, "báo-cáo-cũ")                                 # not a version name
    (root / "20240303T000000Z-0badf00d").write_text("a file, not a folder", encoding="utf-8")
    return root


def test_list_versions_keeps_complete_versions_oldest_first(artifacts, tmp_path):
    assert [p.name for p in list_versions(artifacts)] == [OLDEST, MIDDLE, NEWEST]
    assert all(p.parent == artifacts for p in list_versions(artifacts))
    assert list_versions(tmp_path / "missing") == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert list_versions(empty) == []


def test_list_versions_ignores_the_latest_pointers(artifacts):
    set_latest(artifacts, artifacts / MIDDLE)
    assert (artifacts / "latest").is_dir() and (artifacts / "LATEST").is_file()
    assert [p.name for p in list_versions(artifacts)] == [OLDEST, MIDDLE, NEWEST]


def test_resolve_version_by_exact_name_and_unique_prefix(artifacts):
    assert resolve_version(artifacts, MIDDLE) == artifacts / MIDDLE
    assert resolve_version(artifacts, "20240105") == artifacts / OLDEST
    assert resolve_version(artifacts, "20240212T07") == artifacts / NEWEST


@pytest.mark.parametrize("name", [
    "20240212",                          # two versions that day: ambiguous
    "20231231T000000Z-00000000",         # unknown
    "20240301T000000Z-deadbeef",         # staging folder of a run in progress
    ".tmp-20240301T000000Z-deadbeef",
    "20240302T000000Z-cafebabe",         # folder without manifest.json
    "báo-cáo-cũ",                        # not a version name
    "../artifacts/" + OLDEST,            # never a path outside the folder
])
def test_resolve_version_refuses_unknown_ambiguous_and_incomplete_names(artifacts, name):
    with pytest.raises(ValueError, match="no single version matching|is damaged"):
        resolve_version(artifacts, name)


def test_resolve_latest_follows_the_pointer_and_fails_clearly_when_empty(artifacts, tmp_path):
    assert resolve_version(artifacts, "latest") == artifacts / NEWEST
    set_latest(artifacts, artifacts / OLDEST)
    assert resolve_version(artifacts, "latest") == artifacts / OLDEST
    with pytest.raises(ValueError, match="no versions"):
        resolve_version(tmp_path / "nothing-here", "latest")


def test_previous_version(artifacts, tmp_path):
    assert previous_version(artifacts, None) is None
    assert previous_version(artifacts, "") is None
    assert previous_version(tmp_path / "first-run", "latest") is None
    assert previous_version(artifacts, "latest") == artifacts / NEWEST
    assert previous_version(artifacts, MIDDLE[:12]) == artifacts / MIDDLE
    with pytest.raises(ValueError):
        previous_version(artifacts, "20990101")


def test_latest_version_reads_the_pointer_file_first(artifacts):
    assert latest_version(artifacts) == artifacts / NEWEST          # no LATEST: newest name
    (artifacts / "LATEST").write_text(f"{OLDEST}\n", encoding="utf-8")
    assert latest_version(artifacts) == artifacts / OLDEST


@pytest.mark.parametrize("pointer", [
    "20990101T000000Z-00000000",          # version no longer there (pruned by hand)
    "../outside",                         # not a version name
    "",                                   # empty
    "rác không hợp lệ",
])
def test_latest_version_falls_back_to_the_newest_complete_version(artifacts, pointer):
    (artifacts / "LATEST").write_text(pointer, encoding="utf-8")
    assert latest_version(artifacts) == artifacts / NEWEST


def test_latest_version_of_an_empty_folder_is_none(tmp_path):
    assert latest_version(tmp_path) is None
    assert latest_version(tmp_path / "missing") is None


def test_set_latest_points_file_and_symlink_at_the_version(artifacts):
    set_latest(artifacts, artifacts / MIDDLE)
    assert (artifacts / "LATEST").read_text(encoding="utf-8") == f"{MIDDLE}\n"
    link = artifacts / "latest"
    assert link.is_symlink()
    assert os.readlink(link) == MIDDLE          # relative: the folder can be moved whole
    assert json.loads((link / "manifest.json").read_text(encoding="utf-8"))["version"] == MIDDLE
    set_latest(artifacts, artifacts / NEWEST)   # replacing an existing pointer and link
    assert (artifacts / "LATEST").read_text(encoding="utf-8").strip() == NEWEST
    assert os.readlink(link) == NEWEST and latest_version(artifacts) == artifacts / NEWEST
    leftovers = [p.name for p in artifacts.iterdir() if p.name.startswith((".LATEST", ".latest"))]
    assert leftovers == []


def test_set_latest_replaces_with_rename_and_survives_missing_symlinks(artifacts, monkeypatch):
    replaced = []
    real_replace = os.replace

    def recording_replace(source, target):
        replaced.append((Path(source).name, Path(target).name))
        real_replace(source, target)

    monkeypatch.setattr(versions.os, "replace", recording_replace)
    set_latest(artifacts, artifacts / OLDEST)
    assert [target for _, target in replaced] == ["LATEST", "latest"]
    assert all(source.startswith((".LATEST.", ".latest.")) for source, _ in replaced)

    def no_symlinks(*args, **kwargs):
        raise OSError("symlinks not supported on this file system")

    monkeypatch.setattr(versions.os, "symlink", no_symlinks)
    set_latest(artifacts, artifacts / NEWEST)
    assert (artifacts / "LATEST").read_text(encoding="utf-8").strip() == NEWEST
    assert latest_version(artifacts) == artifacts / NEWEST
    assert not [p for p in artifacts.iterdir() if p.name.startswith(".latest.")]


def test_prune_versions_keeps_the_newest(artifacts):
    assert prune_versions(artifacts, None, protect=[]) == []
    assert prune_versions(artifacts, 0, protect=[]) == []
    assert len(list_versions(artifacts)) == 3
    pruned = prune_versions(artifacts, 2, protect=[])
    assert [p.name for p in pruned] == [OLDEST]
    assert not (artifacts / OLDEST).exists()
    assert [p.name for p in list_versions(artifacts)] == [MIDDLE, NEWEST]
    # what is not a version is never touched
    assert (artifacts / ".tmp-20240301T000000Z-deadbeef").is_dir()
    assert (artifacts / "20240302T000000Z-cafebabe").is_dir()
    assert (artifacts / "báo-cáo-cũ" / "manifest.json").is_file()
    assert prune_versions(artifacts, 5, protect=[]) == []


def test_prune_versions_never_deletes_a_protected_version(artifacts):
    protected = artifacts / OLDEST
    pruned = prune_versions(artifacts, 1, protect=[protected])
    assert [p.name for p in pruned] == [MIDDLE]
    assert [p.name for p in list_versions(artifacts)] == [OLDEST, NEWEST]
    # protection compares resolved paths: the `latest` symlink protects what it points at
    set_latest(artifacts, artifacts / OLDEST)
    assert prune_versions(artifacts, 1, protect=[artifacts / "latest"]) == []
    assert protected.is_dir()


def test_runs_table_one_row_per_version_newest_first(artifacts):
    make_version(artifacts, "20240301T060000Z-77777777", ok=590, rejected=10,
                 num_topics={"lda": 8, "nmf": 10}, npmi={"lda": 0.0712, "nmf": 0.10449})
    table = runs_table(artifacts)
    assert list(table.columns) == ["version", "created", "ok", "rejected", "k", "npmi",
                                   "problem"]
    assert list(table["version"]) == ["20240302T000000Z-cafebabe",
                                      "20240301T060000Z-77777777", NEWEST, MIDDLE, OLDEST]
    assert table.iloc[0]["problem"] == (f"damaged: {artifacts}/20240302T000000Z-cafebabe/"
                                        "manifest.json: missing")
    table = table.iloc[1:]
    assert set(table["problem"]) == {""}
    first = table.iloc[0]
    assert (first["ok"], first["rejected"]) == (590, 10)
    assert first["created"] == "2024-03-01T06:00:00Z"
    assert first["k"] == "lda=8 nmf=10"
    assert first["npmi"] == "lda=0.071 nmf=0.104"
    assert table.iloc[1]["npmi"] == "-"            # older manifests without npmi


def test_runs_table_of_an_empty_folder_has_the_columns(tmp_path):
    table = runs_table(tmp_path)
    assert table.empty
    assert list(table.columns) == ["version", "created", "ok", "rejected", "k", "npmi",
                                   "problem"]
