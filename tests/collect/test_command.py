"""`vntopics collect` as users run it, and `vntopics run --input corpus/` on what it wrote."""
from __future__ import annotations

import csv
import gzip
import json
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import yaml

from tests.collect.conftest import fast_settings
from tests.conftest import PROJECT, VNTOPICS, run_cli

FAST = [f"collect.{key}={value}" for key, value in fast_settings().model_dump().items()
        if key in ("delay_seconds", "timeout_seconds", "retries", "max_retry_wait_seconds")]


def collect_args(sources: Path, corpus: Path) -> list[str]:
    args = ["collect", "--sources", str(sources), "--corpus-dir", str(corpus)]
    for item in FAST:
        args += ["--set", item]
    return args


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_collect_prints_a_line_per_source_and_the_file_written(sites, tmp_path):
    data = yaml.safe_load(sites.sources_yaml())
    data["sources"] = [data["sources"][1]]       # the listing site only: quick
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_cli(collect_args(sources, tmp_path / "corpus"))
    assert result.returncode == 0, result.stderr
    written = Path(result.stdout.strip().splitlines()[-1])
    assert written.parent == tmp_path / "corpus" / "baocantho" and written.name.endswith(".jsonl.gz")
    records = [json.loads(line) for line in gzip.open(written, "rt", encoding="utf-8")]
    assert len(records) == len(sites.listing.articles)
    summary = [line for line in result.stderr.splitlines() if line.startswith("baocantho: ")]
    count = len(records)
    assert summary == [f"baocantho: {count} new, 0 unchanged, 0 failed; {count + 4} URLs met "
                       f"({count} new, 4 not_article)"]

    again = run_cli(collect_args(sources, tmp_path / "corpus"))
    assert again.returncode == 0
    assert again.stdout.strip().splitlines()[-1] == str(tmp_path / "corpus")   # nothing new
    assert "baocantho: 0 new" in again.stderr


def test_an_unusable_sources_file_fails_in_one_line_and_fetches_nothing(sites, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(sites.sources_yaml().replace("content_selector", "body_selector"),
                       encoding="utf-8")
    before = len(sites.recorder.requests)
    result = run_cli(collect_args(sources, tmp_path / "corpus"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (f"vntopics: error: {sources}: source 'baocantho': "
                                     "body_selector: unknown key")
    assert len(sites.recorder.requests) == before and not (tmp_path / "corpus").exists()
    missing = run_cli(["collect", "--corpus-dir", str(tmp_path / "corpus")])
    assert missing.returncode == 2 and "no sources file: give --sources FILE" in missing.stderr
    sources.write_text(sites.sources_yaml(), encoding="utf-8")
    (tmp_path / "a-file").write_text("not a folder")
    blocked = run_cli(["collect", "--sources", str(sources), "--corpus-dir",
                       str(tmp_path / "a-file" / "corpus")])
    assert blocked.returncode == 2 and blocked.stderr.startswith(
        f"vntopics: error: corpus folder {tmp_path / 'a-file' / 'corpus'} cannot be written")
    negative = run_cli(["collect", "--sources", str(sources), "--set", "collect.delay_seconds=-1"])
    assert negative.returncode == 2 and "collect.delay_seconds" in negative.stderr
    assert len(negative.stderr.strip().splitlines()) == 1
    assert len(sites.recorder.requests) == before


def test_an_unreachable_source_is_named_and_the_others_are_collected(sites, tmp_path):
    data = yaml.safe_load(sites.sources_yaml())
    data["sources"] = [data["sources"][1], {"name": "baodown", "province": "Lai Châu",
                                            "start": [f"http://127.0.0.1:{closed_port()}/rss"]}]
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_cli(collect_args(sources, tmp_path / "corpus"))
    assert result.returncode == 1
    assert "vntopics: 1 source(s) unreachable: baodown" in result.stderr
    assert Path(result.stdout.strip().splitlines()[-1]).parent.name == "baocantho"
    log = next((tmp_path / "corpus" / ".collect" / "log").glob("*.csv"))
    down = [row for row in csv.DictReader(open(log, encoding="utf-8")) if row["source"] == "baodown"]
    assert [row["outcome"] for row in down] == ["skipped_robots"]
    assert down[0]["reason"].startswith("robots.txt unreachable")


def test_run_on_the_collected_corpus_publishes_the_sources_provinces(collected, tmp_path, cli_env):
    _, corpus, _ = collected
    artifacts = tmp_path / "artifacts"
    result = run_cli(["run", "--input", str(corpus), "--artifacts-dir", str(artifacts),
                      "--set", "model.num_topics=4", "--set", "model.stability_seeds=1",
                      "--set", "compare.bootstrap=20", "--set", "cache.enabled=false",
                      "--set", "model.models=[nmf]", "-q"], env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    version = Path(result.stdout.strip().splitlines()[-1])
    assert version.parent == artifacts
    with open(version / "tables" / "documents.csv", encoding="utf-8") as handle:
        documents = list(csv.DictReader(handle))
    assert not any(".collect" in (row.get("origin") or "") + row["doc_id"] for row in documents)
    ok = [row for row in documents if row["status"] == "ok"]
    assert len(ok) >= 70
    assert {row["province"] for row in ok} == {"An Giang", "Cần Thơ", "Gia Lai"}
    assert all(row["province_source"] == "given" and row["date_source"] == "given" for row in ok)
    assert {row["source"] for row in ok} == {"baoangiang", "baocantho", "baogialai"}
    report = (version / "report.md").read_text(encoding="utf-8")
    section = report.split("## Collection\n", 1)[1].split("\n## ", 1)[0]
    assert "| source | articles this week | articles in total | failures this week |" in section
    for source in ("baoangiang", "baocantho", "baogialai"):
        count = sum(row["source"] == source for row in documents)
        failures = 2 if source == "baoangiang" else 0   # the timeout and the 404
        assert f"| {source} | {count} | {count} | {failures} |" in section


def test_a_collect_killed_with_sigkill_is_finished_by_the_next_one(sites, tmp_path):
    """SIGKILL in the middle of a collect: nothing half-written is visible, nothing is marked
    collected that is not on disk, and the next collect gets every article exactly once."""
    data = yaml.safe_load(sites.sources_yaml())
    data["sources"] = [data["sources"][2]]       # the sitemap site
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    corpus = tmp_path / "corpus"
    args = collect_args(sources, corpus) + ["--set", "collect.delay_seconds=0.1"]
    process = subprocess.Popen([*VNTOPICS, *args], cwd=PROJECT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        logs = list((corpus / ".collect" / "log").glob("*.csv"))
        if logs and logs[0].read_text(encoding="utf-8").count(",new,") >= 5:
            break
        time.sleep(0.05)
    process.kill()
    assert process.wait(timeout=30) == -9                     # killed, not finished
    assert not list(corpus.glob("baogialai/*.jsonl.gz"))      # only a hidden part file, if any
    with sqlite3.connect(corpus / ".collect" / "state.sqlite") as connection:
        assert connection.execute("SELECT COUNT(*) FROM urls WHERE status = 'collected'"
                                  ).fetchone()[0] == 0
    result = run_cli(collect_args(sources, corpus))
    assert result.returncode == 0, result.stderr
    assert not list(corpus.rglob("*.part"))
    ids = [json.loads(line)["id"] for path in corpus.glob("baogialai/*.jsonl.gz")
           for line in gzip.open(path, "rt", encoding="utf-8")]
    assert len(ids) == len(set(ids)) == len(sites.sitemap.articles)
