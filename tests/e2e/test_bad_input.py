"""Bad input never stops a run: every file is accounted for, good articles are modelled,
and article text cannot script the report."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from tests import browser
from tests.conftest import FIXTURES, read_csv, run_cli

XSS_TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
GOOD_ARTICLE = (FIXTURES / "seeds" / "004_ada06a6cc70b6956.txt").read_text(encoding="utf-8")



def seed_text(name: str) -> str:
    return (FIXTURES / "seeds" / name).read_text(encoding="utf-8")


def good_records(limit: int = 60) -> list[dict]:
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle][:limit]


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
    write_jsonl(folder / "articles.jsonl", lines)
    artifacts = tmp_path_factory.mktemp("bad-input-artifacts")
    result = run_cli(["run", "--input", str(folder), "--artifacts-dir", str(artifacts),
                      "--set", "model.num_topics=4", "--set", "compare.bootstrap=20"],
                     env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1]), records


def test_every_input_is_accounted_for_with_its_reason(bad_input_run):
    version, records = bad_input_run
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


def test_good_articles_are_modelled(bad_input_run):
    version, records = bad_input_run
    modelled = {r["doc_id"] for r in read_csv(version / "tables" / "doc_topics.csv")}
    assert {r["id"] for r in records} <= modelled
    assert "page.html" in modelled and "xss" not in modelled


@pytest.mark.skipif(browser.CHROMIUM is None, reason="Debian chromium is not installed")
def test_script_in_a_title_is_shown_as_text_not_run(bad_input_run, tmp_path):
    version, _ = bad_input_run
    visit = browser.visit(version / "report.html", tmp_path / "profile", tmp_path / "xss.png",
                          {"text": "document.body.innerText",
                           "injected": "document.querySelectorAll('body img').length",
                           "scripts": "Array.from(document.scripts).map(s => s.type)"})
    assert visit.dialogs == []
    assert visit.evaluations["injected"] == 0
    assert visit.evaluations["scripts"] == ["application/json", ""]   # the explorer's own
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
    assert "articles.csv: no 'text' column" in result.stderr
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
