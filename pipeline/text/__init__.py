"""Text stage: raw files and records in; a `DocumentSet` out (cleaned `Document`s in memory,
their texts in Parquet shards on disk: `TextShards`), each with its metadata
(date, province, source: given or inferred, with evidence) and `ok` or `rejected` with a
reason. Reading, normalising, tone marks, dates, provinces, sources, near-duplicates and
the ingest cache live here."""
from vntopics.pipeline.lazy import lazy_exports

EXPORTS = {"load_or_prepare": "cache", "prepare_documents": "documents",
           "documents_table": "documents", "Document": "documents",
           "DocumentSet": "documents", "document_set": "documents", "TextShards": "shards", "sha256_file": "shards",
           "tag_folder": "folders",
           "DOCUMENT_COLUMNS": "documents", "INGEST_COLUMNS": "documents",
           "check_inputs": "read", "input_warnings": "read", "InputError": "read"}
__all__ = list(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
