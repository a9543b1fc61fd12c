"""The fast word segmentation gives underthesea's words, exactly (benchmarks/tokenize_speed.py
checks the whole VNTC)."""
from __future__ import annotations

import gzip
import json
import logging
import unicodedata

import pytest
from underthesea import word_tokenize as underthesea_word_tokenize
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize as underthesea_tokenize

from tests.conftest import FIXTURES, PROJECT
from vntopics.pipeline.segment import fast_tokenize
from vntopics.pipeline.segment.words import marked_words, segment_words
from vntopics.pipeline.text.normalise import normalise_document

TRICKY = [
    "", " ", "\n\t  \n", ".", "...", "!!!???", "—", "“”", "(", ")",
    "Giá 1.234,5 đồng, 60.542.000 đồng, 100,000,000 VND, 3,5% và 0,25 điểm; 1/2 số phiếu.",
    "Ngày 12/3/2024, 02-03-2014, 08-2014, 20.08.2014, 2014/08/20 lúc 10:20:50 và 7h30, 19:45.",
    "Xem https://dantri.com.vn/kinh-doanh/a-b-2020.htm?x=1&y=(2) hoặc www.vnexpress.net/abc "
    "và ftp://files.gov.vn/x, tên miền baochinhphu.vn.",
    "Liên hệ ban.bien-tap@nhandan.org.vn hoặc foo.na@example.com, ĐT 03-5730-2357.",
    "TP.HCM, Tp. Hồ Chí Minh, UBND, HĐND, T.Ư, Th.S, ThS. Nguyễn, Mr. Smith, v.v... v.v. v.v",
    "Nghị quyết 18-NQ/TW, Chỉ thị 05-CT/TW, 08-QĐi/TW, 02 - QĐ/HU, Nghị định 15/2020/NĐ-CP.",
    "H&M, H'Mông, xã N’Thôn Hạ, e-mail, biển số 43H-0530, màn hình 4K, 3x4, 30°C, 1.600m-2.000m",
    "Tiếng Anh: The Ministry of Finance; 中华人民共和国 北京; Москва, Россия; Ελλάδα ΣΑΣ; İstanbul",
    "Vui quá 😀👍🏽🇻🇳 :)) =)) :D <3 ♥‿♥ ==> -> >> =>",
    "Ông nói: \"Không!\" rồi «chào» và ‘tạm biệt’ [1] {2} (3) <4>",
    unicodedata.normalize("NFD", "Đảng bộ tỉnh An Giang tổ chức hội nghị quán triệt nghị quyết"),
    "ÐẢNG BỘ ð Ð Đ đ: Ðà Nẵng, Đà Nẵng",
    "QUỐC HỘI NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "a" * 300 + " " + "Ww" * 80 + " ²³ ١٢ 五 Ⅻ ǅa ß ẞ +1 99999999999999999999 2147483648",
    "Dòng một\r\nDòng hai\u00a0không ngắt\u200bzero-width\u2063ẩn\ufeffBOM",
    " ".join(["Hội nghị Ban Chấp hành Trung ương Đảng lần thứ tư khóa XII,"] * 400),
]


def fixture_texts() -> list[str]:
    """Every distinct text of the shipped fixtures, as read (files) and as the pipeline cleans
    it (unc-small.jsonl.gz is a subset of data/default's records; its seeds are the fixtures')."""
    raw = []
    for folder in (FIXTURES / "seeds", FIXTURES / "unc-raw", PROJECT / "data" / "default" / "seeds"):
        raw += [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]
    raw += [path.read_text(encoding="utf-16") for path in sorted((FIXTURES / "utf16").glob("*.txt"))]
    records = []
    for path in (FIXTURES / "unc-small.jsonl.gz", PROJECT / "data" / "default" / "unc-provinces.jsonl.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                records += [record["title"], record["text"]]
    return list(dict.fromkeys(raw + [normalise_document(text) for text in raw + records]))


@pytest.fixture(scope="module")
def fast():
    return fast_tokenize.FastWordTokenizer()


def test_the_pinned_versions_are_installed():
    # requirements.lock pins them; without them the fast path would silently be off
    assert fast_tokenize.installed_versions() == fast_tokenize.PINNED


def test_tricky_inputs_give_underthesea_words_and_features(fast):
    for text in TRICKY:
        tokens = underthesea_tokenize(text)
        assert fast.tokenize(text) == tokens, text
        if tokens:
            expected = fast.featurizer.process([[[token] for token in tokens]])[0]
            assert list(map(list, fast.featurize(tokens))) == expected, text
        assert fast(text) == underthesea_word_tokenize(text), text


def test_every_fixture_text_gives_underthesea_words(fast):
    texts = fixture_texts()
    assert len(texts) > 1200
    for text in texts:
        assert fast(text) == underthesea_word_tokenize(text), text[:80]


def test_segment_words_are_the_words_of_underthesea():
    text = normalise_document((FIXTURES / "seeds" / "000_96066fe42e697fa6.txt").read_text("utf-8"))
    expected = marked_words(text, lambda chunk: ("_".join(w.split())
                                                 for w in underthesea_word_tokenize(chunk)))
    assert segment_words(text) == expected
    assert "đảng_bộ" in expected


def test_words_stay_the_same_when_the_memos_are_cleared(monkeypatch):
    fresh = fast_tokenize.FastWordTokenizer()
    monkeypatch.setattr(fast_tokenize, "CACHE_LIMIT", 40)
    seen = set()
    for text in TRICKY[4:15]:
        assert fresh(text) == underthesea_word_tokenize(text)
        seen.update(underthesea_tokenize(text))
    assert len(fresh.syllables) < len(seen) and len(fresh.normalised) < len(seen)


def test_another_underthesea_falls_back_to_its_word_tokenize(monkeypatch, caplog):
    monkeypatch.setattr(fast_tokenize, "installed_versions",
                        lambda: {"underthesea": "9.6.0", "underthesea_core": "3.3.2"})
    with caplog.at_level(logging.WARNING):
        chosen = fast_tokenize.load()
    assert chosen is underthesea_word_tokenize
    assert "fast word segmentation off" in caplog.text and "9.6.0" in caplog.text


def test_a_changed_model_layout_is_refused(monkeypatch):
    monkeypatch.setattr(fast_tokenize, "TEMPLATE", fast_tokenize.re.compile(r"T\[(-?\d+)\]()()"))
    with pytest.raises(ValueError):
        fast_tokenize.FastWordTokenizer()
