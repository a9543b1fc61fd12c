"""Prefect's temporary server for a `vntopics run` or `serve` without a configured server:
started before the heavy imports, and unable to outlive the run.

Prefect starts its temporary server itself when a flow begins without an API URL: only after
the CLI's imports, so its start (importing the server, migrating the database: ~3 s on 2
cores, benchmarks/README.md) adds to every run; and as a plain child, which a SIGKILL of
`vntopics run` leaves behind, still listening. Here instead:

- `TemporaryServer()` launches this module as a subprocess as the CLI's first step, before
  the run's config and inputs are checked (a failing check kills it: vntopics/cli/startup.py,
  `booting`); the subprocess decides with Prefect's own settings (so a
  profile, .env or prefect.toml counts) whether a server is configured and, if not, serves
  the app Prefect's temporary server serves (`prefect.server.api.server:create_app`, UI off,
  ephemeral services) on a free loopback port. The CLI points PREFECT_API_URL at it before
  importing Prefect, imports while it boots, and waits for it only when the flow starts.
- It serves as Prefect's own would, less its start-up costs that a run has no use for: no
  block types registered (`SERVER_ENV`), no garbage collection over its imports (`serve`),
  and TCP_NODELAY on its connections (`listening_socket`).
- It is started through a launcher that arms PR_SET_PDEATHSIG before exec'ing it, so the
  kernel kills it with the CLI however the CLI dies (tests/e2e/test_orphans.py); on a normal
  exit it is stopped like Prefect stops its own.
"""
from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
import urllib.request

CONFIGURED = "configured"
MODULE = "vntopics.cli.temporary_server"
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
              "PREFECT__SERVER_FINAL": "1",   # as Prefect's own temporary server, and
              # no block types registered: a run reads and writes no blocks, and checking
              # whether the registry changed imports every Prefect collection (prefect-dask:
              # dask and distributed, ~0.3 s of the server's start)
              "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
              "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
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


def wait_until_healthy(process: subprocess.Popen, url: str, timeout: float) -> None:
    """Until `url`/health answers; RuntimeError when `process` exits or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the Prefect server for {url} exited with code "
                               f"{process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Prefect server at {url} did not answer within "
                               f"{timeout:.0f} s")
        time.sleep(0.05)


class TemporaryServer:
    """The subprocess from the CLI's side: `api_url()` is None when a server is configured."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(os.getpid()), "-m", MODULE],
            stdout=subprocess.PIPE, text=True,
            env={**(os.environ if env is None else env), **SERVER_ENV})
        self.verdict: str | None = None
        self.answered = False

    def api_url(self) -> str | None:
        """The server's API URL (None: a server is configured, use it); waits for the
        subprocess's verdict, not for the server to be up."""
        if self.verdict is None:
            line = self.process.stdout.readline().strip()
            if not line:
                raise RuntimeError("the temporary Prefect server did not start "
                                   f"(exit code {self.process.wait()})")
            self.verdict = line
        return None if self.verdict == CONFIGURED else self.verdict

    def wait_until_up(self, timeout: float) -> None:
        url = self.api_url()
        if url:
            wait_until_healthy(self.process, url, timeout)
            self.answered = True

    def stop(self) -> None:
        """Graceful once it has served (SQLite closed cleanly); one still starting up (the
        CLI failed) is killed at once: it has served nothing, and SQLite's journal keeps the
        database whole."""
        if self.process.poll() is None and not self.answered:
            self.process.kill()
            self.process.wait()
        elif self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def listening_socket() -> socket.socket:
    """A free loopback port. Of protocol IPPROTO_TCP, not the default 0: asyncio sets
    TCP_NODELAY only on connections of that protocol, and without it every API call after a
    connection's first waited ~40 ms (its answer's body held back until the client's delayed
    ACK of its headers)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    return listener


def serve() -> None:
    """The subprocess: `configured`, or the API URL, on its first stdout line; then serve.
    Its imports run without the cyclic garbage collector, then are frozen out of its sight
    (as the CLI's, vntopics/cli/startup.py): its full collections over them were ~0.5 s of the
    start (for ~10 MB more memory: the imports' own garbage, kept)."""
    gc.disable()
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        print(CONFIGURED, flush=True)
        return
    listener = listening_socket()
    print(f"http://127.0.0.1:{listener.getsockname()[1]}/api", flush=True)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())   # the CLI reads no further line
    import uvicorn

    import prefect.server.api.server  # noqa: F401  (the app's factory)

    gc.freeze()
    gc.enable()
    uvicorn.Server(uvicorn.Config("prefect.server.api.server:create_app", factory=True,
                                  log_level="error", lifespan="on")).run(sockets=[listener])


if __name__ == "__main__":
    serve()
