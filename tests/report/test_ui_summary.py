"""What the Prefect UI shows of a version (pipeline/report/ui_summary.py), read from real
published versions: the summary and the prevalence tables in the version's report language."""
from __future__ import annotations

import pandas as pd

from tests.conftest import english_leftovers
from vntopics.pipeline.report import language_of, prevalence_rows, summary_markdown
from vntopics.pipeline.store import read_manifest, read_table


def summary_of(version):
    return summary_markdown(version, read_manifest(version), read_table(version, "topics"))


def prevalence_of(version, dimension):
    lang = language_of(read_manifest(version))
    return prevalence_rows(read_table(version, "topic_prevalence"), dimension, lang)


def test_english_summary_and_tables(report_versions):
    version = report_versions["en"]
    summary = summary_of(version)
    assert summary.startswith(f"# vntopics {version.name}\n")
    assert "123 documents in, 120 modelled, 3 rejected. Report: `" in summary
    assert "## Top topics (LDA)" in summary and "| topic | label | top words |" in summary
    rows = prevalence_of(version, "province")
    assert set(rows[0]) == {"model", "group", "topic_id", "prevalence", "ci_low", "ci_high",
                            "n_docs"}
    assert {r["group"] for r in rows} >= {"Gia Lai", "Hà Nội", "Đà Nẵng"}


def test_vietnamese_summary_and_tables_have_no_english_ui_string(report_versions):
    version = report_versions["vi"]
    summary = summary_of(version)
    assert summary.startswith(f"# vntopics {version.name}\n")
    assert "123 bài đầu vào, 120 bài đưa vào mô hình, 3 bài bị loại. Báo cáo: `" in summary
    assert "## Các chủ đề chính (NMF)" in summary
    assert "| chủ đề | nhãn | từ hàng đầu |" in summary
    topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
    assert all(word in summary for word in topics[topics["rank"] == 1]["word"])
    by_year = prevalence_of(version, "year")
    assert set(by_year[0]) == {"mô hình", "nhóm", "mã chủ đề", "tỷ trọng", "cận dưới",
                               "cận trên", "số bài"}
    assert {r["nhóm"] for r in by_year} == {"2020", "2021"}
    without_path = summary.replace(str(version / "report.html"), "")     # a path is data
    assert english_leftovers(without_path + " ".join(by_year[0])) == []
