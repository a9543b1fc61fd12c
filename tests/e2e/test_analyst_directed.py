"""Analyst-directed analysis end to end: `vntopics run` on the planted corpus with two seeded
topics and a watchlist (inline and from a file), through a real Prefect server. The seeded
topics must come back at their positions with their labels, the planted theme's words and
province; the watchlist must show the planted rise, the planted citing province, and the
term that never occurs."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import latest_artifacts, run_cli
from tests.planted import (PLANTED_PROVINCE, PLANTED_THEME, PROVINCES, THEMES, build_corpus,
                           match_topics, theme_words)

SEEDS = {"Giao thông": ["cao tốc", "nhà thầu", "thi công", "mặt bằng", "sân_bay"],
         "Biển đảo": ["ngư dân", "hải sản", "kiểm ngư", "ngư trường", "vùng biển"]}
SEEDED_THEMES = {"Giao thông": "giao_thông", "Biển đảo": PLANTED_THEME}
CITING_PROVINCE = "Nghệ An"
CONFIG = f"""
model:
  num_topics: {len(THEMES)}
  seed_topics:
    "Giao thông": [{", ".join(SEEDS["Giao thông"])}]
    "Biển đảo": [{", ".join(SEEDS["Biển đảo"])}]
compare:
  bootstrap: 100
  watchlist: ["vắc xin", "18-NQ/TW"]
corpus:
  no_above: 0.9
"""


def citing(province: str, year: int, index: int) -> str:
    """Half of Nghệ An's 2021 articles cite Resolution 18 (spelled two ways)."""
    if province == CITING_PROVINCE and year == 2021 and index % 2 == 0:
        return " Quán triệt Nghị quyết 18-NQ/TƯ." if index % 4 else " Theo Nghị quyết 18 - NQ/TW."
    return ""


@pytest.fixture(scope="module")
def planted_run(cli_env, tmp_path_factory):
    root = tmp_path_factory.mktemp("analyst")
    build_corpus(root / "planted.jsonl.gz", extra=citing)
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "terms.txt").write_text("# the team's list\ntham nhũng\n", encoding="utf-8")
    common = ["--input", str(root / "planted.jsonl.gz"), "--config", str(root / "config.yaml"),
              "--set", f"cache.dir={root / 'cache'}"]
    result = run_cli(["run", *common, "--artifacts-dir", str(root / "artifacts"),
                      "--set", f"compare.watchlist_file={root / 'terms.txt'}"], env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1]), common, root


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_seeded_topics_keep_position_label_words_and_province(planted_run, model):
    version = planted_run[0]
    topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
    rows = topics[topics.model == model]
    assert set(zip(rows.topic, rows.label)) >= {(0, "Giao thông"), (1, "Biển đảo")}
    assert set(rows[rows.topic >= 2].label) == {""}
    matched = match_topics(topics, model)
    for position, (label, seeds) in enumerate(SEEDS.items()):
        theme = SEEDED_THEMES[label]
        assert matched[theme] == position                      # and no twin elsewhere
        top = rows[rows.topic == position].sort_values("rank").word.head(15)
        seed_forms = {s.replace(" ", "_") for s in seeds}
        others = [w for w in top if theme_words(theme)(w) and w not in seed_forms]
        assert len(others) >= 5, list(top)                    # beyond the seeds themselves
    prevalence = pd.read_csv(version / "tables" / "topic_prevalence.csv",
                             keep_default_na=False)
    sea = prevalence[(prevalence.model == model) & (prevalence.dimension == "province")
                     & (prevalence.topic == 1)]
    assert sea.sort_values("prevalence").group.iloc[-1] == PLANTED_PROVINCE
    assert float(sea[sea.group == PLANTED_PROVINCE].diff_low.iloc[0]) > 0


def test_manifest_and_report_name_the_seeded_topics(planted_run):
    version = planted_run[0]
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    for model in ("lda", "nmf"):
        seeded = manifest["seed_topics"][model]
        assert [(s["label"], s["topic"], s["missing"]) for s in seeded] == [
            ("Giao thông", 0, []), ("Biển đảo", 1, [])]
        assert all(s["seeds_in_top_words"] == 5 for s in seeded)
    report = (version / "report.md").read_text(encoding="utf-8")
    assert "| L00 | Giao thông |" in report and "| N01 | Biển đảo |" in report


def test_watchlist_measures_the_planted_rise_citations_and_absences(planted_run):
    version = planted_run[0]
    table = pd.read_csv(version / "tables" / "watchlist.csv", keep_default_na=False)
    assert list(dict.fromkeys(table.term)) == ["vắc xin", "18-NQ/TW", "tham nhũng"]
    overall = table[table.dimension == "all"].set_index("term")
    assert overall.loc["vắc xin", "trend"] == "rising"
    assert float(overall.loc["vắc xin", "trend_q"]) < 0.05
    vaccine = table[(table.term == "vắc xin") & (table.dimension == "year")].set_index("group")
    shares = vaccine.doc_share.astype(float)
    assert shares["2019"] < shares["2020"] < shares["2021"]
    assert float(vaccine.loc["2019", "doc_share_ci_high"]) < float(
        vaccine.loc["2021", "doc_share_ci_low"])
    code = table[(table.term == "18-NQ/TW") & (table.dimension == "province_year")]
    cells = code.set_index("group")
    assert int(cells.loc[f"{CITING_PROVINCE}|2021", "docs"]) == 7       # 14 articles, half
    assert float(cells.loc[f"{CITING_PROVINCE}|2021", "doc_share"]) == 0.5
    assert code[code.group != f"{CITING_PROVINCE}|2021"].docs.astype(int).sum() == 0
    assert overall.loc["tham nhũng", "trend"] == "never found"
    assert set(table[table.dimension == "province"].group) == set(PROVINCES)
    report = (version / "report.md").read_text(encoding="utf-8")
    assert "## Watchlist by province" in report and "Never found: tham nhũng." in report


def test_watchlist_and_seeds_reach_the_prefect_ui(prefect_server, planted_run):
    artifacts = latest_artifacts(prefect_server["url"], ["vntopics-watchlist-local",
                                                         "vntopics-summary-local"])
    assert artifacts["vntopics-watchlist-local"].type == "table"
    rows = artifacts["vntopics-watchlist-local"].data
    rows = json.loads(rows) if isinstance(rows, str) else rows
    assert {r["term"] for r in rows} == {"vắc xin", "18-NQ/TW", "tham nhũng"}
    assert {r["dimension"] for r in rows} == {"all", "year", "province"}
    summary = artifacts["vntopics-summary-local"].data
    assert "seeded as **Biển đảo**" in summary and "| Giao thông |" in summary


def test_a_seed_topic_outside_the_vocabulary_stops_before_fitting(cli_env, planted_run):
    _, common, root = planted_run
    result = run_cli(["run", *common, "--artifacts-dir", str(root / "failed"),
                      "--set", 'model.seed_topics={"Thuế": [thuế_xyz, "và"]}'], env=cli_env)
    assert result.returncode == 2
    assert "no seed word of 'Thuế' is in the vocabulary (thuế_xyz, và)" in result.stderr
    assert not [p for p in (root / "failed").glob("*") if not p.name.startswith(".")]
