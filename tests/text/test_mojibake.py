"""Vietnamese from the legacy fonts, saved as UTF-8 after being read as Windows-1252, is
rejected naming its encoding (or repaired, when the inverse is exact); sound text is never
taken for mojibake."""
from __future__ import annotations

import gzip
import json

import pytest

from tests.conftest import FIXTURES
from tests.text.legacy_encodings import to_cp1258, to_double_utf8, to_tcvn3, to_vni
from vntopics.pipeline.text.cleaning import clean_document
from vntopics.pipeline.text.mojibake import detect_mojibake
from vntopics.pipeline.text.read import RawDocument, read_documents


def real_articles() -> list[str]:
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    for folder in ("seeds", "unc-raw", "utf16"):
        texts += [d.text for d in read_documents([FIXTURES / folder])]
    return texts


ARTICLES = real_articles()


@pytest.mark.parametrize("mangle,encoding", [(to_vni, "VNI"), (to_tcvn3, "TCVN3 (ABC)"),
                                             (to_cp1258, "Windows-1258")])
def test_legacy_encodings_are_rejected_naming_the_encoding(mangle, encoding):
    rejected = [clean_document(RawDocument(f"d{i}", mangle(text), "x.txt"))
                for i, text in enumerate(ARTICLES[:40])]
    assert all(d.status == "rejected" for d in rejected)
    assert {d.reason for d in rejected} == {
        f"mojibake: Vietnamese in the legacy {encoding} encoding read as Windows-1252 "
        "(convert the file to Unicode UTF-8)"}


def test_utf8_read_as_windows_1252_is_repaired_exactly_with_a_note():
    for i, text in enumerate(ARTICLES[:40]):
        metadata = {"title": to_double_utf8("Đắk Lắk phát triển"), "date": "2021-04-27"}
        repaired = clean_document(RawDocument(f"d{i}", to_double_utf8(text), "x.txt",
                                              metadata))
        sound = clean_document(RawDocument(f"d{i}", text, "x.txt",
                                           {"title": "Đắk Lắk phát triển",
                                            "date": "2021-04-27"}))
        assert repaired.status == sound.status == "ok"
        assert (repaired.text, repaired.title) == (sound.text, "Đắk Lắk phát triển")
        assert repaired.evidence.startswith("text repaired: UTF-8 that had been read as "
                                            "Windows-1252")


def test_sound_text_is_never_taken_for_mojibake():
    assert len(ARTICLES) > 120
    assert [t[:60] for t in ARTICLES if detect_mojibake(t)] == []
    foreign = ["Le président de la République a déclaré où il était, à côté du ministère des "
               "Affaires étrangères, que la coopération économique était très importante.",
               "Die Bundesregierung hat am Donnerstag erklärt, dass die Gespräche über die "
               "Zusammenarbeit mit Vietnam fortgesetzt würden; größere Projekte seien geplant.",
               "Hanoi capital city news without diacritics: Tinh uy Gia Lai hop phien thu hai "
               "ve cong tac xay dung Dang nam 2021."]
    assert [detect_mojibake(text) for text in foreign] == [None, None, None]
