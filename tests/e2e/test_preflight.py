"""Everything that can be checked before work is checked before work: one line on stderr,
exit code 2, no traceback, nothing written, and the temporary Prefect server that boots while
the checks run is killed with them (nothing of the run's left running)."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import FIXTURES, PROJECT, VNTOPICS
from tests.e2e.processes import in_session

SEEDS = str(FIXTURES / "seeds")


def fails_at_once(args: list[str], tmp_path, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"))
    process = subprocess.Popen([*VNTOPICS, "run", "--input", SEEDS, *args], cwd=PROJECT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    stdout, stderr = process.communicate(timeout=120)
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert in_session(process.pid) == {}          # the temporary server too
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr[-2000:]
    assert result.stderr.startswith("vntopics: error: ") and expected in result.stderr, \
        result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("override,expected", [
    ("model.lda.alpha=banana", "model.lda.alpha: should be 'auto', 'symmetric' or "
                               "'asymmetric', or a valid number"),
    ("model.lda.eta=-1", "model.lda.eta: should be 'auto' or 'symmetric', or greater than 0"),
    ("model.num_topics=2-100000", "model.num_topics: K above 500 topics is not supported"),
    ("text.stopword_files=[/nonexistent/stopwords.txt]",
     "stop-word file /nonexistent/stopwords.txt: not found"),
    ("input.sidecar=/nonexistent/metadata.csv", "/nonexistent/metadata.csv: sidecar not found"),
])
def test_bad_settings_fail_before_work(tmp_path, override, expected):
    fails_at_once(["--artifacts-dir", str(tmp_path / "out"), "--set", override], tmp_path,
                  expected)


def test_a_stop_word_list_that_is_not_utf8_fails_before_work(tmp_path):
    words = tmp_path / "stopwords.txt"
    words.write_bytes("của\nnhững\n".encode("utf-16-le"))
    fails_at_once(["--artifacts-dir", str(tmp_path / "out"), "--set",
                   f"text.stopword_files=[{words}]"], tmp_path,
                  f"stop-word file {words}: not UTF-8 text")


def test_config_file_errors_name_the_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("model:\n  num_topics: 8\n  lda: passes: 2\n", encoding="utf-8")
    fails_at_once(["--config", str(broken), "--artifacts-dir", str(tmp_path / "out")],
                  tmp_path, f"config {broken}: YAML syntax error at line 3, column 14")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("# Hà Nội\nmodel:\n  num_topics: 8\n".encode("cp1252", "replace"))
    fails_at_once(["--config", str(latin), "--artifacts-dir", str(tmp_path / "out")],
                  tmp_path, f"config {latin}: not UTF-8 text")


@pytest.mark.parametrize("folder,expected", [
    ("/", "artifacts folder /: a system folder"),
    ("/".join([".."] * len(PROJECT.parts)), "artifacts folder /: a system folder"),
    ("/proc/vntopics", "artifacts folder /proc/vntopics: inside a system folder"),
    ("/etc", "artifacts folder /etc: inside a system folder"),
])
def test_system_folders_are_refused_as_artifacts_folder(tmp_path, folder, expected):
    fails_at_once(["--artifacts-dir", folder], tmp_path, expected)


def test_an_artifacts_folder_that_cannot_be_created_fails_before_work(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    fails_at_once(["--artifacts-dir", str(blocker / "out")], tmp_path,
                  f"artifacts folder {blocker / 'out'}: not writable (Not a directory)")


def test_an_artifacts_folder_inside_the_input_folder_is_refused(tmp_path):
    fails_at_once(["--artifacts-dir", str(FIXTURES / "seeds" / "runs")], tmp_path,
                  "is inside the input folder")
    assert not (FIXTURES / "seeds" / "runs").exists()


def test_outside_the_checkout_the_missing_default_input_says_how_to_give_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"))
    result = subprocess.run([*VNTOPICS, "run"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        f"vntopics: error: {tmp_path / 'data' / 'default'}: input not found: the default "
        "input (data/default in the working folder, shipped in the vntopics checkout); give "
        "your articles with --input PATH (repeatable) or input.paths in --config")
