"""From raw records to the documents table: cleaned text, metadata and tokens per document.

The table keeps every input, `ok` or `rejected` with a reason, so counts always add up:
in = ok + rejected.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd

from pipeline.ingest import RawDocument
from pipeline.metadata import guess_title, parse_given_date
from pipeline.normalize import clean_lines, normalise_unicode

DOCUMENT_COLUMNS = ["doc_id", "title", "date", "year", "province", "source", "n_chars",
                    "n_tokens", "citations", "status", "reason"]
INGEST_COLUMNS = ["doc_id", "title", "date", "year", "province", "source", "n_chars",
                  "status", "reason"]
UNKNOWN = "unknown"


@dataclass
class Document:
    doc_id: str
    text: str
    title: str = ""
    date: str | None = None
    year: int | None = None
    province: str = UNKNOWN
    source: str = ""
    status: str = "ok"
    reason: str = ""
    tokens: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)

    def reject(self, reason: str) -> None:
        self.status, self.reason = "rejected", reason

    def row(self) -> dict:
        return {"doc_id": self.doc_id, "title": self.title, "date": self.date or "",
                "year": self.year, "province": self.province, "source": self.source,
                "n_chars": len(self.text), "n_tokens": len(self.tokens),
                "citations": " ".join(self.citations), "status": self.status,
                "reason": self.reason}


def clean_document(raw: RawDocument) -> Document:
    """Normalised text and given metadata; nothing is inferred here yet."""
    document = Document(doc_id=raw.doc_id, text="", status=raw.status, reason=raw.reason)
    if raw.status != "ok":
        return document
    lines = clean_lines(normalise_unicode(raw.text))
    given = {k: normalise_unicode(v).strip() for k, v in raw.metadata.items()}
    document.text = "\n".join(lines)
    document.title = given.get("title") or guess_title(lines)
    document.date, document.year = parse_given_date(given.get("date"))
    document.province = given.get("province") or UNKNOWN
    document.source = given.get("source", "")
    if not document.text.strip():
        document.reject("no text after cleaning")
    return document


def tokenize_documents(documents: Iterable[Document],
                       tokenizer: Callable[[str], tuple[list[str], list[str]]],
                       min_doc_tokens: int) -> None:
    for document in documents:
        if document.status != "ok":
            continue
        document.tokens, document.citations = tokenizer(document.text)
        if len(document.tokens) < min_doc_tokens:
            document.reject(f"too few tokens after stop-word filtering "
                            f"({len(document.tokens)} < {min_doc_tokens})")


def documents_table(documents: Iterable[Document], columns: list[str] = DOCUMENT_COLUMNS
                    ) -> pd.DataFrame:
    frame = pd.DataFrame([d.row() for d in documents], columns=DOCUMENT_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame[columns]
