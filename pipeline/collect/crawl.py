"""One source's collect: its start pages (feeds, sitemaps, listings) give article links, the
links not collected before are fetched and extracted, and every URL met gets a log row."""
from __future__ import annotations

import asyncio
import hashlib
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from vntopics.pipeline.collect.charset import decode_page
from vntopics.pipeline.collect.discover import page_links
from vntopics.pipeline.collect.extract import extract_article
from vntopics.pipeline.collect.fetch import Budget, Fetched, Fetcher
from vntopics.pipeline.collect.output import OUTCOMES, CorpusFile, RunLog
from vntopics.pipeline.collect.sources import Source
from vntopics.pipeline.collect.state import CollectState, utc_now
from vntopics.pipeline.collect.urls import (absolute_url, canonical_url, clean_url, host_of,
                                            path_of, record_id)


@dataclass
class SourceReport:
    """How one source's collect went: outcomes counted, the file written, reachability."""
    source: str
    outcomes: Counter = field(default_factory=Counter)
    file: Path | None = None
    reachable: bool = False
    error: str = ""

    def line(self) -> str:
        """'baocantho: 27 new, 0 unchanged, 0 failed; 31 URLs met (27 new, 4 not_article)'."""
        met = ", ".join(f"{self.outcomes[o]} {o}" for o in OUTCOMES if self.outcomes[o])
        status = " — UNREACHABLE (no start page could be read)" if not self.reachable else ""
        problem = f" — error: {self.error}" if self.error else ""
        return (f"{self.source}: {self.outcomes['new']} new, {self.outcomes['unchanged']} "
                f"unchanged, {self.outcomes['failed']} failed; {sum(self.outcomes.values())} "
                f"URLs met ({met or 'none'}){status}{problem}")


@dataclass
class SourceCrawl:
    source: Source
    fetcher: Fetcher
    state: CollectState
    log: RunLog
    corpus: CorpusFile
    budget: Budget
    progress: Callable[[str, int, int], None] | None = None
    report: SourceReport = None
    rows: list[dict] = field(default_factory=list)       # state rows, committed at the end
    met: set[str] = field(default_factory=set)           # raw URLs logged this run
    canonicals: dict[str, str] = field(default_factory=dict)   # canonical -> raw URL met
    texts: dict[str, str] = field(default_factory=dict)        # content hash -> url

    def __post_init__(self):
        self.report = SourceReport(self.source.name)
        self.hosts = self.source.hosts()

    def note(self, url: str, outcome: str, reason: str = "", fetched: Fetched | None = None):
        details = ((fetched.status, len(fetched.body), fetched.seconds) if fetched
                   else (None, 0, 0.0))
        self.log.write(url, self.source.name, outcome, reason, details)
        self.report.outcomes[outcome] += 1

    def remember(self, url: str, status: str, **values) -> None:
        self.rows.append({"url": url, "source": self.source.name, "status": status, **values})

    async def run(self) -> SourceReport:
        candidates = await self.discover()
        done = 0

        async def one(raw: str, canonical: str) -> None:
            nonlocal done
            await self.article(raw, canonical)
            done += 1
            if self.progress:
                self.progress(f"collect-{self.source.name}", done, len(candidates))

        await asyncio.gather(*(one(raw, canonical) for raw, canonical in candidates))
        return self.report

    async def discover(self) -> list[tuple[str, str]]:
        """Article candidates (raw URL, canonical URL) from the start pages and the pages they
        lead to. Paging through a listing stops at the first page whose article links are
        all known: the pages queued after it from the same start page are dropped."""
        queue = deque((url, url, False) for url in self.source.start)   # url, origin, listing
        pages: set[str] = set()
        stopped: set[str] = set()
        candidates: list[tuple[str, str]] = []
        while queue:
            url, origin, from_listing = queue.popleft()
            if canonical_url(url) in pages or (from_listing and origin in stopped):
                continue
            pages.add(canonical_url(url))
            links = await self.page(url, is_start=not from_listing and url == origin)
            if links is None:
                continue
            fresh = [c for c in (self.consider(link) for link in links.articles) if c]
            candidates += fresh
            if links.kind == "html" and links.articles and not fresh:
                stopped.add(origin)
                continue
            queue.extend((link, origin, links.kind == "html") for link in links.follow
                         if canonical_url(link) not in pages)
        return candidates + self.missing()

    def missing(self) -> list[tuple[str, str]]:
        """Articles that failed in an earlier collect (a timeout, a 5xx, the page budget)
        and were not met again: tried again, since a feed that did not change answers 304."""
        retry = []
        for raw, canonical in self.state.failed_urls(self.source.name):
            if canonical not in self.canonicals and raw not in self.met:
                self.met.add(raw)
                self.canonicals[canonical] = raw
                retry.append((raw, canonical))
        return retry

    async def page(self, url: str, is_start: bool):
        canonical = canonical_url(url)
        # A sitemap index may stay the same while its sitemaps change: always read whole.
        conditional = (self.state.validators(canonical)
                       if self.state.status(canonical) == "page" else (None, None))
        fetched = await self.fetcher.get(url, self.hosts, self.budget, conditional)
        if fetched.outcome == "unchanged":
            self.report.reachable |= is_start
            self.note(url, "unchanged", "feed or listing not modified", fetched)
            return None
        if not fetched.ok:
            self.note(url, fetched.outcome, fetched.reason, fetched)
            return None
        try:
            links = page_links(fetched.url, fetched.body, fetched.content_type, self.source,
                               self.fetcher.settings.max_page_bytes)
        except ValueError as exc:
            self.note(url, "failed", str(exc), fetched)
            return None
        except Exception as exc:   # a page lxml cannot parse at all
            self.note(url, "failed", f"unparseable page ({type(exc).__name__})", fetched)
            return None
        self.report.reachable |= is_start
        self.note(url, "not_article", f"{links.kind}: {len(links.articles)} article links, "
                                      f"{len(links.follow)} pages to follow", fetched)
        self.remember(canonical, "sitemapindex" if links.kind == "sitemapindex" else "page",
                      etag=fetched.etag, last_modified=fetched.last_modified)
        return links

    def consider(self, raw: str) -> tuple[str, str] | None:
        """A link met: (raw, canonical) when it should be fetched; else logged here."""
        if raw in self.met:
            return None
        self.met.add(raw)
        if host_of(raw) not in self.hosts:
            self.note(raw, "skipped_offsite", "link to another site")
            return None
        if self.source.is_article(path_of(raw)) is False:
            self.note(raw, "not_article", "URL does not match article_pattern")
            return None
        canonical = canonical_url(raw)
        if canonical in self.canonicals:
            self.note(raw, "duplicate", f"same article as {self.canonicals[canonical]}")
            return None
        self.canonicals[canonical] = raw
        status = self.state.status(canonical)
        if self.state.is_done(canonical):
            self.note(raw, "unchanged", f"{status} in an earlier collect (not fetched)")
            return None
        return raw, canonical

    async def article(self, raw: str, canonical: str) -> None:
        fetched = await self.fetcher.get(raw, self.hosts, self.budget)
        if not fetched.ok:
            self.note(raw, fetched.outcome, fetched.reason, fetched)
            self.remember(canonical, "gone" if fetched.status in (404, 410) else fetched.outcome,
                          fetch_url=raw)
            return
        text, _ = decode_page(fetched.body, fetched.content_type)
        found, why = await asyncio.to_thread(extract_article, text, fetched.url, self.source)
        if found is None:
            self.note(raw, "not_article", why, fetched)
            self.remember(canonical, "not_article")
            return
        # The page's rel=canonical names the article; else where a redirect led.
        declared = absolute_url(fetched.url, found.canonical or "") or fetched.url
        shown = clean_url(declared if host_of(declared) in self.hosts else fetched.url)
        if declared and host_of(declared) in self.hosts and canonical_url(declared) != canonical:
            first = canonical_url(declared)
            if first in self.canonicals or self.state.is_done(first):
                self.note(raw, "duplicate", f"rel=canonical {first} (met already)", fetched)
                self.remember(canonical, "duplicate")
                return
            self.canonicals[first] = raw
            self.remember(canonical, "duplicate")
            canonical = first
        digest = hashlib.sha256(found.text.encode("utf-8")).hexdigest()
        same = self.texts.get(digest) or self.state.url_with_text(digest)
        if same:
            self.note(raw, "duplicate", f"same text as {same}", fetched)
            self.remember(canonical, "duplicate")
            return
        self.texts[digest] = canonical
        self.corpus.add({
            "id": record_id(self.source.name, canonical), "url": shown,
            "title": found.title, "date": found.date, "province": self.source.province,
            "source": self.source.name, "text": found.text, "fetched_at": utc_now(),
            "extractor": found.extractor})
        self.note(raw, "new", f"{len(found.text)} characters by {found.extractor}", fetched)
        self.remember(canonical, "collected", content_hash=digest)
