"""Read raw articles from txt folders, JSONL(.gz), CSV and Parquet into one record stream.

Every input becomes at least one `RawDocument`, readable or not: a file, record or link that
cannot be read is kept as a rejected record with the reason, so a run can account for all of
its inputs. Inputs that cannot be used at all (a missing path, a file of an unknown type, a
CSV without a text column, a broken sidecar) fail `check_inputs` before any work.
"""
from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import Iterable, Iterator

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.text.folders import skipped_own_folders, walk_folder
from vntopics.pipeline.text.raw import (METADATA_FIELDS, InputError, RawDocument, size_problem,
                                        suffix_of)
from vntopics.pipeline.text.csv_input import iter_csv
from vntopics.pipeline.text.records import (has_words_column, iter_jsonl, iter_parquet,
                                            no_words_column)

TEXT_SUFFIXES = {".txt", ".html", ".htm"}
TABLE_SUFFIXES = {".jsonl", ".jsonl.gz", ".csv", ".parquet"}
SIDECAR_NAME = "metadata.csv"


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else raises ValueError.

    Guessing a legacy code page would silently mangle Vietnamese diacritics, so we refuse.
    """
    if not data:
        raise ValueError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8):]
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 or UTF-16 text (undecodable byte at offset {exc.start})")
    if "\x00" in text:
        raise ValueError("binary content (NUL characters)")
    if not text.strip():
        raise ValueError("no text (empty after decoding)")
    return text


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Leading `# key = value` lines (as in the UNC raw files) become metadata; the body is
    the rest of the text exactly as it was (line endings included)."""
    metadata: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    body_start = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#") and "=" in stripped:
            key, value = stripped[1:].split("=", 1)
            metadata[key.strip().lower()] = value.strip()
            body_start = index + 1
        else:
            break
    return metadata, "".join(lines[body_start:])


def read_sidecar(path: Path) -> dict[str, dict[str, str]]:
    """metadata.csv keyed by `file` (a name relative to the folder)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                raise InputError(f"{path}: sidecar CSV needs a 'file' column")
            return {(row["file"] or "").strip(): {k: (v or "").strip() for k, v in row.items()
                                                  if k != "file" and isinstance(v, str)}
                    for row in reader}
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: sidecar is not UTF-8 text (undecodable byte at offset "
                         f"{exc.start})") from exc
    except (OSError, csv.Error) as exc:
        raise InputError(f"{path}: sidecar cannot be read ({exc})") from exc


def iter_folder(root: Path, sidecar: Path | None, settings: InputConfig
                ) -> Iterator[RawDocument]:
    """Text files (doc_id = path relative to the folder) and table files, recursively;
    links as `settings.symlinks` allows (others, broken and looping ones are rejected).

    A `metadata.csv` beside text files gives their metadata, keyed by file name.
    """
    explicit = read_sidecar(sidecar) if sidecar else {}
    sidecars: dict[Path, dict[str, dict[str, str]]] = {}
    for entry in walk_folder(root, settings.symlinks):
        path, doc_id, kind = entry.path, entry.doc_id, suffix_of(entry.path)
        if entry.problem:
            yield RawDocument(doc_id, "", str(path)).reject(entry.problem)
        elif kind in TEXT_SUFFIXES:
            if path.parent not in sidecars:
                local = path.parent / SIDECAR_NAME
                sidecars[path.parent] = read_sidecar(local) if local.is_file() else {}
            given = (explicit.get(doc_id) or explicit.get(path.name)
                     or sidecars[path.parent].get(path.name) or {})
            yield read_text_file(path, doc_id, given, settings)
        elif kind in TABLE_SUFFIXES and path.name != SIDECAR_NAME:
            yield from iter_path(path, None, settings)
        elif path.name != SIDECAR_NAME:
            yield RawDocument(doc_id, "", str(path)).reject(
                f"unsupported file type ({kind or 'no extension'})")


def read_text_file(path: Path, doc_id: str, given: dict[str, str], settings: InputConfig
                   ) -> RawDocument:
    document = RawDocument(doc_id=doc_id, text="", origin=str(path))
    size, max_bytes = path.stat().st_size, int(settings.max_file_mb * 1_000_000)
    if size > max_bytes:
        return document.reject(f"file too large ({size / 1e6:.1f} MB > "
                               f"{max_bytes / 1e6:.1f} MB limit)")
    try:
        text = decode_bytes(path.read_bytes())
    except ValueError as exc:
        return document.reject(str(exc))
    except OSError as exc:
        return document.reject(f"unreadable file ({exc.strerror or exc})")
    header, body = split_header(text)
    too_large = size_problem(len(body), settings.max_doc_chars)
    if too_large:
        return document.reject(too_large)
    metadata = {k: v for k, v in header.items() if k in METADATA_FIELDS}
    metadata.update({k: v for k, v in given.items() if k in METADATA_FIELDS and v})
    document.text, document.metadata = body, metadata
    return document


def iter_path(path: Path, sidecar: Path | None, settings: InputConfig
              ) -> Iterator[RawDocument]:
    if path.is_dir():
        yield from iter_folder(path, sidecar, settings)
        return
    kind = suffix_of(path)
    if kind in TEXT_SUFFIXES:
        given = read_sidecar(sidecar).get(path.name, {}) if sidecar else {}
        yield read_text_file(path, path.name, given, settings)
    elif kind in (".jsonl", ".jsonl.gz"):
        yield from iter_jsonl(path, settings.max_doc_chars)
    elif kind == ".csv":
        yield from iter_csv(path, settings.max_doc_chars)
    elif kind == ".parquet":
        yield from iter_parquet(path, settings.max_doc_chars)
    else:
        raise InputError(f"{path}: unsupported input type (use a folder of .txt, "
                         ".jsonl, .jsonl.gz, .csv or .parquet)")


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        return next(csv.reader([handle.readline(1 << 16)]), [])


def check_inputs(paths: Iterable[Path], sidecar: Path | None = None) -> None:
    """Fail before any work on an input that cannot be used at all: a missing path, a file
    of an unknown type, a CSV without a 'text' or 'tokens' column, a sidecar (given, or a metadata.csv
    in an input folder) that is missing, not UTF-8 or has no 'file' column."""
    if sidecar is not None:
        if not sidecar.is_file():
            raise InputError(f"{sidecar}: sidecar not found")
        read_sidecar(sidecar)
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: input not found")
        if path.is_dir():
            for local in sorted(entry.path for entry in walk_folder(path, symlinks="all")
                                if entry.path.name == SIDECAR_NAME and not entry.problem):
                read_sidecar(local)
        elif suffix_of(path) not in TEXT_SUFFIXES | TABLE_SUFFIXES:
            raise InputError(f"{path}: unsupported input type (use a folder of .txt, "
                             ".jsonl, .jsonl.gz, .csv or .parquet)")
        elif suffix_of(path) == ".csv" and not has_words_column(header := csv_header(path)):
            raise InputError(f"{path}: {no_words_column(header)}")


def iter_raw_documents(paths: Iterable[Path], sidecar: Path | None = None,
                       settings: InputConfig | None = None) -> Iterator[RawDocument]:
    """All documents of all inputs, a record at a time; a repeated doc_id is kept once, the
    rest rejected. The inputs are checked (`check_inputs`) before the first one is read."""
    paths, settings = list(paths), settings or InputConfig()
    check_inputs(paths, sidecar)
    seen: set[str] = set()
    count = 0
    for path in paths:
        for document in iter_path(path, sidecar, settings):
            if document.doc_id in seen:
                document.doc_id = f"{document.doc_id}#{count}"
                if document.status == "ok":      # an unreadable one keeps its own reason
                    document.reject("duplicate id")
            seen.add(document.doc_id)
            count += 1
            yield document


def read_documents(paths: Iterable[Path], sidecar: Path | None = None,
                   settings: InputConfig | None = None) -> list[RawDocument]:
    """`iter_raw_documents` as a list (small inputs, tests)."""
    return list(iter_raw_documents(paths, sidecar, settings))


def input_warnings(paths: Iterable[Path], inputs: list[dict]) -> list[str]:
    """Input folders that yield nothing (empty, or only hidden files, sidecars or links not
    followed), and vntopics' own folders found inside them and skipped: `inputs` as
    `describe_inputs` (text/inputs.py) lists the files read."""
    read = [Path(i["path"]) for i in inputs if Path(i["path"]).name != SIDECAR_NAME]
    paths = list(paths)
    return [f"input folder {path} holds nothing to read" for path in paths
            if path.is_dir() and not any(file.is_relative_to(path) for file in read)] + [
        f"{folder} is a vntopics {kind}: not read as input"
        for folder, kind in skipped_own_folders.items()
        if any(folder.is_relative_to(path) for path in paths)]
