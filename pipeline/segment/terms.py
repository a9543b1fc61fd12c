"""Analyst terms in the segmenter's spelling: watchlist terms (words, phrases, Party document
codes) counted in each article, and seed words in the vocabulary's form.

How a watchlist phrase is matched: in the cleaned text, while it is segmented, as its
syllables in order with a word boundary at each end (case-folded; term and text both through
`normalise_unicode`, so NFD text and the look-alike 'Ð' count as 'Đ'). Not on the tokens:
underthesea writes "chuyển đổi số" as `chuyển_đổi` + `số` and `số` is a stop-word, so the
kept tokens never hold the phrase. Not on the unfiltered words either: they carry no
punctuation, so "… chuyển đổi. Số liệu …" would match across the full stop. The text has
both: a phrase counts whatever compounds underthesea made of it (`tham_nhũng` or `tham` +
`nhũng`), and never across punctuation or a line break. Party document codes are counted from
the citation tokens (`Document.citations`), so every spelling the tokenizer recognises
('18-NQ/TW', '18 - NQ/TƯ', '18-NQ/T.Ư') is one code.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from vntopics.pipeline.config import CompareConfig
from vntopics.pipeline.config_io import resolve_path
from vntopics.pipeline.segment.words import CITATION, normalise_citation
from vntopics.pipeline.text import normalise_unicode

CODE = re.compile(CITATION.pattern, re.IGNORECASE)   # a code as a term: any letter case
PHRASE, CODE_KIND = "phrase", "code"
SYLLABLE_GAP = r"[^\S\n]+"    # spaces between two syllables, never a line break


@dataclass(frozen=True)
class WatchTerm:
    """One watchlist entry: `term` as the tables show it (the analyst's spelling, NFC, one
    space between syllables; codes in their canonical capitals), `kind` phrase or code, and
    `key`, what is matched (lower-case syllables, or the tokenizer's code form)."""
    term: str
    kind: str
    key: str


def spelled(text: str) -> str:
    """A term or seed word as NFC text with one space between syllables ('_' is a space)."""
    return " ".join(normalise_unicode(text).replace("_", " ").split())


def parse_watch_term(text: str) -> WatchTerm:
    term = spelled(text)
    if not term:
        raise ValueError("empty term")
    code = CODE.fullmatch(term)
    if code:
        key = normalise_citation(code)
        return WatchTerm(key.upper(), CODE_KIND, key)
    return WatchTerm(term, PHRASE, term.lower())


def parse_watchlist(entries: Iterable[str | tuple[str, str]], source: str) -> list[WatchTerm]:
    """Terms in order; entries are texts or (where, text) pairs, `where` naming the entry in an
    error ('terms.txt line 4'). Empty terms and two spellings of one term are errors."""
    terms: list[WatchTerm] = []
    seen: dict[tuple[str, str], str] = {}
    for number, entry in enumerate(entries, start=1):
        where, text = entry if isinstance(entry, tuple) else (f"{source} entry {number}", entry)
        if not isinstance(text, str) or not spelled(text):
            raise ValueError(f"{where}: empty watchlist term")
        term = parse_watch_term(text)
        if (term.kind, term.key) in seen:
            raise ValueError(f"{where}: {text!r} is a duplicate of {seen[term.kind, term.key]}")
        seen[term.kind, term.key] = f"{text!r} ({where})"
        terms.append(term)
    return terms


def read_watchlist_file(path: Path) -> list[tuple[str, str]]:
    """(where, term) for every non-blank line; '#' starts a comment."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise ValueError(f"compare.watchlist_file: {path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"compare.watchlist_file: {path} is not UTF-8 text") from exc
    except OSError as exc:
        raise ValueError(f"compare.watchlist_file: cannot read {path}: {exc}") from exc
    return [(f"{path} line {number}", line.split("#", 1)[0].strip())
            for number, line in enumerate(lines, start=1)
            if line.split("#", 1)[0].strip()]


def load_watchlist(settings: CompareConfig) -> list[WatchTerm]:
    """`compare.watchlist` then the terms of `compare.watchlist_file`, checked together:
    what a run measures. Called before any work, so a bad list fails the run at once."""
    entries: list[str | tuple[str, str]] = [(f"compare.watchlist entry {i}", text) for i, text
                                            in enumerate(settings.watchlist, start=1)]
    if settings.watchlist_file:
        entries += read_watchlist_file(resolve_path(settings.watchlist_file))
    return parse_watchlist(entries, "compare.watchlist")


class TermCounter:
    """Occurrences of each watchlist term in one document's cleaned text (already through
    `normalise_unicode`) and citations: {term: count}, terms found only."""

    def __init__(self, terms: Sequence[WatchTerm]):
        self.phrases = [(t.term, t.key.split(" ", 1)[0], re.compile(
            r"(?<!\w)" + SYLLABLE_GAP.join(map(re.escape, t.key.split(" "))) + r"(?!\w)"))
            for t in terms if t.kind == PHRASE]
        self.codes = [(t.term, t.key) for t in terms if t.kind == CODE_KIND]

    def __call__(self, text: str, citations: Sequence[str]) -> dict[str, int]:
        lowered = text.lower()
        counts: dict[str, int] = {}
        for term, first_syllable, pattern in self.phrases:
            if first_syllable in lowered:          # a substring test skips most documents
                found = len(pattern.findall(lowered))
                if found:
                    counts[term] = found
        if self.codes and citations:
            cited = Counter(citations)
            counts.update({term: cited[key] for term, key in self.codes if cited[key]})
        return counts


def seed_word(text: str) -> str:
    """A seed word in the vocabulary's form: lower case, syllables joined by '_'."""
    return spelled(text).lower().replace(" ", "_")


def check_seed_topics(seed_topics: dict[str, list[str]]) -> None:
    """Every seeded topic has a label and seed words; no word seeds two topics or one twice
    (in any spelling: 'bệnh viện' is 'bệnh_viện')."""
    seen: dict[str, str] = {}
    for label, words in seed_topics.items():
        if not spelled(label):
            raise ValueError("model.seed_topics: a seeded topic has an empty label")
        if not words:
            raise ValueError(f"model.seed_topics: {label!r} has no seed words")
        for word in words:
            form = seed_word(word)
            if not form:
                raise ValueError(f"model.seed_topics: {label!r} has an empty seed word")
            if form in seen:
                raise ValueError(f"model.seed_topics: seed word {word!r} of {label!r} is a "
                                 f"duplicate of {seen[form]}")
            seen[form] = f"{word!r} of {label!r}"
