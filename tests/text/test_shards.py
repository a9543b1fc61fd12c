"""Texts written to Parquet shards as they are cleaned come back exactly, row by row, across
shard boundaries, before and after the last shard is written, after a reopen and in
another process."""
from __future__ import annotations

import gzip
import json
import pickle

import pytest

from tests.conftest import FIXTURES
from vntopics.pipeline.text import shards as shards_module
from vntopics.pipeline.text.shards import TextShards, TextsOf


@pytest.fixture
def texts() -> list[str]:
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle]


def test_rows_come_back_across_shards(texts, tmp_path, monkeypatch):
    monkeypatch.setattr(shards_module, "SHARD_ROWS", 7)
    shards = TextShards(tmp_path / "texts")
    rows = [shards.append(text, "từ_ngữ" if i % 3 == 0 else "") for i, text in
            enumerate(texts)]
    assert rows == list(range(len(texts)))
    assert shards.text(len(texts) - 1) == texts[-1]          # still in the pending buffer
    shards.flush()
    assert len(shards.files) == -(-len(texts) // 7) and len(shards) == len(texts)
    assert [shards.text(r) for r in reversed(rows)] == texts[::-1]
    assert [w for _, w in shards.pairs(rows[:7])] == ["từ_ngữ", "", "", "từ_ngữ", "", "",
                                                       "từ_ngữ"]
    reopened = TextShards.reopen(tmp_path / "texts")
    assert [reopened.text(r) for r in rows] == texts
    elsewhere = pickle.loads(pickle.dumps(shards))
    assert elsewhere.text(50) == texts[50]
    assert TextsOf(shards, [3, 5])[0:2] == [texts[3], texts[5]]
    with pytest.raises(IndexError):
        shards.text(len(texts))


def test_a_pre_segmented_document_stands_for_its_words_in_duplicate_search(tmp_path):
    shards = TextShards(tmp_path)
    shards.append("", "chuyển_đổi_số\tAn_Giang")
    assert TextsOf(shards, [0])[0] == "chuyển đổi số\tAn Giang"


def test_a_temporary_folder_is_removed_with_its_shards():
    shards = TextShards()
    shards.append("Tỉnh ủy An Giang")
    shards.flush()
    folder = shards.folder
    assert folder.is_dir()
    del shards
    assert not folder.exists()


def test_another_process_reads_the_texts_a_batch_describes(texts, tmp_path, monkeypatch):
    from vntopics.pipeline.text.shards import read_texts

    monkeypatch.setattr(shards_module, "SHARD_ROWS", 10)
    shards = TextShards(tmp_path)
    for text in texts:
        shards.append(text)
    rows = [3, 9, 10, 11, 57, 119]
    where = shards.where(rows)
    assert [len(places) for _, places in where] == [2, 2, 1, 1]      # four shard files
    assert read_texts(pickle.loads(pickle.dumps(where))) == [texts[r] for r in rows]
