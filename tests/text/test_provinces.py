"""Province inference on real article shapes, and the traps of Vietnamese place names."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from vntopics.pipeline.text.provinces import (canonical_province, gazetteer, infer_province,
                                              province_2025)
from vntopics.pipeline.text.normalise import normalise_document
from tests.conftest import FIXTURES

SEEDS = {"000_96066fe42e697fa6.txt": "An Giang", "001_bdadfb900eccd283.txt": "Bến Tre",
         "002_e149c863b3391813.txt": "Điện Biên", "003_fa50e03cc3be85bd.txt": "Cần Thơ",
         "004_ada06a6cc70b6956.txt": "Gia Lai"}


@pytest.mark.parametrize("name,province", SEEDS.items())
def test_seed_province_is_inferred_with_evidence(name, province):
    text = normalise_document((FIXTURES / "seeds" / name).read_text(encoding="utf-8"))
    found = infer_province(text)
    assert found is not None and found.province == province
    assert found.evidence.startswith(province)


def test_newspaper_mark_alone_places_the_article():
    found = infer_province("ĐBP - Ban Thường vụ Tỉnh ủy đã chủ động nắm tình hình.")
    assert found.province == "Điện Biên" and "ĐBP" in found.evidence


def test_district_names_place_the_article():
    text = "Đảng bộ huyện Ia Grai tổ chức hội nghị. Huyện ủy Ia Grai chỉ đạo các chi bộ."
    assert infer_province(text).province == "Gia Lai"
    assert infer_province("Huyện ủy Điện Biên Đông họp. Huyện Điện Biên Đông").province \
        == "Điện Biên"


@pytest.mark.parametrize("text", [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; tư tưởng Hồ Chí Minh.",
    "Kỷ niệm chiến thắng Điện Biên Phủ lừng lẫy năm châu, chấn động địa cầu. Điện Biên Phủ.",
    "Huyện Châu Thành tổ chức đại hội. Huyện ủy Châu Thành quán triệt nghị quyết.",
    "Tàu cá ra khơi trên Thái Bình Dương, Thái Bình Dương rộng lớn.",
    "Ông Văn Lâm phát biểu tại hội nghị của Ban Tuyên giáo Trung ương.",
])
def test_names_that_are_not_a_province_are_not_evidence(text):
    assert infer_province(text) is None


def test_national_article_naming_many_provinces_gets_no_province():
    text = ("Các tỉnh An Giang, Cà Mau, Bến Tre và Sóc Trăng cùng triển khai. "
            "An Giang, Cà Mau, Bến Tre, Sóc Trăng đạt kết quả tốt.")
    assert infer_province(text) is None


def test_city_forms_of_ho_chi_minh_city_count():
    text = "Thành ủy TP.HCM họp. Tại TP.HCM, Đảng bộ Thành phố Hồ Chí Minh triển khai."
    assert infer_province(text).province == "Hồ Chí Minh"


def test_title_outweighs_a_passing_mention():
    text = "Đoàn công tác của tỉnh Long An thăm và làm việc. Tỉnh ủy Long An."
    found = infer_province(text, title="Tiền Giang: Đại hội Đảng bộ tỉnh Tiền Giang")
    assert found.province == "Tiền Giang"


@pytest.mark.parametrize("written,expected", [
    ("tỉnh An Giang", "An Giang"), ("An Giang", "An Giang"), ("an giang", "An Giang"),
    ("TP.HCM", "Hồ Chí Minh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("Thừa Thiên - Huế", "Thừa Thiên Huế"), ("Huế", "Thừa Thiên Huế"),
    ("Đắc Lắc", "Đắk Lắk"), ("Thanh Hoá", "Thanh Hóa"), ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ("Atlantis", None), ("", None),
])
def test_canonical_province(written, expected):
    assert canonical_province(written) == expected


def test_sixty_three_provinces_map_onto_the_thirty_four_of_2025():
    provinces = gazetteer().provinces
    assert len(provinces) == 63
    merged = {province_2025(p) for p in provinces}
    assert len(merged) == 34 and None not in merged
    assert province_2025("Hậu Giang") == province_2025("Sóc Trăng") == "Cần Thơ"
    assert province_2025("Bình Dương") == "Hồ Chí Minh"
    assert province_2025("Atlantis") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.text(max_size=60))
def test_inference_never_fails_and_names_only_real_provinces(text, title):
    found = infer_province(text, title)
    assert found is None or found.province in gazetteer().provinces


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(gazetteer().provinces)), st.sampled_from(["tỉnh ", "", "TP. "]))
def test_canonical_province_is_idempotent(province, prefix):
    assert canonical_province(prefix + province) == province
    assert canonical_province(canonical_province(province)) == province
