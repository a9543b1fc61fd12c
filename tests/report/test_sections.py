"""Report sections (report/build.py, model_sections.py, comparison_sections.py, format.py):
each section's Markdown and HTML carry its title and the real values, and article-derived
text (titles, words, provinces) stays inert in both."""
from __future__ import annotations

import re

import pandas as pd

from vntopics.pipeline.report import ReportInputs, write_reports
from vntopics.pipeline.report import build, sections
from vntopics.pipeline.report.comparison_sections import (citations_section,
                                                          differences_section,
                                                          distinctive_section,
                                                          province_year_section, trends_section)
from vntopics.pipeline.report.format import (Section, markdown_escape, markdown_table, table_section,
                                             topic_labels)
from vntopics.pipeline.report.language import ENGLISH
from vntopics.pipeline.report.model_sections import k_sweep_section, stability_section

WORDS = [["cách_ly", "bệnh_nhân", "y_tế", "dịch"], ["đội", "hlv", "trận", "bóng"]]
TOPICS = pd.DataFrame([("lda", t, r + 1, w, x) for t, words in enumerate(WORDS)
                       for r, (w, x) in enumerate(zip(words, [0.12, 0.08, 0.05, 0.02]))],
                      columns=["model", "topic", "rank", "word", "weight"])
EVIL = '<script>alert("Hà Nội")</script> \'Đà Nẵng\' | cột & "trích dẫn"'
VERSION = "20250106T060000Z-1a2b3c4d"


def prevalence_frame() -> pd.DataFrame:
    rows = []

    def add(dimension, group, n_docs, shares, diffs, low=False):
        for topic, (share, diff) in enumerate(zip(shares, diffs)):
            rows.append({"model": "lda", "dimension": dimension, "group": group,
                         "topic": topic, "prevalence": share, "ci_low": share - 0.05,
                         "ci_high": share + 0.05, "n_docs": n_docs, "low_support": low,
                         "diff_vs_rest": diff, "diff_low": diff - 0.1, "diff_high": diff + 0.1})

    add("province", "Hà Nội", 12, [0.7, 0.3], [0.25, -0.25])
    add("province", "Đắk Lắk", 8, [0.45, 0.55], [0.05, -0.05])     # interval spans 0
    add("province", "Cần Thơ", 3, [0.1, 0.9], [-0.5, 0.5], low=True)
    add("year", "2020", 9, [0.4, 0.6], [0.0, 0.0])
    add("year", "2021", 14, [0.55, 0.45], [0.0, 0.0])
    add("province_year", "Hà Nội|2020", 5, [0.6, 0.4], [0.0, 0.0])
    add("province_year", "Hà Nội|2021", 7, [0.8, 0.2], [0.0, 0.0])
    add("province_year", "Đắk Lắk|2021", 8, [0.45, 0.55], [0.0, 0.0])
    add("province_year", "Cần Thơ|2020", 3, [0.1, 0.9], [0.0, 0.0], low=True)
    return pd.DataFrame(rows)


PREVALENCE = prevalence_frame()


def inputs(**changes) -> ReportInputs:
    documents = pd.DataFrame({
        "doc_id": ["a.txt", "b.txt", "c.txt", "d.txt"],
        "title": ["Hà Nội mở cửa trường học", EVIL, "Cần Thơ chống hạn", "Lỗi"],
        "status": ["ok", "ok", "ok", "rejected"],
        "reason": ["", "", "", "duplicate of a.txt | bản sao"],
        "province": ["Hà Nội", "Hà Nội", "Cần Thơ", "unknown"],
        "year": pd.array([2020, None, 2021, None], dtype="Int64")})
    representatives = pd.DataFrame({
        "model": ["lda", "lda"], "topic": [0, 1], "rank": [1, 1], "doc_id": ["b.txt", "c.txt"],
        "title": [EVIL, "Cần Thơ chống hạn"], "province": ["Hà Nội", "Cần Thơ"],
        "year": pd.array([2020, None], dtype="Int64"), "weight": [0.9, 0.8]})
    manifest = {"version": VERSION, "created_at": "2025-01-06T06:00:00Z",
                "documents": {"in": 4, "ok": 3, "rejected": 1},
                "metrics": {"num_topics": {"lda": 2}, "vocabulary_size": 1397},
                "seeds": {"model": 42}, "stage_seconds": {"model": 12.34},
                "packages": {"python": "3.11.9", "gensim": "4.4.0"}, "compared_to": None}
    values = dict(manifest=manifest, documents=documents, topics=TOPICS, prevalence=PREVALENCE,
                  keyword_trends=pd.DataFrame(), representatives=representatives)
    return ReportInputs(**{**values, **changes})


def split_row(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]   # unescaped '|' only


def cells(markdown: str, first: str) -> dict[str, str]:
    """{column: cell} of the first Markdown table row whose first cell is `first`."""
    lines = markdown.splitlines()
    header: list[str] = []
    for line, following in zip(lines, lines[1:] + [""]):
        if following.startswith("|---"):
            header = split_row(line)
        elif line.startswith("| ") and split_row(line)[0] == first:
            row = split_row(line)
            assert len(row) == len(header), line
            return dict(zip(header, row))
    raise AssertionError(f"no row {first!r} in:\n{markdown}")


def page_outside_scripts(html: str) -> str:
    """The page without its own two script elements (the explorer's data and code), which
    must be the last thing in <body> and the only scripts."""
    start = html.index('<script type="application/json" id="explorer-data">')
    assert html.count("<script") == 2 and html.rindex("</script>") < html.index("</body>")
    return html[:start] + html[html.rindex("</script>") + len("</script>"):]


def test_format_helpers_escape_markdown_and_label_topics():
    assert markdown_escape("a|b [x](y) *z* `c` \\") == r"a\|b \[x\](y) \*z\* \`c\` \\"
    assert markdown_escape("<b>Hà\nNội</b> & xây_dựng") == \
        "&lt;b&gt;Hà Nội&lt;/b&gt; &amp; xây_dựng"
    assert markdown_table(pd.DataFrame()) == "_(none)_\n"
    table = markdown_table(pd.DataFrame({"tỉnh": ["Bà Rịa|Vũng Tàu"], "số bài": [7]}))
    assert table.splitlines() == ["| tỉnh | số bài |", "|---|---|",
                                  r"| Bà Rịa\|Vũng Tàu | 7 |"]
    assert topic_labels(TOPICS, "lda") == {0: "T0: cách ly, bệnh nhân, y tế",
                                           1: "T1: đội, hlv, trận"}
    assert topic_labels(TOPICS, "nmf") == {}


def test_corpus_sections_count_documents_by_province_and_year():
    summary, years, rejected = sections.corpus_section(inputs())
    assert summary.title == "Corpus summary"
    assert "4 documents in, 3 modelled, 1 rejected." in summary.markdown
    assert cells(summary.markdown, "Hà Nội") == {"province": "Hà Nội", "documents": "2"}
    assert "<td>Hà Nội</td><td>2</td>" in summary.html
    assert cells(years.markdown, "unknown") == {"year": "unknown", "documents": "1"}
    assert cells(rejected.markdown, "d.txt") == {"doc_id": "d.txt", "title": "Lỗi",
                                                 "reason": r"duplicate of a.txt \| bản sao"}


def test_a_long_list_of_rejected_documents_is_cut_and_says_where_the_rest_is():
    many = pd.DataFrame({"doc_id": [f"trùng-{i}.txt" for i in range(250)], "title": "Bản sao",
                         "status": "rejected", "reason": "duplicate of a.txt",
                         "province": "unknown", "year": pd.array([None] * 250, dtype="Int64")})
    documents = pd.concat([inputs().documents, many], ignore_index=True)
    manifest = {**inputs().manifest, "documents": {"in": 254, "ok": 3, "rejected": 251}}
    _, _, rejected = sections.corpus_section(inputs(documents=documents, manifest=manifest))
    assert "The first 200 of the 251 rejected inputs" in rejected.markdown
    assert "tables/documents.csv" in rejected.markdown
    assert rejected.markdown.count("\n| ") == 201                      # header + 200 rows
    assert "| d.txt |" in rejected.markdown                             # in input order
    assert "trùng-198.txt" in rejected.html and "trùng-199.txt" not in rejected.html


def test_topics_section_lists_words_with_weights_and_articles():
    section = sections.topics_section(inputs(), "lda")
    assert section.title == "Topics (LDA)" and section.anchor == "topics-lda"
    row = cells(section.markdown, "1")
    assert row["top words (weight)"] == "đội (0.120), hlv (0.080), trận (0.050), bóng (0.020)"
    assert row["most representative articles"] == "Cần Thơ chống hạn (Cần Thơ, unknown)"
    assert "cách ly (0.120)" in section.html
    assert "Cần Thơ chống hạn (Cần Thơ, unknown)" in section.html   # a missing year
    assert "NA" not in section.markdown + section.html


def test_missing_values_in_tables_read_unknown():
    frame = pd.DataFrame({"doc_id": ["a.txt"], "year": pd.array([None], dtype="Int64")})
    assert markdown_table(frame).splitlines()[-1] == "| a.txt | unknown |"
    assert "<td>unknown</td>" in table_section(ENGLISH, "x", "X", "", frame).html


def test_warnings_are_in_the_corpus_summary():
    manifest = {**inputs().manifest, "warnings": ["input folder /data/empty holds nothing to "
                                                  "read"]}
    summary, _, _ = sections.corpus_section(inputs(manifest=manifest))
    assert "Warning: input folder /data/empty holds nothing to read." in summary.markdown


def test_province_section_table_has_every_province_and_chart_only_large_ones():
    section = sections.province_section(inputs(), "lda")
    assert section.title == "Topic prevalence by province (LDA)"
    header = section.markdown.split("\n\n")[1].splitlines()[0]
    assert header == "| province | T0: cách ly, bệnh nhân, y tế | T1: đội, hlv, trận |"
    assert list(cells(section.markdown, "Hà Nội").values()) == ["Hà Nội", "0.700", "0.300"]
    assert list(cells(section.markdown, "Cần Thơ").values()) == ["Cần Thơ", "0.100", "0.900"]
    chart = section.html[section.html.index("<svg"):section.html.index("</svg>")]
    assert "Hà Nội (n=12)" in chart and "Đắk Lắk (n=8)" in chart
    assert "Cần Thơ" not in chart
    assert "<td>Cần Thơ</td>" in section.html
    empty = sections.province_section(inputs(prevalence=PREVALENCE[PREVALENCE.dimension == "year"]),
                                   "lda")
    assert "No province metadata." in empty.markdown and "<svg" not in empty.html


def test_year_section_shows_intervals():
    section = sections.year_section(inputs(), "lda")
    assert section.title == "Topic prevalence by year (LDA)"
    assert cells(section.markdown, "T0: cách ly, bệnh nhân, y tế") == {
        "topic": "T0: cách ly, bệnh nhân, y tế", "2020": r"0.400 \[0.350, 0.450\]",
        "2021": r"0.550 \[0.500, 0.600\]"}
    assert "0.600 [0.550, 0.650]" in section.html and section.html.count("<polyline") == 2


def test_differences_section_keeps_clear_differences_of_well_supported_provinces():
    section = differences_section(PREVALENCE, TOPICS, "lda")
    assert section.title == "Where provinces differ (LDA)"
    rows = [l for l in section.markdown.splitlines() if l.startswith("| Hà Nội")]
    assert len(rows) == 2
    assert list(cells(section.markdown, "Hà Nội").values()) == [
        "Hà Nội", "12", "T0: cách ly, bệnh nhân, y tế", "0.700",
        r"+0.250 \[+0.150, +0.350\]"]
    assert "Đắk Lắk" not in section.markdown          # interval includes zero
    assert "Cần Thơ" not in section.markdown          # low support
    assert "-0.250 [-0.350, -0.150]" in section.html


def test_province_year_section_panels_and_leading_topics():
    section = province_year_section(PREVALENCE, TOPICS, "lda")
    assert section.title == "Province × year (LDA)"
    assert list(cells(section.markdown, "Cần Thơ").values()) == [
        "Cần Thơ", "2020", "3", "T1: đội, hlv", r"0.900 \[0.850, 0.950\]", "yes"]
    assert cells(section.markdown, "Đắk Lắk")["leading topic"] == "T1: đội, hlv"
    assert "panels: the 2 provinces" in section.markdown
    assert "Hà Nội (n=12)" in section.html and "Cần Thơ (n=" not in section.html
    none = province_year_section(PREVALENCE[PREVALENCE.dimension != "province_year"], TOPICS,
                                 "lda")
    assert "No province and year metadata." in none.markdown


def test_distinctive_sections_flag_small_groups_and_list_them_last():
    distinctive = pd.DataFrame(
        [("province", "Cần Thơ", "miền_tây", 3.1, 1.5, 9, 0),
         ("province", "Hà Nội", "hoàn_kiếm", 4.0, 0.9, 12, 1),
         ("province", "Hà Nội", "thủ_đô", 6.2, 1.1, 30, 5),
         ("province", "Đắk Lắk", "cà_phê", 5.5, 2.0, 20, 2),
         ("year", "2021", "vắc_xin", 7.7, 1.2, 40, 3)],
        columns=["dimension", "group", "word", "zscore", "log_odds", "count_group",
                 "count_rest"])
    by_province, by_year = distinctive_section(distinctive, PREVALENCE)
    assert by_province.title == "Distinctive words by province"
    body = [l for l in by_province.markdown.splitlines() if l.startswith("| ")][1:]
    assert [c.split(" | ")[0] for c in body] == ["| Hà Nội", "| Đắk Lắk", "| Cần Thơ"]
    assert cells(by_province.markdown, "Hà Nội") == {
        "province": "Hà Nội", "n_docs": "12",
        "words (z-score)": "thủ đô (6.2), hoàn kiếm (4.0)", "low support": ""}
    assert cells(by_province.markdown, "Cần Thơ")["low support"] == "yes"
    assert list(cells(by_year.markdown, "2021").values()) == ["2021", "14", "vắc xin (7.7)", ""]
    none = distinctive_section(None, PREVALENCE)
    assert all("Not enough groups to compare." in s.markdown for s in none)


def test_trends_and_citations_sections():
    summary = pd.DataFrame(
        [("emerging", "vắc_xin", 12.5, 4.2, 2.7e-5, 8.1e-4, 140, 2020, 2022, 1.0, 26.0, 0.02,
          0.31),
         ("declining", "cách ly", -8.25, -3.1, 0.0019, 0.021, 90, 2020, 2022, 30.5, 14.0, 0.4,
          0.15)],
        columns=["direction", "word", "slope_per_10k_per_year", "z", "p_value", "q_value",
                 "total_count", "first_year", "last_year", "first_rate", "last_rate",
                 "first_share", "last_share"])
    per_year = pd.DataFrame({"year": [2018, 2020, 2021, 2022], "year_docs": [2, 40, 55, 61],
                             "tested": [False, True, True, True]})
    trends = trends_section(summary, per_year, {"trend_alpha": 0.05,
                                                "trend_min_year_docs": 30})
    assert trends.title == "Emerging and declining words"
    assert list(cells(trends.markdown, "declining").values()) == [
        "declining", "cách ly", "40.0% (2020) → 15.0% (2022)", "30.5 → 14.0", "-8.25", "-3.1",
        "0.0019", "0.021", "90"]
    assert "1.0 → 26.0" in trends.html and "2.0% (2020) → 31.0% (2022)" in trends.html
    assert "Not tested (fewer than 30 documents): 2018 (2 documents)." in trends.markdown
    assert "q &lt; 0.05" in trends.html and "Benjamini–Hochberg" in trends.markdown
    empty = trends_section(summary.iloc[0:0], per_year, {"trend_min_year_docs": 30})
    assert "No word changes clearly" in empty.markdown and "2018 (2 documents)" in empty.markdown
    citations = pd.DataFrame({
        "code": ["18-NQ/TW", "18-NQ/TW", "05-CT/TW", "35-NQ/TW"],
        "province": ["Hà Nội", "Đắk Lắk", "Hà Nội", "unknown"],
        "year": pd.array([2020, 2021, 2021, None], dtype="Int64"),
        "docs": [3, 2, 4, 1], "count": [5, 2, 6, 1]})
    section = citations_section(citations)
    assert cells(section.markdown, "2021") == {
        "year": "2021", "codes (documents citing)": "05-CT/TW (4), 18-NQ/TW (2)"}
    assert "Overall most cited: 18-NQ/TW (5 documents), 05-CT/TW (4 documents)" in section.html
    assert "No Party document codes found." in citations_section(citations.iloc[0:0]).markdown


def test_k_sweep_and_stability_sections():
    sweep = pd.DataFrame({"model": ["lda", "lda", "nmf", "nmf"], "k": [6, 8, 6, 8],
                          "c_npmi": [0.05, 0.071, 0.09, 0.08], "c_v": [0.5, 0.55, 0.6, 0.58],
                          "diversity": [0.9, 0.85, 0.95, 0.9], "seconds": [3.2, 4.1, 0.5, 0.6],
                          "chosen": [False, True, True, False]})
    section = k_sweep_section(sweep)
    assert section.title == "Choice of K" and "Chosen: LDA K=8, NMF K=6." in section.markdown
    assert "| lda | 8 | 0.071 | 0.550 | 0.850 | 4.1 | ✓ |" in section.markdown
    assert section.html.count("<polyline") == 2 and "LDA NPMI" in section.html
    single = k_sweep_section(sweep[sweep.k == 8].assign(chosen=True))
    assert "<svg" not in single.html and "Chosen: LDA K=8, NMF K=8." in single.markdown
    assert "No K sweep in this run." in k_sweep_section(None).markdown
    stability = pd.DataFrame({"model": ["lda", "lda"], "topic": [0, 1],
                              "mean_jaccard": [0.82, 0.31], "min_jaccard": [0.7, 0.1],
                              "stable": [True, False]})
    section = stability_section(stability, TOPICS)
    assert "1 topic(s) flagged unstable" in section.markdown
    assert cells(section.markdown, "LDA") == {
        "model": "LDA", "topic": "T0: cách ly, bệnh nhân, y tế", "mean Jaccard": "0.82",
        "min Jaccard": "0.70", "stable": "yes"}
    assert "<td>T1: đội, hlv, trận</td><td>0.31</td><td>0.10</td><td>UNSTABLE</td>" in \
        section.html


def test_changes_and_run_sections():
    first = sections.changes_section(inputs())
    assert "This is the first version" in first.markdown
    changes = pd.DataFrame({"model": ["lda", "lda", "lda"],
                            "topic_a": pd.array([0, 1, None], dtype="Int64"),
                            "topic_b": pd.array([1, 0, 2], dtype="Int64"),
                            "status": ["kept", "kept", "new"], "overlap": [1.0, 0.54, 0.0],
                            "words_a": ["cách_ly y_tế", "đội hlv", ""],
                            "words_b": ["cách_ly y_tế", "đội trận", "du_lịch biển"],
                            "province_shift": ["Đà Nẵng +0.250", "", ""]})
    manifest = {**inputs().manifest, "compared_to": "20241230T060000Z-9f8e7d6c"}
    later = sections.changes_section(inputs(manifest=manifest, changes=changes))
    assert "Topics of version 20241230T060000Z-9f8e7d6c and of this one by topic id" \
        in later.markdown and "falls below 0.50" in later.markdown
    assert "| đội, hlv | đội, trận |" in later.markdown        # words read with spaces
    assert "LDA kept: 2, LDA new: 1" in later.markdown
    assert cells(later.markdown, "lda")["province_shift"] == "Đà Nẵng +0.250"
    assert "<td>lda</td><td></td><td>2</td><td>new</td>" in later.html
    run = sections.run_section(inputs())
    assert cells(run.markdown, "version") == {"item": "version", "value": VERSION}
    assert cells(run.markdown, "topics (K)")["value"] == "LDA 2"
    assert cells(run.markdown, "seconds: model")["value"] == "12.3"
    assert "<td>gensim</td><td>4.4.0</td>" in run.html


def test_whole_report_escapes_article_text_in_html_and_markdown():
    manifest = {**inputs().manifest, "config": {"input": {"paths": [
        "data/default", "/srv/tin/dantri-2021.jsonl.gz"]}}}
    markdown, html = write_reports(inputs(manifest=manifest))
    assert markdown.startswith("# vntopics — default, dantri-2021.jsonl.gz — 2025-01-06\n")
    assert "## Topics (LDA)" in markdown and "## Run details" in markdown
    assert "<script>" not in page_outside_scripts(html) and "<script>" not in markdown
    assert ("&lt;script&gt;alert(&quot;Hà Nội&quot;)&lt;/script&gt; &#x27;Đà Nẵng&#x27; | cột "
            "&amp; &quot;trích dẫn&quot;") in html
    row = cells(markdown, "0")        # the topic row citing the title: '|' does not split it
    assert row["most representative articles"] == (
        r'&lt;script&gt;alert("Hà Nội")&lt;/script&gt; ' r"'Đà Nẵng' \| cột "
        r'&amp; "trích dẫn" (Hà Nội, 2020)')
    anchors = re.findall(r'<section id="([^"]+)"><h2>', html)
    assert anchors and all(f'href="#{a}"' in html for a in anchors)
    assert len(anchors) == len(set(anchors)) == markdown.count("\n## ")
    for title in ("Topics (LDA)", "Where provinces differ (LDA)", "Distinctive words by year",
                  "What changed since the previous version", "Topic stability across seeds"):
        assert f"## {title}\n" in markdown and f"<h2>{title}</h2>" in html


def test_section_titles_and_input_names_are_escaped_in_html():
    manifest = {**inputs().manifest, "config": {"input": {"paths": ['/data/v"<1>']}}}
    html = build.render_html(inputs(manifest=manifest), [Section("bao-cao", EVIL, "", "")])
    assert "<script>" not in page_outside_scripts(html) and 'v"<1>' not in html
    escaped = ("&lt;script&gt;alert(&quot;Hà Nội&quot;)&lt;/script&gt; &#x27;Đà Nẵng&#x27; | "
               "cột &amp; &quot;trích dẫn&quot;")
    assert f'<li><a href="#bao-cao">{escaped}</a></li>' in html
    assert f"<h2>{escaped}</h2>" in html
    assert "<title>vntopics — v&quot;&lt;1&gt; — 2025-01-06</title>" in html


def watchlist_frame() -> pd.DataFrame:
    """Two terms (one never found) over all, 2 provinces and 2 years, as compare makes it."""
    rows = []
    groups = [("all", "all", 23, False), ("province", "Hà Nội", 12, False),
              ("province", "Cần Thơ", 3, True), ("year", "2020", 9, False),
              ("year", "2021", 14, False)]
    for term, docs in (("chuyển đổi số", [6, 5, 1, 1, 5]), (EVIL, [0] * 5)):
        for (dimension, group, n, low), d in zip(groups, docs):
            tested = d and dimension == "all"
            rows.append({"term": term, "kind": "phrase", "dimension": dimension,
                         "group": group, "n_docs": n, "docs": d, "doc_share": d / n,
                         "doc_share_ci_low": d / n / 2, "doc_share_ci_high": min(1, d / n * 2),
                         "count": 2 * d, "tokens": 100 * n, "rate_per_10k": 200 * d / n,
                         "rate_per_10k_ci_low": 100 * d / n, "rate_per_10k_ci_high": 300 * d / n,
                         "low_support": low, "tested": pd.NA if dimension != "year" else n >= 10,
                         "first_year": (2020 if d else pd.NA) if dimension == "all" else pd.NA,
                         "trend_slope": pd.NA, "trend_z": 2.5 if tested else pd.NA,
                         "trend_p": 0.012 if tested else pd.NA,
                         "trend_q": 0.012 if tested else pd.NA,
                         "trend": ("rising" if d else "never found") if dimension == "all"
                         else None})
    return pd.DataFrame(rows)


def test_watchlist_sections_tables_charts_and_escaping():
    from vntopics.pipeline.report.watchlist_sections import watchlist_sections

    overall, by_year, by_province = watchlist_sections(watchlist_frame(), min_year_docs=10)
    assert [s.title for s in (overall, by_year, by_province)] == [
        "Watchlist", "Watchlist by year", "Watchlist by province"]
    row = cells(overall.markdown, "chuyển đổi số")
    assert row["share of documents \\[95% interval\\]"] == "26.1% \\[13.0%, 52.2%\\]"
    assert row["first year"] == "2020"
    assert row["trend across years"] == "rising (z +2.5, p 0.012, q 0.012)"
    assert "Never found: " in overall.markdown and "<script>" not in overall.html
    assert cells(by_year.markdown, "chuyển đổi số")["2020 (n=9)\\*"].endswith("(1)")
    assert "fewer than 10 documents: shown, not tested" in by_year.markdown
    assert by_year.html.count("<svg") == 2 and "<script>" not in by_year.html
    provinces = [split_row(line)[0] for line in by_province.markdown.splitlines()[4:]]
    assert provinces == ["Hà Nội", "Cần Thơ"]                  # low support listed last
    assert cells(by_province.markdown, "Hà Nội")["n_docs"] == "12"
    assert cells(by_province.markdown, "Cần Thơ")["low support"] == "yes"
    assert watchlist_sections(None, 30) == [] and watchlist_sections(
        watchlist_frame().iloc[0:0], 30) == []


def test_low_support_years_and_provinces_are_drawn_hollow_and_pale_with_their_n():
    thin = PREVALENCE.assign(low_support=PREVALENCE["low_support"]
                             | PREVALENCE["group"].isin(["2020", "Đắk Lắk"]))
    year = sections.year_section(inputs(prevalence=thin), "lda").html
    assert year.count('<circle class="low-support"') == 2        # 2020: one per topic
    assert '>n = 9</text>' in year
    # the line runs through the supported year only: never a confident point at 2020
    assert all(line.count(",") == 1 for line in re.findall(r'<polyline points="([^"]*)"', year))
    province = sections.province_section(inputs(prevalence=thin), "lda").html
    pale = re.findall(r'<g class="low-support"[^>]*>(.*?)</g>', province)
    assert len(pale) == 1 and "Đắk Lắk (n=8)" in pale[0]
    assert "Hà Nội (n=12)" not in "".join(pale)


def test_history_section_puts_drifted_topics_first_with_old_and_new_words():
    from vntopics.pipeline.report.model_sections import history_section

    rows = [("v1", "2025-01-06T06:00:00Z", "lda", "L00", "", 0.5, 9, "new",
             "cách_ly y_tế", None),
            ("v1", "2025-01-06T06:00:00Z", "lda", "L01", "Xây dựng Đảng", 0.3, 5, "new",
             "đảng xây_dựng ubnd lãnh_đạo ủy", None),
            ("v1", "2025-01-06T06:00:00Z", "lda", "L02", "", 0.2, 2, "new", "đội hlv", None),
            ("v2", "2025-01-13T06:00:00Z", "lda", "L00", "", 0.5, 9, "kept",
             "cách_ly y_tế", 0.93),
            ("v2", "2025-01-13T06:00:00Z", "lda", "L01", "Xây dựng Đảng", 0.4, 6, "drifted",
             "xây_dựng tỷ dự_án chủ_tịch ubnd", 0.41),
            ("v2", "2025-01-13T06:00:00Z", "lda", "L02", "", 0.0, 0, "retired", "đội hlv",
             None)]
    history = pd.DataFrame(rows, columns=["version", "created_at", "model", "topic_id",
                                          "label", "prevalence", "n_docs", "status",
                                          "top_words", "similarity_to_previous"])
    section = history_section(history, "lda", threshold=0.6)
    table = [split_row(line) for line in section.markdown.splitlines()
             if line.startswith("| L")]
    assert [row[0] for row in table] == ["L01", "L02", "L00"]     # drifted, retired, kept
    drifted = cells(section.markdown, "L01")
    assert drifted["now"] == "drifted" and drifted["similarity"] == "0.41"
    assert drifted["words before"] == "đảng, xây dựng, ubnd, lãnh đạo, ủy"
    assert drifted["words now"] == "xây dựng, tỷ, dự án, chủ tịch, ubnd"
    assert cells(section.markdown, "L02")["words now"] == ""
    assert "below 0.60" in section.markdown
