"""Cleaned documents come back from the ingest cache exactly as they were built, and only for
the same inputs, settings and code."""
from __future__ import annotations

import shutil

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.text import describe_inputs
from vntopics.pipeline.text.cleaning import prepare_documents
from vntopics.pipeline.text.documents import documents_table
from vntopics.pipeline.text.cache import IngestCache, ingest_key
from tests.conftest import FIXTURES


def test_cached_documents_equal_freshly_cleaned_ones(tmp_path):
    seeds = [FIXTURES / "seeds"]
    documents = prepare_documents(seeds, None, InputConfig())
    cache = IngestCache(tmp_path / "cache")
    key = ingest_key(describe_inputs(seeds), None, InputConfig())
    assert cache.load(key) is None
    cache.save(key, documents)
    again = cache.load(key)
    assert again is not None and again is not documents
    assert [again.text_of(d) for d in again] == [documents.text_of(d) for d in documents]
    assert all(len(again.text_of(d)) > 1000 for d in again if d.status == "ok")
    assert documents_table(again).equals(documents_table(documents))
    an_giang = next(d for d in again if d.province == "An Giang")
    assert an_giang.year == 2021 and an_giang.date == "2021-01-28"


def test_key_changes_with_content_and_settings_not_with_nothing(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES / "seeds", folder)
    default = InputConfig()
    key = ingest_key(describe_inputs([folder]), None, default)
    assert key == ingest_key(describe_inputs([folder]), None, InputConfig(paths=["elsewhere"]))
    for changed in ({"html": "reject"}, {"max_file_mb": 5}, {"max_doc_chars": 5000},
                    {"symlinks": "none"}):
        assert key != ingest_key(describe_inputs([folder]), None,
                                 default.model_copy(update=changed)), changed
    assert key != ingest_key(describe_inputs([folder]), "ab" * 32, default)
    article = sorted(folder.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nThêm một dòng.",
                       encoding="utf-8")
    assert key != ingest_key(describe_inputs([folder]), None, default)


def test_a_damaged_entry_is_rebuilt_not_trusted(tmp_path):
    cache = IngestCache(tmp_path)
    for content in ('{"doc_id": "a", "text": "x", "nonsense": 1}\n', '{"doc_id": "a", "te'):
        (cache.folder / "k").mkdir(parents=True)
        (cache.folder / "k" / "documents.jsonl").write_text(content)
        assert cache.load("k") is None
        assert not (cache.folder / "k").exists()     # set aside, rebuilt by the caller


def test_cleaning_on_worker_processes_gives_the_same_documents():
    corpus = [FIXTURES / "unc-small.jsonl.gz"]
    serial = prepare_documents(corpus, None, InputConfig())
    parallel = prepare_documents(corpus, None, InputConfig(), workers=2, parallel_from=20)
    assert len(serial) > 100
    assert documents_table(parallel).equals(documents_table(serial))
    assert [parallel.text_of(d) for d in parallel] == [serial.text_of(d) for d in serial]


def test_preparing_documents_reports_cleaning_and_dedupe_to_the_last_document():
    heard = []
    documents = prepare_documents([FIXTURES / "seeds", FIXTURES / "unc-small.jsonl.gz"], None,
                                  InputConfig(max_file_mb=20),
                                  progress=lambda *update: heard.append(update))
    clean = [(done, total) for step, done, total in heard if step == "clean"]
    dedupe = [(done, total) for step, done, total in heard if step == "dedupe"]
    # read as a stream: the total is unknown (-1) until the last document is cleaned
    assert clean[0] == (0, -1) and clean[-1] == (len(documents),) * 2
    assert {total for _, total in clean[:-1]} == {-1}
    assert [done for done, _ in clean] == sorted(done for done, _ in clean)
    ok = sum(d.status == "ok" for d in documents)   # dedupe hashes the readable ones
    assert dedupe and dedupe[-1][0] == dedupe[-1][1] >= ok
