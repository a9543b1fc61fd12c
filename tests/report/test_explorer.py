"""The explorer at the top of report.html, driven in real headless Chromium (tests/browser.py)
on a version published from real fits of 120 real articles: one mark per topic, a topic's
panel with its articles, the λ slider, the province filter, deep links, sortable and
filterable tables, SVG download, the page with JavaScript off, and never a console error or
a network request."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests import browser
from tests.conftest import EVIL_TITLE
from vntopics.pipeline.report.explorer_data import TITLE_CHARS
from vntopics.pipeline.report.format import readable
from vntopics.pipeline.report.explorer_inputs import SHOWN_WORDS, word_shares

pytestmark = pytest.mark.skipif(browser.CHROMIUM is None,
                                reason="Debian chromium is not installed")

MARKS = "Array.from(document.querySelectorAll('#explorer svg [data-topic-id]'))" \
        ".map(e => e.dataset.topicId)"
PANEL = "document.getElementById('ex-topic').dataset.topic || null"
ARTICLES = "Array.from(document.querySelectorAll('#ex-topic .ex-article')).map(a => " \
           "[a.querySelector('h5').textContent, a.querySelector('.ex-meta').textContent])"
WORDS = "Array.from(document.querySelectorAll('#ex-topic text.ex-word')).map(e => e.textContent)"
LIST = "Array.from(document.querySelectorAll('#explorer tr[data-topic-row]')).map(r => " \
       "[r.dataset.topicRow, r.cells[1].textContent])"


def table(version: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(version / "tables" / f"{name}.csv", keep_default_na=False)


def ids(version: Path, model: str) -> list[str]:
    topics = table(version, "topics")
    return list(dict.fromkeys(topics[topics["model"] == model]["topic_id"]))


def shown(title: str) -> str:
    """A title as the explorer shows it (long ones cut)."""
    return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS - 1] + "…"


def assert_quiet(session: browser.Browser, page: Path) -> None:
    """No console error, no dialog, and no request but the page itself."""
    visit = session.visit()
    assert visit.console_errors == [] and visit.dialogs == []
    assert visit.requests and set(visit.requests) == {page.resolve().as_uri()}


@pytest.fixture
def english(report_versions) -> Path:
    return report_versions["en"]


@pytest.fixture
def session(tmp_path):
    with browser.Browser(tmp_path / "profile", downloads=tmp_path / "downloads") as opened:
        yield opened


def test_one_mark_per_topic_and_a_click_opens_the_topic_with_its_articles(english, session):
    page = english / "report.html"
    session.open(page)
    assert session.evaluate("document.getElementById('explorer').hidden") is False
    assert sorted(session.evaluate(MARKS)) == ids(english, "lda")
    assert session.evaluate(PANEL) is None                      # nothing chosen yet
    session.click("#explorer [data-topic-id='L01']")
    assert session.evaluate(PANEL) == "L01"
    expected = table(english, "topic_documents")
    expected = expected[(expected["model"] == "lda") & (expected["topic_id"] == "L01")]
    articles = session.evaluate(ARTICLES)
    assert [title for title, _ in articles[:len(expected)]] == list(map(shown,
                                                                        expected["title"]))
    first = expected.iloc[0]
    assert articles[0][1].startswith(f"{first['province']} · ")
    assert " · Dân trí · weight " in articles[0][1]
    lead = session.evaluate("document.querySelector('#ex-topic .ex-lead').textContent")
    assert len(lead) > 40 and lead != first["title"]          # the body's first lines
    assert "#topic=L01" in session.evaluate("location.hash")
    session.choose("#ex-model", "1")                            # NMF
    assert sorted(session.evaluate(MARKS)) == ids(english, "nmf")
    session.click("tr[data-topic-row='N02']")
    assert session.evaluate(PANEL) == "N02"
    assert_quiet(session, page)


def relevance_order(model, shares: np.ndarray, vocabulary: list[str], topic: int,
                    weight: float) -> list[str]:
    """LDAvis' ranking over the whole vocabulary, computed here from the fitted model, as the
    explorer shows the words."""
    probability = model.topic_word[topic]
    with np.errstate(divide="ignore"):
        score = weight * np.log(probability) + (1 - weight) * np.log(probability / shares)
    order = sorted(range(len(vocabulary)), key=lambda i: (-score[i], i))
    return [readable(vocabulary[i]) for i in order[:SHOWN_WORDS]]


def test_lambda_slider_reorders_the_words_as_ldavis_does(english, real_results, session):
    page = english / "report.html"
    session.open(page, "#topic=L00")
    lda = next(m for m in real_results.models if m.name == "lda")
    vocabulary, shares = real_results.corpus.vocabulary, word_shares(real_results.corpus)
    session.choose("#ex-lambda", "1")
    by_probability = session.evaluate(WORDS)
    top = table(english, "topics")
    top = top[top["topic_id"] == "L00"].sort_values("rank")["word"].tolist()
    # = topics.csv at λ = 1, the tokens read with spaces (cách_ly: "cách ly")
    assert by_probability[:len(top)] == [readable(w) for w in top]
    assert by_probability == relevance_order(lda, shares, vocabulary, 0, 1.0)
    session.choose("#ex-lambda", "0")
    by_lift = session.evaluate(WORDS)
    assert by_lift == relevance_order(lda, shares, vocabulary, 0, 0.0)
    assert by_lift != by_probability and len(by_lift) == SHOWN_WORDS
    assert "lambda=0.00" in session.evaluate("location.hash")
    assert_quiet(session, page)


def test_choosing_a_province_filters_shares_map_and_articles(english, session):
    page = english / "report.html"
    prevalence = table(english, "topic_prevalence")
    gia_lai = prevalence[(prevalence["model"] == "lda") & (prevalence["dimension"] == "province")
                         & (prevalence["group"] == "Gia Lai")].set_index("topic_id")
    leading = gia_lai["prevalence"].idxmax()
    session.open(page, f"#topic={leading}")
    before = session.evaluate(ARTICLES)
    session.choose("#ex-province", "Gia Lai")
    assert session.evaluate("document.querySelector('#explorer .ex-list h3').textContent") \
        .endswith("Gia Lai")
    shares = dict(session.evaluate(LIST))
    for topic_id, row in gia_lai.iterrows():
        assert shares[topic_id].startswith(f"{round(row['prevalence'], 4) * 100:.1f}% [")
    radii = session.evaluate("Object.fromEntries(Array.from(document.querySelectorAll("
                             "'#explorer svg [data-topic-id]')).map(g => [g.dataset.topicId, "
                             "Number(g.querySelector('circle').getAttribute('r'))]))")
    assert max(radii, key=radii.get) == leading
    articles = session.evaluate(ARTICLES)
    assert articles and articles != before
    assert all(meta.startswith("Gia Lai · ") for _, meta in articles)
    assert "province=Gia%20Lai" in session.evaluate("location.hash")
    group = session.evaluate("document.querySelector('#explorer .ex-group').innerText")
    assert group.startswith(f"Gia Lai: {int(gia_lai['n_docs'].iloc[0])} documents")
    series = session.evaluate("Array.from(document.querySelectorAll('#ex-topic svg text'))"
                              ".map(t => t.textContent)")
    assert "Gia Lai" in series                  # its own line in the by-year chart
    assert_quiet(session, page)


def test_deep_links_open_the_page_in_that_state(english, session):
    page = english / "report.html"
    session.open(page, "#topic=N01&province=Hà Nội&year=2021")
    assert session.evaluate(PANEL) == "N01"
    assert sorted(session.evaluate(MARKS)) == ids(english, "nmf")
    assert session.evaluate("document.getElementById('ex-model').value") == "1"
    assert session.evaluate("document.getElementById('ex-province').value") == "Hà Nội"
    assert session.evaluate("document.getElementById('ex-year').value") == "2021"
    assert session.evaluate("document.getElementById('ex-link').getAttribute('href')") == \
        "#topic=N01&province=H%C3%A0%20N%E1%BB%99i&year=2021"
    session.open(page, "#province=%C4%90%C3%A0%20N%E1%BA%B5ng")       # Đà Nẵng, encoded
    assert session.evaluate("document.getElementById('ex-province').value") == "Đà Nẵng"
    assert session.evaluate(PANEL) is None
    session.evaluate("location.hash = '#topic=L02'")                  # a link followed later
    session.tools.drain(0.3)
    assert session.evaluate(PANEL) == "L02"
    session.open(page, "#topic=L99&province=Atlantis")
    warning = session.evaluate("document.querySelector('#explorer .ex-warning').textContent")
    assert "L99" in warning and "Atlantis" in warning
    assert session.evaluate(PANEL) is None
    assert_quiet(session, page)


def test_tables_sort_on_a_header_click_and_filter_without_diacritics(english, session):
    page = english / "report.html"
    session.open(page)
    rows = "Array.from(document.querySelectorAll('#differences-lda tbody tr'))" \
           ".filter(r => !r.hidden).map(r => [r.cells[0].textContent, r.cells[4].textContent])"
    everything = session.evaluate(rows)
    assert len(everything) >= 10
    session.choose("#differences-lda .table-filter input", "ha noi")    # no diacritics typed
    assert {province for province, _ in session.evaluate(rows)} == {"Hà Nội"}
    assert session.evaluate("document.querySelector('#differences-lda .table-filter span')"
                            ".textContent") == f"2 of {len(everything)} rows"
    session.choose("#differences-lda .table-filter input", "")
    session.click("#differences-lda thead th:nth-child(5)")     # difference [interval]
    differences = [float(text.split()[0]) for _, text in session.evaluate(rows)]
    assert differences == sorted(differences, reverse=True) and len(differences) == \
        len(everything) and differences[0] > 0 > differences[-1]
    session.click("#differences-lda thead th:nth-child(5)")
    assert [float(t.split()[0]) for _, t in session.evaluate(rows)] == sorted(differences)
    session.click("#differences-lda thead th:nth-child(1)")     # province: A to Z
    names = list(dict.fromkeys(p for p, _ in session.evaluate(rows)))
    assert names == ["Gia Lai", "Hà Nam", "Hà Nội", "Hồ Chí Minh", "Thanh Hóa"]
    assert_quiet(session, page)


def test_charts_download_as_svg(english, session, tmp_path):
    page = english / "report.html"
    session.open(page, "#topic=L00")
    buttons = session.evaluate("document.querySelectorAll('button.download').length")
    charts = session.evaluate("document.querySelectorAll('svg.chart, svg.ex-chart').length")
    assert buttons == charts >= 8
    session.click("#explorer .ex-map button.download")
    saved = session.wait_for_download()
    assert saved.parent == tmp_path / "downloads" and saved.name == "lda-map.svg"
    root = ET.fromstring(saved.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    marks = [e.get("data-topic-id") for e in root.iter() if e.get("data-topic-id")]
    assert sorted(marks) == ids(english, "lda")


def test_without_javascript_the_static_report_is_the_page(english, tmp_path):
    page = english / "report.html"
    with browser.Browser(tmp_path / "profile", javascript=False) as session:
        session.open(page, "#topic=L01")
        assert session.evaluate("getComputedStyle(document.getElementById('explorer'))"
                                ".display") == "none"
        text = session.evaluate("document.body.innerText")
        assert "The interactive explorer needs JavaScript" in text
        assert "Topic prevalence by province (LDA)" in text and "Gia Lai" in text
        assert session.evaluate("document.querySelectorAll('button.download').length") == 0
        assert_quiet(session, page)


def test_hostile_titles_stay_text_in_the_data_block_and_on_the_page(english, session):
    html = (english / "report.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="explorer-data">')
    block = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    data = json.loads(block)
    assert [a[0] for a in data["articles"]].count(EVIL_TITLE) == 1
    assert html.count("<script") == 2 and "<b>Đà Nẵng</b>" not in html
    page = english / "report.html"
    session.open(page, "#topic=L00")
    assert session.evaluate(ARTICLES)[0][0] == EVIL_TITLE
    assert session.evaluate("document.scripts.length") == 2
    assert session.evaluate("document.querySelectorAll('b').length") == 0
    assert EVIL_TITLE.split("\u2028")[0] in session.evaluate("document.body.innerText")
    assert_quiet(session, page)
