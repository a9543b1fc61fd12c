"""SIGKILL of `vntopics run` alone (not its process group) leaves nothing behind: Prefect's
temporary server and the worker processes die with it."""
from __future__ import annotations

import os
import signal
import subprocess
import time

from tests.conftest import FIXTURES, PROJECT, VNTOPICS
from tests.e2e.processes import alive, command_line, descendants


def wait_for_server_and_workers(process: subprocess.Popen, timeout: float = 600
                                ) -> dict[int, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        family = descendants(process.pid)
        commands = [command_line(pid) for pid in family]
        if (any("vntopics.cli.temporary_server" in c for c in commands)
                and any("multiprocessing" in c and "resource_tracker" not in c
                        for c in commands)):
            return family
        time.sleep(0.05)
    raise AssertionError(f"no server and workers seen (exit code {process.poll()})")


def test_killing_only_the_main_process_leaves_no_descendant(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"),
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        [*VNTOPICS, "run", "--input", str(FIXTURES / "unc-small.jsonl.gz"), "--artifacts-dir",
         str(tmp_path / "artifacts"), "--set", "workers=2", "--set", "cache.enabled=false",
         "--set", "segment.batch_size=2"],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        family = wait_for_server_and_workers(process)
        os.kill(process.pid, signal.SIGKILL)          # the main process only
        process.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(alive(p, s) for p, s in family.items()):
            time.sleep(0.2)
        survivors = {pid: command_line(pid)[:120] for pid, start in family.items()
                     if alive(pid, start)}
        assert survivors == {}, (tmp_path / "run.log").read_text()[-2000:]
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)    # whatever a failure left behind
        except ProcessLookupError:
            pass
