"""Word segmentation (underthesea) and token filtering for Vietnamese topic models.

Vietnamese words span several syllables ("xây dựng"), so topics are built from underthesea's
compounds joined with '_' ("xây_dựng"), the form the shared stop-word list uses. Party document
codes ("18-NQ/TW") are kept whole: the segmenter would cut them into meaningless pieces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

SEGMENTER_VERSION = "underthesea-word_tokenize-1"

CITATION = re.compile(
    r"(?<![\w/])(\d{1,4}[a-z]?)\s*-\s*"
    r"(NQ|CT|QĐi|QĐ|QC|KL|HD|HĐ|TB|KH|CTr|BC|TTr)\s*/\s*"
    r"(TW|TƯ|T\.Ư|T\.W|HU|TU|ĐU|QU|BCT|BCH|BBT|CP|TTg|UBTVQH\d*|QH\d*)(?![\w])"
)
HAS_LETTER = re.compile(r"[^\W\d_]")
EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


def normalise_citation(match: re.Match) -> str:
    """'18 - NQ/TƯ' and '18-NQ/T.Ư' are one document: '18-nq/tw'."""
    number, kind, issuer = match.groups()
    issuer = issuer.replace(".", "").upper()
    if issuer == "TƯ":
        issuer = "TW"
    return f"{number}-{kind}/{issuer}".lower()


def read_stopword_file(path: Path) -> str:
    """The list's text; a missing, unreadable or non-UTF-8 list raises ValueError naming it
    (`check_stopword_files` runs this before any work)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"stop-word file {path}: not UTF-8 text (undecodable byte at offset "
                         f"{exc.start})") from exc
    except FileNotFoundError as exc:
        raise ValueError(f"stop-word file {path}: not found") from exc
    except OSError as exc:
        raise ValueError(f"stop-word file {path}: cannot be read ({exc.strerror or exc})"
                         ) from exc


def check_stopword_files(files: Iterable[Path]) -> None:
    for path in files:
        read_stopword_file(path)


def load_stopwords(files: Iterable[Path], extra: Iterable[str] = ()) -> frozenset[str]:
    """Stop-words in compound form; syllable-spaced entries are joined with '_'."""
    words: set[str] = set()
    for path in files:
        for line in read_stopword_file(path).splitlines():
            entry = line.split("#", 1)[0].strip().lower()
            if entry:
                words.add("_".join(entry.split()))
    words.update("_".join(w.strip().lower().split()) for w in extra if w.strip())
    return frozenset(words)


CITATION_MARK = "\u2063"   # invisible separator: marks a citation code among the words


def segment_words(text: str) -> list[str]:
    """underthesea words, lowercased and joined with '_', citation codes kept whole and marked.

    This is the expensive, settings-free part of tokenisation, so it is what gets cached.
    """
    from vntopics.pipeline.segment.fast_tokenize import word_tokenize

    return marked_words(text, lambda chunk: ("_".join(w.split()) for w in word_tokenize(chunk)))


def given_segmentation(joined: str) -> list[str]:
    """A pre-segmented record's words (whitespace-separated, compounds with '_') in the form
    `segment_words` gives: lowercased, edge punctuation off, citation codes whole and marked
    (also when the other segmenter cut "18-NQ/TW" into pieces)."""
    return marked_words(joined, str.split)


def marked_words(text: str, split: Callable[[str], Iterable[str]]) -> list[str]:
    """`split`'s words of the text between citation codes, then each code, in order."""
    words: list[str] = []
    position = 0
    for match in [*CITATION.finditer(text), None]:
        chunk = text[position:match.start()] if match else text[position:]
        for word in split(chunk) if chunk.strip() else ():
            token = EDGE_PUNCT.sub("", word.lower())
            if token:
                words.append(token)
        if match:
            words.append(CITATION_MARK + normalise_citation(match))
            position = match.end()
    return words


@dataclass
class TokenFilter:
    """Segmented words -> kept tokens (no stop-words, numbers, punctuation, stray letters)
    plus the Party document codes cited.

    The keep/drop decision depends only on the word, so it is made once per distinct word and
    remembered: a corpus has far more words than distinct ones (full-VNTC figures in
    benchmarks/README.md), and a dict lookup costs a fraction of `keep` (a set lookup plus a
    regex search) per word.
    """

    stopwords: frozenset[str] = field(default_factory=frozenset)
    min_token_chars: int = 2
    _decided: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _settings: tuple = field(default=(), init=False, repr=False, compare=False)
    _citation_words: set = field(default_factory=set, init=False, repr=False, compare=False)

    def keep(self, token: str) -> bool:
        return (len(token) >= self.min_token_chars and token not in self.stopwords
                and HAS_LETTER.search(token) is not None)

    def _decisions(self) -> "Decisions":
        """word -> the token it becomes (None: dropped), filled in as new words come."""
        settings = (self.stopwords, self.min_token_chars)  # tuple == checks identity first
        if settings != self._settings:          # attributes changed since the last call
            self._decided, self._settings = Decisions(self), settings
        return self._decided

    def decide(self, word: str) -> str | None:
        """A word's token (None: dropped); a citation word becomes its document code."""
        if word.startswith(CITATION_MARK):
            self._citation_words.add(word)
            return word[1:]
        return word if self.keep(word) else None

    def __call__(self, words: list[str]) -> tuple[list[str], list[str]]:
        # filter/map keep the per-word loop in C; only unseen words reach Python (decide)
        tokens = list(filter(None, map(self._decisions().__getitem__, words)))
        marked = self._citation_words
        citations = ([word[1:] for word in words if word in marked]
                     if marked and not marked.isdisjoint(words) else [])
        return tokens, citations


class Decisions(dict):
    """TokenFilter's memo: a missing word is decided once, then looked up."""

    def __init__(self, token_filter: TokenFilter):
        super().__init__()
        self.token_filter = token_filter

    def __missing__(self, word: str) -> str | None:
        value = self[word] = self.token_filter.decide(word)
        return value


def join_phrases(token_lists: list[list[str]], min_count: int, threshold: float
                 ) -> list[list[str]]:
    """Frequent adjacent pairs joined with '_' (gensim Phrases), e.g. 'hệ_thống_chính_trị'."""
    from gensim.models.phrases import Phrases

    model = Phrases(token_lists, min_count=min_count, threshold=threshold, delimiter="_")
    frozen = model.freeze()
    return [frozen[tokens] for tokens in token_lists]
