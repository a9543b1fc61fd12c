"""Prefect's temporary server for a run without PREFECT_API_URL, started so it cannot outlive
the run.

Prefect starts the same server itself when no API URL is set, but as a plain child that a
SIGKILL of `vntopics run` leaves behind, still listening. Here it is started the way Prefect
starts it (uvicorn on Prefect's app factory, services of an ephemeral server, no UI) through
a launcher that arms PR_SET_PDEATHSIG before exec'ing it, so the kernel kills it with the
run; PREFECT_API_URL then points this process at it. Measured on the 2-core dev machine:
healthy 4.8-8.8 s after the call, Prefect's own 5.0-11.5 s (same command, same work). On a normal exit it is stopped like
Prefect stops its own.
"""
from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from typing import Iterator

import prefect
from prefect.settings import (PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
                              PREFECT_UI_URL, get_current_settings, temporary_settings)

# Arms the death signal, checks the parent is still the one that asked, then becomes the server.
LAUNCHER = """
import ctypes, os, signal, sys
if sys.platform.startswith("linux"):
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)
os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(port: int) -> list[str]:
    return ["-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent), "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on"]


def wait_until_healthy(process: subprocess.Popen, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Prefect's temporary server exited with code "
                               f"{process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Prefect's temporary server did not answer within {timeout:.0f} s")


@contextmanager
def temporary_server() -> Iterator[str | None]:
    """A server that dies with this process, as PREFECT_API_URL for the block; nothing when
    an API URL is configured (a real server keeps the run history)."""
    if PREFECT_API_URL.value():
        yield None
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True),
           "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
           "PREFECT__SERVER_FINAL": "1"}
    process = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(os.getpid()),
                                *server_command(port)], env=env)
    # stopped at exit, after Prefect's own exit handlers (registered later, run earlier)
    # have sent it the last logs and events
    atexit.register(stop, process)
    wait_until_healthy(process, url,
                       float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()))
    print(f"vntopics: temporary Prefect server on {url} (stops with this run)",
          file=sys.stderr, flush=True)
    with temporary_settings({PREFECT_API_URL: url, PREFECT_UI_URL: ""}):   # it has no UI
        yield url


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
