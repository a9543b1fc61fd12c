"""A process and its descendants, read from /proc: who they are (pid and start time, so a
reused pid is not mistaken for a survivor) and how much memory they hold together."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def stat_of(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()     # fields from 'state' on


def descendants(root: int) -> dict[int, str]:
    """pid -> start time of every living descendant of `root`."""
    children: dict[int, list[int]] = {}
    starts: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := stat_of(int(entry))) and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
            starts[int(entry)] = fields[19]
    found, todo = {}, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found[pid] = starts[pid]
        todo.extend(children.get(pid, []))
    return found


def in_session(session: int) -> dict[int, str]:
    """pid -> command line of every living process of the session `session`."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := stat_of(int(entry))) and fields[0] != "Z" \
                and int(fields[3]) == session:
            found[int(entry)] = command_line(int(entry))
    return found


def alive(pid: int, start: str) -> bool:
    fields = stat_of(pid)
    return fields is not None and fields[0] != "Z" and fields[19] == start


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants."""
    total = 0
    for pid in [root, *descendants(root)]:
        fields = stat_of(pid)
        total += int(fields[21]) * PAGE if fields else 0
    return total


def run_measuring_rss(command: list[str], **popen) -> tuple[subprocess.CompletedProcess, int]:
    """Run `command` to completion; also the peak resident memory of its process tree,
    sampled every 0.1 s."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, **popen)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate(timeout=1800)
    sampler.join()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), peak
