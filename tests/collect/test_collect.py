"""One collect of the three fixture sites: what lands where, every trap's outcome, politeness,
and how well the articles are extracted."""
from __future__ import annotations

import csv
import gzip
import json
import sqlite3
import statistics
import unicodedata
from collections import Counter

from tests.collect.fixture_sites import CRAWL_DELAY
from vntopics.pipeline.collect import LOG_COLUMNS, RECORD_FIELDS, canonical_url, record_id


def records_of(corpus) -> list[dict]:
    return [json.loads(line) for path in sorted(corpus.glob("*/*.jsonl.gz"))
            for line in gzip.open(path, "rt", encoding="utf-8")]


def log_rows(summary) -> list[dict]:
    with open(summary.log_path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == LOG_COLUMNS
        return list(reader)


def outcome_of(rows, path_end: str) -> tuple[str, str]:
    found = [(row["outcome"], row["reason"]) for row in rows if row["url"].endswith(path_end)]
    assert len(found) == 1, (path_end, found)
    return found[0]


def test_files_land_in_the_issue_layout(collected):
    summary, corpus, _ = collected
    assert sorted(p.relative_to(corpus).parts[0] for p in summary.files) == [
        "baoangiang", "baocantho", "baogialai"]
    for path in summary.files:
        assert path.name == f"{summary.stamp}.jsonl.gz" and path.stat().st_size > 0
    assert summary.log_path == corpus / ".collect" / "log" / f"{summary.stamp}.csv"
    assert (corpus / ".collect" / "state.sqlite").is_file()
    assert not list(corpus.rglob("*.part"))
    records = records_of(corpus)
    assert all(list(record) == list(RECORD_FIELDS) for record in records)
    assert len({record["id"] for record in records}) == len(records) == summary.counts("new")
    provinces = {record["source"]: record["province"] for record in records}
    assert provinces == {"baoangiang": "An Giang", "baocantho": "Cần Thơ", "baogialai": "Gia Lai"}
    for record in records:
        assert record["id"] == record_id(record["source"], record["url"])
        assert record["url"].startswith("http://127.0.0.") and "utm_" not in record["url"]
        assert record["id"].startswith(record["source"] + "-") and len(record["id"].split("-")[-1]) == 12
    extractors = Counter((r["source"], r["extractor"]) for r in records)
    assert set(extractors) == {("baoangiang", "trafilatura"), ("baocantho", "selectors"),
                               ("baogialai", "trafilatura")}


def test_the_log_accounts_for_every_url_met(collected, sites):
    summary, corpus, requests = collected
    rows = log_rows(summary)
    met = Counter(row["url"] for row in rows)
    assert max(met.values()) == 1
    fetched = {path.split("?")[0] for _, path, _, _ in requests if path != "/robots.txt"}
    logged = {row["url"].split("://", 1)[1].split("/", 1)[1].split("?")[0] for row in rows}
    assert {"/" + path.lstrip("/") for path in logged} >= fetched - {
        f"/{sites.feature.extra[2].slug}-moi.html"}   # reached by a redirect, logged under its link
    for report in summary.sources:
        assert sum(report.outcomes.values()) == sum(row["source"] == report.source for row in rows)
        assert report.reachable and not report.error
    assert all(row["outcome"] in {"new", "unchanged", "duplicate", "not_article", "skipped_robots",
                                  "skipped_offsite", "too_large", "failed"} for row in rows)
    new_rows = [row for row in rows if row["outcome"] == "new"]
    assert all(row["http_status"] == "200" and int(row["bytes"]) > 0 for row in new_rows)


def test_every_trap_has_its_outcome(collected, sites):
    summary, corpus, _ = collected
    rows = log_rows(summary)
    assert outcome_of(rows, "/private/bai-noi-bo-chi-danh-cho-can-bo-1.html")[0] == "skipped_robots"
    assert outcome_of(rows, "/bai-da-bi-xoa-khoi-he-thong-404.html") == ("failed", "HTTP 404")
    assert outcome_of(rows, "/bai-loi-may-chu-tam-thoi-500.html")[0] == "new"   # retried
    assert sites.feature.hits["/bai-loi-may-chu-tam-thoi-500.html"] == 2
    assert outcome_of(rows, "/bai-tai-rat-cham-qua-thoi-gian-cho.html") == (
        "failed", "timeout after 1 s")
    offsite = outcome_of(rows, "/chuyen-sang-trang-khac-ngoai-site.html")
    assert offsite[0] == "skipped_offsite" and sites.sitemap.host in offsite[1]
    assert "/somewhere.html" not in sites.sitemap.hits
    assert outcome_of(rows, "/bai-cu-duong-dan-cu-doi-ten-2020.html")[0] == "new"   # same host
    assert outcome_of(rows, "-toan-van.html") == ("not_article", "content type application/pdf")
    assert outcome_of(rows, "/bai-rat-lon-hai-muoi-megabyte-bao-loi.html")[0] == "too_large"
    category = outcome_of(rows, "/tin-tuc-thoi-su-trong-tinh-moi-nhat.html")
    assert category == ("not_article", "a listing of links, not an article")
    tracking = outcome_of(rows, "?utm_source=facebook&fbclid=IwAR0x")
    assert tracking[0] == "duplicate" and sites.feature.articles[0].slug in tracking[1]
    assert outcome_of(rows, "/amp/" + sites.feature.articles[1].slug + ".html")[0] == "duplicate"
    printed = outcome_of(rows, "/ban-in/" + sites.feature.articles[2].slug + ".html")
    assert printed[0] == "duplicate" and printed[1].startswith("same text as ")
    titles = {record["title"] for record in records_of(corpus)}
    for special in sites.feature.extra[:1] + sites.feature.extra[2:]:   # the slow one failed
        assert unicodedata.normalize("NFC", special.title) in titles


def test_politeness_one_request_in_flight_per_host_and_the_crawl_delay(collected, sites):
    summary, _, requests = collected
    assert set(sites.recorder.most_in_flight.values()) == {1}
    feature = sorted((start, end) for host, _, start, end in requests if host == sites.feature.host)
    gaps = [start - previous_end for (_, previous_end), (start, _) in zip(feature, feature[1:])]
    assert min(gaps) >= CRAWL_DELAY * 0.9   # robots.txt's Crawl-delay, longer than delay_seconds
    hosts = {host for host, *_ in requests}
    assert hosts == {sites.feature.host, sites.listing.host, sites.sitemap.host}
    first_ends = {host: min(end for h, _, _, end in requests if h == host) for host in hosts}
    last_starts = {host: max(start for h, _, start, _ in requests if h == host) for host in hosts}
    assert max(first_ends.values()) < min(last_starts.values())   # the hosts ran at the same time


def test_the_state_remembers_every_url(collected):
    summary, corpus, _ = collected
    with sqlite3.connect(corpus / ".collect" / "state.sqlite") as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(urls)")]
        states = dict(connection.execute("SELECT url, status FROM urls"))
        validators = connection.execute(
            "SELECT COUNT(*) FROM urls WHERE status = 'page' AND (etag IS NOT NULL OR "
            "last_modified IS NOT NULL)").fetchone()[0]
    assert columns == ["url", "source", "status", "etag", "last_modified", "content_hash",
                       "first_seen", "last_fetched", "fetch_url"]
    for record in records_of(corpus):
        assert states[canonical_url(record["url"])] == "collected"
    assert validators >= 5   # the feeds, sitemaps and listing pages, for conditional GETs


def token_f1(found: str, truth: str) -> float:
    def tokens(text):
        return Counter(unicodedata.normalize("NFC", text).lower().split())
    a, b = tokens(found), tokens(truth)
    common = sum((a & b).values())
    return 0.0 if not common else 2 * common / (sum(a.values()) + sum(b.values()))


def test_extraction_matches_the_true_articles(collected, sites):
    """Body token F1 against the text each page was made from (median >= 0.97), titles and
    dates exact on >= 95 %."""
    _, corpus, _ = collected
    truth = sites.truth()
    scores, titles, dates = [], [], []
    for record in records_of(corpus):
        slug = record["url"].rsplit("/", 1)[-1].removesuffix(".html")
        article = truth[slug]
        scores.append(token_f1(record["text"], article.text))
        titles.append(record["title"] == unicodedata.normalize("NFC", article.title))
        dates.append(record["date"] == article.date)
    print(f"\nextraction on {len(scores)} fixture pages: body token F1 median "
          f"{statistics.median(scores):.4f} (min {min(scores):.4f}), titles exact "
          f"{sum(titles) / len(titles):.1%}, dates exact {sum(dates) / len(dates):.1%}")
    assert len(scores) >= 75
    assert statistics.median(scores) >= 0.97
    assert sum(titles) / len(titles) >= 0.95 and sum(dates) / len(dates) >= 0.95
