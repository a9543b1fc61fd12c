"""The labels file is checked whole when read (file and line named in one line): a broken one
fails a run's pre-flight, never its publish after all the modelling (there it is a warning
and the labels are left out); `label` refuses topic ids the latest version does not have,
a folder without versions or that does not exist; a full disk leaves no partial file."""
from __future__ import annotations

import errno
import json
import shutil
import subprocess

import pytest

from tests.conftest import VNTOPICS
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.preflight import check_before_work
from vntopics.pipeline.store import publish_version
from vntopics.pipeline.store import labels as labels_module
from vntopics.pipeline.store.labels import read_labels, write_label
from vntopics.pipeline.store.writer import VersionWriter

BROKEN = {
    "lda: [a, b]\n": "line 1: the labels of lda must be a mapping",
    "lda:\n  L00: Y tế\n  L01: [x]\n": "line 3: lda: expected topic id: label",
    "lda:\n  L00: Y tế\nnmf: {N00: 'Giáo dục'\n": "YAML syntax error at line 4",
    "lsa:\n  L00: Y tế\n": "line 1: unknown model 'lsa'",
    "- lda\n": "line 1: expected a mapping",
}


@pytest.fixture(scope="module")
def published(real_results, tmp_path_factory):
    artifacts = tmp_path_factory.mktemp("labels") / "artifacts"
    version, _ = publish_version(real_results, artifacts, top_words=5)
    return artifacts, version


@pytest.fixture
def folder(published, tmp_path):
    copy = tmp_path / "artifacts"
    shutil.copytree(published[0], copy, symlinks=True)
    return copy


def label_cli(*args):
    return subprocess.run([*VNTOPICS, "label", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("text, problem", BROKEN.items())
def test_a_broken_labels_file_is_named_with_its_line(folder, text, problem):
    (folder / "labels.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        read_labels(folder)
    message = str(raised.value)
    assert message.startswith(f"labels {folder / 'labels.yaml'}") and problem in message
    assert "\n" not in message
    config = RunConfig.model_validate({"artifacts": {"dir": str(folder)},
                                       "input": {"paths": ["tests/fixtures/seeds"]}})
    with pytest.raises(ValueError, match="labels.yaml"):
        check_before_work(config)                      # before any work, not at publish


def test_label_on_a_broken_file_is_one_line(folder):
    (folder / "labels.yaml").write_bytes(b"lda:\n  L00: \xff\xfe\n")
    result = label_cli("lda", "L00", "Y tế", "--artifacts-dir", str(folder))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"vntopics: error: labels {folder / 'labels.yaml'}: "
                                     "not UTF-8 text (undecodable byte at offset 12)")


def test_a_labels_file_broken_during_the_run_is_a_warning_at_publish(folder, real_results):
    (folder / "labels.yaml").write_text("lda: [a, b]\n", encoding="utf-8")
    version, _ = publish_version(real_results, folder, top_words=5)
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    assert any(w.startswith("labels left out: ") and "labels.yaml, line 1" in w
               for w in manifest["warnings"])
    assert (version / "report.html").is_file()


def test_label_refuses_an_unknown_topic_id_and_lists_the_known_ones(folder, published):
    result = label_cli("lda", "L99", "Không có", "--artifacts-dir", str(folder))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"vntopics: error: lda L99 never existed in {folder} "
                                     "(topic ids: L00 L01 L02)")
    assert not (folder / "labels.yaml").exists()
    write_label(folder, "lda", "L01", "Kinh tế")
    assert read_labels(folder) == {"lda": {"L01": "Kinh tế"}}


def test_label_refuses_a_folder_without_versions_or_that_does_not_exist(tmp_path):
    missing = tmp_path / "khong-co"
    result = label_cli("lda", "L00", "Y tế", "--artifacts-dir", str(missing))
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert not missing.exists()                        # not created
    empty = tmp_path / "empty"
    empty.mkdir()
    result = label_cli("nmf", "N00", "Y tế", "--artifacts-dir", str(empty))
    assert result.returncode == 2 and f"no versions in {empty}" in result.stderr
    assert list(empty.iterdir()) == []


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_label_on_a_full_disk_is_one_line_and_leaves_no_partial_file(folder, monkeypatch):
    write_label(folder, "lda", "L00", "Y tế")
    before = (folder / "labels.yaml").read_bytes()
    monkeypatch.setattr(labels_module.os, "fsync", full_disk)
    with pytest.raises(ValueError) as raised:
        write_label(folder, "lda", "L01", "Kinh tế")
    assert str(raised.value) == (f"cannot write labels.yaml in {folder}: No space left on "
                                 "device")
    assert (folder / "labels.yaml").read_bytes() == before
    assert not list(folder.glob(".labels.yaml.*"))


def test_publish_on_a_full_disk_is_one_line_and_leaves_no_partial_version(folder,
                                                                        real_results,
                                                                        monkeypatch):
    before = sorted(p.name for p in folder.iterdir())
    monkeypatch.setattr(VersionWriter, "write_text", full_disk)
    with pytest.raises(ValueError) as raised:
        publish_version(real_results, folder, top_words=5)
    assert str(raised.value) == (f"cannot write a version in {folder}: No space left on "
                                 "device")
    assert sorted(p.name for p in folder.iterdir()) == before
