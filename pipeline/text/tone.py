"""One tone-mark placement for Vietnamese: the traditional (old-style) one most newspapers use.

Scraped news mixes "hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe"; left alone, each word becomes two
vocabulary entries and splits its topic weight. The rule: in a syllable whose rhyme is exactly
oa, oe or uy (no final consonant or glide), the tone mark goes on the first vowel (hòa, khỏe,
thủy, ủy). With a final (hoàng, khuyến, ngoài, ngoẹo), after "qu" (quý, quà: the u belongs
to the consonant) or after a letter cluster that is no Vietnamese onset (Chloé) nothing moves.

The replacement table is derived from Unicode decomposition (base letter + combining tone
mark) rather than typed by hand (60 pairs: 3 rhymes x 4 letter cases x 5 tones), and the text
is scanned with one regular expression for those pairs at a word end, so words without one
cost no Python work at all.

underthesea's ``text_normalize`` does apply this convention, but it re-tokenises (spaces
around punctuation), rewrites other spellings ("nghành" -> "ngành") from a fixed table, skips
words longer than six characters and is slow on a whole corpus (benchmarks/README.md), so it
is not used here.
"""
from __future__ import annotations

import re
import unicodedata

TONE_MARKS = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # grave acute hook tilde dot
GLIDE_NUCLEUS_PAIRS = (("o", "a"), ("o", "e"), ("u", "y"))
# Consonants that open a Vietnamese syllable before an oa/oe/uy rhyme ("qu" is not one: its u
# is the glide). Preceded by anything else ("Chloé", a vowel) the pair is left alone.
ONSETS = frozenset({"", "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n",
                    "ng", "ngh", "nh", "p", "ph", "r", "s", "t", "th", "tr", "v", "x"})
ONSET_LETTERS = frozenset("".join(ONSETS) + "".join(ONSETS).upper())
COMBINING_MARK_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"


def _case_variants(first: str, second: str) -> list[tuple[str, str]]:
    return [(a, b) for a in (first.lower(), first.upper()) for b in (second.lower(),
                                                                       second.upper())]


def _build_new_to_old_style() -> dict[str, str]:
    """{"oà": "òa", "UỶ": "ỦY", ...}: every case and tone, composed via NFC from NFD parts."""
    mapping: dict[str, str] = {}
    for first, second in GLIDE_NUCLEUS_PAIRS:
        for glide, nucleus in _case_variants(first, second):
            for tone in TONE_MARKS:
                new_style = glide + unicodedata.normalize("NFC", nucleus + tone)
                old_style = unicodedata.normalize("NFC", glide + tone) + nucleus
                mapping[new_style] = old_style
    return mapping


NEW_TO_OLD_STYLE = _build_new_to_old_style()
# A new-style pair at the end of a word (not followed by a letter, digit or combining mark).
NEW_STYLE_PAIR_AT_WORD_END = re.compile(
    "(?:" + "|".join(sorted(NEW_TO_OLD_STYLE)) + f")(?![\\w{COMBINING_MARK_RANGES}])")
WORD_CHARACTER = re.compile(f"[\\w{COMBINING_MARK_RANGES}]")


def _starts_syllable_with_onset(text: str, pair_start: int) -> bool:
    """True when a Vietnamese onset, or nothing, lies between the word start and the pair."""
    position = pair_start
    while position > 0 and text[position - 1] in ONSET_LETTERS:
        position -= 1
    if position > 0 and WORD_CHARACTER.match(text, position - 1):
        return False
    return text[position:pair_start].lower() in ONSETS


def normalise_tone_marks(text: str) -> str:
    """The text with oa/oe/uy tone marks in old-style position; NFC in, NFC out."""
    text = unicodedata.normalize("NFC", text)

    def to_old_style(match: re.Match[str]) -> str:
        pair = match.group()
        if _starts_syllable_with_onset(text, match.start()):
            return NEW_TO_OLD_STYLE[pair]
        return pair

    result, replaced = NEW_STYLE_PAIR_AT_WORD_END.subn(to_old_style, text)
    # Belt and braces: a stray combining mark outside the ranges above could follow a pair.
    if replaced and not unicodedata.is_normalized("NFC", result):
        result = unicodedata.normalize("NFC", result)
    return result
