"""Reading real inputs: txt folders (UTF-8, UTF-16), header lines, sidecars, JSONL, CSV."""
from __future__ import annotations

import codecs
import gzip
import json

import pytest

from vntopics.pipeline.text.read import InputError, decode_bytes, read_documents
from tests.conftest import FIXTURES, parse_csv, run_cli

AN_GIANG_OPENING = "Ðề cao trách nhiệm"


def test_utf16_files_as_distributed_decode_to_vietnamese():
    documents = read_documents([FIXTURES / "utf16"])
    assert len(documents) == 3 and all(d.status == "ok" for d in documents)
    assert all(not d.text.startswith("\ufeff") for d in documents)
    assert all(" của " in d.text or " và " in d.text for d in documents)


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
                                          ("utf-16-le", codecs.BOM_UTF16_LE),
                                          ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_decode_accepts_utf8_and_utf16_with_bom(encoding, bom):
    text = "Đảng bộ tỉnh Gia Lai học tập Nghị quyết"
    assert decode_bytes(bom + text.encode(encoding)) == text


@pytest.mark.parametrize("data,reason", [(b"", "empty file"),
                                         ("Nghị quyết".encode("utf-8")[:0] + codecs.BOM_UTF16_LE,
                                          "no text"),
                                         ("Hà Nội năm 2021 – tiếng Việt".encode("cp1258",
                                                                               "replace"),
                                          "not UTF-8 or UTF-16"),
                                         (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8")])
def test_decode_rejects_what_it_cannot_read_faithfully(data, reason):
    with pytest.raises(ValueError, match=reason):
        decode_bytes(data)


def test_header_lines_become_metadata():
    documents = read_documents([FIXTURES / "unc-raw"])
    first = documents[0]
    assert first.doc_id == "news_business_034.txt"
    assert first.metadata["date"] == "20210427"
    assert not first.text.startswith("#")


def test_sidecar_gives_seed_metadata():
    documents = {d.doc_id: d for d in read_documents([FIXTURES / "seeds"])}
    assert len(documents) == 5
    an_giang = documents["000_96066fe42e697fa6.txt"]
    assert an_giang.metadata == {"date": "2021-01-28", "province": "An Giang",
                                 "source": "Nhân Dân"}
    assert an_giang.text.startswith(AN_GIANG_OPENING)


def test_jsonl_broken_line_is_rejected_with_its_line_number(tmp_path):
    path = tmp_path / "mixed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "a", "text": "Tỉnh ủy Cần Thơ họp"}) + "\n")
        handle.write('{"id": "b", "text": "cắt ngang\n')
        handle.write(json.dumps({"id": "a", "text": "trùng mã"}) + "\n")
        handle.write(json.dumps({"id": "c"}) + "\n")
    documents = read_documents([path])
    assert [d.status for d in documents] == ["ok", "rejected", "rejected", "rejected"]
    assert "line 2" in documents[1].reason
    assert documents[2].reason == "duplicate id"
    assert documents[3].reason == "no text field"


def test_csv_without_text_column_fails_before_any_work(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("id,body\n1,Đảng bộ\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'text' column"):
        read_documents([path])


def test_unsupported_file_in_folder_is_listed_as_rejected(tmp_path):
    (tmp_path / "a.txt").write_text("Tỉnh ủy Gia Lai", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    documents = {d.doc_id: d for d in read_documents([tmp_path])}
    assert documents["a.txt"].status == "ok"
    assert documents["photo.png"].reason == "unsupported file type (.png)"


def test_cli_ingest_prints_one_row_per_seed():
    result = run_cli(["ingest", "--input", str(FIXTURES / "seeds")])
    assert result.returncode == 0, result.stderr
    rows = parse_csv(result.stdout)
    assert len(rows) == 5
    assert list(rows[0])[:9] == ["doc_id", "title", "date", "year", "province", "source",
                                 "n_chars", "status", "reason"]
    assert {"province_2025", "date_source", "province_source", "evidence"} <= set(rows[0])
    by_id = {r["doc_id"]: r for r in rows}
    assert by_id["004_ada06a6cc70b6956.txt"]["province"] == "Gia Lai"
    assert by_id["004_ada06a6cc70b6956.txt"]["title"].startswith("Ia Grai: Nâng cao")
    assert by_id["002_e149c863b3391813.txt"]["date"] == "2018-10-03"
    assert by_id["000_96066fe42e697fa6.txt"]["title"].startswith("Đề cao")  # 'Ð' fixed


def test_cli_reports_missing_input_clearly(tmp_path):
    result = run_cli(["ingest", "--input", str(tmp_path / "nope")])
    assert result.returncode == 2
    assert "input not found" in result.stderr and "nope" in result.stderr
