"""A full artifacts disk (a real tmpfs, when this machine lets the tests mount one): `label`
and a run fail in one line naming the folder, and leave no partial file; what was published
stays intact. (A disk that fills up during publish: tests/store/test_labels_file.py.)"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    mount_point = tmp_path_factory.mktemp("small-disk")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs",
                              str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass


def run_args(artifacts: Path, cache: Path) -> list[str]:
    return ["run", "--input", str(FIXTURES / "unc-small.jsonl.gz"), "--artifacts-dir",
            str(artifacts), "--set", "model.num_topics=4", "--set", "model.stability_seeds=1",
            "--set", "compare.bootstrap=20", "--set", f"cache.dir={cache}"]


def test_a_full_disk_is_one_line_naming_the_folder(small_disk, cli_env, tmp_path):
    artifacts = small_disk / "runs"
    first = run_cli(run_args(artifacts, tmp_path / "cache"), env=cli_env)
    assert first.returncode == 0, first.stderr[-3000:]
    version = Path(first.stdout.strip().splitlines()[-1])
    topic = json.loads((version / "manifest.json").read_text())["topic_ids"]["lda"][0]
    before = sorted(p.name for p in artifacts.iterdir())
    fill(small_disk)
    labelled = run_cli(["label", "lda", topic, "Xây dựng Đảng " * 400, "--artifacts-dir",
                        str(artifacts)])
    assert labelled.returncode == 2
    assert labelled.stderr.strip() == (f"vntopics: error: cannot write labels.yaml in "
                                       f"{artifacts}: No space left on device")
    again = run_cli(run_args(artifacts, tmp_path / "cache"), env=cli_env)
    assert again.returncode == 2
    assert (f"vntopics: error: cannot write in the artifacts folder {artifacts}: No space "
            "left on device") in again.stderr.splitlines()   # Prefect may log after it
    assert sorted(p.name for p in artifacts.iterdir()) == before     # no partial file
    assert json.loads((version / "manifest.json").read_text())["version"] == version.name
