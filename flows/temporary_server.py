"""Prefect's temporary server for a `vntopics run` without a configured one, started first.

Prefect starts its temporary server when the flow begins, after the CLI's imports, and its
start (importing the server, checking the database: ~3.5 s on 2 cores, benchmarks/README.md)
then adds to every run. `TemporaryServer.start()` launches this module as a subprocess at the
top of the CLI, before anything heavy is imported; the subprocess decides (with Prefect's own
settings, so a profile, .env or prefect.toml counts) whether a server is configured and, if
not, serves the same app Prefect's temporary server serves (`prefect.server.api.server:
create_app`, UI off, ephemeral services) on a free loopback port. The CLI sets
PREFECT_API_URL to it before importing Prefect and imports while the server boots.
The server stops with the CLI: terminated at exit, and it exits by itself when the CLI's pipe
closes (killed CLI).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

CONFIGURED = "configured"
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
              "PREFECT__SERVER_FINAL": "1"}   # as Prefect's own temporary server


class TemporaryServer:
    """The subprocess from the CLI's side: `api_url()` is None when a server is configured."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vntopics.flows.temporary_server"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
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
        url, deadline = self.api_url(), time.monotonic() + timeout
        while url:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):
                    self.answered = True
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the temporary Prefect server exited with code "
                                       f"{self.process.returncode}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the temporary Prefect server did not answer within "
                                       f"{timeout:.0f} s") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Graceful once it has served (SQLite closed cleanly); one still starting up (the
        CLI failed a check) is killed at once: it has served nothing, and SQLite's journal
        keeps the database whole."""
        if self.process.poll() is None and not self.answered:
            self.process.kill()
        elif self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def stop_when_parent_exits() -> None:
    """The CLI holds our stdin: EOF means it is gone (even killed), so stop too."""
    sys.stdin.read()
    os._exit(0)


def serve() -> None:
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        print(CONFIGURED, flush=True)
        return
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    print(f"http://127.0.0.1:{listener.getsockname()[1]}/api", flush=True)
    threading.Thread(target=stop_when_parent_exits, daemon=True).start()
    import uvicorn

    uvicorn.Server(uvicorn.Config("prefect.server.api.server:create_app", factory=True,
                                  log_level="error", lifespan="on")).run(sockets=[listener])


if __name__ == "__main__":
    serve()
