"""From raw records to cleaned documents with metadata, and the documents table.

The table keeps every input, `ok` or `rejected` with a reason, so counts always add up:
in = ok + rejected.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    import pandas as pd

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.parallel import ProcessMapper, Progress, batches
from vntopics.pipeline.text.dates import (given_date_problem, infer_publication_date,
                                          parse_given_date)
from vntopics.pipeline.text.mojibake import detect_mojibake, repair_double_utf8
from vntopics.pipeline.text.dedupe import find_duplicates
from vntopics.pipeline.text.normalise import (clean_lines, guess_title, looks_like_html,
                                              normalise_unicode, strip_html)
from vntopics.pipeline.text.provinces import canonical_province, infer_province, province_2025
from vntopics.pipeline.text.read import RawDocument, iter_raw_documents
from vntopics.pipeline.text.shards import TextShards, TextsOf, read_texts
from vntopics.pipeline.text.sources import infer_source

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
PARALLEL_FROM = 2000
CLEAN_BATCH = 500
GIVEN, INFERRED = "given", "inferred"
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
        # ~2,000 articles of a full-VNTC report when whole shards were)
        texts = read_texts(self.texts.where([documents[i].text_row for i in stored]))
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


def clean_document(raw: RawDocument, html_policy: str = "strip") -> Document:
    """Normalised text plus metadata: given values win, the rest is inferred with evidence.
    A pre-segmented record's words are normalised the same way; without a text, its
    metadata is what the record gives."""
    document = Document(doc_id=raw.doc_id, text="", status=raw.status, reason=raw.reason)
    if raw.status != "ok":
        return document
    if raw.tokens is not None:
        document.given_words = normalise_unicode(raw.tokens)
    body = raw.text
    if looks_like_html(body):
        if html_policy == "reject":
            document.reject("HTML page (input.html = reject)")
            return document
        body = strip_html(body)
    evidence = []
    given_raw = dict(raw.metadata)
    mojibake = detect_mojibake(body)
    if mojibake and mojibake.repaired is None:
        document.reject(mojibake.reason)
        return document
    if mojibake:
        body = mojibake.repaired
        given_raw = {k: repair_double_utf8(v) or v for k, v in given_raw.items()}
        evidence.append("text repaired: UTF-8 that had been read as Windows-1252")
    lines = clean_lines(normalise_unicode(body))
    given = {k: normalise_unicode(v).strip() for k, v in given_raw.items()}
    document.text = "\n".join(lines)
    document.title = given.get("title") or guess_title(lines)
    if not document.text.strip() and not document.given_words:
        document.reject("no text after cleaning")
        return document
    date_text, year = parse_given_date(given.get("date"))
    if date_text or year:
        document.date, document.year, document.date_source = date_text, year, GIVEN
    else:
        if given.get("date"):
            problem = given_date_problem(given["date"])
            evidence.append(f"given date unreadable: {given['date']!r}"
                            + (f" ({problem})" if problem != "unreadable" else ""))
        found = infer_publication_date(document.text)
        if found:
            document.date, document.year, document.date_source = found.date, found.year, INFERRED
            evidence.append(f"date: {found.evidence}")
    if given.get("province"):
        document.province = canonical_province(given["province"]) or given["province"]
        document.province_source = GIVEN
    else:
        place = infer_province(document.text, document.title)
        if place:
            document.province, document.province_source = place.province, INFERRED
            evidence.append(f"province: {place.evidence}")
    if document.province != UNKNOWN:
        document.province_2025 = province_2025(document.province) or UNKNOWN
        if document.province_2025 == UNKNOWN:
            evidence.append(f"province {document.province!r} is not one of the 63 provinces")
    if given.get("source"):
        document.source, document.source_source = given["source"], GIVEN
    else:
        paper = infer_source(document.text)
        if paper:
            document.source, document.source_source = paper.source, INFERRED
            evidence.append(f"source: {paper.evidence}")
    document.evidence = "; ".join(evidence)
    return document


def reject_duplicates(documents: DocumentSet, progress: Progress | None = None) -> None:
    """Exact and near-duplicate articles (syndication): the first kept, the rest rejected."""
    candidates = [d for d in documents if d.status == "ok"]
    duplicates = find_duplicates([d.doc_id for d in candidates],
                                 TextsOf(documents.texts, [d.text_row for d in candidates]),
                                 progress=partial(progress, "dedupe") if progress else None)
    for document in candidates:
        if document.doc_id in duplicates:
            document.reject(f"duplicate of {duplicates[document.doc_id]}")


def clean_batch(raws: list[RawDocument], html_policy: str) -> list[Document]:
    return [clean_document(raw, html_policy) for raw in raws]


def prepare_documents(paths: list[Path], sidecar: Path | None, settings: InputConfig, *,
                      workers: int = 1, parallel_from: int = PARALLEL_FROM,
                      progress: Progress | None = None, texts: TextShards | None = None
                      ) -> DocumentSet:
    """Read, clean, attach metadata and drop duplicates: what `vntopics ingest` shows.

    Records are read one at a time and each cleaned text goes to `texts` (TextShards in the
    given folder; a temporary one by default) as soon as it is made, so memory holds the
    documents' metadata, not their texts. Cleaning and metadata inference (a noticeable cost
    per article, benchmarks/README.md) run on `workers` processes once a corpus has more than
    `parallel_from` documents; smaller ones are not worth the start-up. Reading stays in this
    process, and only a few batches are in flight at a time.
    `progress` hears the steps "clean" (documents cleaned, total unknown: -1) and "dedupe"
    (texts hashed).
    """
    html_policy = settings.html
    raws = iter_raw_documents(paths, sidecar, settings)
    documents = DocumentSet(texts=texts)

    def keep(document: Document) -> None:
        document.share_values()
        store_text(document, documents.texts)
        documents.append(document)
        if progress:
            progress("clean", len(documents), -1)

    if progress:
        progress("clean", 0, -1)
    head = list(islice(raws, parallel_from))
    parallel = workers > 1 and len(head) == parallel_from
    for raw in head if parallel else chain(head, raws):
        keep(clean_document(raw, html_policy))
    del head
    if parallel:
        clean = partial(clean_batch, html_policy=html_policy)
        for cleaned in ProcessMapper(workers)(clean, batches(raws, CLEAN_BATCH)):
            for document in cleaned:
                keep(document)
    documents.texts.flush()
    if progress:
        progress("clean", len(documents), len(documents))
    reject_duplicates(documents, progress)
    return documents


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
