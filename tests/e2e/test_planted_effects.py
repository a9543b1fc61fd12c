"""Planted effects recovered end to end: a corpus built from real Vietnamese phrases where one
theme rises year by year and one province writes far more about another theme. The report's
prevalence tables must find both, with intervals that exclude the corpus mean."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run_cli

THEMES = {
    "dịch_bệnh": ["cách ly", "xét nghiệm", "bệnh nhân", "phong tỏa", "vắc xin", "khẩu trang",
                  "giãn cách", "ca mắc", "điều trị", "bác sĩ", "bệnh viện", "truy vết"],
    "biển_đảo": ["ngư dân", "tàu cá", "hải sản", "cảng cá", "ngư trường", "biển đảo",
                 "đánh bắt", "vùng biển", "hải đội", "kiểm ngư", "đầm phá", "nuôi trồng"],
    "xây_dựng_đảng": ["chi bộ", "đảng viên", "nghị quyết", "kỷ luật", "cấp ủy",
                      "tự phê bình", "kiểm tra", "giám sát", "bí thư", "tổ chức đảng",
                      "kết nạp", "sinh hoạt"],
    "nông_nghiệp": ["nông thôn", "lúa gạo", "nông sản", "hợp tác xã", "thủy lợi",
                    "cây trồng", "chăn nuôi", "phân bón", "vụ mùa", "nông dân", "trang trại",
                    "giống lúa"],
    "giao_thông": ["cao tốc", "giao thông", "mặt bằng", "nhà đầu tư", "thi công", "cây cầu",
                   "quốc lộ", "tuyến đường", "nhà thầu", "vốn đầu tư", "hạ tầng", "sân bay"],
}
PROVINCES = ["Khánh Hòa", "Nghệ An", "Lạng Sơn", "Đồng Tháp"]
YEARS = [2019, 2020, 2021]
RISING, RISING_SHARE = "dịch_bệnh", {2019: 0.04, 2020: 0.25, 2021: 0.5}
PLANTED_PROVINCE, PLANTED_THEME = "Khánh Hòa", "biển_đảo"
DOCS_PER_CELL, PHRASES_PER_DOC = 14, 40


def theme_shares(province: str, year: int) -> dict[str, float]:
    shares = {theme: 1.0 for theme in THEMES}
    shares[PLANTED_THEME] = 6.0 if province == PLANTED_PROVINCE else 0.6
    others = sum(v for t, v in shares.items() if t != RISING)
    rising = RISING_SHARE[year]
    return {t: (rising if t == RISING else (1 - rising) * v / others)
            for t, v in shares.items()}


def build_corpus(path: Path) -> None:
    rng = np.random.default_rng(7)
    names = list(THEMES)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for province in PROVINCES:
            for year in YEARS:
                shares = theme_shares(province, year)
                for index in range(DOCS_PER_CELL):
                    weights = rng.dirichlet([shares[t] * 3 for t in names])
                    themes = rng.choice(len(names), size=PHRASES_PER_DOC, p=weights)
                    phrases = [THEMES[names[t]][rng.integers(12)] for t in themes]
                    text = ". ".join(", ".join(phrases[i:i + 5]).capitalize()
                                     for i in range(0, len(phrases), 5)) + "."
                    out.write(json.dumps({
                        "id": f"{province}-{year}-{index}", "title": f"Tin {province} {year}",
                        "text": text, "province": province, "date": f"{year}-06-{index + 1:02d}",
                        "source": "planted"}, ensure_ascii=False) + "\n")


def match_topics(topics: pd.DataFrame, model: str) -> dict[str, int]:
    """Theme -> the topic whose top words come most from that theme's syllables."""
    matched = {}
    rows = topics[(topics["model"] == model) & (topics["rank"] <= 10)]
    for theme, phrases in THEMES.items():
        syllables = {s for p in phrases for s in p.split()}
        scores = rows.assign(hit=rows["word"].map(
            lambda w: all(s in syllables for s in w.split("_")))).query("hit") \
            .groupby("topic")["weight"].sum()
        matched[theme] = int(scores.idxmax())
    return matched


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
    sea_syllables = {s for p in THEMES[PLANTED_THEME] for s in p.split()}
    assert all(set(w.split("_")) <= sea_syllables for w in khanh_hoa["word"]), khanh_hoa
    summary = pd.read_csv(tables / "keyword_trend_summary.csv")
    emerging = summary[summary["direction"] == "emerging"]["word"].head(5)
    covid_syllables = {s for p in THEMES[RISING] for s in p.split()}
    assert len(emerging) and all(set(w.split("_")) <= covid_syllables for w in emerging)
