"""Cleaning and tokens on the real seed articles."""
from __future__ import annotations

import pytest

from vntopics.pipeline.config_io import resolve_path
from vntopics.pipeline.text.dates import parse_given_date
from vntopics.pipeline.text.normalise import guess_title
from vntopics.pipeline.text.normalise import normalise_document
from vntopics.pipeline.segment.words import TokenFilter, load_stopwords, segment_words
from tests.conftest import FIXTURES

STOPWORD_FILES = ["builtin:stopwords/vietnamese-stopwords-dash.txt",
                  "builtin:stopwords/domain.txt"]


@pytest.fixture(scope="module")
def stopwords():
    return load_stopwords([resolve_path(p) for p in STOPWORD_FILES])


def seed_text(name: str) -> str:
    return (FIXTURES / "seeds" / name).read_text(encoding="utf-8")


def test_lookalike_eth_and_widgets_are_cleaned():
    text = normalise_document(seed_text("000_96066fe42e697fa6.txt"))
    assert "\u00d0" not in text and "Đảng bộ tỉnh An Giang" in text
    assert "\nA A\n" not in text


def test_repeated_caption_is_kept_once():
    text = normalise_document(seed_text("001_bdadfb900eccd283.txt"))
    caption = "Đồng chí Hồ Thị Hoàng Yến, Phó Bí thư Thường trực Tỉnh ủy Bến Tre."
    assert text.count(caption) == 1
    assert "Chia sẻ bài viết" not in text


def test_view_counter_is_removed_from_the_date_line():
    text = normalise_document(seed_text("002_e149c863b3391813.txt"))
    assert "Lượt xem" not in text and "08:59 - Thứ Tư, 03/10/2018" in text


def test_nfd_input_becomes_nfc():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Nghị quyết Trung ương")
    assert normalise_document(decomposed) == "Nghị quyết Trung ương"


@pytest.mark.parametrize("value,expected", [("20210427", ("2021-04-27", 2021)),
                                            ("2021-01-28", ("2021-01-28", 2021)),
                                            ("09/09/2019", ("2019-09-09", 2019)),
                                            ("2021-02-30", (None, None)),
                                            ("soon", (None, None))])
def test_given_dates(value, expected):
    assert parse_given_date(value) == expected


def test_title_skips_date_lines():
    assert guess_title(["13/02/2018 - 16:50", "Kiện toàn hệ thống chính trị thành phố"]) == \
        "Kiện toàn hệ thống chính trị thành phố"


def test_party_codes_are_found_and_normalised():
    text = "Chỉ thị số 05-CT/TW, Quy định số 08-QĐi/TƯ và Quy định số 02 - QĐ/HU"
    assert TokenFilter(frozenset(), 1)(segment_words(text))[1] == ["05-ct/tw", "08-qđi/tw", "02-qđ/hu"]


def test_seed_tokens_keep_compounds_and_codes_and_drop_stopwords(stopwords):
    token_filter = TokenFilter(stopwords, 2)
    tokens, citations = token_filter(segment_words(
        normalise_document(seed_text("000_96066fe42e697fa6.txt"))))
    assert {"nghị_quyết", "đảng_viên", "xây_dựng", "18-nq/tw"} <= set(tokens)
    assert citations.count("18-nq/tw") >= 2
    assert not set(tokens) & stopwords
    assert "đồng_chí" not in tokens and "thưa" not in tokens
    assert all(t == t.lower() and not t.isdigit() for t in tokens)
