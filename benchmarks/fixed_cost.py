"""The fixed cost of one `vntopics run`: wall time outside the stages, without a Prefect server
(Prefect's temporary one is started) and with a configured one; `pipeline_speed.py
--fixed-cost` (see benchmarks/README.md).

For each mode: a first run fills the caches (and migrates a fresh Prefect database), then
`repeats` warm re-runs of the same corpus are measured, each into a new artifacts folder (the
same work every time: no topic history to match); the medians are reported, split into before
the flow run began, write-version, between the stages, the flow's end and the exit.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from run_monitor import Run

GOALS = {"temporary": 5.0, "configured": 3.0}   # seconds outside the stages (issue 21)
PARTS = ["before_flow", "write_version", "ui_artifacts", "between_stages", "flow_end", "exit"]


@contextmanager
def prefect_server(home: Path) -> Iterator[str]:
    """`prefect server start` on a free loopback port, its database under `home`."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_UI_ENABLED": "false",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    with open(home / "server.log", "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start",
                                   "--host", "127.0.0.1", "--port", str(port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def server_mode(mode: str, work: Path) -> Iterator[None]:
    """The environment the measured runs inherit: a fresh PREFECT_HOME, and PREFECT_API_URL
    only for the configured mode."""
    saved = {k: os.environ.get(k) for k in ("PREFECT_API_URL", "PREFECT_HOME")}
    home = work / f"prefect-{mode}"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.pop("PREFECT_API_URL", None)
    try:
        if mode == "configured":
            with prefect_server(home) as url:
                os.environ["PREFECT_API_URL"] = url
                yield
        else:
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def median(values: list) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def measure(corpus: Path, work: Path, workers: int, repeats: int, limits: dict,
            clis: dict[str, Path]) -> dict:
    """{cli name: {mode: figures}}; with several CLIs (e.g. an older checkout's venv) their
    runs alternate, so a change in the machine's load falls on all of them alike."""
    results: dict = {name: {} for name in clis}
    for mode in GOALS:
        with server_mode(mode, work):
            runs: dict[str, list] = {name: [] for name in clis}
            for index in range(repeats + 1):
                for name, vntopics in clis.items():
                    tag = f"{name}-{mode}-{index}"
                    run = Run(corpus, work / f"artifacts-{tag}", work / f"cache-{name}",
                              workers, [], work / f"{tag}.log", **limits,
                              vntopics=vntopics).execute()
                    if run["returncode"] != 0:
                        raise RuntimeError(f"{tag} failed: see {run['log']}")
                    if index:                   # the first one filled the caches
                        runs[name].append(run)
        for name, done in runs.items():
            results[name][mode] = {
                "runs": [{"wall_s": r["wall_s"], **r["fixed_cost"]} for r in done],
                "median": {part: median([r["fixed_cost"][part] for r in done])
                           for part in ["outside_stages", *PARTS]},
                "median_wall_s": statistics.median(r["wall_s"] for r in done)}
    return results


def print_fixed_cost(results: dict, repeats: int) -> None:
    for name, modes in results.items():
        for mode, result in modes.items():
            figures, goal = result["median"], GOALS[mode]
            verdict = "met" if figures["outside_stages"] <= goal else "MISSED"
            print(f"fixed cost [{name}], {mode} Prefect server (median of {repeats} warm "
                  f"runs): wall {result['median_wall_s']:.1f} s, outside the stages "
                  f"{figures['outside_stages']:.1f} s (goal <= {goal:.0f} s: {verdict}) = "
                  + " + ".join(f"{part.replace('_', ' ')} "
                               + ("n/a" if figures[part] is None else f"{figures[part]:.1f}")
                               for part in PARTS))
