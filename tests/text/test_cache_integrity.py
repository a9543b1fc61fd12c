"""A damaged ingest cache entry costs time, never documents: an entry cut short, a corrupt
text shard or a missing integrity record is found when the entry is loaded, named in a
warning, set aside and rebuilt, giving exactly the documents of a clean read; a cache that
cannot be written is a warning and the run goes on without it."""
from __future__ import annotations

import errno
import logging

import pytest

from tests.conftest import FIXTURES
from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.text import describe_inputs
from vntopics.pipeline.text.cache import IngestCache, load_or_prepare
from vntopics.pipeline.text.documents import documents_table

CORPUS = [FIXTURES / "unc-small.jsonl.gz", FIXTURES / "seeds"]
SETTINGS = InputConfig(max_file_mb=20)


def read(cache_dir, work_dir=None):
    return load_or_prepare(CORPUS, describe_inputs(CORPUS), SETTINGS, sidecar=None,
                           sidecar_sha256=None, cache_dir=cache_dir, work_dir=work_dir)


@pytest.fixture(scope="module")
def clean():
    """The documents table and texts of a read without any cache."""
    documents, reused = read(None)
    assert not reused and len(documents) > 100
    return documents_table(documents), [documents.text_of(d) for d in documents]


def entry_of(cache_dir):
    entries = [p for p in (cache_dir / "ingest").iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1
    return entries[0]


def assert_same_as_clean(documents, clean):
    table, texts = clean
    assert documents_table(documents).equals(table)
    assert [documents.text_of(d) for d in documents] == texts


def truncate_documents_at_a_line(entry):
    lines = (entry / "documents.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (entry / "documents.jsonl").write_text("".join(lines[:len(lines) // 2]), encoding="utf-8")


def corrupt_a_shard(entry):
    shard = sorted(entry.glob("texts-*.parquet"))[0]
    data = bytearray(shard.read_bytes())
    data[len(data) // 2:len(data) // 2 + 64] = b"\0" * 64
    shard.write_bytes(bytes(data))


def drop_integrity_record(entry):
    (entry / "entry.json").unlink()


@pytest.mark.parametrize("damage, named", [
    (truncate_documents_at_a_line, "documents.jsonl"),
    (corrupt_a_shard, "texts-00000.parquet"),
    (drop_integrity_record, "entry.json")])
def test_a_damaged_entry_is_named_set_aside_and_rebuilt(tmp_path, clean, caplog, damage,
                                                        named):
    cache_dir = tmp_path / "cache"
    first, reused = read(cache_dir)
    assert not reused
    assert_same_as_clean(first, clean)
    damage(entry_of(cache_dir))
    with caplog.at_level(logging.WARNING):
        again, reused = read(cache_dir)
    assert not reused                                  # read again from the inputs
    assert_same_as_clean(again, clean)                 # every article back, same texts
    warning = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "ingest cache entry damaged" in warning and named in warning
    assert (cache_dir / "ingest" / f".{entry_of(cache_dir).name}.damaged").is_dir()
    third, reused = read(cache_dir)                    # the rebuilt entry is good
    assert reused
    assert_same_as_clean(third, clean)


def test_a_cache_that_cannot_be_written_is_a_warning_not_a_failure(tmp_path, clean, caplog,
                                                                   monkeypatch):
    import pyarrow.parquet as pq

    cache_dir = tmp_path / "cache"
    real_write = pq.write_table

    def full_disk(table, where, *args, **kwargs):
        if str(cache_dir) in str(where):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(table, where, *args, **kwargs)

    monkeypatch.setattr(pq, "write_table", full_disk)
    with caplog.at_level(logging.WARNING):
        documents, reused = read(cache_dir, work_dir=tmp_path / "work")
    assert not reused
    assert_same_as_clean(documents, clean)
    assert any("cannot be written" in r.getMessage() and str(cache_dir) in r.getMessage()
               for r in caplog.records)
    assert not [p for p in (cache_dir / "ingest").iterdir()]     # no half entry left
