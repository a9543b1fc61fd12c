"""`vntopics run` end to end on real shipped articles, through a real Prefect server."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
from collections import defaultdict
from pathlib import Path

import pytest

from tests import browser
from tests.conftest import (FIXTURES, PROJECT, VNTOPICS, latest_artifacts, read_csv,
                            run_cli)

CONTRACT_FILES = ["manifest.json", "report.md", "report.html", "tables/documents.csv",
                  "tables/topics.csv", "tables/doc_topics.csv", "tables/topic_prevalence.csv",
                  "tables/keyword_trends.csv"]
K = 5
TOP_WORDS = 12


def fixture_run_args(artifacts: Path, k: int = K) -> list[str]:
    return ["run", "--input", str(FIXTURES / "seeds"), "--input",
            str(FIXTURES / "unc-small.jsonl.gz"), "--artifacts-dir", str(artifacts),
            "--set", f"model.num_topics={k}", "--set", f"model.top_words={TOP_WORDS}",
            "--set", "compare.bootstrap=50", "--set", "model.continue_from=none",
            "--set", f"cache.dir={artifacts.parent / (artifacts.name + '-cache')}"]


def run_fixture(cli_env, artifacts: Path, k: int = K) -> Path:
    result = run_cli(fixture_run_args(artifacts, k), env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    version = Path(result.stdout.strip().splitlines()[-1])
    assert version.is_absolute() and version.parent == artifacts.resolve()
    assert result.stderr.strip().splitlines()[-1] == f"report: {version}/report.html"
    return version


@pytest.fixture(scope="module")
def artifacts_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("artifacts")


@pytest.fixture(scope="module")
def two_runs(cli_env, artifacts_dir):
    return run_fixture(cli_env, artifacts_dir), run_fixture(cli_env, artifacts_dir)


@pytest.fixture(scope="module")
def third_run_other_k(cli_env, artifacts_dir, two_runs):
    return run_fixture(cli_env, artifacts_dir, k=K - 1)


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
    assert "threads)" in manifest["packages"]["blas"]
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
    for table in ("topics.csv", "doc_topics.csv", "topic_prevalence.csv",
                  "topic_stability.csv", "distinctive_keywords.csv", "keyword_trends.csv",
                  "keyword_trend_summary.csv", "citations.csv", "watchlist.csv"):
        assert (first / "tables" / table).read_bytes() == (second / "tables" / table).read_bytes()


def test_report_names_topics_and_provinces(two_runs):
    html = (two_runs[0] / "report.html").read_text(encoding="utf-8")
    markdown = (two_runs[0] / "report.md").read_text(encoding="utf-8")
    for text in (html, markdown):
        assert "Topic prevalence by province" in text and "Gia Lai" in text
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_latest_points_at_the_newest_version_and_diff_is_written(two_runs):
    first, second = two_runs
    artifacts = second.parent
    assert (artifacts / "LATEST").read_text().strip() == second.name
    assert (artifacts / "latest").resolve() == second.resolve()
    diff = read_csv(second / "tables" / f"diff_{first.name}.csv")
    assert {r["status"] for r in diff} == {"kept"} and len(diff) == 2 * K
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["compared_to"] == first.name
    assert "What changed since the previous version" in (second / "report.md").read_text()


def test_runs_and_diff_commands_on_runs_with_different_k(cli_env, two_runs, third_run_other_k):
    artifacts = third_run_other_k.parent
    listing = run_cli(["runs", "--artifacts-dir", str(artifacts)], env=cli_env)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.strip().splitlines()
    assert lines[1].split()[0] == third_run_other_k.name      # newest first
    assert f"lda={K - 1}" in lines[1] and f"lda={K}" in lines[2]
    assert len(lines) == 4
    diff = run_cli(["diff", two_runs[0].name, third_run_other_k.name, "--artifacts-dir",
                    str(artifacts)], env=cli_env)
    assert diff.returncode == 0, diff.stderr
    rows = diff.stdout.strip().splitlines()[2:]
    statuses = [re.search(r"\b(kept|changed|new|vanished)\b", row).group(1) for row in rows]
    assert len(statuses) >= 2 * K and "vanished" in statuses  # K-1 topics cannot cover K
    assert statuses.count("kept") + statuses.count("changed") <= 2 * (K - 1)


def visible_entries(artifacts: Path) -> list[str]:
    return sorted(p.name for p in artifacts.iterdir() if not p.name.startswith("."))


def test_killed_run_leaves_no_version_and_the_next_run_succeeds(cli_env, artifacts_dir,
                                                                 third_run_other_k):
    before = visible_entries(artifacts_dir)
    latest = (artifacts_dir / "LATEST").read_text()
    process = subprocess.Popen([*VNTOPICS, *fixture_run_args(artifacts_dir, K + 1)], cwd=PROJECT,
                               env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    watchdog = threading.Timer(600, lambda: os.killpg(process.pid, signal.SIGKILL))
    watchdog.start()
    seen = []
    for line in process.stdout:
        seen.append(line)
        if "vocabulary of" in line:       # modelling starts next
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    watchdog.cancel()
    assert any("vocabulary of" in line for line in seen), "".join(seen[-20:])
    assert visible_entries(artifacts_dir) == before
    assert (artifacts_dir / "LATEST").read_text() == latest
    assert (artifacts_dir / "latest").resolve() == third_run_other_k.resolve()
    after = run_fixture(cli_env, artifacts_dir, K + 1)
    assert (artifacts_dir / "LATEST").read_text().strip() == after.name


def test_flow_run_publishes_summary_tables_and_link_in_prefect(prefect_server, two_runs):
    keys = ["vntopics-summary-local", "vntopics-prevalence-province-local",
            "vntopics-prevalence-year-local", "vntopics-report-local"]
    artifacts = latest_artifacts(prefect_server["url"], keys)
    assert set(artifacts) == set(keys)
    assert artifacts["vntopics-summary-local"].type == "markdown"
    assert "Top topics (LDA)" in artifacts["vntopics-summary-local"].data
    assert artifacts["vntopics-prevalence-province-local"].type == "table"
    assert "Gia Lai" in str(artifacts["vntopics-prevalence-province-local"].data)
    link = artifacts["vntopics-report-local"]   # Prefect stores link artifacts as Markdown
    assert re.fullmatch(r"\[report \d{8}T\d{6}Z-[0-9a-f]{8}\]\(file:///.*/report\.html\)",
                        link.data), link.data


EXPECTED_SECTIONS = ["Explorer", "Contents", "Corpus summary", "Documents per year", "Rejected documents",
                     "Choice of K", "Topics (LDA)", "Topics (NMF)",
                     "Topic prevalence by province (LDA)", "Where provinces differ (LDA)",
                     "Topic prevalence by year (LDA)", "Province × year (LDA)",
                     "Distinctive words by province", "Distinctive words by year",
                     "Emerging and declining words", "Most cited resolutions and directives",
                     "Topic stability across seeds",
                     "What changed since the previous version", "Run details"]


@pytest.mark.skipif(browser.CHROMIUM is None, reason="Debian chromium is not installed")
def test_report_opens_offline_in_headless_chromium(two_runs, tmp_path):
    screenshot = tmp_path / "report.png"
    page = two_runs[1] / "report.html"
    visit = browser.visit(page, tmp_path / "profile", screenshot, {
        "headings": "Array.from(document.querySelectorAll('h2')).map(h => h.textContent)",
        "charts": "document.querySelectorAll('svg.chart').length",
        "marks": "document.querySelectorAll('#explorer svg [data-topic-id]').length",
        "text": "document.body.innerText"})
    assert visit.console_errors == []
    assert set(visit.requests) == {page.resolve().as_uri()}      # the page itself, nothing else
    assert visit.evaluations["marks"] == K                       # the explorer's map (LDA)
    headings = visit.evaluations["headings"]
    for section in EXPECTED_SECTIONS:
        assert section in headings, section
    assert visit.evaluations["charts"] >= 6  # heatmaps, year lines, province×year panels
    assert "Gia Lai" in visit.evaluations["text"] and "Hà Nội" in visit.evaluations["text"]
    assert screenshot.stat().st_size > 20_000 and screenshot.read_bytes()[:4] == b"\x89PNG"


def test_rerun_with_changed_k_segments_nothing(two_runs, third_run_other_k):
    def segmentation(version: Path) -> dict:
        return json.loads((version / "manifest.json").read_text(encoding="utf-8"))["segmentation"]

    first = segmentation(two_runs[0])
    assert first["documents"] == 125 and first["segmented"] == 125 and first["cache_hits"] == 0
    changed_k = segmentation(third_run_other_k)
    assert changed_k["cache_hits"] == changed_k["documents"] == 125
    assert changed_k["segmented"] == 0
    # the filtered tokens and the corpus of the same documents and settings are read back
    manifests = [json.loads((v / "manifest.json").read_text(encoding="utf-8"))
                 for v in (two_runs[0], two_runs[1], third_run_other_k)]
    assert [m["segmentation"]["tokens_reused"] for m in manifests] == [False, True, True]
    assert [m["vocabulary"]["corpus_reused"] for m in manifests] == [False, True, True]
    # the second run's stability refits (same corpus, K and seeds) are read back
    assert [m["fits"]["stability_refits_reused"] for m in manifests] == [0, 4, 0]
    # the topic-free comparisons of the same corpus and compare settings too, whatever K
    assert [m["compare"]["topic_free_tables_reused"] for m in manifests] == [False, True, True]


def test_rerun_reuses_cleaned_documents_and_gets_the_same_table(two_runs, third_run_other_k):
    def ingest(version: Path) -> dict:
        return json.loads((version / "manifest.json").read_text(encoding="utf-8"))["ingest"]

    assert ingest(two_runs[0]) == {"cleaned_documents_reused": False}
    assert ingest(third_run_other_k) == {"cleaned_documents_reused": True}
    fresh, reused = (read_csv(v / "tables" / "documents.csv")
                     for v in (two_runs[0], third_run_other_k))
    assert len(fresh) >= 125
    assert fresh == reused
