"""Segment stage: cleaned `Document`s in; the same documents with `tokens` (underthesea words,
stop-words filtered) and `citations` (Party document codes) out, and `SegmentationStats`.
The segmentation cache and the token filter live here."""
from vntopics.pipeline.segment.segmenter import (SegmentationStats, segment_documents,
                                                 segment_texts)
from vntopics.pipeline.segment.words import TokenFilter, check_stopword_files, load_stopwords

__all__ = ["segment_documents", "segment_texts", "SegmentationStats", "TokenFilter",
           "load_stopwords", "check_stopword_files"]
