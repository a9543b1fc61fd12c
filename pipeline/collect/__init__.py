"""Collect stage: the provincial papers' sites -> corpus/<source>/<UTC timestamp>.jsonl.gz.

Politely (robots.txt, a pause and one request in flight per host), incrementally (a URL
collected once is never fetched again; feeds and listings with conditional GETs) and safely
(a killed collect leaves the state and the corpus consistent). No Prefect here:
flows/collect.py orchestrates, vntopics/cli/collect_command.py is `vntopics collect`. Entry points
load on first use (the report imports this package for its "Collection" section).
"""
from vntopics.pipeline.lazy import lazy_exports

EXPORTS = {"collect_sources": "run", "CollectSummary": "run", "state_path": "run",
           "unused_stamp": "run", "SourceReport": "crawl", "Source": "sources",
           "load_sources": "sources", "parse_sources": "sources", "CollectState": "state",
           "collection_counts": "state", "canonical_url": "urls", "record_id": "urls",
           "extract_article": "extract", "Article": "extract", "day_first_date": "extract",
           "decode_page": "charset", "LOG_COLUMNS": "output", "OUTCOMES": "output",
           "RECORD_FIELDS": "output", "STATE_FOLDER": "output", "run_stamp": "output"}
__all__ = list(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
