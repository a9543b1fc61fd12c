"""One name per article: the canonical form of a URL, and the record id made from it.

Sites link the same article as http and https, with and without a trailing slash, with
tracking parameters (utm_*, fbclid, zarsrc ...) and fragments; all of these are one article.
"""
from __future__ import annotations

import hashlib
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url


def clean_url(url: str) -> str:
    """The URL as a reader would share it: lower-case host, no tracking parameters, no
    fragment, no trailing slash; its own scheme (the record's `url`)."""
    try:
        cleaned = normalize_url(url.strip(), strict=True, trailing_slash=False)
    except (ValueError, AttributeError):
        cleaned = url.strip()
    parts = urlsplit(cleaned)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, (parts.netloc or "").lower(), path, parts.query, ""))


def canonical_url(url: str) -> str:
    """The article's identity: `clean_url` with https (http and https are one article)."""
    return urlunsplit(urlsplit(clean_url(url))._replace(scheme="https"))


def absolute_url(base: str, link: str) -> str | None:
    """`link` as found in a page at `base`, made absolute; None for mailto:, javascript: ..."""
    link = (link or "").strip()
    if not link or link.startswith("#"):
        return None
    joined = urljoin(base, link)
    return joined if urlsplit(joined).scheme in ("http", "https") else None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def path_of(url: str) -> str:
    """The path an article_pattern or listing_pattern is matched against."""
    return urlsplit(url).path or "/"


def record_id(source: str, url: str) -> str:
    """`<source>-<first 12 hex of sha256(canonical url)>`: stable across runs."""
    digest = hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()
    return f"{source}-{digest[:12]}"
