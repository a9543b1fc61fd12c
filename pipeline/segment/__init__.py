"""Segment stage: a `DocumentSet` (cleaned documents, texts on disk) in; the same documents
with their tokens (underthesea words, stop-words filtered) in a `TokenStore` of uint32 ids
(`documents.tokens`; `token_row` per document), `citations` (Party document codes) and
`term_counts` (the analyst's watchlist) out, and `SegmentationStats`. The segmentation cache, the token filter and the
spelling of analyst terms (watchlist terms, seed words) live here."""
from typing import TYPE_CHECKING

from vntopics.pipeline.lazy import lazy_exports

if TYPE_CHECKING:   # the exports, each loaded from its module on first use (pipeline/lazy.py)
    from vntopics.pipeline.segment.reading import ReadingSegmenter, reading_segmenter
    from vntopics.pipeline.segment.segmenter import SegmentationStats, segment_documents
    from vntopics.pipeline.segment.terms import (WatchTerm, check_seed_topics, load_watchlist,
                                                 parse_watchlist, seed_word)
    from vntopics.pipeline.segment.tokens import DocumentFrequency, TokenRows, TokenStore
    from vntopics.pipeline.segment.words import check_stopword_files

__all__ = ["ReadingSegmenter", "reading_segmenter", "SegmentationStats",
           "segment_documents", "WatchTerm", "check_seed_topics", "load_watchlist",
           "parse_watchlist", "seed_word", "DocumentFrequency", "TokenRows", "TokenStore",
           "check_stopword_files"]
__getattr__ = lazy_exports(__name__, __file__)
