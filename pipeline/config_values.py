"""Config values that need more than a type: K ranges and cron fields.

Plain functions on plain values (no pydantic model), used by pipeline/config.py's validators
and loader.
"""
from __future__ import annotations

import re
from typing import Any

CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,?-]+$")
K_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*(?::\s*(\d+)\s*)?$")
# Beyond a few hundred topics no analyst reads them, and every K of a sweep is a full fit.
MAX_K, MAX_SWEEP = 500, 50


def parse_num_topics(value: Any) -> int | list[int]:
    """`model.num_topics` as given -> one K (int) or a sweep (sorted list of distinct Ks).

    Accepted: 8, "8", [6, 8, 10], "6-12" (every K from 6 to 12) and "6-12:2" (6, 8, 10, 12).
    """
    where = "model.num_topics"
    if isinstance(value, str) and not value.strip().isdigit():
        match = K_RANGE.match(value)
        if not match:
            raise ValueError(f"{where} must be an int, a list of ints, or a range like "
                             f"'6-12' or '6-12:2'; got {value!r}")
        low, high, step = int(match[1]), int(match[2]), int(match[3] or 1)
        if low > high:
            raise ValueError(f"{where} range {value!r} runs backwards (low > high)")
        if step < 1:
            raise ValueError(f"{where} range {value!r} needs a step of at least 1")
        value = list(range(low, high + 1, step))
    elif isinstance(value, str) or (isinstance(value, float) and value.is_integer()):
        value = int(value)
    ks = list(value) if isinstance(value, (list, tuple)) else [value]
    if not ks or not all(isinstance(k, int) and not isinstance(k, bool) for k in ks):
        raise ValueError(f"{where} must be a whole number of topics, a list of them or a "
                         f"range like '6-12'; got {value!r}")
    ks = sorted(set(ks))
    if ks[0] < 2:
        raise ValueError(f"{where}: every K must be at least 2, got {ks[0]}")
    if ks[-1] > MAX_K:
        raise ValueError(f"{where}: K above {MAX_K} topics is not supported, got {ks[-1]}")
    if len(ks) > MAX_SWEEP:
        raise ValueError(f"{where}: a sweep of {len(ks)} Ks is too long (at most {MAX_SWEEP}; "
                         "use a step, e.g. '6-60:6')")
    return ks[0] if len(ks) == 1 else ks


def check_cron(value: str) -> str:
    """Five fields of cron syntax; Prefect checks the values when `serve` builds the
    schedule (no Prefect import here: pipeline/ stays Prefect-free)."""
    fields = value.split()
    if len(fields) != 5 or not all(CRON_FIELD.match(f) for f in fields):
        raise ValueError(f"not a cron expression (5 fields): {value!r}")
    return value
