"""Corpora with planted effects, built from real Vietnamese phrases: one theme rises year by
year and one province writes far more about another theme. Shared by the end-to-end tests
that must find what was planted (tests/e2e/test_planted_effects.py,
tests/e2e/test_analyst_directed.py)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

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


def build_corpus(path: Path, extra: Callable[[str, int, int], str] | None = None) -> None:
    """The planted corpus as JSONL.gz; `extra(province, year, index)` is appended to that
    article's text (the random draws stay the same)."""
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
                    if extra is not None:
                        text += extra(province, year, index)
                    out.write(json.dumps({
                        "id": f"{province}-{year}-{index}", "title": f"Tin {province} {year}",
                        "text": text, "province": province, "date": f"{year}-06-{index + 1:02d}",
                        "source": "planted"}, ensure_ascii=False) + "\n")


def theme_words(theme: str) -> Callable[[str], bool]:
    """Whether a vocabulary word belongs to `theme`: all its syllables are the theme's."""
    syllables = {s for p in THEMES[theme] for s in p.split()}
    return lambda word: all(s in syllables for s in word.split("_"))


def match_topics(topics: pd.DataFrame, model: str) -> dict[str, int]:
    """Theme -> the topic whose top words come most from that theme's syllables."""
    matched = {}
    rows = topics[(topics["model"] == model) & (topics["rank"] <= 10)]
    for theme in THEMES:
        scores = rows.assign(hit=rows["word"].map(theme_words(theme))).query("hit") \
            .groupby("topic")["weight"].sum()
        matched[theme] = int(scores.idxmax())
    return matched
