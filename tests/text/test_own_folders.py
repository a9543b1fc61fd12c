"""What a run derived is never read back as articles: a cache folder inside the input
folder (tagged or not, hidden or not), an artifacts folder copied into it, are skipped when
the folder is read, and said once."""
from __future__ import annotations

import logging
import shutil

import pytest

from tests.conftest import FIXTURES
from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.text import describe_inputs, folders
from vntopics.pipeline.text.cache import load_or_prepare
from vntopics.pipeline.text.read import input_warnings


@pytest.fixture
def articles(tmp_path):
    folders.skipped_own_folders.clear()      # said once per process: once per test here
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES / "seeds", folder)
    shutil.copy(FIXTURES / "unc-small.jsonl.gz", folder / "unc-small.jsonl.gz")
    return folder


def read(folder, cache_dir):
    inputs = describe_inputs([folder])
    documents, reused = load_or_prepare([folder], inputs, InputConfig(max_file_mb=20),
                                        sidecar=None, sidecar_sha256=None,
                                        cache_dir=cache_dir)
    return documents, inputs


@pytest.mark.parametrize("cache_name", ["cache", ".cache/vntopics"])
def test_a_cache_inside_the_input_folder_is_never_read_as_articles(articles, cache_name,
                                                                   caplog):
    first, _ = read(articles, articles / cache_name)
    ids = [d.doc_id for d in first]
    assert len(ids) > 100 and (articles / cache_name / "ingest").is_dir()
    with caplog.at_level(logging.WARNING):
        again, inputs = read(articles, articles / cache_name)
    assert [d.doc_id for d in again] == ids          # not 'in 601, rejected 401'
    assert not any(i["path"].startswith(str(articles / cache_name)) for i in inputs)
    if not cache_name.startswith("."):               # a hidden folder is skipped silently
        said = [r.getMessage() for r in caplog.records if "not read as input" in r.getMessage()]
        assert said == [f"{articles / cache_name} is a vntopics cache folder: not read as input"]
        assert said[0] in input_warnings([articles], inputs)


def test_deleted_articles_do_not_come_back_from_the_cache(articles):
    first, _ = read(articles, articles / "cache")
    gone = sorted(articles.glob("*.txt"))[:2]
    for path in gone:
        path.unlink()
    again, _ = read(articles, articles / "cache")
    assert len(again) == len(first) - 2
    assert not {p.name for p in gone} & {d.doc_id for d in again}
    assert all(d.status == "ok" or "duplicate" in d.reason or "too" in d.reason
               for d in again if d.doc_id.endswith(".txt"))


def test_an_untagged_cache_and_a_copied_artifacts_folder_are_skipped(articles, tmp_path):
    expected = [d.doc_id for d in read(articles, None)[0]]
    legacy = articles / "old-cache"              # written before caches were tagged
    legacy.mkdir()
    (legacy / "segmentation.sqlite").write_bytes(b"")
    shutil.copy(FIXTURES / "unc-small.jsonl.gz", legacy / "records.jsonl.gz")
    runs = articles / "runs-copy"                # `cp -r artifacts/` into the input folder
    (runs / "20260101T000000Z-abcdef12" / "tables").mkdir(parents=True)
    (runs / "LATEST").write_text("20260101T000000Z-abcdef12\n")
    shutil.copy(FIXTURES / "unc-small.jsonl.gz", runs / "20260101T000000Z-abcdef12" /
                "tables" / "documents.jsonl.gz")
    assert [d.doc_id for d in read(articles, None)[0]] == expected
