"""Publication date of an article, read from its header region, with the text that said so.

Rule, and why: news pages print the publication date on a short line near the top (a
"dateline": "28/01/2021 - 07:39", "08:59 - Thứ Tư, 03/10/2018", "Thứ Hai, 09/09/2019, 06:07
[GMT+7]"). Dates in sentences are what the article cites ("Chỉ thị số 05-CT/TW ngày 15-5-2016
của Bộ Chính trị"), not when it appeared. So only the first HEADER_LINES non-empty lines are
read; a line made of little more than a date, a time and a weekday wins; failing that, a date
on a short line (≤ SHORT_LINE chars, few words) is taken unless the words just before it
mark a citation ("số", "của", "ban hành", "ký"). Anything else is no date: None, never a guess.
Day comes before month, as in all Vietnamese usage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

HEADER_LINES = 6
HEADER_CHARS = 1200
SHORT_LINE = 120
SHORT_LINE_WORDS = 12
DATELINE_LEFTOVER_WORDS = 3
YEARS = range(1990, 2036)

DAY_MONTH_YEAR = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/.-])")
ISO = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-])")
SPELLED = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
TIME = re.compile(r"\b\d{1,2}\s*[:hg]\s*\d{2}(?:\s*:\s*\d{2})?\b", re.IGNORECASE)
WEEKDAY = re.compile(r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật|cn)\b",
                     re.IGNORECASE)
DATELINE_NOISE = re.compile(r"\[?\s*GMT\s*[+-]\s*\d+\s*\]?|\b(?:ngày|tháng|năm|cập nhật|"
                            r"đăng|lúc|sáng|chiều|tối|am|pm|lượt xem:?\s*\d[\d.,]*|"
                            r"in bài viết)\b", re.IGNORECASE)
CITATION_CUE = re.compile(r"(?:\bsố\b|\bcủa\b|ban hành|\bký\b|/[A-ZĐa-zđ]+)[^\n]{0,25}$",
                          re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class DateEvidence:
    date: str
    year: int
    evidence: str


def to_date(day: str, month: str, year: str) -> date | None:
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if value.year in YEARS else None


def dates_in(line: str) -> list[tuple[int, int, date, str]]:
    """(start, end, date, matched text) for each readable date in the line."""
    found = []
    for match in DAY_MONTH_YEAR.finditer(line):
        value = to_date(match.group(1), match.group(3), match.group(4))
        if value:
            found.append((match.start(), match.end(), value, match.group(0)))
    for match in ISO.finditer(line):
        value = to_date(match.group(3), match.group(2), match.group(1))
        if value:
            found.append((match.start(), match.end(), value, match.group(0)))
    for match in SPELLED.finditer(line):
        value = to_date(match.group(1), match.group(2), match.group(3))
        if value:
            found.append((match.start(), match.end(), value, match.group(0)))
    return sorted(found, key=lambda item: item[0])


def is_dateline(line: str, start: int, end: int) -> bool:
    """A line that is little more than the date, a time, a weekday and page furniture."""
    rest = line[:start] + " " + line[end:]
    for pattern in (TIME, WEEKDAY, DATELINE_NOISE):
        rest = pattern.sub(" ", rest)
    return len(WORD.findall(rest)) <= DATELINE_LEFTOVER_WORDS


def header_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text[:HEADER_CHARS].split("\n")]
    return [line for line in lines if line][:HEADER_LINES]


def infer_publication_date(text: str) -> DateEvidence | None:
    """The publication date from the header region, or None."""
    fallback = None
    for line in header_lines(text):
        for start, end, value, matched in dates_in(line):
            if is_dateline(line, start, end):
                return DateEvidence(value.isoformat(), value.year, line[:80])
            short = len(line) <= SHORT_LINE and len(WORD.findall(line)) <= SHORT_LINE_WORDS
            if fallback is None and short and not CITATION_CUE.search(line[:start]):
                fallback = DateEvidence(value.isoformat(), value.year, matched)
    return fallback
