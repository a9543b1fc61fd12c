"""report.md keeps every analyst string inert: watchlist terms (found or never found), topic
labels and seeded-topic labels, article titles, warnings naming paths. Markdown renders HTML
tags, links and emphasis, so each must be escaped wherever it lands: tables, intros, titles."""
from __future__ import annotations

import pandas as pd

from tests.report.test_sections import TOPICS, inputs, watchlist_frame
from vntopics.pipeline.report import write_reports

TAG = '<img src=x onerror="alert(1)">'
LINK = "[Nghị quyết](javascript:alert(2))"
NEVER_FOUND = f"{TAG} chuyển đổi số"
FOUND = f"{LINK} **kinh tế số**"
LABEL = f"Y tế {TAG}"
SEEDED_LABEL = f"Giáo dục {LINK} `mã`"
TITLE = f"Hà Nội | {TAG}"
WARNING = f"input folder /data/{TAG} holds nothing to read"
RAW_FORMS = [TAG, LINK, "**kinh tế số**", "`mã`", "<img"]


def hostile_inputs():
    topics = TOPICS.assign(label=TOPICS["topic"].map({0: LABEL, 1: SEEDED_LABEL}),
                           topic_id=TOPICS["topic"].map({0: "L01", 1: "L02"}))
    watchlist = watchlist_frame()
    watchlist["term"] = watchlist["term"].map(
        lambda term: FOUND if term == "chuyển đổi số" else NEVER_FOUND)
    base = inputs()
    documents = base.documents.assign(title=[TITLE] * len(base.documents))
    representatives = base.representatives.assign(title=TITLE)
    history = pd.DataFrame({
        "version": ["v1", "v1"], "created_at": ["2025-01-06T06:00:00Z"] * 2,
        "model": ["lda", "lda"], "topic_id": ["L01", "L02"], "label": [LABEL, SEEDED_LABEL],
        "prevalence": [0.6, 0.4], "n_docs": [2, 1], "status": ["new", "new"]})
    manifest = {**base.manifest, "warnings": [WARNING]}
    return inputs(topics=topics, watchlist=watchlist, documents=documents, history=history,
                  representatives=representatives, manifest=manifest)


def test_report_md_escapes_every_analyst_string():
    markdown, html = write_reports(hostile_inputs())
    for raw in RAW_FORMS:
        assert raw not in markdown, raw
    assert "&lt;img src=x onerror=\"alert(1)\"&gt; chuyển đổi số" in markdown   # never found
    assert r"\[Nghị quyết\](javascript:alert(2)) \*\*kinh tế số\*\*" in markdown
    assert r"Y tế &lt;img" in markdown and r"Giáo dục \[Nghị quyết\]" in markdown
    assert "/data/&lt;img" in markdown                                         # the warning
    assert "<img" not in html.split('id="explorer-data">', 1)[0]
