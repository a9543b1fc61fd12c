"""Where the articles are: links from RSS 2.0 and Atom feeds, sitemaps and sitemap indexes
(plain or .xml.gz), and HTML listing pages (with their pagination)."""
from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from vntopics.pipeline.collect.charset import decode_page
from vntopics.pipeline.collect.sources import Source
from vntopics.pipeline.collect.urls import absolute_url, host_of, path_of

# Without an article_pattern, a link is an article when its last path segment looks like a
# Vietnamese news slug ("xay-dung-dang-vung-manh-12345.html") or carries a long number.
ARTICLE_SLUG = re.compile(r"\d{5,}|[a-z0-9]+(?:-[a-z0-9]+){3,}", re.I)


@dataclass
class Links:
    """What a feed, sitemap or listing page points to."""
    kind: str                                            # rss, atom, sitemap, sitemapindex, html
    articles: list[str] = field(default_factory=list)    # candidate article URLs, in page order
    follow: list[str] = field(default_factory=list)      # child sitemaps, further listing pages


def local_name(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def gunzip(body: bytes, limit: int) -> bytes:
    """A .xml.gz sitemap, decompressed no further than `limit` bytes (no gzip bombs)."""
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"decompressed sitemap over {limit} bytes")
    return data


XML_ROOTS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:rdf")


def is_xml(body: bytes, content_type: str) -> bool:
    """A feed or sitemap (by its first tag, else by an XML content type), not an HTML page."""
    head = body[:512].lstrip().lower()
    if head.startswith(XML_ROOTS):
        return True
    kind = content_type.split(";")[0].strip().lower()
    return kind.endswith("xml") and kind != "application/xhtml+xml" \
        and not head.startswith((b"<!doctype html", b"<html"))


def xml_links(url: str, body: bytes) -> Links:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(body, parser)
    if root is None:
        raise ValueError("not a feed or sitemap (empty XML)")
    kind = local_name(root)

    def texts(parent: str, child: str) -> list[str]:
        found = []
        for element in root.iter():
            if local_name(element) == parent:
                for sub in element:
                    if local_name(sub) == child and (sub.text or "").strip():
                        found.append(absolute_url(url, sub.text.strip()))
        return [link for link in found if link]

    if kind == "rss" or kind == "rdf":
        return Links("rss", articles=texts("item", "link"))
    if kind == "feed":
        links = []
        for entry in (e for e in root.iter() if local_name(e) == "entry"):
            hrefs = [(sub.get("rel") or "alternate", sub.get("href")) for sub in entry
                     if local_name(sub) == "link" and sub.get("href")]
            chosen = next((href for rel, href in hrefs if rel == "alternate"), None)
            if chosen and absolute_url(url, chosen):
                links.append(absolute_url(url, chosen))
        return Links("atom", articles=links)
    if kind == "urlset":
        return Links("sitemap", articles=texts("url", "loc"))
    if kind == "sitemapindex":
        return Links("sitemapindex", follow=texts("sitemap", "loc"))
    raise ValueError(f"not a feed or sitemap (root element <{kind}>)")


def looks_like_article(source: Source, url: str) -> bool:
    verdict = source.is_article(path_of(url))
    if verdict is not None:
        return verdict
    last = path_of(url).rstrip("/").rsplit("/", 1)[-1]
    return bool(ARTICLE_SLUG.search(last)) and not source.is_listing(path_of(url))


def html_links(url: str, text: str, source: Source) -> Links:
    """A listing page: the site's article links, and its listing links (listing_pattern)."""
    document = lxml.html.fromstring(text) if text.strip() else None
    links = Links("html")
    if document is None:
        return links
    seen: set[str] = set()
    hosts = source.hosts()
    for anchor in document.iter("a"):
        link = absolute_url(url, anchor.get("href", ""))
        if not link or link in seen or host_of(link) not in hosts:
            continue
        seen.add(link)
        if source.is_listing(path_of(link)):
            links.follow.append(link)
        elif looks_like_article(source, link):
            links.articles.append(link)
    return links


def page_links(url: str, body: bytes, content_type: str, source: Source, limit: int) -> Links:
    """The links of a fetched start or listing page, whatever its kind; ValueError when it is
    none of them."""
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, limit)
    if is_xml(body, content_type):
        return xml_links(url, body)
    return html_links(url, decode_page(body, content_type)[0], source)
