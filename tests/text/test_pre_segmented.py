"""Records segmented by another tool (`tokens` instead of, or beside, `text`) in JSONL, CSV
and Parquet: they skip segmentation and get the same words as the same articles segmented
here; unusable `tokens` are rejected with the reason, the rest of the file is still read."""
from __future__ import annotations

import csv
import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import FIXTURES
from vntopics.pipeline.config import InputConfig, RunConfig
from vntopics.pipeline.config_io import resolve_path
from vntopics.pipeline.parallel import ProcessMapper
from vntopics.pipeline.segment import segment_documents
from vntopics.pipeline.segment.segmenter import token_lists
from vntopics.pipeline.text import prepare_documents


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    """Six real articles (one citing 18-NQ/TW) with underthesea's `format="text"` output of
    their cleaned text, the form pyvi and VnCoreNLP users hand over too."""
    from underthesea import word_tokenize

    from vntopics.pipeline.text.normalise import normalise_document

    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle][:5]
    cited = (FIXTURES / "seeds" / "000_96066fe42e697fa6.txt").read_text(encoding="utf-8")
    rows.append({"id": "an-giang", "date": "20210128", "province": "An Giang",
                 "text": cited})
    return [{**r, "segmented": word_tokenize(normalise_document(r["text"]), format="text")}
            for r in rows]


def run_stages(paths) -> tuple[list, list[list[str]]]:
    text = RunConfig().text
    documents = prepare_documents(paths, None, InputConfig())
    segment_documents(documents, text,
                      stopword_files=[resolve_path(p) for p in text.stopword_files],
                      cache_dir=None, mapper=ProcessMapper(1))
    return documents, token_lists(documents)


def write_jsonl(path, records) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")


def pre_segmented(articles, as_list: bool) -> list[dict]:
    return [{"id": a["id"], "date": a["date"], "province": a.get("province", ""),
             "tokens": a["segmented"].split() if as_list else a["segmented"]}
            for a in articles]


def test_pre_segmented_records_get_the_words_of_the_text_path(articles, tmp_path):
    write_jsonl(tmp_path / "text.jsonl", [{k: a[k] for k in ("id", "date", "province", "text")
                                           if k in a} for a in articles])
    _, expected = run_stages([tmp_path / "text.jsonl"])
    assert all(len(tokens) > 50 for tokens in expected)
    assert "18-nq/tw" in expected[-1]

    files = {"jsonl strings": tmp_path / "strings.jsonl", "jsonl lists": tmp_path / "l.jsonl",
             "csv": tmp_path / "a.csv", "parquet strings": tmp_path / "strings.parquet",
             "parquet lists": tmp_path / "lists.parquet"}
    write_jsonl(files["jsonl strings"], pre_segmented(articles, as_list=False))
    write_jsonl(files["jsonl lists"], pre_segmented(articles, as_list=True))
    with files["csv"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "date", "province", "tokens"])
        writer.writeheader()
        writer.writerows(pre_segmented(articles, as_list=False))
    pq.write_table(pa.Table.from_pylist(pre_segmented(articles, as_list=False)),
                   files["parquet strings"])
    pq.write_table(pa.Table.from_pylist(pre_segmented(articles, as_list=True)),
                   files["parquet lists"])
    for name, path in files.items():
        documents, tokens = run_stages([path])
        assert [d.doc_id for d in documents] == [a["id"] for a in articles], name
        assert all(d.status == "ok" and d.pre_segmented for d in documents), name
        assert tokens == expected, name
        an_giang = documents[-1]
        assert (an_giang.province, an_giang.year) == ("An Giang", 2021), name
        assert "18-nq/tw" in an_giang.citations, name


def test_unusable_tokens_are_rejected_with_the_reason_and_the_rest_is_read(articles,
                                                                           tmp_path):
    good = pre_segmented(articles[:1], as_list=False)[0]
    write_jsonl(tmp_path / "mixed.jsonl", [
        good,
        {"id": "blank", "tokens": "   "},
        {"id": "empty-list", "tokens": []},
        {"id": "number", "tokens": 5},
        {"id": "mixed-list", "tokens": ["kinh_tế", 3]},
        {"id": "object", "tokens": {"kinh_tế": 1}},
        {"id": "both", "tokens": "Tỉnh_ủy An_Giang họp", "text": "Tỉnh ủy An Giang họp."},
    ])
    documents = {d.doc_id: d for d in prepare_documents([tmp_path / "mixed.jsonl"], None,
                                                        InputConfig())}
    assert documents[good["id"]].status == "ok"
    assert documents["both"].status == "ok" and documents["both"].pre_segmented
    reasons = {doc_id: d.reason for doc_id, d in documents.items() if d.status != "ok"}
    assert reasons == {
        "blank": "empty tokens field (no words)",
        "empty-list": "empty tokens field (no words)",
        "number": "tokens field: a string of space-separated words or a list of strings "
                  "expected, not int",
        "mixed-list": "tokens field: a list of strings expected, it holds a int (3)",
        "object": "tokens field: a string of space-separated words or a list of strings "
                  "expected, not dict"}


def test_csv_and_parquet_tokens_of_the_wrong_kind(tmp_path):
    with (tmp_path / "a.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "tokens", "text"])
        writer.writerow(["ok", "phát_triển kinh_tế", ""])
        writer.writerow(["no-words", "", ""])
        writer.writerow(["text-only", "", "Phát triển kinh tế tỉnh An Giang."])
    pq.write_table(pa.table({"id": ["n1"], "tokens": pa.array([7], pa.int64())}),
                   tmp_path / "b.parquet")
    documents = {d.doc_id: d for d in prepare_documents([tmp_path], None, InputConfig())}
    assert documents["ok"].status == "ok" and documents["ok"].pre_segmented
    assert documents["text-only"].status == "ok" and not documents["text-only"].pre_segmented
    assert documents["no-words"].reason == "empty tokens field (no words)"
    assert documents["n1"].reason == ("tokens field: a string of space-separated words or a "
                                      "list of strings expected, not int")
