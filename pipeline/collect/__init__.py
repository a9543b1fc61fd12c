"""collect: the provincial papers' sites -> corpus/<source>/<UTC timestamp>.jsonl.gz.

Politely (robots.txt, a pause and one request in flight per host), incrementally (a URL
collected once is never fetched again; feeds and listings with conditional GETs) and safely
(a killed collect leaves the state and the corpus consistent). No Prefect here:
flows/collect.py orchestrates, flows/collect_command.py is `vntopics collect`.
"""
from vntopics.pipeline.collect.crawl import SourceReport
from vntopics.pipeline.collect.extract import Article, day_first_date, extract_article
from vntopics.pipeline.collect.output import LOG_COLUMNS, OUTCOMES, RECORD_FIELDS, STATE_FOLDER, run_stamp
from vntopics.pipeline.collect.run import CollectSummary, collect_sources, state_path
from vntopics.pipeline.collect.sources import Source, load_sources, parse_sources
from vntopics.pipeline.collect.state import CollectState
from vntopics.pipeline.collect.urls import canonical_url, record_id

__all__ = ["collect_sources", "CollectSummary", "SourceReport", "Source", "load_sources",
           "parse_sources", "CollectState", "state_path", "canonical_url", "record_id",
           "extract_article", "Article", "day_first_date", "LOG_COLUMNS", "OUTCOMES",
           "RECORD_FIELDS", "STATE_FOLDER", "run_stamp"]
