"""Tone-mark placement: new-style oa/oe/uy spellings become old-style, nothing else moves."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vntopics.pipeline.text.tone import normalise_tone_marks

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
SEED_WITH_MOST_PAIRS = SEEDS / "003_fa50e03cc3be85bd.txt"
# Old-style words in that seed and how a new-style paper spells them (typed, not derived).
OLD_TO_NEW_STYLE_WORDS = {"ủy": "uỷ", "hóa": "hoá", "khóa": "khoá", "thủy": "thuỷ",
                          "khỏe": "khoẻ", "Ủy": "Uỷ"}


@pytest.mark.parametrize("new_style, old_style", [
    ("hoà", "hòa"), ("hoá", "hóa"), ("hoạ", "họa"), ("loà", "lòa"), ("toà", "tòa"),
    ("thuỷ", "thủy"), ("thuý", "thúy"), ("luỵ", "lụy"), ("huỹ", "hũy"),
    ("khoẻ", "khỏe"), ("xoè", "xòe"), ("uỷ", "ủy"), ("Tỉnh uỷ", "Tỉnh ủy"),
    ("HOÀ", "HÒA"), ("Thuỷ", "Thủy"), ("HoÀ", "HòA"),
    ("UỶ BAN", "ỦY BAN"), ("Hoà Bình, Khánh Hoà.", "Hòa Bình, Khánh Hòa."),
    ("(hoà)", "(hòa)"), ("oà khóc", "òa khóc"), ("Thuỵ Điển", "Thụy Điển"),
])
def test_new_style_becomes_old_style(new_style, old_style):
    assert normalise_tone_marks(new_style) == old_style


@pytest.mark.parametrize("word", [
    # A final consonant or glide: the mark stays on the second vowel in both conventions.
    "hoàng", "toán", "khuyến", "thuyết", "quyết", "ngoài", "thoái", "xoáy", "ngoẹo", "khuỷu",
    "huỳnh", "HOÀNG",
    # "qu": the u is part of the consonant, the vowel after it carries the mark.
    "quý", "quả", "quà", "quỳ", "quỹ", "QUÝ", "Quý",
    # Already old-style.
    "hòa", "thủy", "khỏe", "ủy", "Tỉnh ủy", "HÒA",
    # Not an oa/oe/uy rhyme: a vowel or a foreign consonant cluster before the pair.
    "kiuý", "Chloé", "Schuý", "",
])
def test_unchanged(word):
    assert normalise_tone_marks(word) == word


def test_decomposed_input_comes_out_composed():
    assert normalise_tone_marks(unicodedata.normalize("NFD", "Tỉnh uỷ hoà")) == "Tỉnh ủy hòa"


def test_old_style_seed_is_unchanged():
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        assert normalise_tone_marks(text) == text, seed.name


def test_new_style_seed_becomes_the_old_style_original():
    original = SEED_WITH_MOST_PAIRS.read_text(encoding="utf-8")
    word = re.compile(r"\w+")
    new_style = word.sub(lambda m: OLD_TO_NEW_STYLE_WORDS.get(m.group(), m.group()), original)
    assert new_style != original and "uỷ" in new_style and "khoẻ" in new_style

    normalised = normalise_tone_marks(new_style)

    assert len(normalised) == len(new_style)
    assert normalised == original
    new_words, normalised_words = word.findall(new_style), word.findall(normalised)
    for before, after in zip(new_words, normalised_words, strict=True):
        if before not in OLD_TO_NEW_STYLE_WORDS.values():
            assert after == before


# Any text, and text dense in lone surrogates, combining marks and punctuation.
ANY_TEXT = st.text() | st.text(st.characters(categories=["Cs", "Ll", "Lu", "Mn", "Zs", "Po"]))


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_arbitrary_text_is_idempotent_and_nfc(text):
    once = normalise_tone_marks(text)
    assert unicodedata.is_normalized("NFC", once)
    assert normalise_tone_marks(once) == once


VIETNAMESE_LETTERS = "aoeuyiqhktlgnđAOEUYQHT" + "àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ" + "\u0300\u0301"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(VIETNAMESE_LETTERS + " .,\n")), max_size=40))
def test_vietnamese_like_text_is_idempotent_and_keeps_length(text):
    text = unicodedata.normalize("NFC", text)
    once = normalise_tone_marks(text)
    assert unicodedata.is_normalized("NFC", once)
    assert normalise_tone_marks(once) == once
    assert len(once) == len(text)
