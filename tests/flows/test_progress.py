"""Progress where people look: Prefect progress artifacts on the flow run (read back through
the API), rich bars under a pseudo-terminal, plain lines without one, and -q/-v."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, VNTOPICS, PROJECT, prefect_api, run_cli
from vntopics.flows.progress import LogLines, StepState, progress_line

STEP_TITLES = {"clean": "reading and cleaning", "dedupe": "near-duplicate search",
               "segment": "word segmentation", "lda": "LDA fits", "nmf": "NMF fits",
               "bootstrap": "bootstrap intervals"}


def run_args(folder: Path, *extra: str) -> list[str]:
    return ["run", "--input", str(FIXTURES / "unc-small.jsonl.gz"), "--artifacts-dir",
            str(folder / "runs"), "--set", f"cache.dir={folder / 'cache'}",
            "--set", "model.num_topics=4", "--set", "compare.bootstrap=40", *extra]


@pytest.fixture(scope="module")
def plain_run(cli_env, tmp_path_factory):
    """A cold run with its output captured (no terminal): the default verbosity."""
    folder = tmp_path_factory.mktemp("progress")
    result = run_cli(run_args(folder), env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return folder, Path(result.stdout.strip().splitlines()[-1]), result.stderr


def test_plain_lines_count_each_step_to_its_end_with_rate(plain_run):
    _, version, stderr = plain_run
    assert version.is_dir() and (version / "report.html").is_file()
    for step in ("clean", "dedupe", "segment", "lda", "nmf", "bootstrap"):
        finished = re.search(rf"{STEP_TITLES[step]}: ([\d,]+) \w+ in [\d.]+ (s|min)[\d\s]*s? "
                             rf"\(([\d,.]+) \w+/s\)", stderr)
        assert finished, f"no final line for {step}:\n{stderr[-2000:]}"
    assert "word segmentation: 120 documents in" in stderr
    assert "bootstrap intervals: 80 resamples in" in stderr     # 40 per model
    assert "Finished in state" not in stderr     # Prefect's own lines only with -v
    assert "Beginning flow run" not in stderr


def flow_run_of(api: str, version: Path) -> str:
    summaries = prefect_api(api, "POST", "/artifacts/filter", {
        "artifacts": {"key": {"any_": ["vntopics-summary-local"]}}})
    (summary,) = [a for a in summaries if version.name in a["data"]]
    return summary["flow_run_id"]


def test_progress_artifacts_of_the_flow_run_reach_100_percent(plain_run, cli_env):
    _, version, _ = plain_run
    api = cli_env["PREFECT_API_URL"]
    artifacts = prefect_api(api, "POST", "/artifacts/filter", {"artifacts": {
        "flow_run_id": {"any_": [flow_run_of(api, version)]}, "type": {"any_": ["progress"]}}})
    by_key = {a["key"]: a for a in artifacts}
    assert set(by_key) == {f"vntopics-progress-{step}-local" for step in STEP_TITLES}
    for key, artifact in by_key.items():
        assert artifact["data"] == 100, (key, artifact["data"])
        assert artifact["task_run_id"], key        # attached to the stage's task run
    assert "word segmentation" in by_key["vntopics-progress-segment-local"]["description"]


def run_in_terminal(args: list[str], env: dict) -> tuple[int, str, str]:
    """The CLI with standard error on a pseudo-terminal (what a person at a terminal sees)
    and standard output on a pipe."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([*VNTOPICS, *args], cwd=PROJECT, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=terminal,
                               env={**env, "TERM": "xterm-256color", "COLUMNS": "160"})
    os.close(terminal)
    screen = bytearray()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            chunk = os.read(controller, 65536)
        except OSError:          # the terminal's other side closed: the CLI has exited
            break
        if not chunk:
            break
        screen += chunk
    os.close(controller)
    stdout = process.stdout.read().decode()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.decode(errors="replace"))  # colours
    return process.wait(timeout=60), stdout, text


def test_terminal_shows_bars_with_counts_and_verbose_shows_prefect_lines(plain_run, cli_env):
    folder, _, _ = plain_run
    code, stdout, screen = run_in_terminal(run_args(folder, "-v", "--set",
                                                    "model.num_topics=5"), cli_env)
    assert code == 0, screen[-3000:]
    version = Path(stdout.strip().splitlines()[-1])
    assert version.is_dir() and version.parent == (folder / "runs").resolve()
    assert re.search(r"bootstrap intervals +━+ 80/80 resamples +100%", screen), screen[-3000:]
    assert re.search(r"LDA fits +━+ 3/3 fits +100%", screen)
    assert re.search(r"word segmentation +━+ cached", screen)   # the plain run segmented
    assert "bootstrap intervals: 80 resamples in" not in screen  # no plain lines as well
    assert "Finished in state Completed()" in screen            # -v: Prefect's own lines


def test_quiet_prints_the_version_path_only(plain_run, cli_env):
    folder, _, _ = plain_run
    result = run_cli(run_args(folder, "-q", "--set", "model.num_topics=3"), env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.strip() == ""
    assert len(result.stdout.strip().splitlines()) == 1
    assert Path(result.stdout.strip()).is_dir()


def test_log_lines_wait_for_five_percent_and_ten_seconds(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    lines = []
    monkeypatch.setattr("vntopics.flows.progress.run_logger",
                        lambda: type("L", (), {"info": lambda self, text: lines.append(text)})())
    display, state = LogLines(), StepState("segment", total=1000, started=clock[0])
    for done, seconds in [(10, 1), (100, 2), (120, 15), (130, 16), (400, 30), (1000, 40)]:
        clock[0] = 1000.0 + seconds
        state.done = done
        display.show(state)
    assert [line.split(":")[1].split("(")[0].strip() for line in lines] == [
        "120 / 1,000 documents", "400 / 1,000 documents", "1,000 documents in 40 s"]
    assert lines[0].endswith("8.0 documents/s, ETA 1 min 50 s")
    assert progress_line(StepState("lda", done=0, total=3, started=clock[0])).endswith(
        "ETA unknown")


def test_a_steps_clock_starts_after_the_step_before_and_each_ends_once(monkeypatch):
    from vntopics.flows import progress

    clock = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(progress.StepArtifact, "set", lambda self, *args, **kwargs: None)
    shown = []
    monkeypatch.setattr(progress, "display", type("Recorder", (), {
        "show": lambda self, state: shown.append((state.step, state.finished,
                                                  round(state.elapsed, 1)))})())
    stage = progress.StageProgress(("clean", "dedupe", "segment"))
    stage("clean", 0, 100)
    clock[0] = 30.0
    stage("clean", 100, 100)
    clock[0] = 40.0
    stage("dedupe", 100, 100)       # its only report: it ran from 30 s to 40 s
    stage.finish()                  # segment (cached, never heard) is shown once, done
    assert shown == [("clean", False, 0.0), ("clean", True, 30.0), ("dedupe", True, 10.0),
                     ("segment", True, 40.0)]


def test_eta_comes_from_the_recent_rate_not_a_first_burst():
    """Segmentation's first batches return together (and cache hits at once): a rate over
    that burst said 'ETA 1 s' at 21 % with ~11 s left."""
    now = time.monotonic()
    burst = StepState("segment", total=1000, started=now - 2.6)
    burst.samples.extend([(now - 0.1, 210), (now - 0.05, 240)])
    burst.done = 250
    assert burst.seconds_left > 6            # from the step's start: 250 in 2.6 s
    steady = StepState("segment", total=1000, started=now - 60)
    steady.samples.extend((now - 10 + i, 500 + 20 * i) for i in range(11))  # 20/s lately
    steady.done = 700
    assert abs(steady.rate - 20) < 0.01 and abs(steady.seconds_left - 15) < 0.1
