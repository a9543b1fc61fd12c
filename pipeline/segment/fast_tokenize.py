"""`word_tokenize(text)`: underthesea's word segmentation with the same words, faster.

Why: 1.9-2.1x the throughput of bare `underthesea.word_tokenize`, identical words on all
84,132 VNTC documents (benchmarks/tokenize_speed.py, 2 processes; benchmarks/README.md).
underthesea 9.5.0 spends ~55 % of `word_tokenize` in its Rust featurizer building 43 feature
strings per syllable and ~23 % in its Python pre-tokenizer; its CRF tagger is ~18 %. Here the
same regex runs group-free (no per-match `groupdict`), token normalisation and each syllable's
own features (asked of underthesea's featurizer once per distinct syllable) are memoised, and
only the n-gram features are built per position, in the featurizer's order, for underthesea's
own tagger.

Pinned: the feature layout is underthesea 9.5.0's (underthesea_core 3.3.2); with any other
version, or if the model's templates differ, `word_tokenize` is underthesea's own (one warning).
"""
from __future__ import annotations

import logging
import re
import sys
from operator import itemgetter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable

import joblib

PINNED = {"underthesea": "9.5.0", "underthesea_core": "3.3.2"}
MODEL = "ws_crf_vlsp2013_20230727"          # underthesea 9.5.0's word segmentation model
TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?")
# distinct syllables kept (~40 MB a worker), cleared when full: 60,000 (~100 MB) was 4 % faster
# but made segmentation the run's memory peak on the full VNTC (benchmarks/README.md)
CACHE_LIMIT = 20_000
log = logging.getLogger(__name__)


def installed_versions() -> dict[str, str | None]:
    found = {}
    for name in PINNED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


class FastWordTokenizer:
    """underthesea's word_tokenize pipeline (default arguments) with memoised per-syllable work.

    Raises ValueError at construction when the model's feature templates are not the layout
    this class reproduces, so a changed model can never be featurized differently.
    """

    def __init__(self) -> None:
        from underthesea import word_tokenize as underthesea_word_tokenize
        from underthesea.pipeline.text_normalize import token_normalize
        from underthesea.pipeline.text_normalize.character_normalize import (
            normalize_characters_in_text)
        from underthesea.pipeline.word_tokenize import regex_tokenize

        underthesea_word_tokenize("khởi động")          # loads underthesea's model once
        model = sys.modules["underthesea.pipeline.word_tokenize"].word_tokenize_model
        self.featurizer, self.tagger = model.featurizer, model.estimator
        self.normalize_text = normalize_characters_in_text
        self.normalised = Memo(token_normalize)
        # underthesea's default pattern (regex_tokenize.patterns is replaced for good once a
        # caller passes fixed_words, so it is rebuilt here from the same pieces and flags)
        self.pattern = re.compile(
            non_capturing("(" + "|".join(regex_tokenize.regex_patterns) + ")"),
            re.VERBOSE | re.UNICODE)
        if self.pattern.groups:
            raise ValueError("the pre-tokenizer pattern kept a capturing group")
        model_dir = Path(regex_tokenize.__file__).parent / "models" / MODEL
        self.dictionary = joblib.load(model_dir / "dictionary.bin")
        self.templates = self._parse_templates(joblib.load(model_dir / "features.bin"))
        self.syllables: dict[str, tuple[str, ...]] = {}
        self.pad = {edge: self._syllable_strings((edge,) * 4) for edge in ("BOS", "EOS")}
        probe = ["Tôi", "yêu", "Việt", "Nam", ".", "1", "Đà", "ABC", "BOS"]
        expected = self.featurizer.process([[[t] for t in probe]])[0]
        if list(map(list, self.featurize(probe))) != expected:
            raise ValueError("features differ from underthesea's featurizer on a probe")

    def _parse_templates(self, names: list[str]) -> list[tuple[str, int, int, str]]:
        """(name, start, end, attribute) per template, in the featurizer's order."""
        parsed = []
        for name in names:
            match = TEMPLATE.fullmatch(name)
            if match is None:
                raise ValueError(f"unknown feature template {name!r}")
            start, end, attribute = match.groups()
            end = start if end is None else end
            if attribute == "isdigit" and start != end:
                raise ValueError(f"unsupported n-gram template {name!r}")
            parsed.append((name, int(start), int(end), attribute or ""))
        if any(start > end or end - start > 2 for _, start, end, _ in parsed):
            raise ValueError("unsupported template span")
        self.unigram = [(name, start, attribute) for name, start, end, attribute in parsed
                        if start == end]
        self.probe_index = {attribute: index for index, (_, start, end, attribute)
                            in enumerate(parsed) if start == end == 0}
        if set(self.probe_index) != {"", "lower", "isdigit", "istitle", "is_in_dict"}:
            raise ValueError("the featurizer's T[0] templates are not the pinned ones")
        return parsed

    def _syllable_values(self, syllables: list[str], memo: dict) -> None:
        """Each new syllable's own feature strings, asked of underthesea's featurizer."""
        rows = self.featurizer.process([[[syllable]] for syllable in syllables])
        index = self.probe_index
        for syllable, (features,) in zip(syllables, rows):
            values = tuple(features[index[attribute]].split("=", 1)[1]
                           for attribute in ("", "lower", "isdigit", "istitle", "is_in_dict"))
            memo[syllable] = self._syllable_strings(values[1:], values[0])

    def _syllable_strings(self, values: tuple[str, ...], text: str | None = None
                          ) -> tuple[str, ...]:
        """(text, lower, istitle, unigram feature strings...) for one syllable or BOS/EOS."""
        lower, isdigit, istitle, in_dict = values
        text = lower if text is None else text
        value = {"": text, "lower": lower, "isdigit": isdigit, "istitle": istitle,
                 "is_in_dict": in_dict}
        return (text, lower, istitle, *(f"{name}={value[attribute]}"
                                        for name, _, attribute in self.unigram))

    def featurize(self, tokens: list[str]) -> list[tuple[str, ...]]:
        """The featurizer's output for one sentence, built from memoised syllable strings."""
        syllables = self.syllables      # replaced, never cleared: safe if threads share self
        missing = [t for t in dict.fromkeys(tokens) if t not in syllables]
        if missing:
            if len(syllables) + len(missing) > CACHE_LIMIT:
                syllables = self.syllables = {}
                missing = list(dict.fromkeys(tokens))
            self._syllable_values(missing, syllables)
        n = len(tokens)
        rows = list(map(syllables.__getitem__, tokens))
        padded = [self.pad["BOS"]] * 2 + rows + [self.pad["EOS"]] * 2
        texts, lowers, titles = (list(map(itemgetter(k), rows)) for k in range(3))
        spans = {2: (list(map(" ".join, zip(texts, texts[1:]))),
                     list(map(" ".join, zip(lowers, lowers[1:]))),
                     [a == b == "True" for a, b in zip(titles, titles[1:])]),
                 3: (list(map(" ".join, zip(texts, texts[1:], texts[2:]))),
                     list(map(" ".join, zip(lowers, lowers[1:], lowers[2:]))),
                     [a == b == c == "True" for a, b, c in zip(titles, titles[1:], titles[2:])])}
        columns = []
        slot = 3
        for name, start, end, attribute in self.templates:
            if start == end:
                columns.append(map(itemgetter(slot), padded[2 + start:2 + start + n]))
                slot += 1
                continue
            head = min(n, -start) if start < 0 else 0
            valid = max(0, n - end - head)
            text, lower, title = spans[end - start + 1]
            values = {"": text, "lower": lower, "istitle": title, "is_in_dict": lower}[attribute]
            values = values[start + head:start + head + valid]
            if attribute == "is_in_dict":
                values = map(self.dictionary.__contains__, values)
            if attribute in ("is_in_dict", "istitle"):
                values = map({True: f"{name}=True", False: f"{name}=False"}.__getitem__, values)
            else:
                values = map(f"{name}=".__add__, values)
            columns.append([f"{name}=BOS"] * head + list(values)
                           + [f"{name}=EOS"] * (n - head - valid))
        return list(zip(*columns))

    def tokenize(self, text: str) -> list[str]:
        """underthesea's `tokenize(text)` (character and token normalisation included)."""
        normalised = self.normalised
        if len(normalised) > CACHE_LIMIT:
            normalised = self.normalised = Memo(normalised.function)
        return list(map(normalised.__getitem__, self.pattern.findall(self.normalize_text(text))))

    def __call__(self, text: str) -> list[str]:
        tokens = self.tokenize(text)
        if not tokens:
            return []
        tags = self.tagger.tag(self.featurize(tokens))
        output: list[str] = []
        for tag, token in zip(tags, tokens):
            if tag == "I-W" and output:
                output[-1] = output[-1] + " " + token
            else:
                output.append(token)
        return output


class Memo(dict):
    """A pure function's results, computed on first use."""

    def __init__(self, function: Callable[[str], str]):
        super().__init__()
        self.function = function

    def __missing__(self, key: str) -> str:
        value = self[key] = self.function(key)
        return value


def non_capturing(pattern: str) -> str:
    """A verbose-mode pattern with every group made non-capturing (findall then returns the
    whole matches, without a Match object per token); the matches themselves do not change."""
    out, i, in_class, comment = [], 0, False, False
    while i < len(pattern):
        char, step = pattern[i], 1
        if comment:
            comment = char != "\n"
        elif char == "\\":
            step = 2
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            step = 1 + pattern.startswith("^", i + 1)
            step += pattern.startswith("]", i + step)       # a leading ']' is literal
        elif char == "#":
            comment = True
        elif char == "(" and not pattern.startswith("(?", i) or pattern.startswith("(?P<", i):
            group = re.match(r"\((?:\?P<\w+>)?", pattern[i:])
            out.append("(?:")
            i += group.end()
            continue
        out.append(pattern[i:i + step])
        i += step
    return "".join(out)


_word_tokenize: Callable[[str], list[str]] | None = None


def word_tokenize(text: str) -> list[str]:
    """underthesea.word_tokenize(text): the fast path when the pinned versions are installed."""
    global _word_tokenize
    if _word_tokenize is None:
        _word_tokenize = load()
    return _word_tokenize(text)


def load() -> Callable[[str], list[str]]:
    found = installed_versions()
    if found == PINNED:
        try:
            return FastWordTokenizer()
        except Exception as exc:    # whatever stops the fast path, the exact one remains
            reason = f"{type(exc).__name__}: {exc}"
    else:
        reason = f"installed {found}, pinned {PINNED}"
    log.warning("fast word segmentation off (%s): using underthesea.word_tokenize", reason)
    from underthesea import word_tokenize as underthesea_word_tokenize
    return underthesea_word_tokenize
