"""The sources file: the shape of the issue, and one-line errors naming the source."""
from __future__ import annotations

import pytest

from vntopics.pipeline.collect import load_sources, parse_sources

GOOD = """
sources:
  - name: baoangiang
    province: An Giang
    start:
      - https://example.vn/rss/xay-dung-dang.rss
      - https://example.vn/sitemap.xml
    article_pattern: "^/[a-z0-9-]+-\\\\d+\\\\.html$"
    listing_pattern: "^/chuyen-muc/.*"
    content_selector: "div.article-body"
    title_selector: "h1.title"
    date_selector: "span.date"
  - name: baocantho
    province: Cần Thơ
    start: [http://baocantho.example/rss]
"""


def test_the_issue_shape_parses():
    first, second = parse_sources(GOOD)
    assert (first.name, first.province, second.province) == ("baoangiang", "An Giang", "Cần Thơ")
    assert first.is_article("/xay-dung-dang-vung-manh-12345.html")
    assert not first.is_article("/chuyen-muc/xay-dung-dang")
    assert first.is_listing("/chuyen-muc/xay-dung-dang") and not second.is_listing("/x")
    assert second.is_article("/anything") is None
    assert {"example.vn", "www.example.vn"} <= first.hosts()


def with_first_entry(extra: str) -> str:
    return GOOD.replace("    province: An Giang\n", "    province: An Giang\n" + extra, 1)


@pytest.mark.parametrize("text, message", [
    (with_first_entry("    region: Mekong\n"), "source 'baoangiang': region: unknown key"),
    (GOOD.replace("name: baocantho", "name: baoangiang"), "source 'baoangiang': duplicate name"),
    (GOOD.replace('"^/chuyen-muc/.*"', '"^/chuyen-muc/(.*"'),
     "source 'baoangiang': listing_pattern: bad regex '^/chuyen-muc/(.*'"),
    (GOOD.replace('"div.article-body"', '"div..article-body"'),
     "source 'baoangiang': content_selector: bad CSS selector 'div..article-body'"),
    (GOOD.replace("http://baocantho.example/rss", "ftp://baocantho.example/rss"),
     "source 'baocantho': start: 'ftp://baocantho.example/rss' is not an http(s) URL"),
    (GOOD.replace("name: baocantho", "name: Bao Can Tho"),
     "source 'Bao Can Tho': name: 'Bao Can Tho' must match [a-z0-9_-]+"),
    (GOOD.replace("    province: Cần Thơ\n", ""), "source 'baocantho': province: missing"),
    ("sources: {name: x}\n", "must be a mapping with one key, 'sources', holding a list"),
    ("sources: []\n", "lists no sources"),
    ("sources:\n  - name: [unclosed\n", "YAML syntax error at line 3"),
])
def test_unusable_sources_are_one_line_naming_the_source(text, message):
    with pytest.raises(ValueError) as caught:
        parse_sources(text, "sources.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("sources.yaml: ") and "\n" not in str(caught.value)


def test_yaml_aliases_are_refused():
    text = ("base: &base {province: An Giang, start: [https://example.vn/rss]}\n"
            "sources:\n  - {name: a, <<: *base}\n")
    with pytest.raises(ValueError, match="line 1: YAML anchors and aliases are not allowed"):
        parse_sources(text, "sources.yaml")


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(ValueError, match="sources file not found"):
        load_sources(tmp_path / "missing.yaml")
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes("sources:\n  - name: c\n    province: Cần Thơ\n".encode("utf-16"))
    with pytest.raises(ValueError, match="not UTF-8"):
        load_sources(utf16)
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    assert [s.name for s in load_sources(good)] == ["baoangiang", "baocantho"]


def test_the_shipped_example_is_a_valid_sources_file():
    from vntopics.pipeline.config_io import CONFIGS

    sources = load_sources(CONFIGS / "sources.example.yaml")
    assert len(sources) >= 3 and len({s.province for s in sources}) == len(sources)
    assert all(url.startswith("https://") for s in sources for url in s.start)
