"""The run's documents: one `Document` per input record (metadata, status, where its text
and tokens are), the `DocumentSet` holding them with their texts on disk, and the documents
table. Made from raw records by `cleaning.prepare_documents`.

The table keeps every input, `ok` or `rejected` with a reason, so counts always add up:
in = ok + rejected.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    import pandas as pd

from vntopics.pipeline.text.shards import TextShards, read_texts

DOCUMENT_COLUMNS = ["doc_id", "title", "date", "year", "province", "source", "n_chars",
                    "n_tokens", "citations", "status", "reason", "province_2025",
                    "date_source", "province_source", "source_source", "evidence"]
INGEST_COLUMNS = ["doc_id", "title", "date", "year", "province", "source", "n_chars",
                  "status", "reason", "province_2025", "date_source", "province_source",
                  "source_source", "evidence"]
SIMPLE_COLUMNS = [c for c in DOCUMENT_COLUMNS if c not in ("date", "citations")]
UNKNOWN = "unknown"
SHARED_VALUES = ("date", "province", "source", "status", "province_2025", "date_source",
                 "province_source", "source_source")
LEAD_CHARS = 160   # first characters of an article's body the report shows under its title


def lead_of(text: str, title: str, limit: int = LEAD_CHARS) -> str:
    """The article's first lines after its title, cut at a word: what a reader needs to see
    what a representative article is about without the whole text. Short lines before the
    body (time stamps such as '08:59 - Thứ Tư, 03/10/2018', bylines) are skipped."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and lines[0] == title.strip():
        lines = lines[1:]
    while len(lines) > 1 and len(re.findall(r"[^\W\d_]+", lines[0])) < 4:
        lines = lines[1:]
    body = " ".join(lines)
    if len(body) <= limit:
        return body
    return body[:limit].rsplit(" ", 1)[0] + "…"


@dataclass(slots=True)
class Document:
    """One input record through the run: filled by `clean_document` (text, metadata with
    where each value came from, status); its text then goes to the run's `TextShards`
    (`text_row`; a report's first lines of it: `DocumentSet.leads`); the segment stage fills
    `n_tokens` and `token_row` (its row in the run's TokenStore), `citations` and the watchlist's
    `term_counts`; rejected with a reason at whichever stage finds it unusable. Slots: a
    large corpus holds a million of these."""
    doc_id: str
    text: str
    title: str = ""
    date: str | None = None
    year: int | None = None
    province: str = UNKNOWN
    source: str = ""
    status: str = "ok"
    reason: str = ""
    province_2025: str = UNKNOWN
    date_source: str = UNKNOWN
    province_source: str = UNKNOWN
    source_source: str = UNKNOWN
    evidence: str = ""
    citations: list[str] = field(default_factory=list)
    term_counts: dict[str, int] = field(default_factory=dict)   # watchlist term -> count
    released_chars: int | None = None   # len(text) once the text is stored away
    given_words: str = ""               # pre-segmented input: its words, normalised
    pre_segmented: bool = False         # the record gave its own words (`tokens`)
    text_row: int = -1                  # row of its text in the run's TextShards
    token_row: int = -1                 # row of its tokens in the run's TokenStore
    n_tokens: int = 0

    def __post_init__(self) -> None:
        self.share_values()

    def share_values(self) -> None:
        """Read back from the ingest cache or a worker process, every document had its own
        copy of these few repeated values (25 MB on the full VNTC); interned, they are shared."""
        for name in SHARED_VALUES:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, sys.intern(value))

    def release_text(self) -> None:
        """The text itself goes to disk (TextShards)."""
        self.pre_segmented = self.pre_segmented or bool(self.given_words)
        self.released_chars, self.text, self.given_words = len(self.text), "", ""

    @property
    def n_chars(self) -> int:
        return self.released_chars if self.released_chars is not None else len(self.text)

    def reject(self, reason: str) -> None:
        self.status, self.reason = "rejected", reason


class DocumentSet(list):
    """The run's documents (metadata in memory, in input order) with their texts on disk
    (`texts`) and, after segmentation, their tokens (`tokens`, a segment.TokenStore)."""

    def __init__(self, documents: Iterable[Document] = (), texts: TextShards | None = None):
        super().__init__(documents)
        self.texts = texts if texts is not None else TextShards()
        self.tokens = None
        # what identifies these documents across runs: the sha256 of their ingest cache
        # entry's entry.json (text/cache.py); None when they are not cached
        self.fingerprint: str | None = None

    def text_of(self, document: Document) -> str:
        return self.texts.text(document.text_row) if document.text_row >= 0 else document.text

    def leads(self, documents: Sequence[Document]) -> list[str]:
        """Each document's first lines (`lead_of`), read from its stored text: made for the
        few articles a report shows, not kept for every document (31 MB on the full VNTC,
        held through the model fits, the run's memory peak)."""
        order = sorted(range(len(documents)), key=lambda i: documents[i].text_row)
        found = [""] * len(documents)
        stored = [i for i in order if 0 <= documents[i].text_row < len(self.texts)]
        # ascending rows: each shard read once, only the rows wanted decoded (1.3 s for the
        # ~2,000 articles of a full-VNTC report when whole shards were), two shards at a time
        texts = read_texts(self.texts.where([documents[i].text_row for i in stored]),
                           threads=2)
        for i, text in zip(stored, texts):
            found[i] = lead_of(text, documents[i].title)
        for i in order:          # "" for a text stored elsewhere (row beyond these shards)
            if documents[i].text_row < 0:
                found[i] = lead_of(documents[i].text, documents[i].title)
        return found


def document_set(documents: Iterable[Document]) -> DocumentSet:
    """`documents` as a DocumentSet: a list of documents still holding their texts (tests,
    a notebook) has them stored away first."""
    if isinstance(documents, DocumentSet):
        return documents
    result = DocumentSet()
    for document in documents:
        store_text(document, result.texts)
        result.append(document)
    result.texts.flush()
    return result


def store_text(document: Document, texts: TextShards) -> None:
    if document.status == "ok" and document.text_row < 0:
        document.text_row = texts.append(document.text, document.given_words)
        document.release_text()


def documents_table(documents: Iterable[Document], columns: list[str] = DOCUMENT_COLUMNS
                    ) -> pd.DataFrame:
    import pandas as pd

    documents = documents if isinstance(documents, list) else list(documents)
    # column by column: a dict per document first cost ~650 bytes each at once
    frame = pd.DataFrame({name: [getattr(d, name) for d in documents]
                          for name in SIMPLE_COLUMNS}, columns=DOCUMENT_COLUMNS)
    frame["date"] = [d.date or "" for d in documents]
    frame["citations"] = [" ".join(d.citations) for d in documents]
    frame = frame[DOCUMENT_COLUMNS]
    frame["year"] = frame["year"].astype("Int64")
    return frame[columns]
