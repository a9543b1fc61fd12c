"""A damaged segmentation cache never fails a run: a file that is not a database or is cut
short is named in a warning, set aside and started afresh, and the words come out exactly as
segmenting without a cache gives them; a cache that fills up mid-run goes on in a temporary
one."""
from __future__ import annotations

import gzip
import json
import logging

import pytest

from tests.conftest import FIXTURES
from vntopics.pipeline.segment.cache import SegmentationCache
from vntopics.pipeline.segment.segmenter import segment_texts
from vntopics.pipeline.text.normalise import normalise_document


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [normalise_document(json.loads(line)["text"]) for line in handle][:40]


@pytest.fixture(scope="module")
def uncached_words(texts):
    words, stats = segment_texts(texts, None, workers=1)
    assert stats.segmented == len(texts) and "cổ_phiếu" in {w for ws in words for w in ws}
    return words


def segment_with_cache_in(folder, texts):
    cache = SegmentationCache(folder)
    try:
        return segment_texts(texts, cache, workers=1)
    finally:
        cache.close()


def not_a_database(path):
    path.write_bytes(b"SQLite format 2\0" + b"\x07" * 4096)


def cut_short(path):
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


@pytest.mark.parametrize("damage, reason", [(not_a_database, "not a database"),
                                            (cut_short, "malformed")])
def test_a_damaged_cache_is_named_set_aside_and_rebuilt(tmp_path, texts, uncached_words,
                                                        caplog, damage, reason):
    words, stats = segment_with_cache_in(tmp_path, texts)
    assert words == uncached_words and stats.segmented == len(texts)
    damage(tmp_path / "segmentation.sqlite")
    with caplog.at_level(logging.WARNING):
        words, stats = segment_with_cache_in(tmp_path, texts)
    assert words == uncached_words and stats.segmented == len(texts)   # segmented again
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert str(tmp_path / "segmentation.sqlite") in warning and reason in warning
    assert (tmp_path / "segmentation.sqlite.damaged").is_file()
    words, stats = segment_with_cache_in(tmp_path, texts)              # a good cache again
    assert words == uncached_words and stats.cache_hits == len(texts)


def test_a_full_cache_goes_on_in_a_temporary_one(tmp_path, texts, uncached_words, caplog):
    cache = SegmentationCache(tmp_path)
    pages = cache.connection.execute("PRAGMA page_count").fetchone()[0]
    cache.connection.execute(f"PRAGMA max_page_count={pages + 2}")   # the disk is full
    with caplog.at_level(logging.WARNING):
        words, stats = segment_texts(texts, cache, workers=1, batch_size=4)
    cache.close()
    assert words == uncached_words and stats.segmented == len(texts)
    assert any("cannot be used" in r.getMessage() and "full" in r.getMessage()
               for r in caplog.records)
