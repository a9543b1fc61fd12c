"""Publication dates: given values in the usual Vietnamese forms, or inferred from an article's
header region with the text that said so.

Rule, and why: news pages print the publication date on a short line near the top (a
"dateline": "28/01/2021 - 07:39", "08:59 - Thứ Tư, 03/10/2018", "Thứ Hai, 09/09/2019, 06:07
[GMT+7]"). Dates in sentences are what the article cites ("Chỉ thị số 05-CT/TW ngày 15-5-2016
của Bộ Chính trị"), not when it appeared. So only the first HEADER_LINES non-empty lines are
read; a line made of little more than a date, a time and a weekday wins; failing that, a date
on a short line (≤ SHORT_LINE chars, few words) is taken unless the words just before it
mark a citation ("số", "của", "ban hành", "ký"). Anything else is no date: None, never a guess.
Day comes before month, as in all Vietnamese usage.

A publication date lies between FIRST_DATE and today in Vietnam: a later one is a typo or a
placeholder (2099), an earlier one predates the Democratic Republic's press this pipeline is
for, and either would make a year group of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from vntopics.pipeline.text.normalise import HEADER_LINES

HEADER_CHARS = 1200
SHORT_LINE = 120
SHORT_LINE_WORDS = 12
DATELINE_LEFTOVER_WORDS = 3
FIRST_DATE = date(1945, 1, 1)   # with today (in Vietnam): the one window for all dates
NEWSROOM_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    return datetime.now(NEWSROOM_TIME_ZONE).date()


def window_problem(value: date | int) -> str | None:
    """Why a date (or a bare year) cannot be a publication date, or None when it can."""
    first, last = (FIRST_DATE, today()) if isinstance(value, date) else (FIRST_DATE.year,
                                                                        today().year)
    if value > last:
        return "after today"
    return f"before {FIRST_DATE.year}" if value < first else None

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
    """A publication date inferred by `infer_publication_date`: the ISO date, its year, and
    the header text it was read from (which `clean_document` records as evidence)."""
    date: str
    year: int
    evidence: str


def to_date(day: str, month: str, year: str) -> date | None:
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return None if window_problem(value) else value


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


DATE_PATTERNS = (
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D.*)?$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
)


def read_given_date(value: str | None) -> date | int | None:
    """'20210427', '2021-04-27', '27/04/2021' -> that date; '2021' -> 2021; else None.
    No window applied."""
    text = str(value or "").strip()
    for pattern, order in DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups())))
        if "m" not in parts:
            return parts["y"]
        try:
            return date(parts["y"], parts["m"], parts["d"])
        except ValueError:
            return None
    return None


def parse_given_date(value: str | None) -> tuple[str | None, int | None]:
    """A given date -> (ISO date or None, year or None); both None when it is unreadable,
    impossible, or outside FIRST_DATE–today (`given_date_problem` says which)."""
    found = read_given_date(value)
    if found is None or window_problem(found):
        return None, None
    return (None, found) if isinstance(found, int) else (found.isoformat(), found.year)


def given_date_problem(value: str) -> str:
    """Why `parse_given_date` gave nothing: 'after today', 'before 1945' or 'unreadable'."""
    found = read_given_date(value)
    return (window_problem(found) if found is not None else None) or "unreadable"
