"""Publishing a run with seeded topics and a watchlist (120 real articles, small fits): the
seed label in topics.csv and the reports until an analyst's label replaces it, the manifest's
record of the seeds and terms, and tables/watchlist.csv with its report sections."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from vntopics.pipeline.compare import compare_groups
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.model import sweep_and_fit
from vntopics.pipeline.segment.terms import TermCounter, load_watchlist
from vntopics.pipeline.store import RunResults, publish_version, write_label
from vntopics.pipeline.text import Document, describe_inputs

CONFIG = {"model": {"num_topics": 4, "stability_seeds": 1,
                    "seed_topics": {"Bóng đá": ["HLV", "trận", "cầu thủ", "bóng đá", "xyz"]},
                    "lda": {"passes": 1, "iterations": 20}, "nmf": {"max_iter": 200}},
          "compare": {"bootstrap": 20, "trend_min_year_docs": 10,
                      "watchlist": ["bóng đá", "Hà Nội", "18-NQ/TW"]}}


@pytest.fixture(scope="module")
def versions(real_corpus, tmp_path_factory):
    corpus, tokens, modelled = real_corpus
    config = RunConfig.model_validate(CONFIG)
    fitted = sweep_and_fit(corpus, tokens, config.model)
    terms = load_watchlist(config.compare)
    count = TermCounter(terms)
    # tokens stand in for the text here (syllables joined back with spaces)
    documents = [Document(doc_id=row.doc_id, text="", title=row.title, year=int(row.year),
                          province=row.province, n_tokens=len(words),
                          term_counts=count(" ".join(words).replace("_", " "), []))
                 for row, words in zip(modelled.itertuples(), tokens)]
    comparisons = compare_groups(list(fitted.models.values()),
                                 modelled.assign(n_tokens=[len(t) for t in tokens]), tokens,
                                 [[] for _ in tokens], config.compare, seed=config.model.seed,
                                 watchlist=terms, term_counts=[d.term_counts for d in documents])
    results = RunResults(config=config.model_dump(mode="json"),
                         inputs=describe_inputs([FIXTURES / "unc-small.jsonl.gz"]),
                         documents=documents, modelled=documents, corpus=corpus,
                         models=list(fitted.models.values()), comparisons=comparisons,
                         seed_topics=fitted.seed_topics, watchlist=terms)
    artifacts = tmp_path_factory.mktemp("analyst") / "artifacts"
    first, _ = publish_version(results, artifacts, top_words=15)
    topics = pd.read_csv(first / "tables" / "topics.csv", keep_default_na=False)
    nmf_id = topics[(topics.model == "nmf") & (topics.topic == 0)].topic_id.iloc[0]
    write_label(artifacts, "nmf", nmf_id, "Thể thao")
    second, _ = publish_version(results, artifacts, top_words=15, previous=first)
    return first, second


def labels(version) -> dict:
    topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
    return {(m, t): label for (m, t), label in
            topics.groupby(["model", "topic"])["label"].first().items()}


def test_seeded_topics_carry_their_label_until_an_analyst_names_them(versions):
    first, second = versions
    assert labels(first) == {("lda", 0): "Bóng đá", ("lda", 1): "", ("lda", 2): "",
                             ("lda", 3): "", ("nmf", 0): "Bóng đá", ("nmf", 1): "",
                             ("nmf", 2): "", ("nmf", 3): ""}
    after = labels(second)
    assert after[("nmf", 0)] == "Thể thao" and after[("lda", 0)] == "Bóng đá"
    report = (second / "report.md").read_text(encoding="utf-8")
    assert "Thể thao" in report and "Bóng đá" in report
    history = pd.read_csv(second / "tables" / "topic_history.csv", keep_default_na=False)
    latest = history[history.version == second.name]
    assert set(latest.label) >= {"Thể thao", "Bóng đá"}


def test_manifest_records_seeds_missing_words_and_terms(versions):
    first, _ = versions
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    for model in ("lda", "nmf"):
        (seeded,) = manifest["seed_topics"][model]
        assert seeded["label"] == "Bóng đá" and seeded["topic"] == 0
        assert seeded["topic_id"] == manifest["topic_ids"][model][0]
        assert seeded["seeds"] == ["hlv", "trận", "cầu_thủ", "bóng_đá"]
        assert seeded["missing"] == ["xyz"]
        assert seeded["seeds_in_top_words"] == 4
    assert manifest["watchlist"] == {
        "terms": [{"term": "bóng đá", "kind": "phrase"}, {"term": "Hà Nội", "kind": "phrase"},
                  {"term": "18-NQ/TW", "kind": "code"}],
        "never_found": ["18-NQ/TW"]}


def test_watchlist_table_and_report_sections(versions):
    first, _ = versions
    table = pd.read_csv(first / "tables" / "watchlist.csv")
    football = table[(table.term == "bóng đá") & (table.dimension == "province")]
    assert football.set_index("group").doc_share.idxmax() == "Gia Lai"
    report = (first / "report.md").read_text(encoding="utf-8")
    for title in ("## Watchlist\n", "## Watchlist by year\n", "## Watchlist by province\n"):
        assert title in report
    assert "Never found: 18-NQ/TW." in report
    html = (first / "report.html").read_text(encoding="utf-8")
    assert html.count("<title>Watchlist: ") == 3          # one chart per term
