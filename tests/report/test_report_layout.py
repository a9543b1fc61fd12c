"""What a reader sees in real headless Chromium (tests/browser.py), in English and in
Vietnamese: legends whose labels never run into each other or out of their chart (bounding
boxes), axis names no circle covers, words with spaces, a clicked topic's panel in view, and
the page title."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests import browser

pytestmark = pytest.mark.skipif(browser.CHROMIUM is None,
                                reason="Debian chromium is not installed")

# For every chart: [text, other text or swatch] pairs of legend items whose boxes intersect,
# legend items not inside their chart, and axis names that a circle covers.
CLASHES = """(() => {
  const box = (e) => e.getBoundingClientRect();
  const meet = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
    a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 &&
    a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const found = {overlaps: [], outside: [], covered: [], legends: 0};
  document.querySelectorAll('#explorer svg').forEach((chart) => {
    const items = Array.from(chart.querySelectorAll('.ex-legend'));
    found.legends += items.length;
    items.forEach((a, i) => {
      if (!inside(box(a), box(chart))) found.outside.push(a.textContent || a.tagName);
      items.slice(i + 1).forEach((b) => {
        if (meet(box(a), box(b))) found.overlaps.push([a.textContent || a.tagName,
          b.textContent || b.tagName]);
      });
    });
    chart.querySelectorAll('.ex-axis').forEach((axis) => {
      if (!inside(box(axis), box(chart))) found.outside.push(axis.textContent);
      chart.querySelectorAll('circle').forEach((circle) => {
        if (meet(box(axis), box(circle))) found.covered.push(axis.textContent);
      });
    });
  });
  return found;
})()"""
PANEL_TOP = "document.getElementById('ex-topic').getBoundingClientRect().top"


@pytest.fixture
def session(tmp_path):
    with browser.Browser(tmp_path / "profile") as opened:
        yield opened


def first_province(version: Path) -> str:
    prevalence = pd.read_csv(version / "tables" / "topic_prevalence.csv",
                             keep_default_na=False)
    rows = prevalence[prevalence["dimension"] == "province"]
    return rows.sort_values("n_docs", ascending=False)["group"].iloc[0]


@pytest.mark.parametrize("code", ["en", "vi"])
def test_no_legend_text_overlaps_and_no_axis_name_is_under_a_circle(report_versions, session,
                                                                    code):
    version = report_versions[code]
    for model, topic in (("lda", "L00"), ("nmf", "N01")):
        for fragment in (f"#topic={topic}",
                         f"#topic={topic}&province={first_province(version)}"):
            session.open(version / "report.html", fragment)
            clashes = session.evaluate(CLASHES)
            assert clashes["legends"] >= 4, (code, fragment)      # words + year legends
            assert clashes["overlaps"] == [], (code, fragment)
            assert clashes["outside"] == [], (code, fragment)
            assert clashes["covered"] == [], (code, fragment)
    legend = session.evaluate("Array.from(document.querySelectorAll('#ex-topic "
                              "text.ex-legend')).map(e => e.textContent)")
    expected = {"en": "share of all words", "vi": "tỷ lệ trong toàn bộ các từ"}[code]
    assert expected in legend


def test_the_old_one_line_legend_would_have_been_caught(report_versions, session):
    """The check can fail: the Vietnamese labels side by side, as they were, overlap."""
    session.open(report_versions["vi"] / "report.html", "#topic=L00")
    session.evaluate("""(() => {
      const [, , swatch, label] = document.querySelectorAll('#ex-topic .ex-legend');
      swatch.setAttribute('x', 300); swatch.setAttribute('y', 6);
      label.setAttribute('x', 314); label.setAttribute('y', 15);
    })()""")
    clashes = session.evaluate(CLASHES)
    assert clashes["overlaps"] or clashes["outside"]


@pytest.mark.parametrize("code", ["en", "vi"])
def test_clicking_a_topic_brings_its_panel_into_view(report_versions, session, code):
    page = report_versions[code] / "report.html"
    session.open(page)
    assert session.evaluate(PANEL_TOP) > 100                   # below the map at first
    session.click("#explorer [data-topic-id='L02']")
    assert session.evaluate("document.getElementById('ex-topic').dataset.topic") == "L02"
    assert abs(session.evaluate(PANEL_TOP)) < 2
    session.evaluate("window.scrollTo(0, 0)")
    session.click("tr[data-topic-row='L01']")                  # from the topic list too
    assert session.evaluate("document.getElementById('ex-topic').dataset.topic") == "L01"
    assert abs(session.evaluate(PANEL_TOP)) < 2


@pytest.mark.parametrize("code", ["en", "vi"])
def test_words_read_with_spaces_and_the_title_names_inputs_and_date(report_versions, session,
                                                                   code):
    version = report_versions[code]
    session.open(version / "report.html", "#topic=L00")
    words = session.evaluate("Array.from(document.querySelectorAll('#ex-topic text.ex-word'))"
                             ".map(e => e.textContent)")
    assert words and not any("_" in w for w in words)
    assert any(" " in w for w in words)                        # compounds read as words
    for section in ("topics-lda", "distinctive-province", "differences-lda"):
        cells = session.evaluate(f"Array.from(document.querySelectorAll('#{section} td'))"
                                 ".map(td => td.textContent).join(' | ')")
        assert cells and "_" not in cells, section
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    title = session.evaluate("document.title")
    assert title.startswith("vntopics — ") and manifest["version"] not in title
    day = manifest["created_at"][:10]
    shown = day if code == "en" else "/".join(reversed(day.split("-")))
    assert title.endswith(f" — {shown}")


# Every text of the static report's charts, drawn (sections off screen are skipped by the
# browser until shown), and the ones that run out of their chart.
STATIC_OUTSIDE = """(() => { const out = []; let texts = 0;
  document.querySelectorAll('body > section').forEach((s) => {
    s.style.contentVisibility = 'visible'; });
  document.querySelectorAll('svg.chart').forEach((chart) => {
    const frame = chart.getBoundingClientRect();
    chart.querySelectorAll('text').forEach((text) => {
      const box = text.getBoundingClientRect(); texts += 1;
      if (box.right > frame.right + 0.5 || box.left < frame.left - 0.5)
        out.push(text.textContent); }); });
  return {texts: texts, outside: out}; })()"""


@pytest.mark.parametrize("code", ["en", "vi"])
def test_static_chart_labels_stay_inside_their_charts(report_versions, session, code):
    session.tools.call("Emulation.setDeviceMetricsOverride", width=1300, height=1000,
                       deviceScaleFactor=1, mobile=False)
    session.open(report_versions[code] / "report.html")
    found = session.evaluate(STATIC_OUTSIDE)
    assert found["texts"] > 100 and found["outside"] == []
