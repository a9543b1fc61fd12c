"""An article page -> title, date and body text. A source's own CSS selectors win when given
(a bespoke extractor beats a generic one); trafilatura (dates by htmldate) does the rest.
The text layer of `vntopics run` later removes boilerplate lines and datelines as for any
input, so this keeps the body as the page shows it."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import lxml.html

from vntopics.pipeline.collect.sources import Source

MIN_BODY_CHARS = 200        # shorter: a stub, a gallery or a category page
MAX_LINK_SHARE = 0.5        # more of the body inside links: a listing, not an article
DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
WORDED = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre", "tr")
# htmldate's extensive search hands free text to dateparser, which is slow to start and reads
# 03/10/2018 month first; dates in meta tags, <time> and URLs are found without it, and a
# page's visible dateline is read day first here (`dateline_date`).
TRAFILATURA_DATES = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%d"}
DATELINE = ("//*[contains(@class, 'date') or contains(@class, 'time') or contains(@id, 'date')"
            " or contains(@class, 'ngay')]")


@dataclass
class Article:
    title: str | None
    date: str | None          # ISO yyyy-mm-dd
    text: str
    extractor: str            # "selectors" or "trafilatura"
    canonical: str | None     # the page's rel=canonical link, as written


def day_first_date(text: str) -> str | None:
    """'Thứ Năm, 28/01/2021 - 07:39' -> '2021-01-28' (Vietnamese dates are day first)."""
    for pattern, order in ((ISO_DATE, (0, 1, 2)), (WORDED, (2, 1, 0)), (DAY_FIRST, (2, 1, 0))):
        for match in pattern.finditer(text or ""):
            year, month, day = (int(match.group(i + 1)) for i in order)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                continue
    return None


def dateline_date(document) -> str | None:
    """The first day-first date in an element whose class names a date or time."""
    for element in document.xpath(DATELINE)[:20]:
        found = day_first_date(element.text_content())
        if found:
            return found
    return None


def clean(text: str | None) -> str:
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in (text or "").splitlines())
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def element_text(element) -> str:
    """Paragraph per line: block elements' text, or the whole text when it has none."""
    blocks = [block for block in element.iter(*BLOCKS)
              if not any(outer.tag in BLOCKS for outer in block.iterancestors())]
    if not blocks:
        return clean(element.text_content())
    return clean("\n".join(block.text_content() for block in blocks))


def first_match(document, selector: str | None) -> str | None:
    if not selector:
        return None
    found = document.cssselect(selector)
    return clean("\n".join(element_text(element) for element in found)) or None


def headline_links(element) -> int:
    return sum(len(clean(a.text_content())) >= 20 for a in element.iter("a"))


def link_share(document, body: str) -> float:
    """Share of the body's lines that are a link's text or a teaser beside a headline link
    (the titles and summaries of a category page)."""
    lines = {line for line in body.splitlines() if line}
    if not lines:
        return 1.0
    listing_like = {clean(a.text_content()) for a in document.iter("a")} & lines
    for block in document.iter(*BLOCKS, "div"):
        text = clean(block.text_content())
        parent = block.getparent()
        if text in lines and text not in listing_like and parent is not None \
                and headline_links(parent) and not headline_links(block):
            listing_like.add(text)
    return len(listing_like) / len(lines)


def generic(html: str, url: str) -> tuple[str | None, str | None, str]:
    from trafilatura import bare_extraction

    found = bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                            include_tables=True, date_extraction_params=TRAFILATURA_DATES)
    if found is None:
        return None, None, ""
    return clean(found.title) or None, found.date, clean(found.text)


def extract_article(html: str, url: str, source: Source) -> tuple[Article | None, str]:
    """(the article, "") or (None, why the page is not an article)."""
    document = lxml.html.fromstring(html) if html.strip() else None
    if document is None:
        return None, "empty page"
    canonical = next(iter(document.xpath("//link[@rel='canonical']/@href")), None)
    title, when, body = None, None, ""
    if source.title_selector or source.date_selector or source.content_selector:
        title = first_match(document, source.title_selector)
        when = day_first_date(first_match(document, source.date_selector) or "")
        body = first_match(document, source.content_selector) or ""
    extractor = "selectors" if body else "trafilatura"
    if not (title and when and body):
        generic_title, generic_date, generic_body = generic(html, url)
        title, when, body = title or generic_title, when or generic_date, body or generic_body
        when = when or dateline_date(document)
    if title and body.startswith(title + "\n"):   # the headline inside the article container
        body = body[len(title) + 1:]
    if len(body) < MIN_BODY_CHARS:
        return None, f"no article body ({len(body)} characters of text)"
    if link_share(document, body) > MAX_LINK_SHARE:
        return None, "a listing of links, not an article"
    return Article(title, when, body, extractor, canonical), ""
