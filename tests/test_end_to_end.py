"""`vntopics run` end to end on real shipped articles, through a real Prefect server."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, read_csv, run_cli

CONTRACT_FILES = ["manifest.json", "report.md", "report.html", "tables/documents.csv",
                  "tables/topics.csv", "tables/doc_topics.csv", "tables/topic_prevalence.csv",
                  "tables/keyword_trends.csv"]
K = 5
TOP_WORDS = 12


def run_fixture(cli_env, artifacts: Path) -> Path:
    result = run_cli(["run", "--input", str(FIXTURES / "seeds"), "--input",
                      str(FIXTURES / "unc-small.jsonl.gz"), "--artifacts-dir", str(artifacts),
                      "--set", f"model.num_topics={K}", "--set", f"model.top_words={TOP_WORDS}",
                      "--set", "compare.bootstrap=50"], env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    version = Path(result.stdout.strip().splitlines()[-1])
    assert version.is_absolute() and version.parent == artifacts.resolve()
    return version


@pytest.fixture(scope="module")
def two_runs(cli_env, tmp_path_factory):
    artifacts = tmp_path_factory.mktemp("artifacts")
    return run_fixture(cli_env, artifacts), run_fixture(cli_env, artifacts)


def test_version_folder_holds_every_contract_file(two_runs):
    version = two_runs[0]
    assert version.name[:16].endswith("Z") and len(version.name.split("-")[1]) == 8
    for name in CONTRACT_FILES:
        assert (version / name).stat().st_size > 0, name
    assert not [p for p in version.parent.iterdir() if p.name.startswith(".tmp-")]


def test_seed_metadata_and_accounting(two_runs):
    version = two_runs[0]
    documents = {row["doc_id"]: row for row in read_csv(version / "tables/documents.csv")}
    an_giang = documents["000_96066fe42e697fa6.txt"]
    assert (an_giang["province"], an_giang["year"], an_giang["date"]) == ("An Giang", "2021",
                                                                         "2021-01-28")
    assert an_giang["status"] == "ok" and int(an_giang["n_tokens"]) > 300
    assert "18-nq/tw" in an_giang["citations"].split()
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["documents"]
    assert counts["in"] == len(documents) == 125
    assert counts["in"] == counts["ok"] + counts["rejected"]
    assert manifest["version"] == version.name
    assert manifest["config"]["model"]["num_topics"] == K
    assert manifest["seeds"]["model"] == 42
    assert manifest["packages"]["gensim"] and manifest["packages"]["prefect"].startswith("3.")
    assert all(len(item["sha256"]) == 64 for item in manifest["inputs"])


def test_topics_and_document_weights(two_runs):
    version = two_runs[0]
    topics = read_csv(version / "tables/topics.csv")
    for model in ("lda", "nmf"):
        rows = [r for r in topics if r["model"] == model]
        assert sorted({int(r["topic"]) for r in rows}) == list(range(K))
        assert len(rows) == K * TOP_WORDS
    words = {r["word"] for r in topics}
    assert any("_" in w for w in words), "underthesea compounds expected among top words"
    sums = defaultdict(float)
    for row in read_csv(version / "tables/doc_topics.csv"):
        if row["model"] == "lda":
            sums[row["doc_id"]] += float(row["weight"])
    assert len(sums) > 100
    assert all(abs(total - 1) < 1e-3 for total in sums.values())


def test_prevalence_by_province_and_year(two_runs):
    rows = read_csv(two_runs[0] / "tables/topic_prevalence.csv")
    provinces = {r["group"] for r in rows if r["dimension"] == "province"}
    assert {"Hà Nội", "Gia Lai", "An Giang", "Đà Nẵng"} <= provinces
    years = {r["group"] for r in rows if r["dimension"] == "year"}
    assert {"2018", "2020", "2021"} <= years
    assert any(r["group"] == "Gia Lai|2021" for r in rows if r["dimension"] == "province_year")
    for row in rows:
        assert float(row["ci_low"]) <= float(row["prevalence"]) + 1e-9
        assert float(row["prevalence"]) <= float(row["ci_high"]) + 1e-9
    hanoi = [r for r in rows if r["model"] == "lda" and r["dimension"] == "province"
             and r["group"] == "Hà Nội"]
    assert abs(sum(float(r["prevalence"]) for r in hanoi) - 1) < 1e-3
    assert {int(r["n_docs"]) for r in hanoi} == {20}


def test_same_seed_gives_identical_topics(two_runs):
    first, second = two_runs
    assert first != second
    for table in ("topics.csv", "doc_topics.csv", "topic_prevalence.csv"):
        assert (first / "tables" / table).read_bytes() == (second / "tables" / table).read_bytes()


def test_report_names_topics_and_provinces(two_runs):
    html = (two_runs[0] / "report.html").read_text(encoding="utf-8")
    markdown = (two_runs[0] / "report.md").read_text(encoding="utf-8")
    for text in (html, markdown):
        assert "Topic prevalence by province" in text and "Gia Lai" in text
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
