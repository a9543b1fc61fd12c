"""Text stage: raw files and records in; a `DocumentSet` out (cleaned `Document`s in memory,
their texts in Parquet shards on disk: `TextShards`), each with its metadata
(date, province, source: given or inferred, with evidence) and `ok` or `rejected` with a
reason. Reading, normalising, tone marks, dates, provinces, sources, near-duplicates and
the ingest cache live here."""
from typing import TYPE_CHECKING

from vntopics.pipeline.lazy import lazy_exports

if TYPE_CHECKING:   # the exports, each loaded from its module on first use (pipeline/lazy.py)
    from vntopics.pipeline.text.cleaning import prepare_documents
    from vntopics.pipeline.text.documents import (DOCUMENT_COLUMNS, INGEST_COLUMNS, Document,
                                                  DocumentSet, document_set, documents_table)
    from vntopics.pipeline.text.folders import tag_folder
    from vntopics.pipeline.text.inputs import describe_inputs, sha256_of
    from vntopics.pipeline.text.normalise import NORMALISER_VERSION, normalise_unicode
    from vntopics.pipeline.text.prepare import PreparedText, prepare_text
    from vntopics.pipeline.text.read import InputError, check_inputs
    from vntopics.pipeline.text.shards import folder_for, read_texts

__all__ = ["DOCUMENT_COLUMNS", "INGEST_COLUMNS", "Document", "DocumentSet", "document_set",
           "documents_table", "prepare_documents", "describe_inputs", "sha256_of",
           "NORMALISER_VERSION", "normalise_unicode", "PreparedText", "prepare_text",
           "InputError", "check_inputs", "folder_for", "read_texts", "tag_folder"]
__getattr__ = lazy_exports(__name__, __file__)
