"""Text normalisation: one Unicode form and one spelling per word, page furniture out.

Scraped Vietnamese news mixes NFC and NFD, the Icelandic 'Ð' (U+00D0) for 'Đ' (U+0110), and
page widgets ("A A", "In bài viết", view counters) that would otherwise become topic words.
"""
from __future__ import annotations

import re
import unicodedata

NORMALISER_VERSION = "1"

LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

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
    """NFC, the 'Ð'/'ð' look-alikes as 'Đ'/'đ', non-breaking and zero-width spaces made plain."""
    text = unicodedata.normalize("NFC", text).translate(LOOKALIKES)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
