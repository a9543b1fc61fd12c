"""The segmentation stage: underthesea word segmentation (cached, in parallel), then the
token filter; documents left with too few tokens are rejected.

In: `text.documents.Document`s with cleaned text. Out: the same documents with `tokens`,
`citations` and the watchlist's `term_counts` filled and their text released, plus
`SegmentationStats` for the manifest.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from vntopics.pipeline.config import TextConfig
from vntopics.pipeline.parallel import Mapper, ProcessMapper, batches
from vntopics.pipeline.segment.cache import (SEPARATOR, SegmentationCache, cache_key,
                                             split_joined, split_words)
from vntopics.pipeline.segment.terms import TermCounter, WatchTerm
from vntopics.pipeline.segment.words import (TokenFilter, join_phrases, load_stopwords,
                                             segment_words)
from vntopics.pipeline.text.documents import Document


@dataclass
class SegmentationStats:
    """Counts for the manifest: documents seen, served from the cache, newly segmented."""
    documents: int = 0
    cache_hits: int = 0
    segmented: int = 0


def segment_batch_joined(texts: list[str]) -> list[str]:
    """Worker side: each text's words as one tab-joined string. One str per document pickles
    and unpickles much faster than a list of hundreds of small strs (benchmarks/README.md),
    costs a fraction of the memory in flight, and is exactly what the cache stores."""
    return [SEPARATOR.join(segment_words(text)) for text in texts]


def segment_texts(texts: Sequence[str], cache: SegmentationCache | None, workers: int,
                  batch_size: int = 64,
                  progress: Callable[[int, int], None] | None = None,
                  mapper: Callable[[Callable, list], Iterable] | None = None,
                  shape: Callable[[str], Any] = split_words
                  ) -> tuple[list[Any], SegmentationStats]:
    """Segmented words for every text: cached ones read, the rest segmented in `workers`
    processes (batches of `batch_size` texts) and written back as they finish. A `mapper`
    (pipeline/parallel.py) replaces the local processes.

    Each text's result is `shape(tab-joined words)`: by default its list of (interned) words;
    a caller that filters them passes its filter, so the raw words of the whole corpus are
    never held at once.
    """
    keys = [cache_key(text) for text in texts]
    known = cache.get_many(keys, shape) if cache else {}
    stats = SegmentationStats(documents=len(texts),
                              cache_hits=sum(key in known for key in keys))
    todo = list(dict.fromkeys(k for k in keys if k not in known))
    text_of = dict(zip(keys, texts))
    work = list(batches(todo, batch_size))
    done = 0

    def record(batch_keys: Sequence[str], results: list[str]) -> None:
        nonlocal done
        fresh = dict(zip(batch_keys, results))
        if cache:
            cache.put_joined(fresh)
        for key, joined in fresh.items():
            known[key] = shape(joined)
        done += len(batch_keys)
        if progress:
            progress(done, len(todo))

    mapper = mapper or ProcessMapper(workers if len(work) > 1 else 1)
    tagged = ((tuple(b), [text_of[k] for k in b]) for b in work)
    if hasattr(mapper, "unordered"):   # recorded as they finish: no worker waits on a slow one
        finished = mapper.unordered(segment_batch_joined, tagged)
    else:                              # e.g. Prefect tasks on a Dask cluster
        finished = zip(work, mapper(segment_batch_joined, (batch for _, batch in tagged)))
    for batch_keys, segmented in finished:
        record(batch_keys, segmented)
    stats.segmented = len(todo)
    del text_of, work
    return [known[key] for key in keys], stats


def tokenize_documents(documents: Iterable[Document], token_filter: TokenFilter,
                       min_doc_tokens: int, cache: SegmentationCache | None = None,
                       workers: int = 1, batch_size: int = 64,
                       progress: Callable[[int, int], None] | None = None,
                       mapper: Callable | None = None,
                       count_terms: TermCounter | None = None) -> SegmentationStats:
    """Segment (cached, in parallel), filter, count the watchlist terms in the text while it
    is still there (`count_terms`), and reject documents left with too few tokens."""
    candidates = [d for d in documents if d.status == "ok"]
    def filtered(joined: str) -> tuple[list[str], list[str]]:
        return token_filter(split_joined(joined))

    results, stats = segment_texts([d.text for d in candidates], cache, workers, batch_size,
                                   progress, mapper, shape=filtered)
    for document, (tokens, citations) in zip(candidates, results):
        document.tokens, document.citations = tokens, citations
        if count_terms is not None:
            document.term_counts = count_terms(document.text, citations)
        document.release_text()
        if len(document.tokens) < min_doc_tokens:
            document.reject(f"too few tokens after stop-word filtering "
                            f"({len(document.tokens)} < {min_doc_tokens})")
    return stats


def apply_phrases(documents: Iterable[Document], min_count: int, threshold: float) -> None:
    ok = [d for d in documents if d.status == "ok"]
    for document, tokens in zip(ok, join_phrases([d.tokens for d in ok], min_count,
                                                 threshold)):
        document.tokens = tokens


def segment_documents(documents: list[Document], text: TextConfig, stopword_files: list[Path],
                      cache_dir: Path | None, mapper: Mapper, batch_size: int = 64,
                      progress: Callable[[int, int], None] | None = None,
                      watchlist: Sequence[WatchTerm] = ()) -> SegmentationStats:
    """The segment stage's entry point: segment every `ok` document (through the cache in
    `cache_dir` unless None, batches on `mapper`), filter stop-words, count the `watchlist`
    terms (pipeline/segment/terms.py), reject documents left too short, and join frequent
    phrases when `text.phrases` asks for it."""
    token_filter = TokenFilter(load_stopwords(stopword_files, text.extra_stopwords),
                               text.min_token_chars)
    cache = SegmentationCache(cache_dir) if cache_dir is not None else None
    try:
        stats = tokenize_documents(documents, token_filter, text.min_doc_tokens, cache,
                                   batch_size=batch_size, progress=progress, mapper=mapper,
                                   count_terms=TermCounter(watchlist) if watchlist else None)
    finally:
        if cache:
            cache.close()
    if text.phrases:
        apply_phrases(documents, text.phrase_min_count, text.phrase_threshold)
    return stats
