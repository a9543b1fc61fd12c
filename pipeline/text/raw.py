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
    Filled by `read.read_documents`; `text.cleaning.clean_document` turns it into a
    `Document`. A record segmented by another tool carries its words in `tokens`."""
    doc_id: str
    text: str
    origin: str
    metadata: dict[str, str] = field(default_factory=dict)
    status: str = "ok"
    reason: str = ""
    tokens: str | None = None   # given words, space-separated (pre-segmented input); None: none

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


def given_words(value: object) -> tuple[str | None, str]:
    """(A record's `tokens` as one space-separated string, '') or (None, the reason they
    cannot be used).

    Two forms, as other segmenters write them: one string of space-separated words with
    compounds joined by '_' (underthesea's `format="text"`, pyvi, VnCoreNLP), or a list of
    words (a word may hold spaces: "chuyển đổi" is joined to "chuyển_đổi")."""
    if isinstance(value, str):
        words = value
    elif isinstance(value, (list, tuple)):
        strange = next((w for w in value if not isinstance(w, str)), None)
        if strange is not None:
            return None, (f"tokens field: a list of strings expected, it holds a "
                          f"{type(strange).__name__} ({str(strange)[:40]})")
        words = " ".join("_".join(w.split()) for w in value)
    else:
        return None, (f"tokens field: a string of space-separated words or a list of "
                      f"strings expected, not {type(value).__name__}")
    return (words, "") if words.strip() else (None, "empty tokens field (no words)")


def record_to_document(record: dict, fallback_id: str, origin: str, max_doc_chars: int
                       ) -> RawDocument:
    """A JSONL/CSV/Parquet record: `text`, or pre-segmented `tokens`, or both (the text then
    gives the metadata inferred from it and the report's first lines, the tokens the words)."""
    doc_id = str(record.get("id") or record.get("doc_id") or fallback_id)
    text, tokens = record.get("text"), record.get("tokens")
    document = RawDocument(doc_id=doc_id, text="", origin=origin)
    document.metadata = {k: str(record[k]) for k in METADATA_FIELDS
                         if record.get(k) not in (None, "") and record.get(k) == record.get(k)}
    has_text = isinstance(text, str) and bool(text.strip())
    if tokens is not None and tokens == tokens and not (tokens == "" and has_text):
        words, problem = given_words(tokens)   # NaN (pandas), a blank CSV cell beside a text: none
        if words is None:
            return document.reject(problem)
        too_large = size_problem(len(words), max_doc_chars)
        if too_large:
            return document.reject(too_large)
        document.tokens = words
    elif not has_text:
        return document.reject("no text field" if tokens is None or tokens != tokens
                               else "empty tokens field (no words)")
    if has_text:
        too_large = size_problem(len(text), max_doc_chars)
        if too_large:
            return document.reject(too_large)
        document.text = text
    return document
