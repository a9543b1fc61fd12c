"""Text normalisation: one Unicode form and one spelling per word, page furniture out.

Scraped Vietnamese news mixes NFC and NFD, the Icelandic 'Ð' (U+00D0) for 'Đ' (U+0110), and
page widgets ("A A", "In bài viết", view counters) that would otherwise become topic words.
"""
from __future__ import annotations

import html
import re
import unicodedata

from vntopics.pipeline.text.tone import normalise_tone_marks

NORMALISER_VERSION = "2"
# The header: the first lines, where titles, datelines, agency and place marks stand.
HEADER_LINES = 8

LOOKALIKES = {"\u00d0": "\u0110", "\u00f0": "\u0111"}   # Icelandic eth -> Vietnamese đ

BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"A\s+A|"
    r"In bài viết|"
    r"Back To Top|"
    r"Chia sẻ(?: bài viết)?|Bình luận|Gửi bình luận|Tin khác|Tin liên quan|Xem thêm|"
    r"[^\n]{0,40}\(thực hiện\)|"
    r"[.\-–—*•]+"
    r")\s*$",
    re.IGNORECASE,
)
INLINE_WIDGETS = re.compile(r"\s*(?:Lượt xem:\s*[\d.,]+|In bài viết)\s*", re.IGNORECASE)


def normalise_unicode(text: str) -> str:
    """NFC, the 'Ð'/'ð' look-alikes as 'Đ'/'đ', one tone-mark placement ("hòa", not "hoà"),
    non-breaking and zero-width spaces made plain."""
    # Invisible characters go first: removed after NFC, they would leave a letter and its
    # combining mark side by side, uncomposed ("e\u200b\u0301" -> "e\u0301", not "é").
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    # str.replace rather than str.translate: far faster here (benchmarks/README.md)
    for lookalike, letter in LOOKALIKES.items():
        text = text.replace(lookalike, letter)
    return normalise_tone_marks(text)


def clean_lines(text: str) -> list[str]:
    """Lines without widgets; a line repeated verbatim (a photo caption shown twice) kept once."""
    kept: list[str] = []
    seen: set[str] = set()
    for raw_line in text.split("\n"):
        line = INLINE_WIDGETS.sub(" ", raw_line).strip()
        if not line or BOILERPLATE_LINE.match(line):
            continue
        if line in seen:
            continue
        seen.add(line)
        kept.append(line)
    return kept


def normalise_document(text: str) -> str:
    return "\n".join(clean_lines(normalise_unicode(text)))


HTML_SIGNATURE = re.compile(r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b)|"
                            r"<(?:p|div|br|span|a|script|table)\b[^>]*>", re.IGNORECASE)
HTML_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->",
                       re.IGNORECASE | re.DOTALL)
HTML_BREAK = re.compile(r"<(?:br|/p|/div|/h[1-6]|/li|/tr|/title)\b[^>]*>", re.IGNORECASE)
HTML_TAG = re.compile(r"<[^>]{0,2000}>")


def looks_like_html(text: str) -> bool:
    """A saved web page rather than article text (tags would become topic words)."""
    return len(HTML_SIGNATURE.findall(text[:20000])) >= 2 or bool(
        re.match(r"\s*(?:<!doctype html|<html\b)", text[:200], re.IGNORECASE))


def strip_html(text: str) -> str:
    """Visible text of an HTML page: scripts and styles dropped, block ends as line breaks."""
    text = HTML_DROP.sub(" ", text)
    text = HTML_BREAK.sub("\n", text)
    return html.unescape(HTML_TAG.sub(" ", text))


def guess_title(lines: list[str]) -> str:
    """The first line that reads like a headline: some words, not a date or time stamp."""
    for line in lines[:HEADER_LINES]:
        words = re.findall(r"[^\W\d_]+", line)
        if len(words) >= 3 and len(line) <= 300:
            return line
    return lines[0][:200] if lines else ""
