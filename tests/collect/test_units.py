"""The pieces: canonical URLs and ids, charsets, day-first dates, Retry-After, feeds."""
from __future__ import annotations

import gzip

import httpx
import pytest

from tests.collect import fixture_articles as fa
from vntopics.pipeline.collect import canonical_url, day_first_date, parse_sources, record_id
from vntopics.pipeline.collect.urls import clean_url
from vntopics.pipeline.collect import decode_page
from vntopics.pipeline.collect.discover import page_links
from vntopics.pipeline.collect.fetch import retry_wait

SOURCE = parse_sources("sources:\n  - {name: bao, province: An Giang, start: [https://bao.vn/]}\n")[0]


def test_one_article_under_many_urls_is_one_canonical_url_and_id():
    variants = ["https://bao.vn/xay-dung-dang-12.html",
                "http://bao.vn/xay-dung-dang-12.html",
                "https://BAO.vn/xay-dung-dang-12.html/",
                "https://bao.vn/xay-dung-dang-12.html?utm_source=facebook&utm_medium=social",
                "https://bao.vn/xay-dung-dang-12.html?fbclid=IwAR0x&zarsrc=30#binh-luan"]
    assert {canonical_url(url) for url in variants} == {"https://bao.vn/xay-dung-dang-12.html"}
    assert {record_id("bao", url) for url in variants} == {"bao-" + "%s" % record_id("bao", variants[0])[4:]}
    assert len(record_id("bao", variants[0])) == len("bao-") + 12
    assert canonical_url("https://bao.vn/tin?id=12") != canonical_url("https://bao.vn/tin?id=13")
    assert clean_url(variants[4]) == "https://bao.vn/xay-dung-dang-12.html"
    assert clean_url("http://Bao.vn/a-b/?utm_source=x") == "http://bao.vn/a-b"


def test_windows_1258_and_misdeclared_pages_decode_to_the_same_nfc_text():
    text = "<html><head><meta charset=\"windows-1258\"></head><body>Xây dựng Đảng, đổi mới, hiệu quả</body></html>"
    decoded, codec = decode_page(fa.encode_1258(text), "text/html")
    assert codec == "cp1258" and "Xây dựng Đảng, đổi mới, hiệu quả" in decoded
    undeclared, codec = decode_page(fa.encode_1258(text).replace(b"windows-1258", b"x"), "")
    assert codec == "cp1258" and "Xây dựng Đảng" in undeclared
    liar, codec = decode_page(text.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert codec == "utf-8" and "Đảng" in liar


@pytest.mark.parametrize("text, expected", [
    ("Thứ Năm, 28/01/2021 - 07:39", "2021-01-28"),
    ("03/10/2018", "2018-10-03"),          # day first: 3 October, not 10 March
    ("Cập nhật: 9-9-2019 06:07", "2019-09-09"),
    ("ngày 13 tháng 2 năm 2018", "2018-02-13"),
    ("2021-01-30T17:23:00+07:00", "2021-01-30"),
    ("31/02/2021", None),
    ("Lượt xem: 1.284", None),
])
def test_dates_are_read_day_first(text, expected):
    assert day_first_date(text) == expected


def test_retry_after_is_honoured_but_bounded():
    def response(value):
        return httpx.Response(503, headers={"Retry-After": value} if value else {})
    assert retry_wait(response("3"), 0, 60) == 3
    assert retry_wait(response("3600"), 0, 60) == 60
    assert retry_wait(response(None), 2, 60) == 4
    assert retry_wait(response("Wed, 21 Oct 2015 07:28:00 GMT"), 0, 60) == 0   # in the past


def test_feeds_and_sitemaps_give_their_links():
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://bao.vn/a-b-c-d-1.html'
           b'</link></item><item><link>/e-f-g-h-2.html</link></item></channel></rss>')
    assert page_links("https://bao.vn/rss", rss, "application/rss+xml", SOURCE, 10**6).articles == [
        "https://bao.vn/a-b-c-d-1.html", "https://bao.vn/e-f-g-h-2.html"]
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" '
            b'href="https://bao.vn/x-y-z-w-3.html"/><link rel="enclosure" href="https://bao.vn/a.jpg"/>'
            b'</entry></feed>')
    assert page_links("https://bao.vn/atom", atom, "application/atom+xml", SOURCE, 10**6).articles == [
        "https://bao.vn/x-y-z-w-3.html"]
    sitemap = gzip.compress(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
                            b'<loc>https://bao.vn/p-q-r-s-4.html</loc></url></urlset>')
    links = page_links("https://bao.vn/s.xml.gz", sitemap, "application/x-gzip", SOURCE, 10**6)
    assert (links.kind, links.articles) == ("sitemap", ["https://bao.vn/p-q-r-s-4.html"])
    with pytest.raises(ValueError, match="decompressed sitemap over"):
        page_links("https://bao.vn/s.xml.gz", gzip.compress(b" " * 5000), "application/gzip", SOURCE, 1000)
    with pytest.raises(ValueError, match="root element <html>"):
        page_links("https://bao.vn/x", b"<?xml version='1.0'?><html/>", "text/xml", SOURCE, 10**6)
