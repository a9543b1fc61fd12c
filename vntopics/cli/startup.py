"""The fixed cost of one `vntopics run`, cut where it was measured (benchmarks/README.md,
"The fixed cost of one run"):

- without a configured Prefect server, its temporary server (vntopics/cli/temporary_server.py) is
  launched first and boots while the run's config and inputs are checked (a failing check
  kills it before its one-line error: nothing is left running) and while this process
  imports the libraries the run needs, Prefect included, instead of after them;
- those imports run with the cyclic garbage collector off and are then frozen out of its
  sight (`imports_without_gc`): its passes over them were ~1 s of every run;
- as a program, the process ends with `os._exit` once every atexit handler (Prefect's log and
  event drains, the temporary server's stop) has run and the streams are flushed: the
  interpreter's teardown of the imported libraries writes nothing.
Kept by hand: without a server 9.9 -> 5.2 -> 3.0 s outside the stages on a quiet machine
(4.6 -> 3.0 s against the previous round, 5.4 -> 3.2 s at load ~3.7), exit 0.8 -> 0.0 s with
one (python benchmarks/pipeline_speed.py --fixed-cost --compare-with OLDER/bin/vntopics).
"""
from __future__ import annotations

import atexit
import gc
import logging
import os
import sys
from contextlib import contextmanager
from typing import Iterator

from vntopics.cli.temporary_server import TemporaryServer

server: TemporaryServer | None = None
exit_code = 1   # what the process ends with when main() raised


def prewarm() -> None:
    """The libraries every run imports (not Prefect: PREFECT_API_URL must be set first)."""
    import fastapi.encoders  # noqa: F401  (Prefect's, for the flow's parameters at its start)
    import sklearn.decomposition  # noqa: F401  (NMF, and LDA's NMF start)

    import vntopics.pipeline.compare  # noqa: F401
    import vntopics.pipeline.segment  # noqa: F401
    import vntopics.pipeline.store  # noqa: F401


def launch_temporary_server() -> None:
    """Launch the temporary server unless a server is configured (or Prefect is already
    imported, e.g. `vntopics.run` from a notebook): it boots while the run's config and inputs
    are checked and the libraries import. Stopped at exit, after Prefect has sent its last
    logs and events (threading's exit hooks run before atexit's); at once when a check fails
    (`booting`). Trouble launching it: leave it to Prefect's own temporary server."""
    global server
    if server is not None or os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return
    atexit.register(stop_temporary_server)
    try:
        server = TemporaryServer()
    except OSError as error:
        logging.getLogger("vntopics").debug("early temporary server: %s", error)


@contextmanager
def booting() -> Iterator[None]:
    """The checks made while the server boots: whatever they raise (a bad input: one line,
    exit code 2) kills the server first, so nothing outlives them and it prints nothing."""
    try:
        yield
    except BaseException:
        stop_temporary_server()
        raise


def use_temporary_server() -> None:
    """Import while the server boots, then point Prefect at it (before Prefect is imported).
    Any trouble: leave it to Prefect's own temporary server."""
    if server is None:
        return
    try:
        prewarm()
        url = server.api_url()
    except (OSError, RuntimeError) as error:
        logging.getLogger("vntopics").debug("early temporary server: %s", error)
        url = None
    if url is None:
        stop_temporary_server()
        return
    os.environ["PREFECT_API_URL"] = url
    os.environ.setdefault("PREFECT_UI_URL", "")   # it serves no UI: no links to one
    # Nor usage analytics: no notice about them for a server the user never started.
    os.environ.setdefault("DO_NOT_TRACK", "1")


@contextmanager
def imports_without_gc() -> Iterator[None]:
    """The start's imports (~0.4 M objects, next to no garbage) with the cyclic garbage
    collector off, then frozen out of its sight: its full collections over them took ~1 s
    of every run, ~0.3 s of it before the flow began (measured with gc.callbacks)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def wait_for_server() -> None:
    """Until the temporary server answers; meanwhile, what the flow's call imports."""
    if server is not None:
        import prefect.flow_engine  # noqa: F401

        server.wait_until_up(float(os.environ.get(
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")))


@contextmanager
def temporary_server_settings() -> Iterator[None]:
    """Flow runs on the temporary server send no heartbeats: nothing can watch for them (the
    server ends with the run), and joining Prefect's heartbeat thread, which sleeps in 1 s
    steps, cost 0-1 s at the end of every run."""
    if server is None:
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def stop_temporary_server() -> None:
    global server
    if server is not None:
        server.stop()
        server = None


def finish() -> None:
    """The last atexit handler (registered first): flush, then end without teardown."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(exit_code)


def program() -> None:
    """`vntopics` as a program (console script, `python -m vntopics`)."""
    global exit_code
    from vntopics.cli.main import main

    atexit.register(finish)
    try:
        exit_code = main()
    except SystemExit as stop:   # argparse errors, --help, --version
        exit_code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        raise
    except KeyboardInterrupt:
        exit_code = 130
        raise
    except Exception as error:   # Ctrl-C inside an import surfaces wrapped (RuntimeError)
        if interrupted(error):
            exit_code = 130
        raise
    sys.exit(exit_code)


def interrupted(error: BaseException) -> bool:
    """Whether a KeyboardInterrupt caused `error` (anywhere in its chain)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
