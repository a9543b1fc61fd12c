"""Planted effects recovered end to end: a corpus built from real Vietnamese phrases where one
theme rises year by year and one province writes far more about another theme. The report's
prevalence tables must find both, with intervals that exclude the corpus mean."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_cli
from tests.planted import (PLANTED_PROVINCE, PLANTED_THEME, RISING, THEMES, build_corpus,
                           match_topics, theme_words)


@pytest.fixture(scope="module")
def planted_version(cli_env, tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    build_corpus(root / "planted.jsonl.gz")
    result = run_cli(["run", "--input", str(root / "planted.jsonl.gz"),
                      "--artifacts-dir", str(root / "artifacts"),
                      "--set", f"model.num_topics={len(THEMES)}", "--set", "compare.bootstrap=200",
                      "--set", "corpus.no_above=0.9",
                      "--set", f"cache.dir={root / 'cache'}"], env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_planted_effects_are_recovered(planted_version, model):
    tables = planted_version / "tables"
    topics = pd.read_csv(tables / "topics.csv")
    prevalence = pd.read_csv(tables / "topic_prevalence.csv", keep_default_na=False)
    matched = match_topics(topics, model)
    assert len(set(matched.values())) == len(THEMES), matched   # one topic per theme
    rows = prevalence[prevalence["model"] == model]

    rising = rows[(rows["dimension"] == "year") & (rows["topic"] == matched[RISING])]
    by_year = rising.set_index("group")["prevalence"].astype(float)
    assert by_year["2019"] < by_year["2020"] < by_year["2021"], by_year
    first, last = rising.set_index("group").loc["2019"], rising.set_index("group").loc["2021"]
    assert float(first["ci_high"]) < float(last["ci_low"])       # separated, not noise

    sea = rows[(rows["dimension"] == "province") & (rows["topic"] == matched[PLANTED_THEME])]
    top = sea.sort_values("prevalence", ascending=False).iloc[0]
    assert top["group"] == PLANTED_PROVINCE
    assert float(top["diff_low"]) > 0          # the interval of the difference excludes 0
    overall = float(sea["prevalence"].astype(float).mul(sea["n_docs"]).sum()
                    / sea["n_docs"].sum())
    assert float(top["ci_low"]) > overall      # the interval excludes the corpus mean


def test_planted_words_are_distinctive_and_trending(planted_version):
    tables = planted_version / "tables"
    distinctive = pd.read_csv(tables / "distinctive_keywords.csv")
    khanh_hoa = distinctive[(distinctive["dimension"] == "province")
                            & (distinctive["group"] == PLANTED_PROVINCE)].head(5)
    assert all(map(theme_words(PLANTED_THEME), khanh_hoa["word"])), khanh_hoa
    summary = pd.read_csv(tables / "keyword_trend_summary.csv")
    emerging = summary[summary["direction"] == "emerging"]["word"].head(5)
    assert len(emerging) and all(map(theme_words(RISING), emerging))
