"""Issue-level checks of the text layer: metadata inferred from the raw seeds, real corpora
as distributed, and bad files accounted for."""
from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT, parse_csv, run_cli

SHARED = PROJECT.parent / "shared" / "corpora"
SEED_EXPECTED = {
    "000_96066fe42e697fa6.txt": ("An Giang", "2021-01-28", "Nhân Dân"),
    "001_bdadfb900eccd283.txt": ("Bến Tre", "2021-01-30", "Nhân Dân"),
    "002_e149c863b3391813.txt": ("Điện Biên", "2018-10-03", "Điện Biên Phủ"),
    "003_fa50e03cc3be85bd.txt": ("Cần Thơ", "2018-02-13", "Cần Thơ"),
    "004_ada06a6cc70b6956.txt": ("Gia Lai", "2019-09-09", "Gia Lai"),
}


def ingest(*paths: Path) -> dict[str, dict]:
    args = ["ingest"]
    for path in paths:
        args += ["--input", str(path)]
    result = run_cli(args)
    assert result.returncode == 0, result.stderr[-2000:]
    return {row["doc_id"]: row for row in parse_csv(result.stdout)}


def test_seed_metadata_is_inferred_without_a_sidecar(tmp_path):
    for name in SEED_EXPECTED:
        shutil.copy(FIXTURES / "seeds" / name, tmp_path / name)
    rows = ingest(tmp_path)
    assert set(rows) == set(SEED_EXPECTED)
    for name, (province, date, source) in SEED_EXPECTED.items():
        row = rows[name]
        assert (row["province"], row["date"], row["source"]) == (province, date, source), name
        assert (row["province_source"], row["date_source"]) == ("inferred", "inferred")
        assert row["source_source"] == "inferred"
        assert "province:" in row["evidence"] and "date:" in row["evidence"]
        assert row["province_2025"] not in ("", "unknown")


def test_given_metadata_wins_and_is_marked_given():
    rows = ingest(FIXTURES / "seeds")
    an_giang = rows["000_96066fe42e697fa6.txt"]
    assert (an_giang["province"], an_giang["province_source"]) == ("An Giang", "given")
    assert an_giang["date_source"] == "given"
    assert (an_giang["source"], an_giang["source_source"]) == ("Nhân Dân", "given")


def test_unc_raw_dates_come_from_headers():
    rows = ingest(FIXTURES / "unc-raw")
    assert rows["news_business_034.txt"]["date"] == "2021-04-27"
    assert all(r["status"] == "ok" and r["date_source"] == "given" for r in rows.values())


def test_bad_files_are_listed_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Bình Định: Tỉnh ủy họp".encode("cp1258", "replace")
                                          + "café à Hà Nội".encode("latin-1", "replace"))
    (tmp_path / "bom-only.txt").write_bytes(codecs.BOM_UTF16_LE)
    shutil.copy(FIXTURES / "seeds" / "004_ada06a6cc70b6956.txt", tmp_path / "good.txt")
    rows = ingest(tmp_path)
    assert rows["good.txt"]["status"] == "ok"
    expected = {"empty.txt": "empty file", "photo.png": "unsupported file type",
                "latin1.txt": "not UTF-8 or UTF-16", "bom-only.txt": "no text"}
    for name, reason in expected.items():
        assert rows[name]["status"] == "rejected" and reason in rows[name]["reason"], name


def test_duplicate_article_is_rejected_naming_the_kept_one(tmp_path):
    original = (FIXTURES / "seeds" / "000_96066fe42e697fa6.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(original, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Bài đăng lại\n" + original + "\nNguồn: Báo An Giang",
                                    encoding="utf-8")
    rows = ingest(tmp_path)
    assert rows["a.txt"]["status"] == "ok"
    assert rows["b.txt"]["reason"] == "duplicate of a.txt"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared corpora not beside the repository")
def test_all_raw_corpus_files_ingest_ok():
    rows = ingest(SHARED / "vntc-raw-utf16", SHARED / "unc-raw")
    assert len(rows) == 150
    bad = {k: r["reason"] for k, r in rows.items() if r["status"] != "ok"}
    assert not bad
    unc = [r for k, r in rows.items() if k.startswith("news_")]
    assert len(unc) == 50 and all(r["date_source"] == "given" and r["year"] for r in unc)
