"""Polite HTTP: one gate per host (at most `max_connections_per_host` requests in flight, a
pause between them, robots.txt and its Crawl-delay), retries that honour Retry-After, pages
read as a stream and abandoned past `max_page_bytes`, redirects only within the source's own
hosts. Different hosts never wait for each other: each has its own gate.
"""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import AsyncIterator

import httpx
from protego import Protego

from vntopics.pipeline.collect.urls import absolute_url, host_of

PARSED_TYPES = ("text/html", "application/xhtml+xml", "text/xml", "application/xml",
                "application/rss+xml", "application/atom+xml")
GZIP_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")
RETRIED = {429, 500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5


def origin_of(url: str) -> str:
    """scheme://host:port, the unit of robots.txt."""
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii', 'replace')}"


def user_agent(contact_url: str) -> str:
    try:
        version = metadata.version("vntopics")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"vntopics/{version} (+{contact_url})"


@dataclass
class Fetched:
    """What one URL gave: the final URL, status, body and, when it gave no usable page, the
    log's outcome and reason."""
    url: str
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    seconds: float = 0.0
    outcome: str = ""
    reason: str = ""
    location: str | None = None   # a redirect's target, followed by Fetcher.follow

    @property
    def ok(self) -> bool:
        return not self.outcome


@dataclass
class Budget:
    """Requests one source may still make this run (`collect.max_pages_per_source`)."""
    left: int

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


class HostGate:
    """At most `connections` requests in flight to one host, `delay` seconds between the end
    of one and the start of the next."""

    def __init__(self, connections: int, delay: float):
        self.slots = asyncio.Semaphore(connections)
        self.delay = delay
        self.next_start = 0.0
        self.spacing = asyncio.Lock()

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        async with self.slots:
            async with self.spacing:
                wait = self.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.next_start = loop.time() + self.delay
            try:
                yield
            finally:
                self.next_start = max(self.next_start, loop.time() + self.delay)


def retry_wait(response: httpx.Response | None, attempt: int, cap: float) -> float:
    """Retry-After (seconds or an HTTP date) when the server gives one, else 1, 2, 4 ... s;
    never more than `cap`."""
    header = response.headers.get("retry-after") if response is not None else None
    wait = float(2 ** attempt)
    if header:
        try:
            wait = float(header)
        except ValueError:
            try:
                wait = parsedate_to_datetime(header).timestamp() - time.time()
            except (TypeError, ValueError):
                pass
    return max(0.0, min(wait, cap))


@dataclass
class Fetcher:
    """Fetches for every source of a collect run; gates and robots.txt are shared by host."""
    settings: object   # CollectConfig
    client: httpx.AsyncClient
    gates: dict[str, HostGate] = field(default_factory=dict)
    robots: dict[str, Protego | None] = field(default_factory=dict)
    robots_locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    robots_problems: dict[str, str] = field(default_factory=dict)   # unreachable robots.txt

    def gate(self, url: str) -> HostGate:
        netloc = httpx.URL(url).netloc.decode("ascii", "replace")
        if netloc not in self.gates:
            self.gates[netloc] = HostGate(self.settings.max_connections_per_host,
                                          self.settings.delay_seconds)
        return self.gates[netloc]

    async def rules(self, url: str) -> Protego | None:
        """The host's robots.txt (None: everything allowed). Missing (4xx): allowed;
        unreachable (5xx, network): nothing allowed this run, as RFC 9309 asks."""
        key = origin_of(url)
        lock = self.robots_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self.robots:
                result = await self.request(f"{key}/robots.txt", plain_text=True)
                if result.ok and result.status == 200:
                    rules = Protego.parse(result.body.decode("utf-8", "replace"))
                elif result.status is not None and 300 <= result.status < 500:
                    rules = None
                else:
                    rules = Protego.parse("User-agent: *\nDisallow: /")
                    self.robots_problems[key] = ("robots.txt unreachable, so nothing is fetched "
                                                 f"from {key} ({result.reason})")
                self.robots[key] = rules
                delay = rules.crawl_delay(self.agent) if rules is not None else None
                if delay:
                    gate = self.gate(url)
                    gate.delay = max(gate.delay, float(delay))
                    gate.next_start = asyncio.get_running_loop().time() + gate.delay
        return self.robots[key]

    @property
    def agent(self) -> str:
        return self.client.headers.get("user-agent", "vntopics")

    async def refusal(self, url: str) -> str:
        """Why robots.txt forbids `url` ("" when it may be fetched)."""
        rules = await self.rules(url)
        if rules is None or rules.can_fetch(url, self.agent):
            return ""
        return self.robots_problems.get(origin_of(url), "disallowed by robots.txt")

    async def get(self, url: str, hosts: frozenset[str], budget: Budget,
                  conditional: tuple[str | None, str | None] = (None, None)) -> Fetched:
        """`url` fetched politely, following redirects within `hosts`; `conditional` =
        (ETag, Last-Modified) of the last fetch: an unchanged page answers 304."""
        started = time.monotonic()
        result = await self.follow(url, hosts, budget, conditional)
        result.seconds = round(time.monotonic() - started, 3)
        return result

    async def follow(self, url: str, hosts: frozenset[str], budget: Budget,
                     conditional: tuple[str | None, str | None]) -> Fetched:
        if not budget.take():
            return Fetched(url, outcome="failed", reason="collect.max_pages_per_source reached "
                                                         "(fetched next run)")
        for _ in range(MAX_REDIRECTS + 1):
            if host_of(url) not in hosts:
                return Fetched(url, outcome="skipped_offsite", reason=f"redirected to {url}")
            refusal = await self.refusal(url)
            if refusal:
                return Fetched(url, outcome="skipped_robots", reason=refusal)
            result = await self.request(url, conditional)
            if not result.location:
                return result
            url = result.location
        return Fetched(url, outcome="failed", reason=f"more than {MAX_REDIRECTS} redirects")

    async def request(self, url: str, conditional: tuple[str | None, str | None] = (None, None),
                      plain_text: bool = False) -> Fetched:
        """One URL with retries on 429/5xx/timeouts; redirects are returned (`location`).
        `plain_text`: any content type is read (robots.txt)."""
        headers = {}
        if conditional[0]:
            headers["If-None-Match"] = conditional[0]
        if conditional[1]:
            headers["If-Modified-Since"] = conditional[1]
        attempt = 0
        while True:
            response, result = None, None
            try:
                async with self.gate(url).turn():
                    response, result = await self.read(url, headers, plain_text)
            except httpx.TimeoutException:
                result = Fetched(url, outcome="failed",
                                 reason=f"timeout after {self.settings.timeout_seconds:g} s")
            except httpx.HTTPError as exc:
                result = Fetched(url, outcome="failed",
                                 reason=f"network error: {type(exc).__name__}")
            retry = result.status in RETRIED or (result.status is None
                                                 and result.outcome == "failed")
            if not retry or attempt >= self.settings.retries:
                return result
            await asyncio.sleep(retry_wait(response, attempt, self.settings.max_retry_wait_seconds))
            attempt += 1

    async def read(self, url: str, headers: dict, plain_text: bool = False
                   ) -> tuple[httpx.Response, Fetched]:
        async with self.client.stream("GET", url, headers=headers) as response:
            result = Fetched(url, status=response.status_code,
                             content_type=response.headers.get("content-type", ""),
                             etag=response.headers.get("etag"),
                             last_modified=response.headers.get("last-modified"))
            status = response.status_code
            if status in REDIRECTS:
                result.location = absolute_url(url, response.headers.get("location", ""))
                if not result.location:
                    result.outcome, result.reason = "failed", f"HTTP {status} without a location"
                return response, result
            if status == 304:
                result.outcome, result.reason = "unchanged", "not modified since the last collect"
            elif status != 200:
                result.outcome, result.reason = "failed", f"HTTP {status}"
            elif not plain_text and not self.parseable(url, result.content_type):
                result.outcome = "not_article"
                result.reason = f"content type {result.content_type.split(';')[0] or 'missing'}"
            else:
                await self.read_body(response, result)
            return response, result

    def parseable(self, url: str, content_type: str) -> bool:
        kind = content_type.split(";")[0].strip().lower()
        if kind in PARSED_TYPES or kind.endswith("+xml"):
            return True
        return httpx.URL(url).path.endswith(".gz") and kind in GZIP_TYPES

    async def read_body(self, response: httpx.Response, result: Fetched) -> None:
        limit = self.settings.max_page_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            result.outcome, result.reason = "too_large", f"{int(declared)} bytes > {limit}"
            return
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                result.outcome, result.reason = "too_large", f"over {limit} bytes (stopped reading)"
                return
            chunks.append(chunk)
        result.body = b"".join(chunks)


def new_client(settings) -> httpx.AsyncClient:
    """One client for a run: no automatic redirects (each hop is checked), the run's
    User-Agent and timeout; connection pooling per host capped by the gates."""
    return httpx.AsyncClient(
        follow_redirects=False, timeout=httpx.Timeout(settings.timeout_seconds),
        headers={"User-Agent": user_agent(settings.contact_url)},
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=32),
        trust_env=False)
