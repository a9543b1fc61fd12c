"""Property tests (hypothesis): ingest and cleaning on arbitrary bytes and Unicode.

Whatever a scraper hands us, reading never raises, every input is accounted for as `ok` or
`rejected` with a reason, and cleaned text is NFC with one spelling of 'Đ'.
"""
from __future__ import annotations

import codecs
import gzip
import json
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vntopics.pipeline.text.cleaning import GIVEN, clean_document
from vntopics.pipeline.text.provinces import canonical_province
from vntopics.pipeline.text.read import RawDocument, decode_bytes, read_documents
from vntopics.pipeline.text.dates import FIRST_DATE, parse_given_date, today
from vntopics.pipeline.text.normalise import normalise_document, normalise_unicode

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Real fragments of scraped Vietnamese news, with the troubles they bring: Icelandic 'Ð',
# NFD, new-style tone marks, widgets, datelines, HTML, zero-width and non-breaking spaces.
VIETNAMESE = [
    "Ðề cao trách nhiệm, quyết tâm trong đội ngũ cán bộ, đảng viên",
    "28/01/2021 - 07:39",
    "08:59 - Thứ Tư, 03/10/2018",
    "Thứ Hai, 09/09/2019, 06:07 [GMT+7]",
    "An Giang thực hiện Nghị quyết số 18-NQ/TW của Hội nghị T.Ư 6, khóa XII",
    "Chỉ thị số 05-CT/TW ngày 15-5-2016 của Bộ Chính trị",
    "Vì sao chưa “xóa sổ” trạm thu phí đặt “nhầm chỗ” Bắc Thăng Long - Nội Bài?",
    "Ðảng bộ tỉnh Gia Lai học tập Nghị quyết Ðại hội XIII",
    unicodedata.normalize("NFD", "Hà Nội: hoà bình, thuỷ lợi, khoẻ mạnh, uỷ ban"),
    "Đà Nẵng\u00a0chủ\u200bđộng phòng, chống dịch Covid-19",
    "A A", "In bài viết", "Lượt xem: 1.234", "Chia sẻ bài viết", "(Theo TTXVN)",
    "<p>Thành phố Hồ Chí Minh</p><div>&ETH;ồng chí Võ Thị Ánh Xuân</div>",
    "<!doctype html><html><body><script>alert(1)</script>Bến Tre</body></html>",
    "# date = 2021-01-28", "# province = An Giang", "# title = Nhân Dân",
    "e\u200b\u0301", "o\ufeff\u0300a", "\r\n", "\n\n", "   ",
]
DATES = ["20210427", "2021-04-27", "27/04/2021", "27.4.2021", "2021", "2021-02-30",
         "30/02/2021", "1899-12-31", "1944-12-31", "2099-01-01", "2101-01-01", "0000-00-00", "", " ", "Ngày 27/4/2021",
         "٢٠٢١-٠٤-٢٧"]
PROVINCES = ["Hà Nội", "Ðà Nẵng", "TP. Hồ Chí Minh", "tỉnh Gia Lai", "Gia Lai", "Atlantis",
             unicodedata.normalize("NFD", "Thừa Thiên Huế"), ""]
SOURCES = ["Nhân Dân", "Dân trí", "VnExpress", "Ðài PT-TH Bến Tre", ""]

def join_parts(parts: list[str]) -> str:
    return "\n".join(parts) if len(parts) % 2 else " ".join(parts)


fragments = st.sampled_from(VIETNAMESE)
unicode_text = st.one_of(
    st.text(),
    fragments,
    st.lists(st.one_of(fragments, st.text(max_size=20)), max_size=12).map(join_parts),
)


def metadata_value(samples: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(samples), st.text(max_size=40), fragments)


def read_one_file(name: str, data: bytes) -> list[RawDocument]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read_documents([path])


def assert_accounted(documents: list[RawDocument]) -> None:
    for document in documents:
        assert document.status in ("ok", "rejected")
        assert (document.status == "rejected") == bool(document.reason), document


# (a) ingest ------------------------------------------------------------------------------

@PROPERTY
@given(data=st.one_of(st.binary(max_size=2000),
                      unicode_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.binary(max_size=200).map(lambda b: codecs.BOM_UTF16_LE + b),
                      st.binary(max_size=200).map(lambda b: codecs.BOM_UTF8 + b)))
@example(data=b"")
@example(data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
@example(data=codecs.BOM_UTF16_LE + b"\x00\xd8")           # lone surrogate
@example(data="Hà Nội năm 2021".encode("cp1258", "replace"))
def test_any_bytes_in_a_text_file_give_exactly_one_accounted_record(data):
    documents = read_one_file("article.txt", data)
    assert len(documents) == 1
    assert_accounted(documents)
    assert documents[0].doc_id == "article.txt"
    if documents[0].status == "ok":
        assert "\x00" not in documents[0].text


@PROPERTY
@given(data=st.one_of(st.binary(max_size=500),
                      st.binary(max_size=300).map(lambda b: gzip.compress(b"")[:10] + b),
                      st.lists(st.text(max_size=30), max_size=5).map(
                          lambda lines: gzip.compress("\n".join(
                              json.dumps({"text": t}) for t in lines).encode())),
                      st.tuples(st.text(max_size=30), st.integers(1, 30)).map(
                          lambda pair: gzip.compress(json.dumps({"text": pair[0]}).encode()
                                                     )[:-pair[1]])))
@example(data=b"garbage")
@example(data=gzip.compress(b'{"text": "H\xc3\xa0 N\xe1\xbb\x99i"}\n')[:-5])
@example(data=b"\x1f\x8b\x08\x00" + b"\x00" * 20)
def test_a_corrupt_or_truncated_gzip_never_stops_the_read(data):
    documents = read_one_file("articles.jsonl.gz", data)
    assert_accounted(documents)


@PROPERTY
@given(header=st.sampled_from([b"text\n", b"id,text,date\n", codecs.BOM_UTF8 + b"text\n"]),
       body=st.one_of(st.binary(max_size=300),
                      st.lists(st.lists(unicode_text, max_size=4), max_size=6).map(
                          lambda rows: "\n".join(",".join(r) for r in rows).encode(
                              "utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".csv", ".parquet"]))
@example(header=b"text\n", body=b"\xff\xfe\x00", suffix=".csv")     # undecodable
@example(header=b"text\n", body=b'"Gia Lai', suffix=".csv")         # quote never closed
@example(header=b"PAR1", body=b"\x00", suffix=".parquet")            # not Parquet
def test_a_table_file_with_a_text_column_and_any_bytes_never_stops_the_read(header, body,
                                                                            suffix):
    documents = read_one_file("articles" + suffix, header + body)
    assert_accounted(documents)


def json_line(record_text: str, doc_id: str | None, title: str, ascii_only: bool) -> bytes:
    record = {"text": record_text, "title": title}
    if doc_id is not None:
        record["id"] = doc_id
    return json.dumps(record, ensure_ascii=ascii_only).encode("utf-8")


jsonl_lines = st.lists(st.one_of(
    st.builds(json_line, unicode_text, st.sampled_from([None, "a", "b", "in.jsonl:2",
                                                        "in.jsonl:3"]),
              metadata_value(VIETNAMESE), st.booleans()),
    st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=60).map(
        lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"")),
    st.sampled_from([b"{", b"[1, 2]", b'"text"', b"null", b'{"text": 5}', b"NaN",
                     b'{"text": "Gia Lai", "date": NaN}', b"[" * 5000, b"   ",
                     b'{"text": "\\ud800"}', "{'text': 'Hà Nội'}".encode()]),
), max_size=12)


def is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode("utf-8-sig")), dict)
    except (ValueError, RecursionError):
        return False


@PROPERTY
@given(lines=jsonl_lines, bom=st.booleans())
@example(lines=[b"[" * 100_000], bom=False)                        # deep nesting
@example(lines=['{"id": "in.jsonl:2", "text": "Hà Nội"}'.encode(), b"{broken"], bom=False)
@example(lines=[b'{"text": "B\xe1\xba\xbfn Tre"}'], bom=True)    # BOM from Windows tools
def test_every_jsonl_line_is_one_record_and_broken_lines_name_their_line(lines, bom):
    data = (codecs.BOM_UTF8 if bom else b"") + b"\n".join(lines)
    documents = read_one_file("in.jsonl", data)
    assert_accounted(documents)
    numbered = [(number, line) for number, line in enumerate(data.split(b"\n"), start=1)
                if line.strip()]
    if not numbered:                      # a file without records is still one row
        assert [d.reason for d in documents] == ["no records (empty file)"]
        return
    assert len(documents) == len(numbered)
    for document, (number, line) in zip(documents, numbered):
        if not is_json_object(line):
            assert document.status == "rejected"
            assert f"line {number}" in document.reason, (line, document.reason)
        elif document.status == "ok":
            assert document.text == json.loads(line.decode("utf-8-sig"))["text"]


@PROPERTY
@given(text=unicode_text, big_endian=st.booleans())
@example(text="Đảng bộ tỉnh Gia Lai\r\nhọc tập Nghị quyết\n", big_endian=False)
@example(text="\ufeffHà Nội\u2028Đà Nẵng\x0c", big_endian=True)
def test_utf16_with_bom_round_trips_any_text(text, big_endian):
    encoding, bom = (("utf-16-be", codecs.BOM_UTF16_BE) if big_endian
                     else ("utf-16-le", codecs.BOM_UTF16_LE))
    data = bom + text.encode(encoding)
    documents = read_one_file("utf16.txt", data)
    assert len(documents) == 1
    assert_accounted(documents)
    document = documents[0]
    if "\x00" in text or not text.strip():
        assert document.status == "rejected"
        return
    assert decode_bytes(data) == text
    assert document.status == "ok"
    first_line = text.splitlines()[0].strip()
    if not (first_line.startswith("#") and "=" in first_line):    # no `# key = value` header
        assert document.text == text


# (b) cleaning ----------------------------------------------------------------------------

@PROPERTY
@given(text=unicode_text,
       metadata=st.fixed_dictionaries({}, optional={
           "date": metadata_value(DATES), "province": metadata_value(PROVINCES),
           "source": metadata_value(SOURCES), "title": metadata_value(VIETNAMESE)}),
       html_policy=st.sampled_from(["strip", "reject"]))
@example(text="e\u200b\u0301 Hà Nội", metadata={}, html_policy="strip")
@example(text="Ðà Nẵng", metadata={"date": "2021-02-30", "province": "Ðà Nẵng",
                                   "title": "Ðại hội"}, html_policy="strip")
def test_clean_document_never_raises_and_keeps_given_metadata(text, metadata, html_policy):
    raw = RawDocument(doc_id="doc", text=text, origin="test", metadata=dict(metadata))
    document = clean_document(raw, html_policy)
    assert document.status in ("ok", "rejected")
    if document.status == "rejected":
        assert document.reason
        return
    for value in (document.text, document.title, document.source, document.province):
        assert unicodedata.is_normalized("NFC", value), ascii(value)
        assert "\u00d0" not in value and "\u00f0" not in value
    assert document.text.strip()
    given_values = {k: normalise_unicode(v).strip() for k, v in metadata.items()}
    if given_values.get("title"):
        assert document.title == given_values["title"]
    if given_values.get("source"):
        assert (document.source, document.source_source) == (given_values["source"], GIVEN)
    if given_values.get("province"):
        province = given_values["province"]
        assert document.province == (canonical_province(province) or province)
        assert document.province_source == GIVEN
    if given_values.get("date"):
        date_text, year = parse_given_date(given_values["date"])
        if date_text or year:
            assert (document.date, document.year, document.date_source) == (date_text, year,
                                                                            GIVEN)
        else:
            assert "given date unreadable" in document.evidence
    if document.date:
        assert date.fromisoformat(document.date).year == document.year


# (c) normalisation -----------------------------------------------------------------------

@PROPERTY
@given(text=unicode_text)
@example(text="e\u200b\u0301")
@example(text="o\ufeff\u0300a")
@example(text="A\u00a0\u0308")
@example(text="\r\r\n")
def test_normalise_unicode_is_idempotent_and_nfc(text):
    once = normalise_unicode(text)
    assert normalise_unicode(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\u00d0" not in once and "\u00f0" not in once and "\r" not in once
    cleaned = normalise_document(text)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert normalise_document(cleaned) == cleaned


# (d) dates -------------------------------------------------------------------------------

@st.composite
def formatted_dates(draw) -> tuple[str, int, int, int]:
    y, m, d = (draw(st.integers(0, 9999)), draw(st.integers(0, 99)), draw(st.integers(0, 99)))
    shape = draw(st.sampled_from(["{y:04d}{m:02d}{d:02d}", "{y:04d}-{m}-{d}",
                                  "{y:04d}-{m:02d}-{d:02d}T07:39:00", "{d}/{m}/{y:04d}",
                                  "{d:02d}.{m:02d}.{y:04d}", "{d}-{m}-{y:04d} 07:39"]))
    return shape.format(y=y, m=m, d=d), y, m, d


def valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@PROPERTY
@given(value=st.one_of(st.none(), st.text(), st.sampled_from(DATES), fragments,
                       formatted_dates().map(lambda f: f[0])))
@example(value="2021-02-30")
@example(value="30/02/2021")
@example(value="٢٠٢١")
def test_parse_given_date_never_raises_and_gives_only_real_dates(value):
    date_text, year = parse_given_date(value)
    if year is not None:
        assert FIRST_DATE.year <= year <= today().year
    if date_text is not None:
        parsed = date.fromisoformat(date_text)
        assert parsed.year == year and FIRST_DATE <= parsed <= today()


@PROPERTY
@given(formatted=formatted_dates())
@example(formatted=("2021-02-30", 2021, 2, 30))
@example(formatted=("29/02/2020", 2020, 2, 29))
@example(formatted=("2100-12-31", 2100, 12, 31))
@example(formatted=("31/12/1944", 1944, 12, 31))
@example(formatted=("01/01/1945", 1945, 1, 1))
def test_parse_given_date_reads_exactly_the_real_dates(formatted):
    """Real dates from 1945 to today are read; impossible, future and older ones are not."""
    text, y, m, d = formatted
    expected = valid(y, m, d)
    if expected and FIRST_DATE <= expected <= today():
        assert parse_given_date(text) == (expected.isoformat(), y)
    else:
        assert parse_given_date(text) == (None, None), text


def test_impossible_given_date_is_no_date():
    assert parse_given_date("2021-02-30") == (None, None)
    assert parse_given_date("31/04/2021") == (None, None)
