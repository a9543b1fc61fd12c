"""Source (newspaper) inference from closing lines, agency marks and interview credits."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from vntopics.pipeline.text.normalise import normalise_document
from vntopics.pipeline.text.sources import infer_source
from tests.conftest import FIXTURES

SEEDS = {"000_96066fe42e697fa6.txt": ("Nhân Dân", "closing line"),
         "001_bdadfb900eccd283.txt": ("Nhân Dân", "closing line"),
         "002_e149c863b3391813.txt": ("Điện Biên Phủ", "agency mark"),
         "003_fa50e03cc3be85bd.txt": ("Cần Thơ", "interview"),
         "004_ada06a6cc70b6956.txt": ("Gia Lai", "agency mark")}


@pytest.mark.parametrize("name,expected", SEEDS.items())
def test_seed_sources(name, expected):
    text = normalise_document((FIXTURES / "seeds" / name).read_text(encoding="utf-8"))
    found = infer_source(text)
    source, evidence_kind = expected
    assert found.source == source and found.evidence.startswith(evidence_kind)


@pytest.mark.parametrize("text,source", [
    ("Nội dung bài.\nTheo TTXVN/Vietnam+", "TTXVN/Vietnam+"),
    ("(TTXVN) - Sáng nay, Bộ Chính trị họp.\nNội dung", "TTXVN"),
    ("Nội dung bài.\n(Theo baochinhphu.vn)", "baochinhphu.vn"),
    ("Nội dung bài.\nTheo Quân đội nhân dân", "Quân đội nhân dân"),
    ("Nội dung\nNguồn: Báo điện tử Đảng Cộng sản Việt Nam", "Đảng Cộng sản Việt Nam"),
    ("Bài viết\nTheo đồng chí Bí thư, cần làm tốt công tác cán bộ.", None),
    ("Theo Nghị quyết 18-NQ/TW, bộ máy phải tinh gọn.", None),
    ("Không có nguồn nào được nêu.", None),
])
def test_source_forms(text, source):
    found = infer_source(text)
    assert (found.source if found else None) == source


def test_closing_line_wins_over_the_agency_mark():
    found = infer_source("(GLO)- Bài gốc của Báo Gia Lai.\nNội dung.\nTheo Nhân Dân")
    assert found.source == "Nhân Dân"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_source_inference_never_fails(text):
    found = infer_source(text)
    assert found is None or (found.source.strip() and found.evidence)
