"""Segment stage: a `DocumentSet` (cleaned documents, texts on disk) in; the same documents
with their tokens (underthesea words, stop-words filtered) in a `TokenStore` of uint32 ids
(`documents.tokens`; `token_row` per document), `citations` (Party document codes) and
`term_counts` (the analyst's watchlist) out, and `SegmentationStats`. The segmentation cache, the token filter and the
spelling of analyst terms (watchlist terms, seed words) live here."""
from vntopics.pipeline.lazy import lazy_exports

EXPORTS = {"segment_documents": "segmenter", "segment_texts": "segmenter",
           "SegmentationStats": "segmenter", "WatchTerm": "terms", "load_watchlist": "terms",
           "seed_word": "terms", "TokenRows": "tokens", "TokenStore": "tokens",
           "TokenFilter": "words", "check_stopword_files": "words", "load_stopwords": "words"}
__all__ = list(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
