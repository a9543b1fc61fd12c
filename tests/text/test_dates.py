"""Publication dates from article headers, never from dates the article cites."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from vntopics.pipeline.text.dates import infer_publication_date
from vntopics.pipeline.text.normalise import normalise_document
from tests.conftest import FIXTURES

SEEDS = {"000_96066fe42e697fa6.txt": ("2021-01-28", "28/01/2021 - 07:39"),
         "001_bdadfb900eccd283.txt": ("2021-01-30", "30/01/2021 - 17:23"),
         "002_e149c863b3391813.txt": ("2018-10-03", "03/10/2018"),
         "003_fa50e03cc3be85bd.txt": ("2018-02-13", "13/02/2018 - 16:50"),
         "004_ada06a6cc70b6956.txt": ("2019-09-09", "Thứ Hai, 09/09/2019, 06:07 [GMT+7]")}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_publication_dates(name):
    text = normalise_document((FIXTURES / "seeds" / name).read_text(encoding="utf-8"))
    found = infer_publication_date(text)
    expected_date, expected_evidence = SEEDS[name]
    assert found is not None and found.date == expected_date
    assert expected_evidence in found.evidence and found.year == int(expected_date[:4])


@pytest.mark.parametrize("header,expected", [
    ("28/01/2021 - 07:39", "2021-01-28"),
    ("08:59 - Thứ Tư, 03/10/2018", "2018-10-03"),
    ("Thứ Hai, 09/09/2019, 06:07 [GMT+7]", "2019-09-09"),
    ("Chủ nhật, 12/7/2020 - 10:15", "2020-07-12"),
    ("2020-07-05", "2020-07-05"),
    ("2020-07-05T08:30:00+07:00", "2020-07-05"),
    ("ngày 5 tháng 7 năm 2020", "2020-07-05"),
    ("Ngày 05 tháng 07 năm 2020", "2020-07-05"),
    ("05-7-2020", "2020-07-05"),
    ("5/7/2020", "2020-07-05"),
    ("05.07.2020 | 14:02", "2020-07-05"),
    ("Cập nhật lúc 10:20 ngày 05/07/2020", "2020-07-05"),
])
def test_header_formats(header, expected):
    text = f"Đảng bộ tỉnh tổ chức hội nghị\n{header}\nNội dung bài viết về công tác cán bộ."
    found = infer_publication_date(text)
    assert found is not None and found.date == expected


def test_date_line_before_the_title_is_found():
    found = infer_publication_date("13/02/2018 - 16:50\nKiện toàn hệ thống chính trị")
    assert found is not None and found.date == "2018-02-13"


@pytest.mark.parametrize("text", [
    "Nói đi đôi với làm\nTỉnh ủy quyết liệt thực hiện Chỉ thị số 05-CT/TW ngày 15-5-2016 của "
    "Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Luân chuyển cán bộ\nHuyện ủy đã ban hành Quy định số 02-QĐ/HU, ngày 16/4/2018 về luân "
    "chuyển cán bộ trong toàn huyện, bảo đảm dân chủ, khách quan, công khai, minh bạch.",
    "Theo Quyết định số 12 ngày 16/4/2018",
    "Xây dựng Đảng\nKhông có ngày tháng nào ở đây cả.",
])
def test_cited_dates_are_not_publication_dates(text):
    assert infer_publication_date(text) is None


@pytest.mark.parametrize("header", ["30/02/2021 - 07:39", "12/13/2020", "2021-02-30",
                                    "ngày 32 tháng 1 năm 2020", "01/01/1890"])
def test_impossible_dates_are_not_dates(header):
    assert infer_publication_date(f"Tin tức\n{header}\nBài viết") is None


def test_the_header_region_is_all_that_is_read():
    body = "\n".join(f"Đoạn {i} nói về công tác xây dựng Đảng." for i in range(10))
    assert infer_publication_date(f"Tiêu đề\n{body}\n05/07/2020") is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_returns_real_dates(text):
    found = infer_publication_date(text)
    if found is not None:
        assert date.fromisoformat(found.date).year == found.year


@pytest.mark.parametrize("given,note", [("2099-05-01", "after today"),
                                        ("01/05/2099", "after today"),
                                        ("2099", "after today"),
                                        ("1930-02-03", "before 1945"),
                                        ("2021-02-30", None)])
def test_given_dates_outside_1945_to_today_are_unreadable_with_a_note(given, note):
    from vntopics.pipeline.text.cleaning import clean_document
    from vntopics.pipeline.text.read import RawDocument

    body = (FIXTURES / "seeds" / "004_ada06a6cc70b6956.txt").read_text(encoding="utf-8")
    document = clean_document(RawDocument("a", body, "a.txt", {"date": given}))
    expected = f"given date unreadable: {given!r}" + (f" ({note})" if note else "")
    assert expected in document.evidence
    assert (document.date, document.year, document.date_source) == ("2019-09-09", 2019,
                                                                    "inferred")


def test_a_dateline_after_today_is_no_date():
    next_year = date.today() + timedelta(days=400)
    text = f"{next_year:%d/%m/%Y} - 07:39\nTỉnh ủy Gia Lai họp phiên thứ hai"
    assert infer_publication_date(text) is None
    assert infer_publication_date("09/09/1944 - 07:39\nTỉnh ủy Gia Lai họp") is None
