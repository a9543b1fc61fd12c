"""A watchlist cannot cost a run hours: at most `compare.max_watchlist_terms` terms (1,000 by
default; a 10,000-term file took 358 s and wrote 1.4 M rows), and every term is found in one
pass over each text (Aho–Corasick), counting exactly what one regular expression per term
counted before."""
from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter

import pytest

from tests.conftest import FIXTURES, run_cli
from vntopics.pipeline.config import CompareConfig
from vntopics.pipeline.config_io import load_config
from vntopics.pipeline.segment.terms import (PHRASE, TermCounter, WatchTerm, load_watchlist,
                                             parse_watchlist)
from vntopics.pipeline.text.normalise import normalise_document

SYLLABLE_GAP = r"[^\S\n]+"


class RegexTermCounter:
    """The phrase matching the watchlist had before the automaton: one regular expression per
    term, its syllables with spaces (never a line break) between them and no word character
    touching either end. The reference the automaton must equal."""

    def __init__(self, terms: list[WatchTerm]):
        self.phrases = [(t.term, t.key.split(" ", 1)[0], re.compile(
            r"(?<!\w)" + SYLLABLE_GAP.join(map(re.escape, t.key.split(" "))) + r"(?!\w)"))
            for t in terms if t.kind == PHRASE]

    def __call__(self, text: str) -> dict[str, int]:
        lowered = text.lower()
        return {term: found for term, first_syllable, pattern in self.phrases
                if first_syllable in lowered and (found := len(pattern.findall(lowered)))}


def real_texts() -> list[str]:
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    seeds = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
    return [normalise_document(t) for t in [r["text"] for r in records] + seeds]


def terms_of(texts: list[str], wanted: int) -> list[str]:
    """`wanted` real phrases of 1 to 3 syllables, the most frequent in `texts`, and some that
    test the edges: punctuation inside a term, a term inside another, repeated syllables."""
    grams: Counter = Counter()
    for text in texts:
        for line in text.lower().split("\n"):
            words = line.split()
            for size in (1, 2, 3):
                grams.update(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))
    edges = ["covid-19", "18-nq/tw", "đảng", "đảng bộ", "đảng bộ tỉnh", "bộ tỉnh", "tế",
             "y tế", "ủy ban nhân dân", "nhân dân", "dân", "(", "tỉnh,", "từng từng", "ông"]
    chosen = dict.fromkeys(edges)
    for gram, _ in grams.most_common():
        if len(chosen) >= wanted:
            break
        chosen.setdefault(gram)
    return list(chosen)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    extra = ["Từng từng từng bước.\tĐảng  bộ\ttỉnh; đảng\nbộ tỉnh (Đảng bộ) y_tế Y tế",
             "ĐẢNG BỘ TỈNH covid-19, Covid-19x, xcovid-19 18-NQ/TW 18-nq/tw."]
    return real_texts() + extra


def test_the_automaton_counts_exactly_what_a_regex_per_term_counted(texts):
    entries = terms_of(texts, 500)        # the reference takes 0.1 s a term
    terms = [t for t in parse_watchlist(entries, "test") if t.kind == PHRASE]
    assert len(terms) > 490
    automaton, reference = TermCounter(terms), RegexTermCounter(terms)
    found = 0
    for text in texts:
        counts = automaton(text, [])
        assert counts == reference(text)
        assert list(counts) == [t.term for t in terms if t.term in counts]   # list order
        found += sum(counts.values())
    assert found > 40_000


def test_one_pass_per_text_whatever_the_number_of_terms(texts):
    """1,000 terms cost about what 10 cost (the regexes took 100 times as long)."""
    entries = terms_of(texts, 1000)

    def seconds(count: int) -> float:
        counter = TermCounter(parse_watchlist(entries[:count], "test"))
        started = time.perf_counter()
        for text in texts:
            counter(text, [])
        return time.perf_counter() - started

    assert seconds(1000) < 10 * seconds(10) + 0.5


def test_more_terms_than_the_limit_fail_in_one_line(tmp_path):
    with pytest.raises(ValueError, match=r"compare.watchlist: 1,001 terms, more than "
                                         r"compare.max_watchlist_terms \(1,000\)"):
        load_config(overrides=["compare.watchlist=[" + ",".join(
            f"t{n}" for n in range(1001)) + "]"])
    path = tmp_path / "terms.txt"
    path.write_text("".join(f"thuật ngữ {n}\n" for n in range(1_000_000)), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ValueError, match=rf"{path} and compare.watchlist hold more than "
                                         r"compare.max_watchlist_terms \(1,000\) terms"):
        load_watchlist(CompareConfig(watchlist=["tham nhũng"], watchlist_file=str(path)))
    assert time.monotonic() - started < 2
    settings = CompareConfig(watchlist_file=str(path), max_watchlist_terms=2000)
    path.write_text("".join(f"thuật ngữ {n}\n" for n in range(2000)), encoding="utf-8")
    assert len(load_watchlist(settings)) == 2000                   # the limit is a setting


def test_a_million_term_watchlist_file_fails_the_run_before_any_work(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("".join(f"thuật ngữ {n}\n" for n in range(1_000_000)), encoding="utf-8")
    result = run_cli(["run", "--input", str(FIXTURES / "seeds"), "--artifacts-dir",
                      str(tmp_path / "artifacts"), "--set", f"compare.watchlist_file={path}"],
                     timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"vntopics: error: compare.watchlist_file: {path} and compare.watchlist hold more "
        "than compare.max_watchlist_terms (1,000) terms")
