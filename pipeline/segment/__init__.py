"""Segment stage: a `DocumentSet` (cleaned documents, texts on disk) in; the same documents
with their tokens (underthesea words, stop-words filtered) in a `TokenStore` of uint32 ids
(`documents.tokens`; `token_row` per document), `citations` (Party document codes) and
`term_counts` (the analyst's watchlist) out, and `SegmentationStats`. The segmentation cache, the token filter and the
spelling of analyst terms (watchlist terms, seed words) live here."""
from vntopics.pipeline.segment.segmenter import (SegmentationStats, segment_documents,
                                                 segment_texts)
from vntopics.pipeline.segment.terms import WatchTerm, load_watchlist, seed_word
from vntopics.pipeline.segment.tokens import TokenRows, TokenStore
from vntopics.pipeline.segment.words import TokenFilter, check_stopword_files, load_stopwords

__all__ = ["segment_documents", "segment_texts", "SegmentationStats", "TokenFilter",
           "load_stopwords", "check_stopword_files", "WatchTerm", "load_watchlist", "seed_word",
           "TokenStore", "TokenRows"]
