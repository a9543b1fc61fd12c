"""Segmenting while reading (pipeline/segment/reading.py) gives what segmenting after reading
gives: the same documents kept and rejected, the same tokens, the same vocabulary and counts,
on real Vietnamese articles with exact and near-duplicates among them."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from vntopics.pipeline.config import CorpusConfig, InputConfig, SegmentConfig, TextConfig
from vntopics.pipeline.config_io import resolve_path
from vntopics.pipeline.model.corpus import build_modelling_corpus
from vntopics.pipeline.parallel import ProcessMapper
from vntopics.pipeline.segment import reading_segmenter, segment_documents
from vntopics.pipeline.segment import reading, segmenter
from vntopics.pipeline.segment.segmenter import token_lists
from vntopics.pipeline.text import InputError, prepare_text
from vntopics.pipeline.text import shards

FIXTURES = Path(__file__).parent.parent / "fixtures"


def syndicated(text: str) -> str:
    """A reprint: a new title line and byline, the body as published (a near-duplicate)."""
    return "\n".join(["Bản tin tổng hợp", *text.split("\n")[1:], "Theo Báo Nhân Dân"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """unc-small's 120 articles, the five seed articles, and duplicates of both kinds: an
    exact copy and two syndicated reprints under other ids."""
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    seeds = sorted((FIXTURES / "seeds").glob("*.txt"))
    records += [{"id": path.stem, "text": path.read_text(encoding="utf-8")} for path in seeds]
    records += [{"id": "copy-exact", "text": records[3]["text"]},
                {"id": "copy-unc", "text": syndicated(records[10]["text"])},
                {"id": "copy-seed", "text": syndicated(records[-2]["text"])}]
    path = tmp_path_factory.mktemp("reading") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def run_stages(corpus: Path, work: Path, while_reading: bool):
    """Text and segment stages as the flow calls them (no cache), then the vocabulary."""
    text = TextConfig()
    with reading_segmenter(SegmentConfig(while_reading=while_reading), cache_dir=None,
                           workers=2) as ahead:
        prepared = prepare_text([corpus], InputConfig(), sidecar=None, cache_dir=None,
                                work_dir=work, workers=1,
                                on_shard=ahead.on_shard if ahead else None)
        documents = prepared.documents
        stats = segment_documents(documents, text, stopword_files=[resolve_path(p) for p in
                                                                  text.stopword_files],
                                  cache_dir=None, mapper=ProcessMapper(2), ahead=ahead)
        wasted = ahead.segmented if ahead else set()
    corpus_, modelled, _ = build_modelling_corpus(documents, CorpusConfig(), largest_k=8)
    return documents, stats, corpus_, modelled, wasted


@pytest.fixture
def small_shards(monkeypatch):
    """Eight shards reach the reading segmenter while reading; the segment stage filters
    windows of 32 documents as their words arrive."""
    monkeypatch.setattr(shards, "SHARD_ROWS", 16)
    monkeypatch.setattr(segmenter, "WINDOW", 32)


def test_segmenting_while_reading_keeps_every_word_and_drops_the_same_duplicates(
        corpus, tmp_path, small_shards):
    after = run_stages(corpus, tmp_path / "after", while_reading=False)
    during = run_stages(corpus, tmp_path / "during", while_reading=True)
    (docs_a, stats_a, corpus_a, modelled_a, _), (docs_d, stats_d, corpus_d, modelled_d,
                                                  segmented_ahead) = after, during
    rejected = {d.doc_id: d.reason for d in docs_d if d.status != "ok"}
    assert rejected == {d.doc_id: d.reason for d in docs_a if d.status != "ok"}
    assert rejected["copy-exact"] == f"duplicate of {docs_d[3].doc_id}"
    assert rejected["copy-unc"].startswith("duplicate of ")
    assert rejected["copy-seed"].startswith("duplicate of ")
    # the reprints were segmented while reading (wasted work), yet reach no model
    assert len(segmented_ahead) > stats_d.segmented
    assert {"copy-exact", "copy-unc", "copy-seed"}.isdisjoint(d.doc_id for d in modelled_d)
    assert [d.doc_id for d in modelled_d] == [d.doc_id for d in modelled_a]
    assert token_lists(docs_d) == token_lists(docs_a)
    assert any("đảng" in tokens for tokens in token_lists(docs_d))
    assert stats_d == stats_a and stats_d.segmented == len(modelled_d) > 100
    assert corpus_d.dictionary.token2id == corpus_a.dictionary.token2id
    assert (corpus_d.counts != corpus_a.counts).nnz == 0
    assert np.array_equal(corpus_d.kept, corpus_a.kept)


def test_what_the_reading_segmenter_missed_is_segmented_by_the_segment_stage(
        corpus, tmp_path, small_shards, monkeypatch):
    """A shard it could not open (or any failure) costs time, never words."""
    told = reading.ReadingSegmenter.on_shard

    def every_other(self, path):
        if int(path.stem.split("-")[1]) % 2:
            told(self, path)

    monkeypatch.setattr(reading.ReadingSegmenter, "on_shard", every_other)
    during = run_stages(corpus, tmp_path / "during", while_reading=True)
    after = run_stages(corpus, tmp_path / "after", while_reading=False)
    assert 0 < len(during[4]) < during[1].segmented      # half segmented while reading
    assert during[1] == after[1]
    assert token_lists(during[0]) == token_lists(after[0])


def test_an_unreadable_input_still_fails_naming_it_and_stops_the_workers(corpus, tmp_path,
                                                                        small_shards):
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK\x03\x04 not an input")
    with pytest.raises(InputError, match="notes.docx: unsupported input type"):
        with reading_segmenter(SegmentConfig(), cache_dir=None, workers=2) as ahead:
            prepare_text([corpus, odd], InputConfig(), sidecar=None, cache_dir=None,
                         work_dir=tmp_path / "work", workers=1, on_shard=ahead.on_shard)
    assert not ahead.thread.is_alive()
    assert not any(p.is_alive() for p in (getattr(ahead.pool, "_processes", None) or {}
                                          ).values())
    assert not ahead.folder.exists()          # its temporary cache is gone
