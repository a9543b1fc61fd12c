"""What a person at a terminal sees from `vntopics run` without a Prefect server: no notice
about Prefect's usage analytics (for a server they never started), and at the end where the
report is. Run in a real pseudo-terminal, as a first-time Prefect user (fresh PREFECT_HOME),
since Prefect shows its notice only on a terminal and only once per home."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import time

from tests.conftest import FIXTURES, PROJECT, VNTOPICS


def test_a_terminal_run_shows_no_analytics_notice_and_ends_with_the_report(tmp_path):
    from prefect._internal.analytics.ci_detection import CI_ENV_VARS

    env = {k: v for k, v in os.environ.items()
           if k not in ("PREFECT_API_URL", "DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED")
           and k not in CI_ENV_VARS}   # Prefect hides the notice in CI: not here
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), HOME=str(tmp_path),
               COLUMNS="120", LINES="40", TERM="xterm")
    artifacts = tmp_path / "artifacts"
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [*VNTOPICS, "run", "--input", str(FIXTURES / "unc-small.jsonl.gz"),
         "--artifacts-dir", str(artifacts), "--set", "model.num_topics=3",
         "--set", "compare.bootstrap=20", "--set", "model.stability_seeds=1",
         "--set", f"cache.dir={tmp_path / 'cache'}"],
        cwd=PROJECT, env=env, stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    screen = b""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            chunk = os.read(controller, 65536)
        except OSError:   # the terminal closed: every writer is gone
            break
        if not chunk:
            break
        screen += chunk
    process.wait(timeout=60)
    os.close(controller)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.decode("utf-8", "replace"))
    assert process.returncode == 0, text[-3000:]
    assert "anonymous usage" not in text and "telemetry" not in text.lower()
    version = next(p for p in artifacts.iterdir() if p.name[:8].isdigit())
    lines = [line.strip() for line in text.replace("\r", "\n").splitlines() if line.strip()]
    assert lines[-2:] == [f"report: {version}/report.html", str(version)]
