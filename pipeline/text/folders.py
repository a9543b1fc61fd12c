"""Walking an input folder: every file it holds, in a stable order, with symbolic links
followed only where `input.symlinks` allows.

A link could otherwise publish a file from anywhere on the machine in a report, or loop for
ever; so each link is resolved first, and one that is broken, loops, or leaves the folder
(under the default `inside`) is listed with the reason instead of read: every entry of a
folder is accounted for, read or rejected.

Hidden folders (`.cache`, `.git`) are skipped like hidden files, and so are vntopics' own
folders wherever they are (a cache folder, tagged `CACHEDIR.TAG`; an artifacts folder,
tagged `.vntopics-artifacts` or holding `LATEST`): what a run derived is never read back as
articles. Each such folder is said once in the log (and in the run's warnings).
"""
from __future__ import annotations

import errno
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


CACHE_TAG = "CACHEDIR.TAG"      # https://bford.info/cachedir/: backup tools skip it too
CACHE_TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                  "# This file is a cache directory tag created by vntopics.\n")
ARTIFACTS_TAG = ".vntopics-artifacts"
log = logging.getLogger(__name__)
skipped_own_folders: dict[Path, str] = {}     # said once per process


def tag_folder(folder: Path, kind: str) -> None:
    """Mark `folder` as vntopics' cache (`kind` 'cache') or artifacts folder, so no input
    walk reads it; a folder that cannot be written stays untagged (it is checked anyway)."""
    name, text = ((CACHE_TAG, CACHE_TAG_TEXT) if kind == "cache"
                  else (ARTIFACTS_TAG, "vntopics artifacts folder: never read as input\n"))
    try:
        if not (folder / name).is_file():
            (folder / name).write_text(text, encoding="utf-8")
    except OSError:
        pass


def own_folder(folder: Path) -> str:
    """What kind of vntopics folder `folder` is ('' for none)."""
    if (folder / CACHE_TAG).is_file() or (folder / "segmentation.sqlite").is_file():
        return "cache folder"
    if (folder / ARTIFACTS_TAG).is_file() or (folder / "LATEST").is_file():
        return "artifacts folder"
    return ""


def skip_folder(folder: Path) -> bool:
    """True for a hidden folder or one of vntopics' own (logged the first time)."""
    if folder.name.startswith("."):
        return True
    kind = own_folder(folder)
    if kind and folder not in skipped_own_folders:
        skipped_own_folders[folder] = kind
        log.warning("%s is a vntopics %s: not read as input", folder, kind)
    return bool(kind)


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
    """Every file under `folder` but hidden ones and those in hidden folders (e.g. a
    corpus' .collect/ state), depth first in name order (the order the documents table
    lists them in); folders and links as `input.symlinks` allows; vntopics' own folders
    (`skip_folder`) left out.

    Iterative (a stack of open folders) and linear in the depth: each folder's real path
    and id extend its parent's (only a link is resolved), so any nesting is read."""
    root = folder.resolve()
    listing = list_folder(folder, "./")
    if isinstance(listing, FolderEntry):
        yield listing
        return
    # each open folder: its real path, the real folders above it (loops), its id prefix,
    # its entries left to visit
    open_folders = [(root, frozenset([root]), "", iter(listing))]
    while open_folders:
        real_directory, ancestors, prefix, entries = open_folders[-1]
        entry = next(entries, None)
        if entry is None:
            open_folders.pop()
            continue
        if entry.name.startswith("."):   # hidden files and folders
            continue
        path, doc_id = Path(entry.path), prefix + entry.name
        real = real_directory / entry.name
        if entry.is_symlink():
            target, problem = link_problem(path, root, symlinks)
            if problem:
                yield FolderEntry(path, doc_id, problem)
                continue
            real = target
        if entry.is_dir():
            if skip_folder(path):
                continue
            if real in ancestors:
                yield FolderEntry(path, doc_id, f"symbolic link loop (leads back to {real})")
            elif isinstance(listing := list_folder(path, doc_id + "/"), FolderEntry):
                yield listing
            else:
                open_folders.append((real, ancestors | {real}, doc_id + "/", iter(listing)))
        elif entry.is_file():
            yield FolderEntry(path, doc_id)
        else:
            yield FolderEntry(path, doc_id, "not a regular file (device, socket or pipe)")


def list_folder(directory: Path, doc_id: str) -> list[os.DirEntry] | FolderEntry:
    """The entries of `directory` in name order; or the entry saying it cannot be read."""
    try:
        with os.scandir(directory) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError as exc:
        return FolderEntry(directory, doc_id, f"unreadable folder ({exc.strerror})")
