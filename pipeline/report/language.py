"""The report's language: every UI string (headings, notes, column headers, axes, explorer
labels) comes from one YAML table per language in `lang/`, and numbers and dates are written
the way that language writes them (vi: 0,25 and 28/01/2021). Data is never translated."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vntopics.pipeline.config_io import read_yaml_text

LANGUAGES = ("en", "vi")
TABLES = Path(__file__).parent / "lang"
ISO_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d):(\d\d))?")


def flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    """{'a': {'b': 'x'}} -> {'a.b': 'x'}: keys as the code writes them."""
    flat = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@dataclass(frozen=True)
class Language:
    """One language's strings (`lang/<code>.yaml`) and number and date conventions."""
    code: str
    strings: dict[str, str]

    def __call__(self, key: str, **values) -> str:
        """The string `key`, its {placeholders} filled from `values`."""
        try:
            template = self.strings[key]
        except KeyError:
            raise KeyError(f"{TABLES / self.code}.yaml has no string {key!r}") from None
        return template.format(**values) if values else template

    def section(self, prefix: str) -> dict[str, str]:
        """Every string under `prefix.` without the prefix (the explorer's labels)."""
        return {k[len(prefix) + 1:]: v for k, v in self.strings.items()
                if k.startswith(prefix + ".")}

    def column(self, name: str) -> str:
        """A table's column header: the translated one when `columns.<name>` exists."""
        return self.strings.get(f"columns.{name}", name)

    def word(self, value: str) -> str:
        """A status the pipeline writes in English (`kept`, `retired`, `emerging`)."""
        return self.strings.get(f"status.{value}", value)

    def group_name(self, value) -> str:
        """A province or year as shown: the pipeline's `unknown` in this language."""
        return self("format.unknown") if str(value) == "unknown" else str(value)

    def localise(self, text: str) -> str:
        decimal = self.strings["format.decimal"]
        return text if decimal == "." else text.replace(".", decimal)

    def number(self, value: float, digits: int = 3, signed: bool = False) -> str:
        return self.localise(f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}")

    def general(self, value: float, digits: int = 2) -> str:
        """Shortest form with `digits` significant digits (p-values)."""
        return self.localise(f"{value:.{digits}g}")

    def percent(self, value: float, digits: int = 1) -> str:
        return self.localise(f"{value:.{digits}%}")

    def count(self, value: int) -> str:
        separator = self.strings["format.thousands"]
        return f"{int(value):,}".replace(",", separator)

    def interval(self, value: float, low: float, high: float, digits: int = 3,
                 signed: bool = False) -> str:
        return self("format.interval", value=self.number(value, digits, signed),
                    low=self.number(low, digits, signed), high=self.number(high, digits, signed))

    def date(self, text: str) -> str:
        """An ISO date (or the date part of a timestamp) in this language's form."""
        match = ISO_DATE.match(str(text))
        if not match:
            return str(text)
        return self("format.date", year=match[1], month=match[2], day=match[3])

    def timestamp(self, text: str) -> str:
        match = ISO_DATE.match(str(text))
        if not match or match[4] is None:
            return self.date(text)
        return self("format.timestamp", year=match[1], month=match[2], day=match[3],
                    hour=match[4], minute=match[5], second=match[6])


@cache
def language(code: str = "en") -> Language:
    if code not in LANGUAGES:
        raise ValueError(f"unknown report language {code!r}; expected one of {LANGUAGES}")
    tree = read_yaml_text((TABLES / f"{code}.yaml").read_text(encoding="utf-8"))
    return Language(code, flatten(tree))


ENGLISH = language("en")
