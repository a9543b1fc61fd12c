"""The record every reader produces: one input document as read, `ok` or `rejected`."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

METADATA_FIELDS = ("title", "date", "province", "source")


@dataclass
class RawDocument:
    """One input record as read, before any cleaning: its id, raw text, the file it came
    from, the given metadata (title, date, province, source) from the record, a
    `# key = value` header or a metadata.csv sidecar, and `ok` or `rejected` with a reason.
    Filled by `read.read_documents`; `text.documents.clean_document` turns it into a
    `Document`."""
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


def size_problem(chars: int, max_doc_chars: int) -> str | None:
    """The reason a document of `chars` characters is over budget, or None."""
    if chars <= max_doc_chars:
        return None
    return (f"document too large ({chars:,} characters > {max_doc_chars:,}: "
            "input.max_doc_chars)")


def record_to_document(record: dict, fallback_id: str, origin: str, max_doc_chars: int
                       ) -> RawDocument:
    doc_id = str(record.get("id") or record.get("doc_id") or fallback_id)
    text = record.get("text")
    document = RawDocument(doc_id=doc_id, text="", origin=origin)
    document.metadata = {k: str(record[k]) for k in METADATA_FIELDS
                         if record.get(k) not in (None, "") and record.get(k) == record.get(k)}
    if not isinstance(text, str) or not text.strip():
        return document.reject("no text field")
    too_large = size_problem(len(text), max_doc_chars)
    if too_large:
        return document.reject(too_large)
    document.text = text
    return document
