"""CSV files, read a record at a time; a record (however many lines its quoted fields span)
is the unit of acceptance and of rejection.

Memory stays bounded by `input.max_doc_chars`: a record over `line_limit` bytes is skipped
to its end without being held (its quotes counted to find where it ends) and rejected as
one row naming its line range. A record that cannot be parsed (text after a closing quote)
is one rejected row for its lines, and parsing goes on after them. A quote never closed
would make the rest of the file one record: it is read as a stray quote instead (parsing
restarts on the line after the one that opened it, so the records after it are still
read), and the lines it swallowed, read again and not records either, are part of that
one rejection (its line range), not a rejected row each. (A quote never closed cannot be
told from a stray one: a line of the unclosed field that holds as many fields as the
header is read as a record.)
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from vntopics.pipeline.text.raw import RawDocument, record_to_document
from vntopics.pipeline.text.records import (NOT_UTF8, has_words_column, line_limit,
                                            no_words_column, one_line)

QUOTE = b'"'
# The csv module's own cap (128 KiB per field) is below one allowed document; records are
# capped by `line_limit` here instead.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


@dataclass
class CsvRecord:
    """Lines `first`..`last` of a file: the record's fields, or None and the `problem`;
    `rewound`: parsing restarted after its first line (the lines after it are read again)."""
    first: int
    last: int
    fields: list[str] | None = None
    problem: str = ""
    rewound: bool = False

    def lines(self) -> str:
        return (f"line {self.first}" if self.first == self.last
                else f"lines {self.first}-{self.last}")


class RecordTooLarge(Exception):
    pass


class CsvLines:
    """The physical lines of a CSV file for `csv.reader`, each record's start remembered
    (line number and the offset after its first line) so parsing can restart there."""

    def __init__(self, handle: BinaryIO, limit: int):
        self.handle, self.limit = handle, limit
        self.number = 0                        # the last line read
        self.start, self.resume = 0, 0         # the current record's first line, offset after it
        self.size = self.quotes = 0            # bytes and '"' of the current record so far
        self.bom = True
        self.ended = False                     # the file ended inside the current record

    def next_record(self) -> None:
        self.start = 0

    def feed(self) -> Iterator[str]:
        self.ended = False
        while raw := self.handle.readline(self.limit + 1):
            self.number += 1
            if not self.start:
                self.start, self.resume, self.size, self.quotes = (
                    self.number, self.handle.tell(), 0, 0)
            self.size += len(raw)
            self.quotes += raw.count(QUOTE)
            if self.size > self.limit:
                raise RecordTooLarge(raw.endswith(b"\n"))
            text = raw.decode("utf-8", "surrogateescape")
            if self.bom:
                text, self.bom = text.removeprefix("\ufeff"), False
            yield text
        self.ended = True

    def skip_record(self, at_line_end: bool) -> bool:
        """Read on, holding nothing, to the end of the current (too large) record: the first
        line end outside quotes. False when the file ends inside quotes."""
        while not (at_line_end and self.quotes % 2 == 0):
            chunk = self.handle.readline(1 << 20)
            if not chunk:
                return self.quotes % 2 == 0
            self.number += at_line_end           # a chunk at a line end starts the next line
            self.quotes += chunk.count(QUOTE)
            at_line_end = chunk.endswith(b"\n")
        return True

    def rewind(self) -> None:
        """Back to the line after the current record's first line."""
        self.handle.seek(self.resume)
        self.number, self.start = self.start, 0


def csv_records(handle: BinaryIO, limit: int) -> Iterator[CsvRecord]:
    """Every record of a CSV file in order, blank lines skipped: its fields, or None and why
    it cannot be used."""
    lines = CsvLines(handle, limit)
    while True:
        reader = csv.reader(lines.feed(), strict=True)
        try:
            for fields in reader:
                if fields:
                    yield CsvRecord(lines.start, lines.number, fields)
                lines.next_record()
            return
        except RecordTooLarge as exc:
            too_large = f"record too large (over {limit / 1e6:.1f} MB: input.max_doc_chars)"
            first = lines.start
            if lines.skip_record(at_line_end=exc.args[0]):
                yield CsvRecord(first, lines.number, None, too_large)
                lines.next_record()
                continue
            lines.rewind()
            yield CsvRecord(first, first, None, too_large + "; a quote is never closed",
                            rewound=True)
        except csv.Error as exc:
            first, last = lines.start or lines.number, lines.number
            if not lines.ended:        # it ends where the error is: parsing goes on after it
                yield CsvRecord(first, last, None, one_line(exc))
                lines.next_record()
                continue
            lines.rewind()             # a quote never closed: read as a stray one
            yield CsvRecord(first, first, None, one_line(exc), rewound=True)


def iter_csv(path: Path, max_doc_chars: int) -> Iterator[RawDocument]:
    """One RawDocument per CSV record, or a rejected one per bad record (with its line or
    line range); one rejected row for a file without a usable header or records."""
    with path.open("rb") as handle:
        records = csv_records(handle, line_limit(max_doc_chars))
        header = next(records, CsvRecord(1, 1, None, "no header line"))
        columns = header.fields
        if columns is None or not has_words_column(columns) or NOT_UTF8.search("".join(columns)):
            reason = (f"unreadable header ({header.problem})" if columns is None else
                      "header is not UTF-8 text" if NOT_UTF8.search("".join(columns)) else
                      no_words_column(columns))
            yield RawDocument(path.name, "", str(path)).reject(reason)
            return
        count, broken = 0, None
        for record in records:
            problem = record_problem(record, len(columns))
            if broken and problem and not record.rewound:   # what a bad record swallowed
                broken.last = record.last
                continue
            if broken:
                yield rejected(path, broken, broken.problem)
            broken = record if record.rewound else None
            count += 1
            if broken:
                continue
            if problem:
                yield rejected(path, record, problem)
            else:
                yield record_to_document(dict(zip(columns, record.fields)),
                                         f"{path.name}:{record.first}", str(path),
                                         max_doc_chars)
        if broken:
            yield rejected(path, broken, broken.problem)
        if not count:
            yield RawDocument(path.name, "", str(path)).reject("no records (header only)")


def record_problem(record: CsvRecord, width: int) -> str:
    """Why a record is not a document ('' when it is one)."""
    if record.fields is None:
        return record.problem
    if len(record.fields) != width:
        return f"{len(record.fields)} fields, the header has {width}"
    joined = "".join(record.fields)
    if "\x00" in joined:
        return "binary content (NUL characters)"
    return "not UTF-8 text" if NOT_UTF8.search(joined) else ""


def rejected(path: Path, record: CsvRecord, problem: str) -> RawDocument:
    return RawDocument(f"{path.name}:{record.first}", "", str(path)).reject(
        f"bad CSV record at {record.lines()}: {problem}")
