"""report.language: one strings table per language with the same keys and placeholders,
Vietnamese numbers and dates, and a Vietnamese report (report.md, report.html and its
explorer as Chromium renders it) in which no English UI string remains and every heading
and column header comes from the Vietnamese table."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tests import browser
from tests.conftest import english_leftovers
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.config_io import load_config
from vntopics.pipeline.report.language import language

SAME_IN_BOTH = {"format.with_n", "format.n_equals", "explorer.n_equals", "report.title", "trends.rate", "k_sweep.chosen_item", "changes.summary_item",
                "ui.summary_title", "explorer.download", "columns.q",
                "watchlist.trend_detail", "trends.change"}


def placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", template))


def test_both_tables_have_the_same_keys_and_placeholders():
    english, vietnamese = language("en").strings, language("vi").strings
    assert set(english) == set(vietnamese)
    for key, template in english.items():
        assert placeholders(template) == placeholders(vietnamese[key]), key
    assert {k for k in english if english[k] == vietnamese[k]} == SAME_IN_BOTH
    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        language("fr")
    with pytest.raises(KeyError, match="has no string 'nothing.here'"):
        language("vi")("nothing.here")


def test_vietnamese_numbers_and_dates():
    vi, en = language("vi"), language("en")
    assert (vi.number(0.25, 3), en.number(0.25, 3)) == ("0,250", "0.250")
    assert vi.number(-0.0731, 3, signed=True) == "-0,073"
    assert vi.interval(0.4, 0.35, 0.45) == "0,400 [0,350; 0,450]"
    assert en.interval(0.4, 0.35, 0.45) == "0.400 [0.350, 0.450]"
    assert (vi.count(84132), en.count(84132)) == ("84.132", "84132")
    assert vi.general(0.0019) == "0,0019" and vi.general(2.7e-05) == "2,7e-05"
    assert (vi.date("2021-01-28"), en.date("2021-01-28")) == ("28/01/2021", "2021-01-28")
    assert vi.timestamp("2025-01-06T06:00:00Z") == "06/01/2025 06:00:00 UTC"
    assert vi.date("") == "" and vi.group_name("unknown") == "không rõ"


def test_the_language_is_a_config_key():
    assert RunConfig().report.language == "en"
    assert load_config(overrides=["report.language=vi"]).report.language == "vi"
    with pytest.raises(ValueError, match="report.language"):
        load_config(overrides=["report.language=fr"])


class VisibleText(HTMLParser):
    """What a reader sees of a page without scripts: text outside <script> and <style>,
    and the title / aria-label / placeholder attributes."""

    def __init__(self):
        super().__init__()
        self.skip, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder") and v]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def test_english_report_keeps_its_strings_and_vietnamese_report_has_none(report_versions):
    english = report_versions["en"]
    markdown = (english / "report.md").read_text(encoding="utf-8")
    assert len(english_leftovers(markdown)) > 40          # the check does find English
    vietnamese = report_versions["vi"]
    html = (vietnamese / "report.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html><html lang="vi">')
    assert (english / "report.html").read_text(encoding="utf-8").startswith(
        '<!DOCTYPE html><html lang="en">')
    for text in ((vietnamese / "report.md").read_text(encoding="utf-8"), visible_text(html)):
        assert english_leftovers(text) == []
    markdown = (vietnamese / "report.md").read_text(encoding="utf-8")
    day = f"{vietnamese.name[6:8]}/{vietnamese.name[4:6]}/{vietnamese.name[:4]}"
    assert markdown.startswith(f"# vntopics — default — {day}\n")       # 28/01/2021
    assert "## Tỷ trọng chủ đề theo tỉnh/thành (LDA)" in markdown
    assert "| tỉnh/thành | số bài |" in markdown
    assert re.search(r"\| Hà Nội \| 0,\d{3} \|", markdown)            # decimal comma
    assert re.search(r"\\\[0,\d{3}; 0,\d{3}\\\]", markdown)           # intervals
    assert re.search(r"\| \d\d/\d\d/\d{4} \d\d:\d\d:\d\d UTC \|", markdown)   # created


def template_pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.DOTALL)


UI_TEXTS = """(() => {
  const own = (e) => Array.from(e.childNodes).filter(n => n.nodeType === 3)
    .map(n => n.textContent.trim()).filter(Boolean).join(" ");
  const pick = (selector) => Array.from(document.querySelectorAll(selector)).map(own)
    .filter(Boolean);
  return {headings: pick("h1, h2, h3, h4, figcaption, th, button, label, .note"),
          options: Array.from(document.querySelectorAll("option")).map(o => [o.value,
            o.textContent]),
          text: document.body.innerText,
          attributes: Array.from(document.querySelectorAll("[title], [aria-label], "
            + "[placeholder]")).map(e => [e.getAttribute("title"), e.getAttribute("aria-label"),
            e.getAttribute("placeholder")].filter(Boolean).join(" | "))};
})()"""


@pytest.mark.skipif(browser.CHROMIUM is None, reason="Debian chromium is not installed")
def test_every_rendered_ui_string_of_the_vietnamese_page_is_from_its_table(report_versions,
                                                                         tmp_path):
    page = report_versions["vi"] / "report.html"
    table = language("vi").strings
    patterns = [template_pattern(t) for k, t in table.items() if not k.startswith("format.")]
    patterns += [template_pattern(table[k]) for k in ("format.none", "format.yes")]
    data = re.compile(r"^([LNT]\d+\b.*|\d{4}|LDA|NMF|SVG|[A-ZÀ-Ỹa-zà-ỹ ]+ \(\d+\))$")
    prevalence = pd.read_csv(report_versions["vi"] / "tables" / "topic_prevalence.csv",
                             keep_default_na=False)
    provinces = set(prevalence[prevalence["dimension"] == "province"]["group"])
    with browser.Browser(tmp_path / "profile") as session:
        session.open(page, "#topic=L00&province=Hà Nội&year=2021")
        seen = session.evaluate(UI_TEXTS)
        visit = session.visit()
    assert visit.console_errors == [] and set(visit.requests) == {page.resolve().as_uri()}
    assert english_leftovers(seen["text"] + "\n".join(seen["attributes"])) == []
    strange = [text for text in seen["headings"]
               if not data.match(text) and text not in provinces
               and not any(p.fullmatch(text) for p in patterns)]
    assert strange == []
    assert {"Khám phá chủ đề", "Tỷ trọng theo năm"} <= set(seen["headings"])
    for value, text in seen["options"]:
        assert (value and text.startswith(value)) or value in ("0", "1") or \
            any(p.fullmatch(text) for p in patterns), text
    assert "Các chủ đề trong Hà Nội, 2021" in seen["text"]
    assert re.search(r"\d+,\d% \[\d+,\d%; \d+,\d%\]", seen["text"])    # shares, vi format
