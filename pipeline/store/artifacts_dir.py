"""The artifacts folder before a run: usable (checked before any work, so a bad
`--artifacts-dir` does not waste a run) and rid of the staging folders of killed runs.

A staging folder `.tmp-<version>` is held by its run through an advisory lock on its
`.lock` file (`VersionWriter`), which the kernel releases when the run dies, however it
dies; so an unlocked staging folder belongs to no live run and is removed at the next start.

Everything that changes the folder (publishing a version, pruning, `label`, LATEST and
`latest`) does so holding the folder's own lock (`folder_lock`, a `flock` on its tag file
`.vntopics-artifacts`): one writer at a time, and a killed writer's lock is released by the
kernel. A live run names the versions it continues from in its work folder (`pin_versions`),
and pruning never removes those.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

# Whole trees of the operating system, and top-level folders that hold other things.
SYSTEM_TREES = ("/proc", "/sys", "/dev", "/boot", "/etc", "/bin", "/sbin", "/lib", "/lib32",
                "/lib64", "/libx32", "/usr")
SYSTEM_FOLDERS = ("/", "/home", "/root", "/var", "/run", "/opt", "/srv", "/mnt", "/media",
                  "/tmp")
LOCK_NAME = ".lock"
FOLDER_LOCK = ".vntopics-artifacts"     # also the tag that keeps input walks out (text.folders)
PINS_NAME = "continues-from"
# A staging folder without a lock file is from an older vntopics or from a run killed
# between creating the folder and locking it (microseconds); one this old is no live run's.
UNLOCKED_GRACE_SECONDS = 60


def system_folder(folder: Path) -> str | None:
    """Why `folder` (resolved) must not hold versions, or None."""
    if str(folder) in SYSTEM_FOLDERS or folder == Path.home():
        return "a system folder (or your home folder) itself: use a folder of its own"
    if any(folder.is_relative_to(tree) for tree in SYSTEM_TREES):
        return "inside a system folder"
    return None


def check_writable(folder: Path, what: str) -> None:
    """Create `folder` if needed and write and remove a probe file in it."""
    probe = folder / f".vntopics-probe-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValueError(f"{what} {folder}: not writable ({exc.strerror or exc})") from exc


def check_artifacts_dir(folder: Path, inputs: Iterable[Path] = ()) -> None:
    """Raise ValueError when versions cannot or must not be written to `folder`: a system
    folder, inside an input folder (the next run would read its own tables), or not
    creatable and writable."""
    folder = folder.resolve()
    problem = system_folder(folder)
    if problem:
        raise ValueError(f"artifacts folder {folder}: {problem}")
    for path in inputs:
        path = path.resolve()
        if path.is_dir() and folder.is_relative_to(path):
            raise ValueError(f"artifacts folder {folder} is inside the input folder {path}: "
                             "the next run would read its tables as articles")
    check_writable(folder, "artifacts folder")


def hold_lock(staging: Path) -> int:
    """Open and lock `staging`'s lock file; the returned descriptor holds the lock."""
    descriptor = os.open(staging / LOCK_NAME, os.O_CREAT | os.O_WRONLY, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def unheld(staging: Path) -> bool:
    """True when no live run holds `staging`."""
    try:
        descriptor = os.open(staging / LOCK_NAME, os.O_WRONLY)
    except FileNotFoundError:
        return time.time() - staging.stat().st_mtime > UNLOCKED_GRACE_SECONDS
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)


def clean_stale_staging(folder: Path) -> list[str]:
    """Remove the `.tmp-*` folders of runs that died (killed while writing a version);
    returns their names. A folder that does not exist yet has none."""
    removed = []
    for staging in sorted(folder.glob(".tmp-*")) if folder.is_dir() else []:
        try:
            if staging.is_dir() and unheld(staging):
                shutil.rmtree(staging)
                removed.append(staging.name)
        except OSError:
            continue           # vanished meanwhile (published or cleaned by another run)
    return removed


def redirected_stdout() -> Path | None:
    """The file standard output is redirected to (`> file`), or None (a terminal, a pipe)."""
    try:
        if os.path.isfile(f"/proc/self/fd/{sys.stdout.fileno()}"):
            return Path(os.readlink(f"/proc/self/fd/{sys.stdout.fileno()}"))
    except (OSError, ValueError, AttributeError):
        pass
    return None


def check_output_file(output: Path | None, artifacts_dir: Path) -> None:
    """Before any work: refuse to write `output` (None: standard output redirected to a
    file) inside the artifacts folder (published versions are read-only to the tools), into
    a folder that does not exist or cannot be written, or over a folder."""
    target = output if output is not None else redirected_stdout()
    if target is None:
        return
    target = target.resolve()
    if target.is_relative_to(artifacts_dir.resolve()):
        raise ValueError(f"{target}: refusing to write inside the artifacts folder "
                         f"{artifacts_dir.resolve()} (published versions are read-only)")
    if output is None:
        return                                  # the shell opened it already
    if target.is_dir():
        raise ValueError(f"{output}: is a folder, not a file to write")
    if not target.parent.is_dir():
        raise ValueError(f"{output}: its folder {target.parent} does not exist")
    existed = target.exists()
    try:
        with open(target, "a", encoding="utf-8"):
            pass
        if not existed:
            target.unlink()
    except OSError as exc:
        raise ValueError(f"{output}: cannot be written ({exc.strerror or exc})") from None


@contextmanager
def folder_lock(artifacts_dir: Path) -> Iterator[None]:
    """Hold the artifacts folder's write lock (waiting for another writer to finish)."""
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(artifacts_dir / FOLDER_LOCK, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def pin_versions(work_dir: Path, versions: Iterable[Path | None]) -> None:
    """Record in the run's work folder the versions it reads until it publishes."""
    names = sorted({v.name for v in versions if v is not None})
    try:
        (work_dir / PINS_NAME).write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
    except OSError as exc:     # the first write of a run to its folder: a full disk is here
        raise ValueError(f"cannot write in the artifacts folder {work_dir.parent}: "
                         f"{exc.strerror or exc}") from None


def pinned_versions(artifacts_dir: Path) -> set[str]:
    """Names of the versions other live runs continue from (their work folders are held;
    this process's own run has what it needs once it publishes)."""
    pinned: set[str] = set()
    for folder in sorted(artifacts_dir.glob(".tmp-work-*")) if artifacts_dir.is_dir() else []:
        if folder.name.startswith(f".tmp-work-{os.getpid()}-"):
            continue
        try:
            if not unheld(folder):
                pinned.update((folder / PINS_NAME).read_text(encoding="utf-8").split())
        except OSError:
            continue        # no pins (yet), or the run ended meanwhile
    return pinned


@contextmanager
def work_folder(artifacts_dir: Path) -> Iterator[Path]:
    """The run's work folder (`.tmp-work-...` in the artifacts folder): the texts and token
    ids of the run on disk (text.TextShards, segment.TokenStore). Held by its lock like a
    staging folder, so the folder of a killed run is removed at the next start; removed
    when the run ends."""
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".tmp-work-{os.getpid()}-", dir=artifacts_dir))
    descriptor = hold_lock(folder)
    try:
        yield folder
    finally:
        os.close(descriptor)
        shutil.rmtree(folder, ignore_errors=True)


def tidy_artifacts_dir(artifacts_dir: Path) -> list[str]:
    """Before a run: remove the staging folders of killed runs and repair LATEST/`latest`
    (under the folder's lock); returns what was done, for the log."""
    from vntopics.pipeline.store.versions import repair_pointers

    done = [f"removed {name}: left by a run that was killed"
            for name in clean_stale_staging(artifacts_dir)]
    if artifacts_dir.is_dir():
        with folder_lock(artifacts_dir):
            done += repair_pointers(artifacts_dir)
    return done
