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

import ahocorasick

from vntopics.pipeline.config import CompareConfig
from vntopics.pipeline.config_io import resolve_path
from vntopics.pipeline.segment.words import CITATION, normalise_citation
from vntopics.pipeline.text import normalise_unicode

CODE = re.compile(CITATION.pattern, re.IGNORECASE)   # a code as a term: any letter case
PHRASE, CODE_KIND = "phrase", "code"


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


def read_watchlist_file(path: Path, limit: int) -> list[tuple[str, str]]:
    """(where, term) for every non-blank line; '#' starts a comment. Read a line at a time
    and stopped past `limit` terms (the caller refuses that many)."""
    entries: list[tuple[str, str]] = []
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if term := line.split("#", 1)[0].strip():
                    entries.append((f"{path} line {number}", term))
                    if len(entries) > limit:
                        break
    except FileNotFoundError as exc:
        raise ValueError(f"compare.watchlist_file: {path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"compare.watchlist_file: {path} is not UTF-8 text") from exc
    except OSError as exc:
        raise ValueError(f"compare.watchlist_file: cannot read {path}: {exc}") from exc
    return entries


def load_watchlist(settings: CompareConfig) -> list[WatchTerm]:
    """`compare.watchlist` then the terms of `compare.watchlist_file`, checked together:
    what a run measures, at most `compare.max_watchlist_terms` terms. Called before any
    work, so a bad list fails the run at once."""
    limit = settings.max_watchlist_terms
    entries: list[str | tuple[str, str]] = [(f"compare.watchlist entry {i}", text) for i, text
                                            in enumerate(settings.watchlist, start=1)]
    if settings.watchlist_file:
        path = resolve_path(settings.watchlist_file)
        entries += read_watchlist_file(path, limit - len(entries))
        if len(entries) > limit:
            raise ValueError(f"compare.watchlist_file: {path} and compare.watchlist hold more "
                             f"than compare.max_watchlist_terms ({limit:,}) terms")
    return parse_watchlist(entries, "compare.watchlist")


GAP_WITH_LINE_BREAK = re.compile(r"[^\S\n]*\n\s*")
GAP = re.compile(r"[^\S\n]+")


def is_word_character(character: str) -> bool:
    """What the regular expression `\\w` matches (letters, digits, marks counted as such, '_')."""
    return character.isalnum() or character == "_"


class TermCounter:
    """Occurrences of each watchlist term in one document's cleaned text (already through
    `normalise_unicode`) and citations: {term: count}, terms found only, in watchlist order.

    Every phrase is found in one pass over the text, whatever the number of terms (an
    Aho–Corasick automaton over the terms' keys, run on the lower-cased text with each gap
    between words written as one space, or one line break when it holds one): linear in the
    text's length. A match counts when no word character touches either end; a term's
    matches do not overlap (the first one wins), as a regular expression's would."""

    def __init__(self, terms: Sequence[WatchTerm]):
        phrases = [t for t in terms if t.kind == PHRASE]
        self.order = {t.term: position for position, t in enumerate(terms)}
        self.automaton = ahocorasick.Automaton() if phrases else None
        for t in phrases:
            self.automaton.add_word(t.key, (t.term, len(t.key)))
        if self.automaton is not None:
            self.automaton.make_automaton()
        self.codes = [(t.term, t.key) for t in terms if t.kind == CODE_KIND]

    def __call__(self, text: str, citations: Sequence[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        if self.automaton is not None:
            counts = self.phrase_counts(GAP.sub(" ", GAP_WITH_LINE_BREAK.sub("\n",
                                                                           text.lower())))
        if self.codes and citations:
            cited = Counter(citations)
            counts.update({term: cited[key] for term, key in self.codes if cited[key]})
        return dict(sorted(counts.items(), key=lambda item: self.order[item[0]]))

    def phrase_counts(self, text: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        last_end: dict[str, int] = {}       # where each term's previous counted match ends
        for end, (term, length) in self.automaton.iter(text):
            start = end - length + 1
            if ((start and is_word_character(text[start - 1]))
                    or (end + 1 < len(text) and is_word_character(text[end + 1]))
                    or start <= last_end.get(term, -1)):
                continue
            last_end[term] = end
            counts[term] = counts.get(term, 0) + 1
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
