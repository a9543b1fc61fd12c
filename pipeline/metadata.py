"""Document metadata from what the input gives: dates in the usual Vietnamese forms, titles.

Given values always win; a value that cannot be read is dropped with a note, never guessed.
"""
from __future__ import annotations

import re
from datetime import date

DATE_PATTERNS = (
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D.*)?$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
)


def parse_given_date(value: str | None) -> tuple[str | None, int | None]:
    """'20210427', '2021-04-27', '27/04/2021', '2021' -> (ISO date or None, year or None)."""
    if not value:
        return None, None
    text = str(value).strip()
    for pattern, order in DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups())))
        if "m" not in parts:
            return None, parts["y"] if 1900 <= parts["y"] <= 2100 else None
        try:
            parsed = date(parts["y"], parts["m"], parts["d"])
        except ValueError:
            return None, None
        if not 1900 <= parsed.year <= 2100:
            return None, None
        return parsed.isoformat(), parsed.year
    return None, None


def guess_title(lines: list[str]) -> str:
    """The first line that reads like a headline: some words, not a date or time stamp."""
    for line in lines[:8]:
        words = re.findall(r"[^\W\d_]+", line)
        if len(words) >= 3 and len(line) <= 300:
            return line
    return lines[0][:200] if lines else ""
