"""Files of records (JSONL, JSONL.gz, Parquet; CSV in `csv_input.py`), read a record at a
time.

Memory stays bounded by `input.max_doc_chars`, not by the largest record: a physical line
longer than `line_limit` bytes is skipped unread (and its record rejected). A record that
cannot be parsed is rejected with its real line number and the rest of the file is still
read (a broken JSON line, a corrupt .gz from the point it breaks).
"""
from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator

from vntopics.pipeline.text.raw import RawDocument, record_to_document, suffix_of

# JSON may escape each character as \uXXXX (6 bytes); the rest is room for the metadata.
BYTES_PER_CHAR, METADATA_BYTES = 8, 1_000_000
PARQUET_BATCH = 256
NOT_UTF8 = re.compile("[\udc80-\udcff]")     # bytes that were not UTF-8 (surrogateescape)


def line_limit(max_doc_chars: int) -> int:
    """Longest physical line (bytes) a record of `max_doc_chars` characters can need."""
    return BYTES_PER_CHAR * max_doc_chars + METADATA_BYTES


def has_words_column(columns: list[str]) -> bool:
    return "text" in columns or "tokens" in columns


def no_words_column(columns: list[str]) -> str:
    return f"no 'text' or 'tokens' column (columns: {one_line(', '.join(columns))})"


def bounded_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each physical line; None for a line over `limit` bytes,
    which is skipped without being held in memory."""
    number = 0
    while raw := handle.readline(limit + 1):
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, raw


def one_line(text: object, width: int = 120) -> str:
    return " ".join(str(text).split())[:width]


def too_long_reason(number: int, limit: int) -> str:
    return (f"record too large (line {number} is over {limit / 1e6:.1f} MB: "
            "input.max_doc_chars)")


def iter_jsonl(path: Path, max_doc_chars: int) -> Iterator[RawDocument]:
    """One record per non-blank line; a broken line, or a corrupt or truncated .gz, is kept as
    a rejected record naming the line."""
    opener = gzip.open if suffix_of(path) == ".jsonl.gz" else open
    limit, line_number, records = line_limit(max_doc_chars), 0, 0
    try:
        with opener(path, "rb") as handle:
            for line_number, raw in bounded_lines(handle, limit):
                fallback = f"{path.name}:{line_number}"
                if raw is None:
                    records += 1
                    yield RawDocument(fallback, "", str(path)).reject(
                        too_long_reason(line_number, limit))
                    continue
                if not raw.strip():
                    continue
                records += 1
                try:
                    # utf-8-sig: a BOM from Windows tools (or from concatenated files) is no text
                    record = json.loads(raw.decode("utf-8-sig"))
                    if not isinstance(record, dict):
                        raise ValueError("not a JSON object")
                except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
                    reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
                    yield RawDocument(fallback, "", str(path)).reject(
                        f"broken JSON at line {line_number}: {one_line(reason, 80)}")
                    continue
                yield record_to_document(record, fallback, str(path), max_doc_chars)
    except (OSError, EOFError, zlib.error) as exc:
        records += 1
        yield RawDocument(f"{path.name}:{line_number + 1}", "", str(path)).reject(
            f"unreadable from line {line_number + 1} (corrupt or truncated file: "
            f"{one_line(exc, 80)})")
    if not records:
        yield RawDocument(path.name, "", str(path)).reject("no records (empty file)")


def iter_parquet(path: Path, max_doc_chars: int) -> Iterator[RawDocument]:
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
        columns = table.schema_arrow.names
    except Exception as exc:   # pyarrow raises its own types for files that are not Parquet
        yield RawDocument(path.name, "", str(path)).reject(
            f"unreadable table ({type(exc).__name__}: {one_line(exc, 80)})")
        return
    if not has_words_column(columns):
        yield RawDocument(path.name, "", str(path)).reject(no_words_column(columns))
        return
    row = 0
    for batch in table.iter_batches(batch_size=PARQUET_BATCH):
        for record in batch.to_pylist():
            row += 1
            yield record_to_document(record, f"{path.name}:{row}", str(path), max_doc_chars)
    if not row:
        yield RawDocument(path.name, "", str(path)).reject("no records (empty table)")
