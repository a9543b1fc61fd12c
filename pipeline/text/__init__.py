"""Text stage: raw files and records in; cleaned `Document`s out, each with its metadata
(date, province, source: given or inferred, with evidence) and `ok` or `rejected` with a
reason. Reading, normalising, tone marks, dates, provinces, sources, near-duplicates and
the ingest cache live here."""
from vntopics.pipeline.text.cache import load_or_prepare
from vntopics.pipeline.text.documents import (DOCUMENT_COLUMNS, INGEST_COLUMNS, Document,
                                              documents_table, prepare_documents)
from vntopics.pipeline.text.read import InputError, check_inputs, input_warnings

__all__ = ["load_or_prepare", "prepare_documents", "documents_table", "check_inputs",
           "input_warnings",
           "Document", "InputError", "DOCUMENT_COLUMNS", "INGEST_COLUMNS"]
