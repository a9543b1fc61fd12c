"""`apply` on nothing scorable (an empty folder, documents that are all rejected or share no
word with the version) still writes the CSV with every document's status and reason, and
exits 0 with a warning; an `--output` inside the artifacts folder, in a folder that does not
exist or over a folder is refused before any work."""
from __future__ import annotations

import pytest

from tests.conftest import VNTOPICS, parse_csv, read_csv
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.store import publish_version
from vntopics.pipeline.store.models import APPLY_COLUMNS, apply_version

import subprocess


@pytest.fixture(scope="module")
def published(real_results, tmp_path_factory):
    root = tmp_path_factory.mktemp("apply")
    version, _ = publish_version(real_results, root / "artifacts", top_words=5)
    return root, version


def unscorable(folder):
    folder.mkdir()
    (folder / "trong.txt").write_bytes(b"")                                  # empty file
    (folder / "nhi-phan.txt").write_bytes(b"\x00\x01\x02\xff" * 50)          # binary
    (folder / "la.txt").write_text("Zzyzx qwrtp xkcdq.\n" * 3, encoding="utf-8")  # no word
    return folder


def test_nothing_scorable_gives_every_row_with_its_reason(published, tmp_path):
    _, version = published
    config = RunConfig.model_validate({"cache": {"enabled": False}})
    assert list(apply_version(version, [tmp_path], config).columns) == APPLY_COLUMNS
    assert apply_version(version, [tmp_path], config).empty               # an empty folder
    table = apply_version(version, [unscorable(tmp_path / "new")], config)
    assert list(table["doc_id"]) == ["la.txt", "nhi-phan.txt", "trong.txt"]
    assert set(table["status"]) == {"rejected"}
    assert all(table["reason"].str.len() > 0)


def cli(*args):
    return subprocess.run([*VNTOPICS, *args], capture_output=True, text=True, timeout=300)


def test_apply_command_on_nothing_scorable_writes_the_csv_and_warns(published, tmp_path):
    root, version = published
    output = tmp_path / "scores.csv"
    result = cli("apply", "--input", str(unscorable(tmp_path / "new")), "--artifacts-dir",
                 str(root / "artifacts"), "--output", str(output), "--set",
                 f"cache.dir={tmp_path / 'cache'}")
    assert result.returncode == 0, result.stderr
    assert "nothing to score" in result.stderr
    rows = read_csv(output)
    assert len(rows) == 3 and {r["status"] for r in rows} == {"rejected"}
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("apply", "--input", str(empty), "--artifacts-dir", str(root / "artifacts"),
                 "--set", f"cache.dir={tmp_path / 'cache'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [",".join(APPLY_COLUMNS)]
    assert parse_csv(result.stdout) == []


@pytest.mark.parametrize("where", ["latest", "version", "missing folder", "a folder"])
def test_apply_refuses_an_output_it_must_not_write_before_any_work(published, tmp_path,
                                                                    where):
    root, version = published
    artifacts = root / "artifacts"
    output = {"latest": artifacts / "latest" / "tables" / "topics.csv",
              "version": version / "tables" / "topics.csv",
              "missing folder": tmp_path / "nowhere" / "scores.csv",
              "a folder": tmp_path}[where]
    before = (version / "tables" / "topics.csv").read_bytes()
    result = cli("apply", "--input", str(unscorable(tmp_path / "new")), "--artifacts-dir",
                 str(artifacts), "--output", str(output))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert str(output.name) in result.stderr or str(output) in result.stderr
    assert (version / "tables" / "topics.csv").read_bytes() == before
    assert not (tmp_path / "nowhere").exists()


def test_ingest_refuses_to_be_redirected_into_the_artifacts_folder(published, tmp_path):
    root, version = published
    target = version / "tables" / "documents.csv"
    before = target.read_bytes()
    with open(target, "r+b") as handle:      # what `>>` would open, without truncating
        result = subprocess.run([*VNTOPICS, "ingest", "--input", str(tmp_path), "--set",
                                 f"artifacts.dir={root / 'artifacts'}"], stdout=handle,
                                stderr=subprocess.PIPE, text=True, timeout=300)
    assert result.returncode == 2 and "inside the artifacts folder" in result.stderr
    assert target.read_bytes() == before
