"""Publishing a run (store/publish.py) from real results: small LDA and NMF fits and their
comparisons on 120 real Vietnamese articles, written as version folders the way the flow does
it, without the CLI or Prefect."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import PROJECT, read_csv
from vntopics.pipeline.report.format import readable
from vntopics.pipeline.store import RunResults, publish_version
from vntopics.pipeline.store import publish as publish_module
from vntopics.pipeline.store.versions import list_versions
from vntopics.pipeline.store.writer import ARTIFACT_CONTRACT

TOP_WORDS = 10
# artifacts/README.md, contract v1: every table a version holds and its columns, which
# "stay" in later contracts (these may add files and columns)
CONTRACT = {
    "documents": ["doc_id", "title", "date", "year", "province", "source", "n_chars",
                  "n_tokens", "citations", "status", "reason", "province_2025", "date_source",
                  "province_source", "source_source", "evidence"],
    "topics": ["model", "topic", "rank", "word", "weight"],
    "doc_topics": ["doc_id", "model", "topic", "weight"],
    "topic_prevalence": ["model", "dimension", "group", "topic", "prevalence", "ci_low",
                         "ci_high", "n_docs", "low_support", "diff_vs_rest", "diff_low",
                         "diff_high"],
    "topic_documents": ["model", "topic", "rank", "doc_id", "title", "province", "year",
                        "weight"],
    "keyword_trends": ["word", "year", "count", "docs", "tokens", "rate_per_10k",
                       "slope_per_10k_per_year", "z", "p_value"],
    "keyword_trend_summary": ["direction", "word", "slope_per_10k_per_year", "z", "p_value",
                              "total_count", "first_year", "last_year", "first_rate",
                              "last_rate"],
    "distinctive_keywords": ["dimension", "group", "word", "zscore", "log_odds", "count_group",
                             "count_rest"],
    "citations": ["code", "province", "year", "docs", "count", "n_docs", "doc_share",
                  "doc_share_ci_low", "doc_share_ci_high"],
    "k_sweep": ["model", "k", "c_npmi", "c_v", "diversity", "seconds", "chosen"],
    "topic_stability": ["model", "topic", "mean_jaccard", "min_jaccard", "stable"],
}
DIFF_COLUMNS = ["model", "topic_a", "topic_b", "status", "overlap", "words_a", "words_b",
                "province_shift"]


def header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")


def in_order(required: list[str], columns: list[str]) -> bool:
    """Every required column present, in the contract's order (later contracts may add)."""
    remaining = iter(columns)
    return all(column in remaining for column in required)


def documented_tables() -> set[str]:
    readme = (PROJECT / "artifacts" / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"tables/(\w+)\.csv", readme))


@pytest.fixture(scope="module")
def results(real_results) -> RunResults:
    return real_results


@pytest.fixture(scope="module")
def published(results, tmp_path_factory):
    artifacts = tmp_path_factory.mktemp("published") / "artifacts"
    first, pruned_first = publish_version(results, artifacts, top_words=TOP_WORDS)
    second, pruned_second = publish_version(results, artifacts, top_words=TOP_WORDS,
                                            previous=first)
    assert pruned_first == pruned_second == []
    return artifacts, first, second


def hidden_leftovers(artifacts: Path) -> list[str]:
    """Hidden entries but the folder's tag and lock file (it stays: store/artifacts_dir.py)."""
    return [p.name for p in artifacts.iterdir()
            if p.name.startswith(".") and p.name != ".vntopics-artifacts"]


def test_the_readme_documents_every_contract_table():
    assert set(CONTRACT) <= documented_tables()


def test_version_folder_holds_every_contract_table_with_its_columns(published):
    _, first, second = published
    for version in (first, second):
        assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}", version.name)
        for name in documented_tables():
            assert (version / "tables" / f"{name}.csv").is_file(), name
        for name, columns in CONTRACT.items():
            assert in_order(columns, header(version / "tables" / f"{name}.csv")), name
    assert not [p.name for p in (first / "tables").iterdir() if p.name.startswith("diff_")]


def test_tables_hold_the_run(published):
    _, first, _ = published
    tables = first / "tables"
    documents = read_csv(tables / "documents.csv")
    assert len(documents) == 123
    assert sum(d["status"] == "ok" for d in documents) == 120
    assert {d["province"] for d in documents if d["status"] == "ok"} == {
        "Hà Nội", "Hồ Chí Minh", "Gia Lai", "Thanh Hóa", "Hà Nam", "Đà Nẵng"}
    topics = pd.read_csv(tables / "topics.csv", keep_default_na=False)
    assert len(topics) == 2 * 3 * TOP_WORDS
    assert topics.groupby(["model", "topic"])["rank"].apply(list).map(
        lambda r: r == list(range(1, TOP_WORDS + 1))).all()
    football = topics[topics.word == "hlv"]            # HAGL's articles: a football topic
    assert set(football.model) == {"lda", "nmf"}
    doc_topics = pd.read_csv(tables / "doc_topics.csv")
    assert len(doc_topics) == 120 * 6
    sums = doc_topics.groupby(["doc_id", "model"])["weight"].sum()
    assert len(sums) == 240 and ((sums - 1).abs() < 1e-4).all()
    representatives = read_csv(tables / "topic_documents.csv")
    titles = {d["title"] for d in documents}
    assert representatives and all(r["title"] in titles for r in representatives)
    assert pd.read_csv(tables / "citations.csv").empty     # no Party codes in the fixture
    prevalence = pd.read_csv(tables / "topic_prevalence.csv", keep_default_na=False)
    assert set(prevalence.dimension) == {"province", "year", "province_year"}


def test_manifest_counts_add_up(published, results):
    _, first, second = published
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["documents"]
    assert counts == {"in": 123, "ok": 120, "rejected": 3}
    assert counts["in"] == counts["ok"] + counts["rejected"]
    assert manifest["version"] == first.name
    assert manifest["artifact_contract"] == ARTIFACT_CONTRACT >= 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["created_at"])
    reasons = manifest["rejected_reasons"]
    assert {kind: grouped["count"] for kind, grouped in reasons.items()} == {
        "duplicate": 1, "HTML page": 1, "no text after cleaning": 1}
    assert [e["reason"] for e in reasons["duplicate"]["examples"]] == [
        f"duplicate of {results.modelled[0].doc_id}"]
    assert manifest["inputs"][0]["sha256"] == results.inputs[0]["sha256"]
    assert manifest["seeds"] == {"model": 42, "bootstrap": 42}
    metrics = manifest["metrics"]
    assert metrics["modelled_documents"] == 120
    assert metrics["vocabulary_size"] == len(results.corpus.dictionary)
    assert metrics["num_topics"] == {"lda": 3, "nmf": 3}
    assert set(metrics["npmi"]) == {"lda", "nmf"}
    assert manifest["config"]["compare"]["bootstrap"] == 20
    assert manifest["compared_to"] is None
    later = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert later["compared_to"] == first.name and later["version"] == second.name


def test_reports_exist_and_mention_real_top_words(published):
    _, first, second = published
    for version in (first, second):
        topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
        top = topics[topics["rank"] == 1]["word"].tolist()
        markdown = (version / "report.md").read_text(encoding="utf-8")
        html = (version / "report.html").read_text(encoding="utf-8")
        day = f"{version.name[:4]}-{version.name[4:6]}-{version.name[6:8]}"
        assert markdown.startswith(f"# vntopics — default — {day}\n")
        assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
        for word in top + ["hlv"]:                # as people read them: 'cách_ly' → 'cách ly'
            assert readable(word) in markdown and readable(word) in html
        for province in ("Thanh Hóa", "Đà Nẵng", "Hồ Chí Minh"):
            assert province in markdown and province in html
    assert "This is the first version" in (first / "report.md").read_text(encoding="utf-8")
    later = (second / "report.md").read_text(encoding="utf-8")
    assert f"Topics of version {first.name} and of this one by topic id" in later


def test_second_version_is_latest_and_has_a_diff(published):
    artifacts, first, second = published
    assert list_versions(artifacts) == [first, second]
    assert first.name < second.name
    assert (artifacts / "LATEST").read_text(encoding="utf-8").strip() == second.name
    assert os.readlink(artifacts / "latest") == second.name
    diff_path = second / "tables" / f"diff_{first.name}.csv"
    assert in_order(DIFF_COLUMNS, header(diff_path))
    diff = pd.read_csv(diff_path, keep_default_na=False)
    assert len(diff) == 6 and set(diff.status) == {"kept"} and (diff.overlap == 1.0).all()
    assert "hlv" in " ".join(diff.words_b)
    assert hidden_leftovers(artifacts) == []


def test_identical_runs_write_identical_tables(published):
    _, first, second = published
    for name in CONTRACT:
        if name == "k_sweep":      # fit seconds: the one column that measures time
            continue
        assert (first / "tables" / f"{name}.csv").read_bytes() == \
            (second / "tables" / f"{name}.csv").read_bytes(), name


@pytest.mark.parametrize("with_previous", [False, True])
def test_a_failing_write_leaves_nothing_behind(results, tmp_path, monkeypatch, with_previous):
    artifacts = tmp_path / "artifacts"
    before = None
    if with_previous:
        before, _ = publish_version(results, artifacts, top_words=TOP_WORDS)

    def broken_reports(inputs):
        raise RuntimeError("disk full while rendering the report")

    monkeypatch.setattr(publish_module, "write_reports", broken_reports)
    with pytest.raises(RuntimeError, match="disk full"):
        publish_version(results, artifacts, top_words=TOP_WORDS, previous=before)
    assert list_versions(artifacts) == ([before] if before else [])
    assert hidden_leftovers(artifacts) == []
    if before:
        assert (artifacts / "LATEST").read_text(encoding="utf-8").strip() == before.name
        assert os.readlink(artifacts / "latest") == before.name
    else:
        assert [p.name for p in artifacts.iterdir()] == [".vntopics-artifacts"]


def test_keep_last_prunes_the_older_version(results, tmp_path):
    artifacts = tmp_path / "artifacts"
    first, _ = publish_version(results, artifacts, top_words=TOP_WORDS)
    second, pruned = publish_version(results, artifacts, top_words=TOP_WORDS, previous=first,
                                     keep_last=1)
    assert pruned == [first] and not first.exists()
    assert list_versions(artifacts) == [second]
    assert (artifacts / "LATEST").read_text(encoding="utf-8").strip() == second.name
    assert (second / "tables" / f"diff_{first.name}.csv").is_file()
    assert hidden_leftovers(artifacts) == []


def test_document_tables_are_parquet_too_and_only_parquet_when_large(results, tmp_path):
    from dataclasses import replace

    from vntopics.pipeline.store.versions import read_table

    small, _ = publish_version(results, tmp_path / "small", top_words=TOP_WORDS)
    config = {**results.config, "artifacts": {**results.config["artifacts"],
                                              "csv_max_rows": 100}}
    large, _ = publish_version(replace(results, config=config), tmp_path / "large",
                               top_words=TOP_WORDS)
    for name in ("documents", "doc_topics"):
        assert (small / "tables" / f"{name}.csv").is_file()
        assert (large / "tables" / f"{name}.parquet").is_file()
        assert not (large / "tables" / f"{name}.csv").is_file()   # > 100 rows: Parquet only
        from_csv = pd.read_csv(small / "tables" / f"{name}.csv", keep_default_na=False)
        from_parquet = read_table(large, name)
        assert list(from_parquet.columns) == list(from_csv.columns)
        assert len(from_parquet) == len(from_csv) > 100
    weights = read_table(large, "doc_topics")
    assert weights.groupby(["doc_id", "model"])["weight"].sum().round(4).eq(1).all()
    assert (small / "tables" / "topics.csv").is_file() and not (small / "tables" /
                                                              "topics.parquet").exists()
