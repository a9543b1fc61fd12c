"""Hostile configuration: a few hundred bytes of YAML must not cost minutes and gigabytes.
Every YAML the project reads (configs, `--set` values, labels.yaml, and the watchlist inside
a config) refuses aliases, so an alias bomb fails at once in one line."""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT, VNTOPICS
from vntopics.pipeline.config_io import read_yaml_file, read_yaml_text
from vntopics.pipeline.store import read_labels

MAX_SECONDS, MAX_PEAK_BYTES = 20, 1 << 30


def alias_bomb(levels: int = 9) -> str:
    """The classic "billion laughs": each level lists the previous one 9 times, 9**9 leaves
    (~387 million) from ~400 bytes."""
    lines = [f"&b0 [{','.join(['lol'] * 9)}]"]
    for level in range(1, levels):
        lines.append(f"&b{level} [{','.join([f'*b{level - 1}'] * 9)}]")
    bomb = "[" + ",".join(lines) + "]"
    assert len(bomb) < 413
    return bomb


def run_measured(args: list[str]) -> tuple[subprocess.CompletedProcess, float, int]:
    """The CLI's result, its wall time and its peak resident memory (bytes, from wait4's
    rusage of that one process); killed when it takes longer than MAX_SECONDS."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([*VNTOPICS, *args], cwd=PROJECT, stdout=out, stderr=err,
                                   env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED":
                                        "false"})
        while not (finished := os.wait4(process.pid, os.WNOHANG))[0]:
            if time.monotonic() - started > MAX_SECONDS:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                pytest.fail(f"{args[0]} still running after {MAX_SECONDS} s")
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        _, status, usage = finished
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        result = subprocess.CompletedProcess(args, process.returncode,
                                             out.read().decode(), err.read().decode())
    return result, elapsed, usage.ru_maxrss * 1024


@pytest.fixture
def bomb_config(tmp_path) -> Path:
    path = tmp_path / "bomb.yaml"
    path.write_text(f"compare:\n  watchlist: {alias_bomb()}\n", encoding="utf-8")
    return path


def assert_fails_fast_in_one_line(args: list[str], where: str) -> None:
    result, elapsed, peak = run_measured(args)
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert where in result.stderr and "alias *b0 refused" in result.stderr
    assert elapsed < MAX_SECONDS and peak < MAX_PEAK_BYTES


def test_config_show_refuses_an_alias_bomb_at_once(bomb_config):
    assert_fails_fast_in_one_line(["config", "show", "--config", str(bomb_config)],
                                  f"config {bomb_config}: YAML syntax error at line 2")


def test_a_watchlist_alias_bomb_fails_before_any_reading(bomb_config):
    assert_fails_fast_in_one_line(["ingest", "--config", str(bomb_config), "--input",
                                   str(FIXTURES / "seeds")], f"config {bomb_config}")


def test_a_set_value_alias_bomb_fails_in_one_line():
    assert_fails_fast_in_one_line(["config", "show", "--set",
                                   f"compare.watchlist={alias_bomb()}"], "--set")


def test_labels_alias_bomb_fails_the_label_command_in_one_line(tmp_path):
    (tmp_path / "labels.yaml").write_text(f"lda: {alias_bomb()}\n", encoding="utf-8")
    assert_fails_fast_in_one_line(["label", "lda", "L01", "Y tế", "--artifacts-dir",
                                   str(tmp_path)], f"labels {tmp_path / 'labels.yaml'}")
    with pytest.raises(ValueError, match="alias"):
        read_labels(tmp_path)


def test_anchors_without_aliases_and_ordinary_yaml_still_read(tmp_path):
    assert read_yaml_text("a: &first 1\nb: [x, y]\n") == {"a": 1, "b": ["x", "y"]}
    path = tmp_path / "labels.yaml"
    path.write_text("lda:\n  L01: Y tế\n", encoding="utf-8")
    assert read_yaml_file(path, "labels") == {"lda": {"L01": "Y tế"}}
    assert read_labels(tmp_path) == {"lda": {"L01": "Y tế"}}


def test_deep_nesting_is_refused_in_one_line(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("compare:\n  watchlist: " + "[" * 5000 + "]" * 5000 + "\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="nested more than 100 levels deep") as caught:
        read_yaml_file(path, "config")
    assert "\n" not in str(caught.value)


def test_an_oversized_yaml_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("compare:\n  watchlist:\n" + "".join(
        f"  - chuyển đổi số {n}\n" for n in range(150_000)), encoding="utf-8")
    result, elapsed, peak = run_measured(["config", "show", "--config", str(path)])
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"config {path}: 4.7 MB, more than a YAML file here may hold (2 MB" in result.stderr
    assert elapsed < MAX_SECONDS and peak < MAX_PEAK_BYTES
