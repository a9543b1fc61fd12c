"""The segmentation stage: underthesea word segmentation (cached, in parallel), then the
token filter; documents left with too few tokens are rejected.

In: `text.documents.DocumentSet` (documents with metadata, their texts on disk). Out: the
same documents with `token_row`/`n_tokens`, `citations` and the watchlist's `term_counts`
filled, their tokens in a `TokenStore` (`documents.tokens`), plus `SegmentationStats`.

Two streamed passes keep memory independent of the corpus: the first segments every text
not yet in the segmentation cache (a temporary one when the run has none) and writes the
results there as batches finish; the second reads texts and cached words back a window at
a time, filters them and appends the tokens to the store, counting the vocabulary's document
frequencies of each window as it goes (with segmenting while reading, while the workers
still segment the next windows). Records that came with their own words (pre-segmented
input) skip the first pass and go through the same filter.
"""
from __future__ import annotations

import tempfile
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from vntopics.pipeline.config import TextConfig
from vntopics.pipeline.parallel import Mapper, ProcessMapper, batches
from vntopics.pipeline.segment.cache import (SEPARATOR, SegmentationCache, cache_key,
                                             split_joined, split_words)
from vntopics.pipeline.segment.kept import KeptTokens, tokens_key
from vntopics.pipeline.segment.terms import TermCounter, WatchTerm
from vntopics.pipeline.segment.tokens import DocumentFrequency, TokenStore
from vntopics.pipeline.segment.words import (TokenFilter, given_segmentation, join_phrases,
                                             load_stopwords, segment_words)
from vntopics.pipeline.text import Document, DocumentSet, document_set, read_texts

if TYPE_CHECKING:
    from vntopics.pipeline.segment.reading import ReadingSegmenter

WINDOW = 4096      # documents whose texts and cached words are in memory at once


@dataclass
class SegmentationStats:
    """Documents seen, served from the cache, newly segmented, given pre-segmented."""
    documents: int = 0
    cache_hits: int = 0
    segmented: int = 0
    pre_segmented: int = 0     # records that gave their own words (`tokens`)
    tokens_reused: bool = False   # the filtered tokens of an earlier run (segment/kept.py)


def segment_batch_joined(texts: list[str]) -> list[str]:
    """Worker side: each text's words as one tab-joined string. One str per document pickles
    and unpickles much faster than a list of hundreds of small strs (benchmarks/README.md),
    costs a fraction of the memory in flight, and is exactly what the cache stores."""
    return [SEPARATOR.join(segment_words(text)) for text in texts]


def segment_batch_from_shards(where: tuple[tuple[str, tuple[int, ...]], ...]) -> list[str]:
    """Worker side, for a cluster: read the texts a batch describes, then segment them."""
    return segment_batch_joined(read_texts(where))


def segment_into_cache(keys: Sequence[str], texts_at: Callable[[list[int]], Iterator[str]],
                       cache: SegmentationCache, *, batch_size: int = 64,
                       progress: Callable[[int, int], None] | None = None,
                       mapper: Mapper | None = None, workers: int = 1,
                       describe: Callable[[list[int]], Any] | None = None) -> int:
    """Segment the texts whose key is not cached (each distinct one once), in batches of
    `batch_size` on `mapper` (or `workers` local processes), written to `cache` as they
    finish. `texts_at(positions)` yields the texts at those positions of `keys`, in order
    (read from disk as needed); a mapper without `unordered` (a cluster) is sent
    `describe(positions)` instead when given: where the texts are, not the texts.
    Returns how many texts were segmented."""
    todo: list[int] = []
    planned: set[str] = set()
    for start in range(0, len(keys), WINDOW):
        window = keys[start:start + WINDOW]
        cached = cache.known(window)
        for offset, key in enumerate(window):
            if key not in cached and key not in planned:
                planned.add(key)
                todo.append(start + offset)
    del planned
    work = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)]
    texts = texts_at(todo)
    tagged = ((tuple(keys[p] for p in batch), list(islice(texts, len(batch))))
              for batch in work)
    mapper = mapper or ProcessMapper(workers if len(work) > 1 else 1)
    if hasattr(mapper, "unordered"):   # recorded as they finish: no worker waits on a slow one
        finished = mapper.unordered(segment_batch_joined, tagged)
    else:                              # e.g. Prefect tasks on a Dask cluster
        tags = [tuple(keys[p] for p in batch) for batch in work]
        finished = zip(tags, mapper(segment_batch_from_shards, map(describe, work)) if describe
                       else mapper(segment_batch_joined, (batch for _, batch in tagged)))
    done = 0
    for batch_keys, segmented in finished:
        cache.put_joined(dict(zip(batch_keys, segmented)))
        done += len(batch_keys)
        if progress:
            progress(done, len(todo))
    return len(todo)


class WorkingCache:
    """The run's segmentation cache, or a temporary one when caching is off (the streamed
    passes read segmented words back from it)."""

    def __init__(self, cache_dir: Path | None):
        self.temporary = tempfile.TemporaryDirectory(prefix="vntopics-segments-") \
            if cache_dir is None else None
        self.cache = SegmentationCache(Path(self.temporary.name) if self.temporary
                                       else cache_dir)

    def __enter__(self) -> SegmentationCache:
        return self.cache

    def __exit__(self, *exc) -> None:
        self.cache.close()
        if self.temporary:
            self.temporary.cleanup()


def segment_texts(texts: Sequence[str], cache: SegmentationCache | None, workers: int, *,
                  batch_size: int = 64,
                  progress: Callable[[int, int], None] | None = None,
                  mapper: Mapper | None = None,
                  shape: Callable[[str], Any] = split_words
                  ) -> tuple[list[Any], SegmentationStats]:
    """Segmented words for every text of a list (through `cache`, or a temporary one), each
    as `shape(tab-joined words)`: by default its list of (interned) words."""
    keys = [cache_key(text) for text in texts]
    with WorkingCache(None) if cache is None else nullcontext(cache) as working:
        segmented = segment_into_cache(keys, lambda positions: (texts[p] for p in positions),
                                       working, batch_size=batch_size, progress=progress,
                                       mapper=mapper, workers=workers)
        known = working.get_many(keys, shape)
    stats = SegmentationStats(documents=len(texts), segmented=segmented,
                              cache_hits=len(texts) - segmented)
    return [known[key] for key in keys], stats


def tokenize_documents(documents: DocumentSet | list[Document], token_filter: TokenFilter,
                       min_doc_tokens: int, *, cache_dir: Path | None = None,
                       workers: int = 1, batch_size: int = 64,
                       progress: Callable[[int, int], None] | None = None,
                       mapper: Mapper | None = None,
                       count_terms: TermCounter | None = None,
                       tokens: TokenStore | None = None,
                       ahead: ReadingSegmenter | None = None) -> SegmentationStats:
    """Segment (cached, in parallel), filter, count the watchlist terms in the text while it
    is read (`count_terms`), and reject documents left with too few tokens; the tokens go
    to `tokens` (a new store by default), which becomes `documents.tokens`. `ahead`: the
    texts are being segmented since they were read (pipeline/segment/reading.py): each
    window is filtered once its words are cached, so filtering ends soon after the last
    batch; what it segmented counts as segmented here. Each window's document frequencies are
    counted as it is filtered (`tokens.frequency`), for the vocabulary."""
    documents = document_set(documents)
    texts, store = documents.texts, tokens if tokens is not None else TokenStore()
    store.frequency = DocumentFrequency()
    candidates = [d for d in documents if d.status == "ok"]
    to_segment = [d.text_row for d in candidates if not d.pre_segmented]
    stats = SegmentationStats(documents=len(candidates),
                              pre_segmented=len(candidates) - len(to_segment))

    def filtered(joined: str) -> tuple[list[str], list[str]]:
        return token_filter(split_joined(joined))

    with WorkingCache(ahead.folder if ahead else cache_dir) as cache:
        keys = [cache_key(text) for text, _ in texts.pairs(to_segment)]

        def segment_rest() -> int:
            """The first pass: segment every text not cached yet (with `ahead`: what it
            missed, normally nothing; it is counted as segmented here too)."""
            ahead_keys = ahead.finish(progress).intersection(keys) if ahead else ()
            return len(ahead_keys) + segment_into_cache(
                keys, lambda positions: (text for text, _ in texts.pairs(
                    [to_segment[p] for p in positions])), cache, batch_size=batch_size,
                progress=progress, mapper=mapper, workers=workers,
                describe=lambda positions: texts.where([to_segment[p] for p in positions]))

        waiting = ahead is not None    # filter each window once `ahead` has segmented it
        if waiting:
            ahead.end_of_reading()
        else:
            stats.segmented = segment_rest()
        next_key = iter(keys)
        for window in batches(candidates, WINDOW):
            needed = count_terms is not None or any(d.pre_segmented for d in window)
            pairs = (list(texts.pairs([d.text_row for d in window])) if needed
                     else [("", "")] * len(window))      # cached words need no text
            window_keys = [None if d.pre_segmented else next(next_key) for d in window]
            if waiting and not ahead.wait_for([k for k in window_keys if k], progress):
                stats.segmented, waiting = segment_rest(), False
            found = cache.get_many([k for k in window_keys if k], filtered)
            for document, (text, words), key in zip(window, pairs, window_keys):
                kept, citations = (found[key] if key else
                                   token_filter(given_segmentation(words)))
                document.token_row, document.n_tokens = store.append(kept), len(kept)
                document.citations = citations
                if count_terms is not None:
                    document.term_counts = count_terms(text or words.replace("_", " "),
                                                       citations)
                if len(kept) < min_doc_tokens:
                    document.reject(f"too few tokens after stop-word filtering "
                                    f"({len(kept)} < {min_doc_tokens})")
            # the vocabulary's document frequencies, counted while the workers go on
            store.frequency.add(store.rows([d.token_row for d in window if d.status == "ok"]))
        if waiting:
            stats.segmented = segment_rest()     # all cached: only waits for `ahead`
        stats.cache_hits = len(keys) - stats.segmented
    documents.tokens = store.flush()
    return stats


def apply_phrases(documents: DocumentSet, min_count: int, threshold: float) -> None:
    """Frequent pairs joined (gensim Phrases): a new store with the joined tokens. Phrases
    trains on token lists in memory, so this option costs what the store saves."""
    ok = [d for d in documents if d.status == "ok"]
    old = documents.tokens
    joined = join_phrases(list(old.rows([d.token_row for d in ok])), min_count, threshold)
    store = TokenStore()
    for document, tokens in zip(ok, joined):
        document.token_row, document.n_tokens = store.append(tokens), len(tokens)
    documents.tokens = store.flush()


def segment_documents(documents: DocumentSet, text: TextConfig, *, stopword_files: list[Path],
                      cache_dir: Path | None, mapper: Mapper, batch_size: int = 64,
                      progress: Callable[[int, int], None] | None = None,
                      watchlist: Sequence[WatchTerm] = (),
                      tokens: TokenStore | None = None,
                      ahead: ReadingSegmenter | None = None) -> SegmentationStats:
    """The segment stage's entry point: segment every `ok` document (through the cache in
    `cache_dir` unless None, batches on `mapper`), filter stop-words, count the `watchlist`
    terms (pipeline/segment/terms.py), reject documents left too short, and join frequent
    phrases when `text.phrases` asks for it. The tokens end in `tokens` (a TokenStore in
    the run's work folder; a temporary one by default), set as `documents.tokens`. `ahead`:
    the `ReadingSegmenter` that segmented the texts while they were read, if any. With a
    cache, the result is kept there for a re-run over the same documents (read through the
    ingest cache) with the same settings, which reads it back instead (segment/kept.py)."""
    token_filter = TokenFilter(load_stopwords(stopword_files, text.extra_stopwords),
                               text.min_token_chars)
    documents = document_set(documents)
    candidates = [d for d in documents if d.status == "ok"]
    key = tokens_key(documents, token_filter, text, watchlist) if cache_dir else None
    kept = KeptTokens(cache_dir) if key else None
    store = tokens if tokens is not None else TokenStore()
    if kept and kept.load(key, candidates, store):       # a re-run: nothing to filter
        if ahead:
            ahead.end_of_reading()
        documents.tokens = store.seal()
        given = sum(d.pre_segmented for d in candidates)
        return SegmentationStats(documents=len(candidates), cache_hits=len(candidates) - given,
                                 pre_segmented=given, tokens_reused=True)
    stats = tokenize_documents(documents, token_filter, text.min_doc_tokens, cache_dir=cache_dir,
                               batch_size=batch_size, progress=progress, mapper=mapper,
                               count_terms=TermCounter(watchlist) if watchlist else None,
                               tokens=store, ahead=ahead)
    if text.phrases:
        apply_phrases(documents, text.phrase_min_count, text.phrase_threshold)
    documents.tokens.seal()
    if kept:
        kept.save(key, documents, candidates)
    return stats


def token_lists(documents: DocumentSet) -> list[list[str]]:
    """Each document's tokens as a list of strings ([] before segmentation): for tests and
    small corpora; a large one is read through `documents.tokens.rows(...)`."""
    rows = [d.token_row for d in documents]
    decoded = iter(documents.tokens.rows([r for r in rows if r >= 0]))
    return [next(decoded) if r >= 0 else [] for r in rows]
