"""Bad input never stops a run: every file is accounted for, good articles are modelled,
and article text cannot script the report."""
from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from pathlib import Path

import pytest

from tests import browser
from tests.conftest import FIXTURES, PROJECT, VNTOPICS, read_csv, run_cli
from tests.e2e.processes import run_measuring_rss
from tests.text.legacy_encodings import to_cp1258, to_double_utf8, to_tcvn3, to_vni

XSS_TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
GOOD_ARTICLE = (FIXTURES / "seeds" / "004_ada06a6cc70b6956.txt").read_text(encoding="utf-8")
SECRET = "Bí mật ngoài thư mục đầu vào"
STALE = ".tmp-20200101T000000Z-0badf00d"


def seed_text(name: str) -> str:
    return (FIXTURES / "seeds" / name).read_text(encoding="utf-8")


def good_records(limit: int = 60) -> list[dict]:
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle][:limit]


def csv_row(*fields: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(fields)
    return buffer.getvalue().encode("utf-8")


def write_jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def bad_input_run(cli_env, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-input")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("Tỉnh ủy Bình Định".encode("cp1258", "replace")
                                        + b" caf\xe9 \xe0 H\xe0 N\xf4i")
    with (folder / "huge.txt").open("wb") as handle:       # 50 MB of real text
        block = GOOD_ARTICLE.encode("utf-8")
        while handle.tell() < 50_000_000:
            handle.write(block)
    (folder / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>x</title><script>var a = 1;</script></head><body>"
        + "".join(f"<p>{line}</p>" for line in GOOD_ARTICLE.splitlines() if line.strip())
        + "</body></html>", encoding="utf-8")
    (folder / "stopwords-only.txt").write_text("và của là những cái này thì mà\n" * 3,
                                               encoding="utf-8")
    records = good_records()
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(5, '{"id": "broken", "text": "Đảng bộ tỉnh')
    lines.append(json.dumps({**records[0], "title": "trùng mã"}, ensure_ascii=False))
    lines.append(json.dumps({"id": "bad-date", "date": "2021-02-30", "province": "Atlantis",
                             "text": seed_text("000_96066fe42e697fa6.txt")},
                            ensure_ascii=False))
    lines.append(json.dumps({"id": "xss", "title": XSS_TITLE, "province": XSS_TITLE,
                             "text": "và của là"}, ensure_ascii=False))
    lines.append(json.dumps({"id": "xss-province", "province": XSS_TITLE,
                             "text": seed_text("001_bdadfb900eccd283.txt")},
                            ensure_ascii=False))
    lines.append(json.dumps({"id": "future", "date": "2099-05-01", "province": "Huế",
                             "text": seed_text("002_e149c863b3391813.txt")},
                            ensure_ascii=False))
    lines.append(json.dumps({"id": "long", "text": GOOD_ARTICLE * 60}, ensure_ascii=False))
    extra = good_records(70)[60:]                 # articles not among `records`
    lines.append(json.dumps({"id": "repaired", "text": to_double_utf8(extra[0]["text"]),
                             "title": to_double_utf8(extra[0]["title"])}))
    write_jsonl(folder / "articles.jsonl", lines)
    with (folder / "dump.jsonl").open("w", encoding="utf-8") as handle:   # 15 M characters
        handle.write(json.dumps({"id": "dump", "text": GOOD_ARTICLE * (15_000_000 //
                                                                        len(GOOD_ARTICLE))},
                                ensure_ascii=False) + "\n")
        handle.write(json.dumps(extra[1], ensure_ascii=False) + "\n")
    (folder / "table.csv").write_bytes(
        csv_row("id", "title", "text") + csv_row("csv-good", extra[2]["title"], extra[2]["text"])
        + csv_row("csv-extra", "Hai", "Đảng bộ tỉnh", "thừa một cột")
        + b"csv-nul,Ba,C\x00n Th\xc6\xa1\n"
        + csv_row("csv-after", extra[3]["title"], extra[3]["text"]))
    (folder / "notes.csv").write_text("id,body\n1,Tỉnh ủy họp\n", encoding="utf-8")
    for name, mangle in (("vni", to_vni), ("tcvn3", to_tcvn3), ("cp1258", to_cp1258)):
        (folder / f"{name}.txt").write_text(mangle(seed_text("003_fa50e03cc3be85bd.txt")),
                                            encoding="utf-8")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text(f"{SECRET}\n{GOOD_ARTICLE}", encoding="utf-8")
    (folder / "outside.txt").symlink_to(outside / "secret.txt")
    (folder / "outside-folder").symlink_to(outside)
    (folder / "broken.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "zz-inside.txt").symlink_to(folder / "page.html")
    empty = tmp_path_factory.mktemp("empty-input")
    artifacts = tmp_path_factory.mktemp("bad-input-artifacts")
    (artifacts / STALE / "tables").mkdir(parents=True)          # a run killed while writing
    (artifacts / STALE / ".lock").write_text("")
    result, peak_rss = run_measuring_rss(
        [*VNTOPICS, "run", "--input", str(folder), "--input", str(empty), "--artifacts-dir",
         str(artifacts), "--set", "model.num_topics=4", "--set", "compare.bootstrap=20"],
        cwd=PROJECT, env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1]), records, {
        "peak_rss": peak_rss, "stderr": result.stderr, "empty": empty, "artifacts": artifacts,
        "folder": folder}


def test_every_input_is_accounted_for_with_its_reason(bad_input_run):
    version, records, _ = bad_input_run
    rows = {r["doc_id"]: r for r in read_csv(version / "tables" / "documents.csv")}
    expected = {"empty.txt": "empty file", "binary.txt": "not UTF-8 or UTF-16",
                "latin1.txt": "not UTF-8 or UTF-16", "huge.txt": "file too large",
                "stopwords-only.txt": "too few tokens", "articles.jsonl:6": "broken JSON at line 6",
                "xss": "too few tokens"}
    for doc_id, reason in expected.items():
        assert rows[doc_id]["status"] == "rejected" and reason in rows[doc_id]["reason"], doc_id
    duplicate = [r for r in rows.values() if r["reason"] == "duplicate id"]
    assert len(duplicate) == 1 and duplicate[0]["doc_id"].startswith(records[0]["id"])
    assert rows["page.html"]["status"] == "ok" and rows["page.html"]["province"] == "Gia Lai"
    bad_date = rows["bad-date"]
    assert bad_date["status"] == "ok"        # an impossible given date is not used ...
    assert "given date unreadable: '2021-02-30'" in bad_date["evidence"]
    assert (bad_date["date"], bad_date["date_source"]) == ("2021-01-28", "inferred")  # ... the header is
    assert bad_date["province"] == "Atlantis" and bad_date["province_2025"] == "unknown"
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["documents"]
    assert counts["in"] == len(rows) == counts["ok"] + counts["rejected"]


def test_bad_input_of_every_kind_is_a_row_with_its_reason(bad_input_run):
    version, _, run = bad_input_run
    rows = {r["doc_id"]: r for r in read_csv(version / "tables" / "documents.csv")}

    def reason(doc_id: str) -> str:
        assert rows[doc_id]["status"] == "rejected", rows[doc_id]
        return rows[doc_id]["reason"]

    assert reason("dump.jsonl:1").startswith("record too large (line 1 is over 2.6 MB")
    assert reason("long").startswith("document too large (")
    lines = (run["folder"] / "table.csv").read_bytes().split(b"\n")   # quoted text spans lines
    extra, nul = (next(n for n, line in enumerate(lines, 1) if line.startswith(start))
                  for start in (b"csv-extra,", b"csv-nul,"))
    assert extra > 3 and nul == extra + 1
    assert reason(f"table.csv:{extra}") == (f"bad CSV record at line {extra}: 4 fields, the "
                                            "header has 3")
    assert reason(f"table.csv:{nul}") == (f"bad CSV record at line {nul}: binary content "
                                          "(NUL characters)")
    assert reason("notes.csv") == "no 'text' or 'tokens' column (columns: id, body)"
    for name, encoding in (("vni.txt", "VNI"), ("tcvn3.txt", "TCVN3 (ABC)"),
                           ("cp1258.txt", "Windows-1258")):
        assert reason(name).startswith(f"mojibake: Vietnamese in the legacy {encoding} ")
    for name in ("outside.txt", "outside-folder"):
        assert "outside the input folder" in reason(name)
    assert reason("broken.txt").startswith("broken symbolic link")
    assert reason("loop.txt") == "symbolic link loop"
    assert reason("zz-inside.txt") == "duplicate of page.html"   # followed: inside the folder
    good = [d for d in rows.values() if d["status"] == "ok"]
    assert {"csv-good", "csv-after", "repaired"} <= {d["doc_id"] for d in good}
    assert "text repaired: UTF-8" in rows["repaired"]["evidence"]
    future = rows["future"]
    assert "given date unreadable: '2099-05-01' (after today)" in future["evidence"]
    assert (future["year"], future["date_source"]) == ("2018", "inferred")
    published = "".join(p.read_text(encoding="utf-8") for p in version.rglob("*")
                        if p.suffix in (".csv", ".md", ".html", ".json"))
    assert SECRET not in published
    assert "<NA>" not in published and "&lt;NA&gt;" not in published
    assert any(not d["year"] for d in good)          # ... though some years are missing
    counts = json.loads((version / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert counts["in"] == len(rows) == counts["ok"] + counts["rejected"]


def test_bad_input_run_stays_under_2_gb(bad_input_run):
    assert 0 < bad_input_run[2]["peak_rss"] < 2e9, bad_input_run[2]["peak_rss"]


def test_an_empty_input_folder_is_a_warning_in_the_log_and_the_report(bad_input_run):
    version, _, run = bad_input_run
    warning = f"input folder {run['empty']} holds nothing to read"
    assert warning in run["stderr"]
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["warnings"] == [warning]
    assert f"Warning: {warning}." in (version / "report.md").read_text(encoding="utf-8")


def test_the_staging_folder_of_a_killed_run_is_cleaned_at_the_next_start(bad_input_run):
    artifacts = bad_input_run[2]["artifacts"]
    assert not (artifacts / STALE).exists()
    assert not list(artifacts.glob(".tmp-*"))


def test_good_articles_are_modelled(bad_input_run):
    version, records, _ = bad_input_run
    modelled = {r["doc_id"] for r in read_csv(version / "tables" / "doc_topics.csv")}
    assert {r["id"] for r in records} <= modelled
    assert "page.html" in modelled and "xss" not in modelled


@pytest.mark.skipif(browser.CHROMIUM is None, reason="Debian chromium is not installed")
def test_script_in_a_title_is_shown_as_text_not_run(bad_input_run, tmp_path):
    version, _, _ = bad_input_run
    visit = browser.visit(version / "report.html", tmp_path / "profile", tmp_path / "xss.png",
                          {"text": "document.body.innerText",
                           "injected": "document.querySelectorAll('body script, body img')"
                                       ".length",
                           "ours": "document.querySelectorAll('body > script').length"})
    assert visit.dialogs == []
    # the explorer's own two scripts (its data block and its code) close <body>; nothing else
    assert visit.evaluations["injected"] == visit.evaluations["ours"] == 2
    assert XSS_TITLE in visit.evaluations["text"]
    assert [u for u in visit.requests if not u.startswith("file://")] == []
    markdown = (version / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown


def test_csv_without_text_column_fails_before_any_work(cli_env, tmp_path):
    table = tmp_path / "articles.csv"
    table.write_text("id,body\n1,Tỉnh ủy Gia Lai họp\n", encoding="utf-8")
    result = run_cli(["run", "--input", str(table), "--artifacts-dir", str(tmp_path / "out")],
                     env=cli_env)
    assert result.returncode == 2
    assert "articles.csv: no 'text' or 'tokens' column" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_too_few_documents_for_k_stops_with_a_clear_message(cli_env, tmp_path):
    folder = tmp_path / "few"
    shutil.copytree(FIXTURES / "seeds", folder)
    result = run_cli(["run", "--input", str(folder), "--artifacts-dir", str(tmp_path / "out"),
                      "--set", "model.num_topics=8"], env=cli_env)
    assert result.returncode == 2
    assert "usable documents for K=8" in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]
    assert not [p for p in (tmp_path / "out").glob("*") if not p.name.startswith(".")]


def test_unknown_config_key_is_rejected_before_anything_runs(tmp_path):
    result = run_cli(["run", "--set", "model.num_topcs=5", "--artifacts-dir", str(tmp_path)])
    assert result.returncode == 2 and "num_topcs" in result.stderr
    assert not any(tmp_path.iterdir())


def test_bad_watchlist_file_is_rejected_before_anything_runs(tmp_path):
    missing = tmp_path / "terms.txt"
    args = ["run", "--set", f"compare.watchlist_file={missing}", "--artifacts-dir",
            str(tmp_path / "out")]
    result = run_cli(args)
    assert result.returncode == 2 and f"{missing} does not exist" in result.stderr
    missing.write_text("tham nhũng\nchuyển đổi số\nTham  nhũng\n", encoding="utf-8")
    result = run_cli(args)
    assert result.returncode == 2
    assert f"{missing} line 3: 'Tham  nhũng' is a duplicate of 'tham nhũng'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
