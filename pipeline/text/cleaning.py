"""From raw records to cleaned documents: normalised text, metadata given or inferred with
evidence, near-duplicates rejected (`prepare_documents`, what `vntopics ingest` shows)."""
from __future__ import annotations

from functools import partial
from itertools import chain, islice
from pathlib import Path

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.parallel import ProcessMapper, Progress, batches
from vntopics.pipeline.text.dates import (given_date_problem, infer_publication_date,
                                          parse_given_date)
from vntopics.pipeline.text.dedupe import find_duplicates
from vntopics.pipeline.text.documents import UNKNOWN, Document, DocumentSet, store_text
from vntopics.pipeline.text.mojibake import detect_mojibake, repair_double_utf8
from vntopics.pipeline.text.normalise import (clean_lines, guess_title, looks_like_html,
                                              normalise_unicode, strip_html)
from vntopics.pipeline.text.provinces import canonical_province, infer_province, province_2025
from vntopics.pipeline.text.read import RawDocument, iter_raw_documents
from vntopics.pipeline.text.shards import TextShards, TextsOf
from vntopics.pipeline.text.sources import infer_source

PARALLEL_FROM = 2000
CLEAN_BATCH = 500
GIVEN, INFERRED = "given", "inferred"


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
