"""Walking an input folder: every file it holds, in a stable order, with symbolic links
followed only where `input.symlinks` allows.

A link could otherwise publish a file from anywhere on the machine in a report, or loop for
ever; so each link is resolved first, and one that is broken, loops, or leaves the folder
(under the default `inside`) is listed with the reason instead of read: every entry of a
folder is accounted for, read or rejected.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class FolderEntry:
    """One entry found under an input folder: where it was found (a link's own path),
    its id (the path relative to the folder), and why it is not read ('' when it is)."""
    path: Path
    doc_id: str
    problem: str = ""


def link_problem(link: Path, root: Path, policy: str) -> tuple[Path | None, str]:
    """(the link's real target, '') when `policy` lets it be followed, else (None, reason)."""
    if policy == "none":
        return None, "symbolic link (not followed: input.symlinks = none)"
    try:
        target = Path(os.path.realpath(link, strict=True))
    except FileNotFoundError:
        return None, f"broken symbolic link (its target {os.readlink(link)!r} does not exist)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "symbolic link loop"
        return None, f"unreadable symbolic link ({exc.strerror})"
    if policy == "inside" and not target.is_relative_to(root):
        return None, (f"symbolic link to {target}, outside the input folder (not followed: "
                      "input.symlinks = inside)")
    return target, ""


def walk_folder(folder: Path, symlinks: str = "inside") -> Iterator[FolderEntry]:
    """Every file under `folder` but hidden ones and those in hidden folders, depth first in
    name order (the order the documents table lists them in); folders and links as
    `input.symlinks` allows."""
    root = folder.resolve()
    yield from walk(folder, root, folder, symlinks, frozenset([root]))


def walk(directory: Path, root: Path, top: Path, symlinks: str, ancestors: frozenset[Path]
         ) -> Iterator[FolderEntry]:
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        yield FolderEntry(directory, directory.relative_to(top).as_posix() + "/",
                          f"unreadable folder ({exc.strerror})")
        return
    for name in names:
        if name.startswith("."):   # hidden files and folders (e.g. a corpus' .collect/ state)
            continue
        path = directory / name
        doc_id = path.relative_to(top).as_posix()
        real = path
        if path.is_symlink():
            target, problem = link_problem(path, root, symlinks)
            if problem:
                yield FolderEntry(path, doc_id, problem)
                continue
            real = target
        if real.is_dir():
            real = real.resolve()
            if real in ancestors:
                yield FolderEntry(path, doc_id, f"symbolic link loop (leads back to {real})")
            else:
                yield from walk(path, root, top, symlinks, ancestors | {real})
        elif real.is_file():
            yield FolderEntry(path, doc_id)
        else:
            yield FolderEntry(path, doc_id, "not a regular file (device, socket or pipe)")
