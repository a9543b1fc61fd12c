"""Analyst terms: the watchlist's spelling rules and errors, how a phrase matches in text, and
seed words in the vocabulary's form."""
from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import FIXTURES
from vntopics.pipeline.config import CompareConfig
from vntopics.pipeline.segment.terms import (TermCounter, check_seed_topics, load_watchlist,
                                             parse_watchlist, seed_word)
from vntopics.pipeline.text.normalise import normalise_document


def test_terms_keep_the_analysts_spelling_and_codes_their_canonical_form():
    terms = parse_watchlist(["  xây_dựng   Đảng ", "18-nq/tư", "Covid-19"], "test")
    assert [(t.term, t.kind, t.key) for t in terms] == [
        ("xây dựng Đảng", "phrase", "xây dựng đảng"), ("18-NQ/TW", "code", "18-nq/tw"),
        ("Covid-19", "phrase", "covid-19")]


@pytest.mark.parametrize("entries,message", [
    (["tham nhũng", "  "], "entry 2: empty watchlist term"),
    (["tham nhũng", "Tham_nhũng"], "'Tham_nhũng' is a duplicate of 'tham nhũng'"),
    (["hoà giải", "hòa giải"], "duplicate"),                       # one tone-mark placement
    (["18-NQ/TW", "18 - NQ/T.Ư"], "duplicate of '18-NQ/TW'"),
    (["Ðảng viên", "đảng viên"], "duplicate"),                      # Icelandic Ð
])
def test_empty_and_repeated_terms_are_errors(entries, message):
    with pytest.raises(ValueError, match=message):
        parse_watchlist(entries, "compare.watchlist")


def test_watchlist_file_joins_the_inline_terms_and_names_itself_in_errors(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("# corruption and digital government\ntham nhũng  # phòng, chống\n\n"
                    "chuyển đổi số\n", encoding="utf-8")
    settings = CompareConfig(watchlist=["18-NQ/TW"], watchlist_file=str(path))
    assert [t.term for t in load_watchlist(settings)] == ["18-NQ/TW", "tham nhũng",
                                                         "chuyển đổi số"]
    path.write_text("tham nhũng\n18-NQ/TW\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{path} line 2: '18-NQ/TW' is a duplicate of "
                                         r"'18-NQ/TW' \(compare.watchlist entry 1\)"):
        load_watchlist(settings)
    with pytest.raises(ValueError, match=f"{tmp_path / 'missing.txt'} does not exist"):
        load_watchlist(CompareConfig(watchlist_file=str(tmp_path / "missing.txt")))
    path.write_bytes("tham nhũng".encode("utf-16"))
    with pytest.raises(ValueError, match="is not UTF-8 text"):
        load_watchlist(settings)


def test_phrases_match_whole_syllables_within_a_line_and_sentence():
    count = TermCounter(parse_watchlist(["y tế", "chuyển đổi số", "05-CT/TW"], "test"))
    text = normalise_document("Ngành Y tế và quy tế (không phải y tế học?).\n"
                              "Chuyển đổi\nsố. Chuyển đổi số, chuyển  đổi số; chuyển đổi. Số")
    assert count(text, ["05-ct/tw", "18-nq/tw", "05-ct/tw"]) == {
        "y tế": 2, "chuyển đổi số": 2, "05-CT/TW": 2}
    assert count("", []) == {}


def test_a_real_article_in_nfd_counts_like_the_nfc_one():
    raw = (FIXTURES / "seeds" / "000_96066fe42e697fa6.txt").read_text(encoding="utf-8")
    count = TermCounter(parse_watchlist(["Đảng bộ tỉnh", "18-NQ/TW"], "test"))
    found = count(normalise_document(raw), [])
    assert found["Đảng bộ tỉnh"] >= 2                  # written with the look-alike Ð
    assert count(normalise_document(unicodedata.normalize("NFD", raw)), []) == found


def test_seed_words_take_the_vocabulary_form():
    assert seed_word(" Bệnh  viện ") == seed_word("bệnh_viện") == "bệnh_viện"
    assert seed_word(unicodedata.normalize("NFD", "Y tế")) == "y_tế"
    check_seed_topics({"Y tế": ["bệnh viện", "bác_sĩ"], "Giáo dục": ["học sinh"]})
    for seed_topics, message in [({"Y tế": []}, "has no seed words"),
                                 ({" ": ["bác sĩ"]}, "empty label"),
                                 ({"Y tế": ["bác sĩ", " "]}, "empty seed word"),
                                 ({"Y tế": ["bác sĩ"], "Bệnh": ["Bác_sĩ"]},
                                  "'Bác_sĩ' of 'Bệnh' is a duplicate of 'bác sĩ' of 'Y tế'")]:
        with pytest.raises(ValueError, match=message):
            check_seed_topics(seed_topics)
