"""Which newspaper an article comes from, read off the article itself, with the evidence kept.

In order of trust: a closing "Theo X" / "Nguồn: X" line (the re-publisher names the
original), the paper's own mark opening the article ("ĐBP -", "(GLO)-", "(NDĐT) -"), then an
interview "của / dành cho Báo X" or "Phóng viên Báo X".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from vntopics.pipeline.text.normalise import HEADER_LINES

AGENCY_MARKS = {
    "ĐBP": "Điện Biên Phủ", "GLO": "Gia Lai", "NDĐT": "Nhân Dân", "ND": "Nhân Dân",
    "TTXVN": "TTXVN", "QĐND": "Quân đội nhân dân", "ĐCSVN": "Đảng Cộng sản Việt Nam",
    "HNM": "Hà Nội mới", "TCCS": "Tạp chí Cộng sản", "VOV": "VOV", "PLO": "Pháp luật TP.HCM",
    "SGGP": "Sài Gòn Giải Phóng", "QNO": "Quảng Nam", "BĐT": "Bình Định", "PYO": "Phú Yên",
    "YBĐT": "Yên Bái", "QBĐT": "Quảng Bình", "HBĐT": "Hòa Bình", "BKT": "Kon Tum",
    "Chinhphu.vn": "Cổng Thông tin điện tử Chính phủ", "Dân trí": "Dân trí",
}
CLOSING_LINE = re.compile(r"^\(?\s*(?:Theo|Nguồn\s*:?)\s+(?P<name>.{2,80}?)\s*\)?\.?$")
MARK_LINE = re.compile(r"^(?:\((?P<paren>[^()\n]{2,20})\)|(?P<bare>[A-ZĐ]{2,6}))\s*[-–—:]")
INTERVIEW = re.compile(r"(?:phỏng vấn (?:của|dành cho|với)|dành cho|Phóng viên|PV)\s+"
                       r"(?P<name>(?:Báo|báo|Tạp chí|Đài)\s+[^\n,.;:()]{2,60})")
PAPER_PREFIX = re.compile(r"^(?:Báo điện tử|báo điện tử|Báo|báo)\s+")
DOMAIN = re.compile(r"^[\w.-]+\.(?:vn|com|net|org)$", re.IGNORECASE)
CLOSING_LINES = 5
NAME_LOWER_WORDS = {"điện", "tử", "đội", "nhân", "dân", "mới", "sản"}


@dataclass(frozen=True)
class SourceEvidence:
    """A newspaper inferred by `infer_source`: its name and the line or mark that named it
    (which `clean_document` records as evidence)."""
    source: str
    evidence: str


def _paper_name(raw: str, whole: bool) -> str | None:
    """'Báo Nhân Dân' -> 'Nhân Dân'. The leading capitalised words (plus the lower-case words
    of known names such as 'Quân đội nhân dân'); with `whole`, None unless they are all of it,
    so "Theo đồng chí Bí thư" is not a source."""
    words = PAPER_PREFIX.sub("", raw.strip()).split()
    name: list[str] = []
    for word in words:
        if word[0].isupper() or word[0].isdigit() or DOMAIN.match(word) or word in "-/+&":
            name.append(word)
        elif name and word in NAME_LOWER_WORDS:
            name.append(word)
        else:
            break
    if not name or len(name) > 6 or (whole and len(name) < len(words)):
        return None
    return " ".join(name)


def infer_source(text: str) -> SourceEvidence | None:
    """The paper named by the article, or None when it does not say."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in reversed(lines[-CLOSING_LINES:]):
        match = CLOSING_LINE.match(line)
        if match and len(line) <= 90:
            name = _paper_name(match.group("name"), whole=True)
            if name:
                return SourceEvidence(name, f"closing line {line!r}")
    for line in lines[:HEADER_LINES]:
        match = MARK_LINE.match(line)
        if not match:
            continue
        mark = (match.group("paren") or match.group("bare")).strip()
        if mark in AGENCY_MARKS:
            return SourceEvidence(AGENCY_MARKS[mark], f"agency mark {mark!r} opening the article")
    for match in INTERVIEW.finditer(text):
        name = _paper_name(match.group("name"), whole=False)
        if name:
            return SourceEvidence(name, f"interview for {match.group('name')!r}")
    return None
