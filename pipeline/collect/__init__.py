"""Collect stage: the provincial papers' sites -> corpus/<source>/<UTC timestamp>.jsonl.gz.

Politely (robots.txt, a pause and one request in flight per host), incrementally (a URL
collected once is never fetched again; feeds and listings with conditional GETs) and safely
(a killed collect leaves the state and the corpus consistent). No Prefect here:
flows/collect.py orchestrates, vntopics/cli/collect_command.py is `vntopics collect`. Entry points
load on first use (the report imports this package for its "Collection" section).
"""
from typing import TYPE_CHECKING

from vntopics.pipeline.lazy import lazy_exports

if TYPE_CHECKING:   # the exports, each loaded from its module on first use (pipeline/lazy.py)
    from vntopics.pipeline.collect.run import collect_sources, unused_stamp
    from vntopics.pipeline.collect.sources import Source, load_sources, parse_sources
    from vntopics.pipeline.collect.state import CollectState, collection_counts
    from vntopics.pipeline.collect.urls import canonical_url, record_id
    from vntopics.pipeline.collect.extract import extract_article, day_first_date
    from vntopics.pipeline.collect.charset import decode_page
    from vntopics.pipeline.collect.output import LOG_COLUMNS, RECORD_FIELDS

__all__ = ["collect_sources", "unused_stamp", "Source", "load_sources", "parse_sources", "CollectState", "collection_counts", "canonical_url", "record_id", "extract_article", "day_first_date", "decode_page", "LOG_COLUMNS", "RECORD_FIELDS"]
__getattr__ = lazy_exports(__name__, __file__)
