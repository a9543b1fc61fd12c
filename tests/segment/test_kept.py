"""Filtered tokens kept between runs (pipeline/segment/kept.py): a re-run over the same cleaned
documents with the same settings reads them back and gets exactly what filtering again gives;
any change of what they depend on (stop-words, watchlist) filters again; a damaged entry is
named, set aside and made again."""
from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest

from vntopics.pipeline.config import InputConfig, TextConfig
from vntopics.pipeline.config_io import resolve_path
from vntopics.pipeline.segment import TokenStore, parse_watchlist, segment_documents
from vntopics.pipeline.segment.segmenter import token_lists
from vntopics.pipeline.text import prepare_text

FIXTURES = Path(__file__).parent.parent / "fixtures"
CORPUS = FIXTURES / "unc-small.jsonl.gz"   # with the seed articles (Party codes cited)
WATCHLIST = parse_watchlist(["chuyển đổi số", "18-NQ/TW", "kinh tế"], "test")


def segment_run(cache_dir: Path | None, work: Path, text: TextConfig = TextConfig(),
                watchlist=WATCHLIST, ingest_cache: bool = True):
    """The text and segment stages as the flow calls them, with the run's caches."""
    work.mkdir(parents=True, exist_ok=True)
    documents = prepare_text([CORPUS, FIXTURES / "seeds"], InputConfig(), sidecar=None,
                             cache_dir=cache_dir if ingest_cache else None,
                             work_dir=work).documents
    stats = segment_documents(documents, text,
                              stopword_files=[resolve_path(p) for p in text.stopword_files],
                              cache_dir=cache_dir, mapper=map, watchlist=watchlist,
                              tokens=TokenStore(work / "tokens"))
    return documents, stats


def outcome(documents) -> list[tuple]:
    """Every document's segment-stage result, its tokens included."""
    return [(d.doc_id, d.status, d.reason, d.n_tokens, d.citations, d.term_counts, tokens)
            for d, tokens in zip(documents, token_lists(documents))]


def entries(cache_dir: Path) -> list[Path]:
    folder = cache_dir / "tokens"
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) \
        if folder.is_dir() else []


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """A first run: segmented, filtered, and its result kept."""
    cache_dir = tmp_path_factory.mktemp("kept") / "cache"
    documents, stats = segment_run(cache_dir, cache_dir.parent / "run-1")
    return cache_dir, outcome(documents), stats


def test_a_rerun_reads_the_kept_tokens_and_gets_the_same_result(first, tmp_path):
    cache_dir, expected, stats = first
    assert not stats.tokens_reused and stats.segmented > 100
    assert len(entries(cache_dir)) == 1
    documents, again = segment_run(cache_dir, tmp_path / "run-2")
    assert again.tokens_reused and again.segmented == 0
    assert again.cache_hits == again.documents == stats.documents
    assert outcome(documents) == expected
    assert any(row[5] for row in expected) and any(row[4] for row in expected)
    assert any(row[1] == "ok" for row in expected)
    assert documents.tokens.fingerprint == entries(cache_dir)[0].name


def test_new_stop_words_or_watchlist_filter_again(first, tmp_path):
    cache_dir, expected, _ = first
    common = Counter(t for row in expected for t in row[6]).most_common(1)[0][0]
    text = TextConfig(extra_stopwords=[common])
    documents, stats = segment_run(cache_dir, tmp_path / "stop", text=text)
    assert not stats.tokens_reused
    assert all(common not in tokens for *_, tokens in outcome(documents))
    documents, stats = segment_run(cache_dir, tmp_path / "stop-again", text=text)
    assert stats.tokens_reused and all(common not in row[6] for row in outcome(documents))

    documents, stats = segment_run(cache_dir, tmp_path / "watch",
                                   watchlist=parse_watchlist(["kinh tế"], "test"))
    assert not stats.tokens_reused
    assert {t for row in outcome(documents) for t in row[5]} == {"kinh tế"}
    assert len(entries(cache_dir)) == 3


def test_documents_not_read_through_the_ingest_cache_are_not_kept(first, tmp_path):
    cache_dir, expected, _ = first
    before = entries(cache_dir)
    documents, stats = segment_run(cache_dir, tmp_path / "no-ingest", ingest_cache=False)
    assert not stats.tokens_reused and entries(cache_dir) == before
    assert outcome(documents) == expected


def test_a_damaged_entry_is_named_set_aside_and_made_again(first, tmp_path, caplog):
    cache_dir, expected, _ = first
    segment_run(cache_dir, tmp_path / "warm")           # the default settings' entry, fresh
    entry = max(entries(cache_dir), key=lambda p: p.stat().st_mtime)
    ids = entry / "tokens.u32"
    ids.write_bytes(ids.read_bytes()[:-8])
    with caplog.at_level(logging.WARNING):
        documents, stats = segment_run(cache_dir, tmp_path / "damaged")
    warning = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "token cache entry damaged" in warning and str(ids) in warning
    assert (entry.parent / f".{entry.name}.damaged").is_dir()
    assert not stats.tokens_reused and outcome(documents) == expected
    documents, stats = segment_run(cache_dir, tmp_path / "remade")
    assert stats.tokens_reused and outcome(documents) == expected
