"""Reading real inputs: txt folders (UTF-8, UTF-16), header lines, sidecars, JSONL, CSV."""
from __future__ import annotations

import codecs
import gzip
import json
import re

from pathlib import Path

import pytest

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.text.read import InputError, check_inputs, decode_bytes, read_documents
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
    with pytest.raises(InputError, match="no 'text' or 'tokens' column"):
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


# CSV: bad lines one by one ---------------------------------------------------------------

ARTICLE = (FIXTURES / "seeds" / "004_ada06a6cc70b6956.txt").read_text(encoding="utf-8")


def test_bad_csv_lines_are_rejected_one_by_one_with_their_real_line_number(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_bytes(
        "id,title,text\n"
        '1,Một,"Tỉnh ủy Gia Lai họp\nphiên thứ hai"\n'       # lines 2-3: a quoted newline
        "2,Hai,Đảng bộ tỉnh,thừa một cột\n"                  # line 4: four fields
        '3,"Ba,Hà Nội họp\n'                                 # line 5: quote never closed
        "4,Bốn,Bình Định tổ chức hội nghị\n"                 # line 6
        "\n"
        "5,Năm,Cần Thơ \x00 nhị phân\n".encode("utf-8")      # line 8: NUL
        + b"6,Sau,Hu\xe9 c\xf3 m\xfca\n"                     # line 9: Windows-1252 bytes
        + "7,Bảy,Đà Nẵng phát triển\n".encode("utf-8"))      # line 10
    documents = {d.doc_id: d for d in read_documents([path])}
    assert documents["1"].text == "Tỉnh ủy Gia Lai họp\nphiên thứ hai"
    assert (documents["4"].status, documents["7"].status) == ("ok", "ok")
    assert documents["articles.csv:4"].reason == ("bad CSV record at line 4: 4 fields, the "
                                                  "header has 3")
    assert documents["articles.csv:5"].reason.startswith("bad CSV record at line 5: ")
    assert documents["articles.csv:8"].reason.endswith("binary content (NUL characters)")
    assert documents["articles.csv:9"].reason.endswith("line 9: not UTF-8 text")
    assert len(documents) == 7
    assert all("\n" not in d.reason for d in documents.values())


def test_a_csv_without_text_column_inside_a_folder_is_one_rejected_row(tmp_path):
    (tmp_path / "notes.csv").write_text("id,body\n1,Đảng bộ\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    documents = {d.doc_id: d for d in read_documents([tmp_path])}
    assert documents["a.txt"].status == "ok"
    assert documents["notes.csv"].reason == "no 'text' or 'tokens' column (columns: id, body)"


@pytest.mark.parametrize("name,data", [("empty.jsonl", b""), ("blank.jsonl", b"\n\n"),
                                       ("header-only.csv", b"id,text\n")])
def test_a_record_file_without_records_is_still_one_row(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    documents = read_documents([tmp_path])
    assert [(d.doc_id, d.status) for d in documents] == [(name, "rejected")]
    assert documents[0].reason.startswith("no records")


# the size budget per document --------------------------------------------------------------

def test_every_kind_of_document_over_the_budget_is_rejected_with_its_size(tmp_path):
    import pandas as pd

    big = (ARTICLE + "\n") * (12_000 // len(ARTICLE) + 1)
    settings = InputConfig(max_doc_chars=10_000)
    (tmp_path / "big.txt").write_text(big, encoding="utf-8")
    (tmp_path / "small.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "records.jsonl").write_text(
        json.dumps({"id": "j-big", "text": big}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "j-small", "text": ARTICLE}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    pd.DataFrame({"id": ["c-big", "c-small"], "text": [big, ARTICLE]}).to_csv(
        tmp_path / "records.csv", index=False)
    pd.DataFrame({"id": ["p-big", "p-small"], "text": [big, ARTICLE]}).to_parquet(
        tmp_path / "records.parquet")
    documents = {d.doc_id: d for d in read_documents([tmp_path], settings=settings)}
    for name in ("big.txt", "j-big", "c-big", "p-big"):
        assert documents[name].status == "rejected" and documents[name].text == ""
        assert re.fullmatch(r"document too large \(1[\d,]{5} characters > 10,000: "
                            r"input\.max_doc_chars\)", documents[name].reason), name
    for name in ("small.txt", "j-small", "c-small", "p-small"):
        assert documents[name].status == "ok" and len(documents[name].text) < 10_000, name


def test_a_line_over_the_record_limit_is_skipped_unread_and_the_next_line_kept(tmp_path):
    settings = InputConfig(max_doc_chars=1000)            # lines up to 1,008,000 bytes
    path = tmp_path / "dump.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "huge", "text": "Gia Lai " * 200_000}) + "\n")
        handle.write(json.dumps({"id": "next", "text": "Tỉnh ủy Gia Lai họp"},
                                ensure_ascii=False) + "\n")
    documents = read_documents([path], settings=settings)
    assert [d.doc_id for d in documents] == ["dump.jsonl:1", "next"]
    assert documents[0].reason == ("record too large (line 1 is over 1.0 MB: "
                                   "input.max_doc_chars)")
    assert documents[1].status == "ok"


# symbolic links ----------------------------------------------------------------------------

@pytest.fixture
def linked_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "articles"
    (folder / "2021").mkdir(parents=True)
    (folder / "2021" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "inside.txt").symlink_to(folder / "2021" / "a.txt")
    (folder / "outside.txt").symlink_to(outside / "secret.txt")
    (folder / "outside-dir").symlink_to(outside)
    (folder / "broken.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "2021" / "up").symlink_to(folder)
    return folder


def test_links_are_followed_only_inside_the_folder_and_every_other_one_is_a_row(
        linked_folder):
    documents = {d.doc_id: d for d in read_documents([linked_folder])}
    assert documents["2021/a.txt"].status == "ok"
    assert documents["inside.txt"].status == "ok"           # same article: dedupe's business
    for name in ("outside.txt", "outside-dir"):
        assert documents[name].status == "rejected"
        assert documents[name].reason.startswith("symbolic link to ")
        assert "outside the input folder" in documents[name].reason
    assert documents["broken.txt"].reason.startswith("broken symbolic link")
    assert documents["loop.txt"].reason == "symbolic link loop"
    assert documents["2021/up"].reason.startswith("symbolic link loop (leads back to ")
    assert not any(d.text and "secret" in d.origin for d in documents.values())
    assert len(documents) == 7


def test_link_policy_all_follows_outside_links_and_none_follows_nothing(linked_folder):
    followed = {d.doc_id: d for d in read_documents([linked_folder],
                                                    settings=InputConfig(symlinks="all"))}
    assert followed["outside.txt"].status == "ok"
    assert followed["outside-dir/secret.txt"].status == "ok"
    refused = {d.doc_id: d for d in read_documents([linked_folder],
                                                   settings=InputConfig(symlinks="none"))}
    assert refused["inside.txt"].reason == "symbolic link (not followed: input.symlinks = none)"
    assert refused["2021/a.txt"].status == "ok"


def test_manifest_inputs_list_only_what_is_read(linked_folder):
    from vntopics.pipeline.text import describe_inputs

    listed = {Path(i["path"]).relative_to(linked_folder).as_posix()
              for i in describe_inputs([linked_folder])}
    assert listed == {"2021/a.txt", "inside.txt"}


# sidecars ----------------------------------------------------------------------------------

def test_a_broken_sidecar_in_an_input_folder_fails_before_any_work(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "metadata.csv").write_bytes("file,province\na.txt,Bình Định\n"
                                            .encode("cp1258", "replace") + b"\xff\n")
    with pytest.raises(InputError, match="metadata.csv: sidecar is not UTF-8 text"):
        check_inputs([tmp_path])


def test_a_missing_sidecar_fails_before_any_work(tmp_path):
    with pytest.raises(InputError, match="sidecar not found"):
        check_inputs([FIXTURES / "seeds"], tmp_path / "meta.csv")
