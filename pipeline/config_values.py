"""Config values that need more than a type: K ranges, cron fields and `--set` overrides.

Plain functions on plain values (no pydantic model), used by pipeline/config.py's validators
and loader.
"""
from __future__ import annotations

import copy
import re
from typing import Any

import yaml

CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,?-]+$")
K_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*(?::\s*(\d+)\s*)?$")


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
    return ks[0] if len(ks) == 1 else ks


def check_cron(value: str) -> str:
    """Five fields of cron syntax; Prefect checks the values when `serve` builds the
    schedule (no Prefect import here: pipeline/ stays Prefect-free)."""
    fields = value.split()
    if len(fields) != 5 or not all(CRON_FIELD.match(f) for f in fields):
        raise ValueError(f"not a cron expression (5 fields): {value!r}")
    return value


def parse_override(text: str) -> tuple[list[str], Any]:
    """'model.num_topics=12' -> (['model', 'num_topics'], 12); values are parsed as YAML."""
    if "=" not in text:
        raise ValueError(f"--set expects key=value, got {text!r}")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ValueError(f"--set has an empty key in {text!r}")
    return parts, yaml.safe_load(raw) if raw.strip() else ""


def apply_overrides(data: dict, overrides: list[str]) -> dict:
    data = copy.deepcopy(data)
    for item in overrides:
        parts, value = parse_override(item)
        node = data
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"--set {item!r}: {part!r} is not a section")
            node = child
        node[parts[-1]] = value
    return data
