"""The lighter start of `vntopics run`: the early temporary Prefect server (vntopics/cli/
temporary_server.py) and the exit without teardown (vntopics/cli/startup.py)."""
from __future__ import annotations

import asyncio
import gc
import os
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import run_cli
from vntopics.cli import startup
from vntopics.cli.temporary_server import TemporaryServer, listening_socket


def test_a_configured_server_means_no_temporary_one(cli_env):
    server = TemporaryServer(cli_env)
    assert server.api_url() is None
    assert server.process.wait(timeout=60) == 0


def test_without_a_server_one_answers_and_stops_with_the_cli(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    server = TemporaryServer(env)
    try:
        url = server.api_url()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
        server.wait_until_up(180)
        with urllib.request.urlopen(f"{url}/health", timeout=10) as response:
            assert response.status == 200
    finally:
        server.stop()      # the CLI's exit; its death (SIGKILL) is tests/e2e/test_orphans.py
    assert server.process.poll() is not None


def test_exit_codes_survive_the_fast_exit(tmp_path):
    assert run_cli(["no-such-command"]).returncode == 2                  # argparse
    assert run_cli(["--version"]).returncode == 0
    bad = run_cli(["runs", "--config", str(tmp_path / "missing.yaml")])
    assert bad.returncode == 2 and "config file not found" in bad.stderr  # ValueError
    crash = subprocess.run([sys.executable, "-c", "from vntopics.cli import startup, main; "
                            "main.main = lambda: 1 / 0; startup.program()"],
                           capture_output=True, text=True, timeout=60)
    assert crash.returncode == 1 and "ZeroDivisionError" in crash.stderr


def test_the_temporary_servers_connections_send_without_delay():
    """asyncio (uvicorn's server) sets TCP_NODELAY on the connections the listening socket
    accepts: without it, each API call after a connection's first waited ~40 ms."""
    async def nodelay_of_an_accepted_connection() -> int:
        accepted = asyncio.get_running_loop().create_future()

        def on_connection(reader, writer) -> None:
            accepted.set_result(writer.get_extra_info("socket").getsockopt(
                socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        listener = listening_socket()
        server = await asyncio.start_server(on_connection, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection(*listener.getsockname())
            nodelay = await asyncio.wait_for(accepted, 10)
            writer.close()
        return nodelay

    assert asyncio.run(nodelay_of_an_accepted_connection()) != 0


def test_the_collector_is_back_on_after_the_imports_even_when_they_fail():
    try:
        with pytest.raises(ValueError), startup.imports_without_gc():
            assert not gc.isenabled()
            raise ValueError("a failed check")
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
