"""A damaged version never blocks its artifacts folder: `runs` lists the good versions and
marks a damaged one with the file and the reason, `latest` is the newest intact version (a run
continues from it), and LATEST/`latest` are repaired when they are not what the tools wrote
(a binary LATEST, one naming a folder without a manifest, a stale `cp -rL` copy of `latest`,
LATEST a folder)."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from vntopics.pipeline.store import publish_version
from vntopics.pipeline.store.artifacts_dir import tidy_artifacts_dir
from vntopics.pipeline.store.lineage import recall_lineage
from vntopics.pipeline.store.versions import (latest_version, list_versions, resolve_version,
                                              runs_table)

TOP_WORDS = 5


@pytest.fixture(scope="module")
def two_versions(real_results, tmp_path_factory):
    """A folder with two real published versions; each test works on a copy."""
    artifacts = tmp_path_factory.mktemp("damaged") / "artifacts"
    first, _ = publish_version(real_results, artifacts, top_words=TOP_WORDS)
    second, _ = publish_version(real_results, artifacts, top_words=TOP_WORDS, previous=first)
    return artifacts, first.name, second.name


@pytest.fixture
def folder(two_versions, tmp_path):
    source, first, second = two_versions
    copy = tmp_path / "artifacts"
    shutil.copytree(source, copy, symlinks=True)
    return copy, first, second


@pytest.mark.parametrize("manifest, reason", [
    ("{", "manifest.json: not JSON"), ("[]", "manifest.json: not a vntopics manifest"),
    (b"\xff\xfe\x00binary", "manifest.json: not JSON"), (None, "manifest.json: missing")])
def test_a_damaged_latest_version_is_listed_with_its_file_and_passed_over(folder, manifest,
                                                                         reason):
    artifacts, first, second = folder
    path = artifacts / second / "manifest.json"
    if manifest is None:
        path.unlink()
    else:
        path.write_bytes(manifest if isinstance(manifest, bytes) else manifest.encode())
    table = runs_table(artifacts)
    assert list(table["version"]) == [second, first]
    assert table.iloc[0]["problem"].startswith(f"damaged: {path}")
    assert reason in table.iloc[0]["problem"]
    assert table.iloc[1]["problem"] == "" and table.iloc[1]["ok"] == 120
    assert latest_version(artifacts) == artifacts / first
    assert resolve_version(artifacts, "latest") == artifacts / first
    with pytest.raises(ValueError, match=f"{second} is damaged: .*manifest.json"):
        resolve_version(artifacts, second)
    lineage, note = recall_lineage(artifacts)          # a run continues from the intact one
    assert lineage.parent == first and first in note
    repaired = tidy_artifacts_dir(artifacts)
    assert repaired and first in repaired[0]
    assert (artifacts / "LATEST").read_text().strip() == first
    assert os.readlink(artifacts / "latest") == first


@pytest.mark.parametrize("damage", ["binary", "no manifest", "stale copy", "folder"])
def test_latest_pointers_not_written_by_the_tools_are_repaired(folder, damage):
    artifacts, first, second = folder
    if damage == "binary":
        (artifacts / "LATEST").write_bytes(b"\x00\x89PNG\xff" * 40)
    elif damage == "no manifest":
        (artifacts / "20991231T000000Z-00000000").mkdir()
        (artifacts / "LATEST").write_text("20991231T000000Z-00000000\n")
    elif damage == "stale copy":       # `cp -rL` of the folder made `latest` a real folder
        (artifacts / "latest").unlink()
        shutil.copytree(artifacts / first, artifacts / "latest")
    else:
        (artifacts / "LATEST").unlink()
        (artifacts / "LATEST").mkdir()
    assert latest_version(artifacts) == artifacts / second
    assert [p.name for p in list_versions(artifacts)] == [first, second]
    repaired = tidy_artifacts_dir(artifacts)
    assert len(repaired) == 1 and second in repaired[0]
    assert (artifacts / "LATEST").read_text().strip() == second
    assert os.readlink(artifacts / "latest") == second
    assert tidy_artifacts_dir(artifacts) == []         # nothing left to repair


def test_publishing_over_a_latest_folder_succeeds(folder, real_results):
    artifacts, first, second = folder
    (artifacts / "LATEST").unlink()
    (artifacts / "LATEST").mkdir()                     # failed after publishing before
    (artifacts / "latest").unlink()
    shutil.copytree(artifacts / first, artifacts / "latest")
    third, _ = publish_version(real_results, artifacts, top_words=TOP_WORDS)
    assert (artifacts / "LATEST").read_text().strip() == third.name
    assert os.readlink(artifacts / "latest") == third.name
    assert json.loads((third / "manifest.json").read_text())["version"] == third.name


def test_runs_and_diff_commands_on_a_damaged_version(folder):
    import subprocess

    from tests.conftest import VNTOPICS

    artifacts, first, second = folder
    (artifacts / second / "manifest.json").write_text("{", encoding="utf-8")

    def cli(*args):
        return subprocess.run([*VNTOPICS, *args, "--artifacts-dir", str(artifacts)],
                              capture_output=True, text=True, timeout=120)

    listed = cli("runs", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [r["version"] for r in rows] == [second, first]
    assert "manifest.json: not JSON" in rows[0]["problem"] and rows[1]["ok"] == 120
    diffed = cli("diff", first, second)
    assert diffed.returncode == 2 and "Traceback" not in diffed.stderr
    assert diffed.stderr.strip().startswith(f"vntopics: error: version {second} is damaged: "
                                            f"{artifacts / second / 'manifest.json'}: not "
                                            "JSON (")
    assert cli("diff", first, "latest").returncode == 0     # latest: the intact one
