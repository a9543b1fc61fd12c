"""What earlier collects saw: `corpus/.collect/state.sqlite`, one row per canonical URL.

A source's rows are committed only after its corpus file of the run is durable on disk, so a
collect killed at any point leaves no URL marked as collected whose article is missing: the
next run fetches exactly what is missing.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,          -- canonical URL
    source TEXT NOT NULL,
    status TEXT NOT NULL,          -- collected, duplicate, not_article, too_large, gone (404,
                                   -- 410), failed, skipped_robots, skipped_offsite, page
                                   -- (feed, sitemap, listing), sitemapindex
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,             -- sha256 of the extracted body (collected articles)
    first_seen TEXT NOT NULL,
    last_fetched TEXT,
    fetch_url TEXT                 -- the URL as met, to try a failed article again
);
CREATE INDEX IF NOT EXISTS urls_content_hash ON urls (content_hash);
CREATE TABLE IF NOT EXISTS files (       -- corpus files whose URLs are committed above
    name TEXT PRIMARY KEY,               -- <source>/<stamp>.jsonl.gz
    source TEXT NOT NULL
);
"""
# URLs that are never fetched again as articles; failures and robots refusals are retried.
DONE = ("collected", "duplicate", "not_article", "too_large", "gone", "skipped_offsite")
UPSERT = """
INSERT INTO urls (url, source, status, etag, last_modified, content_hash, first_seen,
                  last_fetched, fetch_url)
VALUES (:url, :source, :status, :etag, :last_modified, :content_hash, :now, :now, :fetch_url)
ON CONFLICT (url) DO UPDATE SET
    status = CASE WHEN urls.status = 'collected' AND excluded.status != 'page'
                  THEN urls.status ELSE excluded.status END,
    etag = COALESCE(excluded.etag, urls.etag),
    last_modified = COALESCE(excluded.last_modified, urls.last_modified),
    content_hash = COALESCE(excluded.content_hash, urls.content_hash),
    last_fetched = excluded.last_fetched,
    fetch_url = COALESCE(excluded.fetch_url, urls.fetch_url)
"""


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class CollectState:
    """The state database of one corpus folder."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.connection.execute("PRAGMA synchronous = FULL")
        self.connection.executescript(SCHEMA)

    def close(self) -> None:
        self.connection.close()

    def status(self, url: str) -> str | None:
        row = self.connection.execute("SELECT status FROM urls WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def is_done(self, url: str) -> bool:
        return self.status(url) in DONE

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of a feed or listing's last fetch, for a conditional GET."""
        row = self.connection.execute("SELECT etag, last_modified FROM urls WHERE url = ?",
                                      (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def failed_urls(self, source: str) -> list[tuple[str, str]]:
        """(URL as met, canonical URL) of the source's articles that failed last time."""
        return self.connection.execute(
            "SELECT fetch_url, url FROM urls WHERE source = ? AND status = 'failed' AND "
            "fetch_url IS NOT NULL ORDER BY first_seen, url", (source,)).fetchall()

    def url_with_text(self, content_hash: str) -> str | None:
        row = self.connection.execute(
            "SELECT url FROM urls WHERE content_hash = ? AND status = 'collected' LIMIT 1",
            (content_hash,)).fetchone()
        return row[0] if row else None

    def commit(self, rows: list[dict], source: str, file: str | None) -> None:
        """Every row of a source's run, and the corpus file (`<source>/<name>`) holding its
        articles, in one transaction (all or nothing)."""
        now = utc_now()
        with self.connection:
            self.connection.execute("BEGIN IMMEDIATE")
            self.connection.executemany(UPSERT, [
                {"etag": None, "last_modified": None, "content_hash": None, "fetch_url": None,
                 **row, "now": now}
                for row in rows])
            if file:
                self.connection.execute("INSERT OR IGNORE INTO files VALUES (?, ?)", (file, source))

    def committed_files(self, source: str) -> set[str]:
        return {row[0] for row in self.connection.execute(
            "SELECT name FROM files WHERE source = ?", (source,))}

    def totals(self) -> dict[str, int]:
        """Collected articles per source, all runs."""
        return dict(self.connection.execute(
            "SELECT source, COUNT(*) FROM urls WHERE status = 'collected' GROUP BY source"))


def collection_counts(corpus_dir: Path, until: datetime, days: int = 7) -> list[dict]:
    """Per source of a collected corpus folder: articles first collected in the `days`
    before `until`, all articles collected, and URLs that failed in those days (network,
    5xx, 404; not robots.txt refusals) (the
    report's "Collection" section). Empty when the folder holds no collect state."""
    path = corpus_dir / ".collect" / "state.sqlite"
    if not path.is_file():
        return []
    since = (until - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = until.strftime("%Y-%m-%dT%H:%M:%SZ")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
    try:
        rows = connection.execute("""
            SELECT source,
                   SUM(status = 'collected' AND first_seen > :since AND first_seen <= :end),
                   SUM(status = 'collected' AND first_seen <= :end),
                   SUM(status IN ('failed', 'gone') AND last_fetched > :since
                       AND last_fetched <= :end)
            FROM urls GROUP BY source ORDER BY source""", {"since": since, "end": end}).fetchall()
    finally:
        connection.close()
    return [{"source": source, "articles_this_week": int(week or 0),
             "articles_total": int(total or 0), "failures": int(failed or 0)}
            for source, week, total, failed in rows]
