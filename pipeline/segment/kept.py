"""The segment stage's result kept between runs: a re-run over the same cleaned documents
with the same token settings reads its filtered tokens back instead of making them again.

A warm re-run (only model or comparison settings changed) read every text back, hashed it,
fetched its words from the segmentation cache and filtered them: 10–14 s of a full-VNTC
re-run, 0.7 s read back from here (benchmarks/README.md, "Warm re-runs"). The key is everything the result depends on: the documents' fingerprint
(their ingest cache entry, text/cache.py), the stop-words as loaded, the other text
settings, the watchlist, and the source of this package with underthesea's version. An entry
(pipeline/cache_entries.py: checked when read, set aside when damaged) holds the TokenStore's
files and, for every document that was `ok` before segmentation, in order: its token row,
token count, citations, watchlist counts and the reason it was rejected here, if it was.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from vntopics.pipeline.cache_entries import CacheEntries, code_fingerprint, key_of
from vntopics.pipeline.config import TextConfig
from vntopics.pipeline.segment.terms import WatchTerm
from vntopics.pipeline.segment.tokens import TokenStore
from vntopics.pipeline.segment.words import TokenFilter
from vntopics.pipeline.text import Document, DocumentSet

KEEP_ENTRIES = 4          # ~4 bytes a kept token each: ~130 MB on the full VNTC


@lru_cache(maxsize=1)
def segment_code() -> str:
    return code_fingerprint(Path(__file__).parent, "underthesea")


def tokens_key(documents: DocumentSet, token_filter: TokenFilter, text: TextConfig,
               watchlist: Sequence[WatchTerm]) -> str | None:
    """The entry's key; None for documents not read through the ingest cache."""
    if documents.fingerprint is None:
        return None
    return key_of({"documents": documents.fingerprint, "code": segment_code(),
                   "stopwords": sorted(token_filter.stopwords),
                   "min_token_chars": token_filter.min_token_chars,
                   "text": text.model_dump(exclude={"stopword_files", "extra_stopwords"}),
                   "watchlist": [[t.term, t.kind, t.key] for t in watchlist]})


class KeptTokens:
    """The filtered-token entries under `cache_dir/tokens`."""

    def __init__(self, cache_dir: Path):
        self.entries = CacheEntries(cache_dir / "tokens", "token cache",
                                    "the tokens are filtered again", keep=KEEP_ENTRIES)

    def load(self, key: str, candidates: Sequence[Document], store: TokenStore) -> bool:
        """Fill `store` and the `candidates` (the documents `ok` before segmentation) from
        the entry `key` (True); False when there is none or it is damaged (then set aside,
        nothing changed)."""
        entry = self.entries.find(key)
        if entry is None:
            return False
        try:
            with (entry / "documents.jsonl").open(encoding="utf-8") as handle:
                records = [json.loads(line) for line in handle]
            if len(records) != len(candidates):
                raise ValueError(f"{len(records)} documents, {len(candidates)} expected")
            store.restore(entry)
        except (OSError, ValueError, TypeError) as exc:
            self.entries.set_aside(entry, entry / "documents.jsonl", f"unreadable ({exc})")
            return False
        for document, (row, count, citations, term_counts, reason) in zip(candidates, records):
            document.token_row, document.n_tokens = row, count
            document.citations, document.term_counts = citations, term_counts
            if reason:
                document.reject(reason)
        store.fingerprint = key
        return True

    def save(self, key: str, documents: DocumentSet, candidates: Sequence[Document]) -> None:
        """Keep the segment stage's result for `candidates` (the documents `ok` before it);
        a cache that cannot be written is a warning."""
        def fill(partial: Path) -> None:
            documents.tokens.keep(partial)
            with (partial / "documents.jsonl").open("w", encoding="utf-8") as handle:
                for d in candidates:
                    reason = d.reason if d.status != "ok" else ""
                    handle.write(json.dumps([d.token_row, d.n_tokens, d.citations,
                                             d.term_counts, reason], ensure_ascii=False)
                                 + "\n")

        if self.entries.write(key, fill, "the next run filters the tokens again",
                             documents=len(candidates)):
            documents.tokens.fingerprint = key
