"""Three fixture news sites on loopback, one threaded HTTP server each (three hosts), built
from the shipped articles: an RSS site with every trap (robots.txt, 404, 500 then 200, a
timeout, an off-site redirect, tracking-parameter URLs, an AMP copy with rel=canonical, a
print copy, windows-1258, a mis-declared charset, 20 MB, a PDF, a category page), an Atom +
paginated-listing site read with CSS selectors, and a sitemap-index site (.xml.gz too).

Every request is recorded (host, path, start, end) and the servers count how many requests
were in flight to each host at once.
"""
from __future__ import annotations

import gzip
import hashlib
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.collect import fixture_articles as fa

CRAWL_DELAY = 0.1


@dataclass
class Recorder:
    requests: list[tuple[str, str, float, float]] = field(default_factory=list)
    in_flight: dict[str, int] = field(default_factory=dict)
    most_in_flight: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def begin(self, host: str) -> None:
        with self.lock:
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.most_in_flight[host] = max(self.most_in_flight.get(host, 0), self.in_flight[host])

    def end(self, host: str, path: str, started: float) -> None:
        with self.lock:
            self.in_flight[host] -= 1
            self.requests.append((host, path, started, time.monotonic()))

    def paths(self, since: int = 0) -> list[str]:
        with self.lock:
            return [path for _, path, _, _ in self.requests[since:]]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        site, started = self.server.site, time.monotonic()
        site.recorder.begin(site.host)
        site.current.connection = self.connection
        try:
            status, headers, body = site.respond(self.path, self.headers)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if body is not None and not callable(body) and "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if callable(body):
                body(self.wfile)
            elif body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            site.recorder.end(site.host, self.path, started)


def html_response(text: str | bytes, content_type: str = "text/html; charset=utf-8"):
    body = text.encode("utf-8") if isinstance(text, str) else text
    return 200, {"Content-Type": content_type}, body


class Site:
    """One host: its published articles and its routes."""
    template = staticmethod(fa.page_feature)

    def __init__(self, recorder: Recorder, articles: list[fa.TrueArticle], ip: str = "127.0.0.1"):
        self.recorder, self.articles, self.reserve = recorder, list(articles), []
        self.server = ThreadingHTTPServer((ip, 0), Handler)
        self.server.daemon_threads = True
        self.server.site = self
        self.host = f"{ip}:{self.server.server_address[1]}"
        self.base = f"http://{self.host}"
        self.hits: dict[str, int] = {}
        self.current = threading.local()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, count: int) -> list[fa.TrueArticle]:
        """Hold back the last `count` articles (publish(-n)) or publish n held back ones."""
        if count < 0:
            self.reserve, self.articles = self.articles[count:] + self.reserve, self.articles[:count]
            return []
        new, self.reserve = self.reserve[:count], self.reserve[count:]
        self.articles = new + self.articles
        return new

    def article_page(self, article: fa.TrueArticle) -> str:
        related = [a for a in self.articles if a != article][:5]
        return self.template(article, f"{self.base}/{article.slug}.html", related)

    def by_slug(self, path: str) -> fa.TrueArticle | None:
        slug = path.split("?")[0].strip("/").removesuffix(".html").rsplit("/", 1)[-1]
        return next((a for a in self.articles if a.slug == slug), None)

    def robots(self) -> str:
        return "User-agent: *\nDisallow:\n"

    def routes(self, path: str, headers):
        return None

    def respond(self, path: str, headers):
        self.hits[path] = self.hits.get(path, 0) + 1
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, self.robots().encode()
        special = self.routes(path, headers)
        if special is not None:
            return special
        article = self.by_slug(path)
        if article is None or not path.split("?")[0].endswith(".html"):
            return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"
        return html_response(self.article_page(article))

    def conditional(self, body: bytes, headers, content_type: str):
        """ETag / Last-Modified answers for feeds and listings (304 when unchanged)."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": content_type, "ETag": etag}, body


class FeatureSite(Site):
    """Site A: an RSS feed with every trap; the source has no article_pattern or selectors."""

    def __init__(self, recorder, articles, extra: list[fa.TrueArticle], other_host: str):
        super().__init__(recorder, articles)
        self.extra, self.other_host = extra, other_host
        self.special = {
            "/private/bai-noi-bo-chi-danh-cho-can-bo-1.html": "robots",
            "/bai-da-bi-xoa-khoi-he-thong-404.html": "404",
            "/bai-loi-may-chu-tam-thoi-500.html": "500-then-200",
            "/bai-tai-rat-cham-qua-thoi-gian-cho.html": "slow",
            "/chuyen-sang-trang-khac-ngoai-site.html": "offsite",
            "/bai-cu-duong-dan-cu-doi-ten-2020.html": "moved",
            "/van-ban-nghi-quyet-so-18-nq-tw-toan-van.html": "pdf",
            "/bai-rat-lon-hai-muoi-megabyte-bao-loi.html": "huge",
            "/bai-ma-windows-1258-tieng-viet-cu.html": "cp1258",
            "/bai-khai-bao-sai-bang-ma-latin.html": "misdeclared",
            "/tin-tuc-thoi-su-trong-tinh-moi-nhat.html": "category",
            "/amp/" + articles[1].slug + ".html": "amp",
            "/ban-in/" + articles[2].slug + ".html": "print",
        }

    def robots(self) -> str:
        return f"User-agent: *\nDisallow: /private/\nCrawl-delay: {CRAWL_DELAY}\n"

    def feed(self) -> bytes:
        links = [f"{self.base}/{a.slug}.html" for a in self.articles]
        links.insert(1, f"{self.base}/{self.articles[0].slug}.html?utm_source=facebook&fbclid=IwAR0x")
        links += [self.base + path for path in self.special]
        items = "".join(f"<item><title>t</title><link>{link.replace('&', '&amp;')}</link>"
                        f"<pubDate>{formatdate(0, usegmt=True)}</pubDate></item>" for link in links)
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Báo An Giang</title><link>{self.base}/</link>{items}</channel></rss>"
                ).encode("utf-8")

    def routes(self, path: str, headers):
        if path == "/rss/tin-moi.rss":
            return self.conditional(self.feed(), headers, "application/rss+xml; charset=utf-8")
        kind = self.special.get(path.split("?")[0])
        if kind is None:
            return None
        return getattr(self, "page_" + kind.replace("-", "_"))(path)

    def page_robots(self, path):
        return html_response(self.article_page(self.articles[3]))

    def page_404(self, path):
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"

    def page_500_then_200(self, path):
        if self.hits[path] == 1:
            return 500, {"Content-Type": "text/html", "Retry-After": "0"}, b"error"
        return html_response(self.article_page(self.extra[0]))

    def page_slow(self, path):
        """Answers after 3 s, or stops as soon as the client hangs up (so the request is
        not counted in flight after the client gave up on it)."""
        connection, deadline = self.current.connection, time.monotonic() + 3
        while time.monotonic() < deadline:
            if select.select([connection], [], [], 0.02)[0] and not connection.recv(1, socket.MSG_PEEK):
                raise ConnectionResetError("client gave up")
        return html_response(self.article_page(self.extra[1]))

    def page_offsite(self, path):
        return 301, {"Location": f"http://{self.other_host}/somewhere.html"}, b""

    def page_moved(self, path):
        return 301, {"Location": f"/{self.extra[2].slug}-moi.html"}, b""

    def page_pdf(self, path):
        return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n" + b"0" * 2000

    def page_huge(self, path):
        def stream(out):
            out.write(b"<html><body><article><p>")
            chunk = ("Bài rất dài. " * 1000).encode()
            for _ in range(20_000_000 // len(chunk)):
                out.write(chunk)
            out.write(b"</p></article></body></html>")
        return 200, {"Content-Type": "text/html; charset=utf-8"}, stream

    def page_cp1258(self, path):
        page = fa.page_feature(self.extra[3], self.base + path, self.articles[:3], "windows-1258")
        return 200, {"Content-Type": "text/html"}, fa.encode_1258(page)

    def page_misdeclared(self, path):
        return html_response(self.article_page(self.extra[4]).encode("utf-8"),
                             "text/html; charset=iso-8859-1")

    def page_category(self, path):
        return html_response(fa.listing_page("Thời sự", self.articles[:12], ["/", "/?p=2"]))

    def page_amp(self, path):
        return html_response(self.article_page(self.articles[1]))

    def page_print(self, path):
        article = self.articles[2]
        return html_response(self.template(article, self.base + path, []))

    def by_slug(self, path):
        found = super().by_slug(path)
        if found is None and path.endswith("-moi.html"):
            return super().by_slug(path.removesuffix("-moi.html") + ".html") or next(
                (a for a in self.extra if f"/{a.slug}-moi.html" == path), None)
        return found


class ListingSite(Site):
    """Site B: an Atom feed of the newest articles and a category listed 10 per page
    (/chuyen-muc/chinh-tri, .../trang-2 ...); no meta tags, read with CSS selectors;
    Last-Modified / If-Modified-Since on the feed."""
    template = staticmethod(fa.page_plain)
    per_page = 10

    def pages(self) -> list[str]:
        count = max(1, -(-len(self.articles) // self.per_page))
        return ["/chuyen-muc/chinh-tri"] + [f"/chuyen-muc/chinh-tri/trang-{n}" for n in range(2, count + 1)]

    def atom(self) -> bytes:
        entries = "".join(
            f'<entry><title>{fa.html.escape(a.title)}</title><id>urn:{a.slug}</id>'
            f'<link rel="alternate" href="/{a.slug}.html"/><updated>{a.date}T00:00:00Z</updated></entry>'
            for a in self.articles[:2])
        return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
                f'xml:base="{self.base}/"><title>Báo Cần Thơ</title>{entries}</feed>').encode()

    def routes(self, path: str, headers):
        if path == "/atom.xml":
            body = self.atom()
            stamp = formatdate(1_600_000_000 + len(self.articles) * 3600, usegmt=True)
            if headers.get("If-Modified-Since") == stamp:
                return 304, {}, b""
            return 200, {"Content-Type": "application/atom+xml", "Last-Modified": stamp}, body
        pages = self.pages()
        if path in pages:
            number = pages.index(path)
            chunk = self.articles[number * self.per_page:(number + 1) * self.per_page]
            body = fa.listing_page("Chính trị", chunk, pages).encode()
            return self.conditional(body, headers, "text/html; charset=utf-8")
        return None


class SitemapSite(Site):
    """Site C: a sitemap index of a plain sitemap (newest) and a gzipped one (older)."""
    template = staticmethod(fa.page_portal)

    def __init__(self, recorder, articles, ip: str):
        super().__init__(recorder, articles, ip)

    def urlset(self, articles) -> bytes:
        urls = "".join(f"<url><loc>{self.base}/{a.slug}.html</loc><lastmod>{a.date}</lastmod></url>"
                       for a in articles)
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                f'schemas/sitemap/0.9">{urls}</urlset>').encode()

    def routes(self, path: str, headers):
        half = len(self.articles) // 2
        if path == "/sitemap.xml":
            body = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.'
                    'sitemaps.org/schemas/sitemap/0.9">'
                    f"<sitemap><loc>{self.base}/sitemap-news.xml</loc></sitemap>"
                    f"<sitemap><loc>{self.base}/sitemap-archive.xml.gz</loc></sitemap>"
                    "</sitemapindex>").encode()
            return self.conditional(body, headers, "application/xml")
        if path == "/sitemap-news.xml":
            return self.conditional(self.urlset(self.articles[:half]), headers, "application/xml")
        if path == "/sitemap-archive.xml.gz":
            body = gzip.compress(self.urlset(self.articles[half:]), mtime=0)
            return self.conditional(body, headers, "application/x-gzip")
        return None
