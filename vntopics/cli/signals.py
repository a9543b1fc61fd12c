"""`vntopics run` ends within seconds of SIGTERM or SIGINT (`timeout`, systemd, Ctrl-C), sent
to it or to its process group, and takes its workers and temporary server with it.

The signal first ends the run the usual way: outside the flow SIGTERM raises SystemExit and
SIGINT KeyboardInterrupt; inside it Prefect marks the flow run crashed and raises again. That
way can hang: Prefect's log and event workers retry against a temporary server the same
signal has stopped, the worker pool waits for its processes, and the interpreter's shutdown
joins their threads (runs were seen alive minutes later holding 1.4 GB, the server a zombie).
So every such signal also starts a clock, `GRACE_SECONDS`, heard through the signal wake-up
file descriptor (whatever Python handler is installed at the time, Prefect's included): when
it runs out, the temporary server is killed and the process ends at once (os._exit); its
worker processes die with it (pipeline/parallel.py, PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time

GRACE_SECONDS = 5.0
ENDING = (signal.SIGTERM, signal.SIGINT)


def raise_on_signal(signum: int, frame) -> None:
    """SIGTERM as SystemExit(143), so the run's clean-up (`finally` blocks, atexit) runs."""
    raise SystemExit(128 + signum)


def end_within_grace_on_signals() -> None:
    """Arm the clock for the rest of the process (main thread only). SIGTERM gets a Python
    handler (the default one kills without clean-up and is not heard); SIGINT keeps Python's
    KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, raise_on_signal)
    threading.Thread(target=watch, args=(read_end,), name="vntopics-signals",
                     daemon=True).start()


def watch(read_end: int) -> None:
    """Wait for an ending signal, then for the grace period, then end the process."""
    received = None
    deadline = float("inf")
    while True:
        timeout = None if received is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([read_end], [], [], timeout)
        if ready:
            for signum in os.read(read_end, 512):
                if signum in ENDING and received is None:
                    received, deadline = signum, time.monotonic() + GRACE_SECONDS
        if received is not None and time.monotonic() >= deadline:
            end_now(received)


def end_now(signum: int) -> None:
    from vntopics.cli import startup

    server = startup.server
    if server is not None and server.process.poll() is None:
        server.process.kill()
    try:
        sys.stderr.write(f"vntopics: {signal.Signals(signum).name}: the run did not end within "
                         f"{GRACE_SECONDS:.0f} s, ended at once\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(128 + signum)
