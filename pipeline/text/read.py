"""Read raw articles from txt folders, JSONL(.gz), CSV and Parquet into one record stream.

Every input becomes exactly one `RawDocument`, readable or not: a file that cannot be read is
kept as a rejected record with the reason, so a run can account for all of its inputs.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

TEXT_SUFFIXES = {".txt", ".html", ".htm"}
TABLE_SUFFIXES = {".jsonl", ".jsonl.gz", ".csv", ".parquet"}
METADATA_FIELDS = ("title", "date", "province", "source")
SIDECAR_NAME = "metadata.csv"


@dataclass
class RawDocument:
    """One input record as read, before any cleaning: its id, raw text, the file it came
    from, the given metadata (title, date, province, source) from the record, a
    `# key = value` header or a metadata.csv sidecar, and `ok` or `rejected` with a reason.
    Filled by `read_documents`; `text.documents.clean_document` turns it into a `Document`."""
    doc_id: str
    text: str
    origin: str
    metadata: dict[str, str] = field(default_factory=dict)
    status: str = "ok"
    reason: str = ""

    def reject(self, reason: str) -> "RawDocument":
        self.status, self.reason = "rejected", reason
        return self


class InputError(ValueError):
    """An input that cannot be used at all (as opposed to one bad document inside it)."""


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


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
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise InputError(f"{path}: sidecar CSV needs a 'file' column")
        return {row["file"].strip(): {k: (v or "").strip() for k, v in row.items() if k != "file"}
                for row in reader}


def iter_folder(root: Path, sidecar: Path | None, max_bytes: int) -> Iterator[RawDocument]:
    """Text files (doc_id = path relative to the folder) and table files, recursively.

    A `metadata.csv` beside text files gives their metadata, keyed by file name.
    """
    explicit = read_sidecar(sidecar) if sidecar else {}
    sidecars: dict[Path, dict[str, dict[str, str]]] = {}
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in files:
        kind = suffix_of(path)
        if kind in TEXT_SUFFIXES:
            if path.parent not in sidecars:
                local = path.parent / SIDECAR_NAME
                sidecars[path.parent] = read_sidecar(local) if local.is_file() else {}
            doc_id = path.relative_to(root).as_posix()
            given = (explicit.get(doc_id) or explicit.get(path.name)
                     or sidecars[path.parent].get(path.name) or {})
            yield read_text_file(path, doc_id, given, max_bytes)
        elif kind in TABLE_SUFFIXES and path.name != SIDECAR_NAME:
            yield from iter_path(path, None, max_bytes)
        elif path.name != SIDECAR_NAME:
            yield RawDocument(path.relative_to(root).as_posix(), "", str(path)).reject(
                f"unsupported file type ({kind or 'no extension'})")


def read_text_file(path: Path, doc_id: str, given: dict[str, str], max_bytes: int) -> RawDocument:
    document = RawDocument(doc_id=doc_id, text="", origin=str(path))
    size = path.stat().st_size
    if size > max_bytes:
        return document.reject(f"file too large ({size / 1e6:.1f} MB > "
                               f"{max_bytes / 1e6:.1f} MB limit)")
    try:
        text = decode_bytes(path.read_bytes())
    except ValueError as exc:
        return document.reject(str(exc))
    header, body = split_header(text)
    metadata = {k: v for k, v in header.items() if k in METADATA_FIELDS}
    metadata.update({k: v for k, v in given.items() if k in METADATA_FIELDS and v})
    document.text, document.metadata = body, metadata
    return document


def record_to_document(record: dict, fallback_id: str, origin: str) -> RawDocument:
    doc_id = str(record.get("id") or record.get("doc_id") or fallback_id)
    text = record.get("text")
    document = RawDocument(doc_id=doc_id, text="", origin=origin)
    document.metadata = {k: str(record[k]) for k in METADATA_FIELDS
                         if record.get(k) not in (None, "") and record.get(k) == record.get(k)}
    if not isinstance(text, str) or not text.strip():
        return document.reject("no text field")
    document.text = text
    return document


def iter_jsonl(path: Path) -> Iterator[RawDocument]:
    """One record per non-blank line; a broken line, or a corrupt or truncated .gz, is kept as
    a rejected record naming the line."""
    opener = gzip.open if suffix_of(path) == ".jsonl.gz" else open
    line_number = 0
    try:
        with opener(path, "rb") as handle:
            for line_number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                fallback = f"{path.name}:{line_number}"
                try:
                    # utf-8-sig: a BOM from Windows tools (or from concatenated files) is no text
                    record = json.loads(raw.decode("utf-8-sig"))
                    if not isinstance(record, dict):
                        raise ValueError("not a JSON object")
                except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
                    reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
                    yield RawDocument(fallback, "", str(path)).reject(
                        f"broken JSON at line {line_number}: {reason[:80]}")
                    continue
                yield record_to_document(record, fallback, str(path))
    except (OSError, EOFError, zlib.error) as exc:
        yield RawDocument(f"{path.name}:{line_number + 1}", "", str(path)).reject(
            f"unreadable from line {line_number + 1} (corrupt or truncated file: "
            f"{str(exc)[:80]})")


def iter_table(path: Path) -> Iterator[RawDocument]:
    import pandas as pd

    try:
        if suffix_of(path) == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, OSError) as exc:   # undecodable bytes, broken quoting, not Parquet
        yield RawDocument(path.name, "", str(path)).reject(
            f"unreadable table ({type(exc).__name__}: {str(exc)[:80]})")
        return
    if "text" not in frame.columns:
        raise InputError(f"{path}: no 'text' column (columns: {', '.join(map(str, frame.columns))})")
    for row_number, record in enumerate(frame.to_dict("records"), start=1):
        yield record_to_document(record, f"{path.name}:{row_number}", str(path))


def iter_path(path: Path, sidecar: Path | None, max_bytes: int) -> Iterator[RawDocument]:
    if path.is_dir():
        yield from iter_folder(path, sidecar, max_bytes)
        return
    kind = suffix_of(path)
    if kind in TEXT_SUFFIXES:
        given = read_sidecar(sidecar).get(path.name, {}) if sidecar else {}
        yield read_text_file(path, path.name, given, max_bytes)
    elif kind in (".jsonl", ".jsonl.gz"):
        yield from iter_jsonl(path)
    elif kind in (".csv", ".parquet"):
        yield from iter_table(path)
    else:
        raise InputError(f"{path}: unsupported input type (use a folder of .txt, "
                         ".jsonl, .jsonl.gz, .csv or .parquet)")


def check_inputs(paths: Iterable[Path]) -> None:
    """Fail before any work on an input that cannot be used at all."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: input not found")
        if path.is_file() and suffix_of(path) == ".csv":
            with path.open(encoding="utf-8-sig", errors="replace") as handle:
                header = next(csv.reader(io.StringIO(handle.readline())), [])
            if "text" not in header:
                raise InputError(f"{path}: no 'text' column (columns: {', '.join(header)})")


def read_documents(paths: Iterable[Path], sidecar: Path | None = None,
                   max_file_mb: float = 20.0) -> list[RawDocument]:
    """All documents of all inputs; a repeated doc_id is kept once, the rest rejected."""
    paths = list(paths)
    check_inputs(paths)
    max_bytes = int(max_file_mb * 1_000_000)
    documents: list[RawDocument] = []
    seen: set[str] = set()
    for path in paths:
        for document in iter_path(path, sidecar, max_bytes):
            if document.doc_id in seen:
                document.doc_id = f"{document.doc_id}#{len(documents)}"
                if document.status == "ok":      # an unreadable one keeps its own reason
                    document.reject("duplicate id")
            seen.add(document.doc_id)
            documents.append(document)
    return documents
