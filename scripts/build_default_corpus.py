"""Build data/default/unc-provinces.jsonl.gz, the shipped default corpus (with data/default/seeds).

Run from the repository root with ../shared beside it:
    python scripts/build_default_corpus.py [--shared ../shared]

Selection rule (documented in data/README.md): a UNC (dantri.com.vn) article is kept when one
of the 63 pre-2025 provinces is named at least twice in its title and text and at least twice
as often as any other province; that province becomes the article's given `province`.
Province names come from the vietnamadminunits dataset (not typed by hand); the city of
Hồ Chí Minh is matched only in its city forms (TP.HCM, thành phố Hồ Chí Minh …) so that the
person does not count, and "Điện Biên Phủ" (the battle) does not count for Điện Biên.
Hà Nội and TP.HCM are capped so the smaller provinces are not drowned out.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sqlite3
from collections import Counter
from pathlib import Path

import vietnamadminunits

CITY_FORMS = {"Hồ Chí Minh": ["TP.HCM", "TPHCM", "TP HCM", "TP. HCM", "TP Hồ Chí Minh",
                              "TP. Hồ Chí Minh", "thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh",
                              "Sài Gòn"],
              "Huế": ["Thừa Thiên Huế", "Thừa Thiên - Huế", "Huế"]}
NOT_A_PLACE = {"Điện Biên": r"(?! Phủ)"}
CAP = {"Hà Nội": 80, "Hồ Chí Minh": 80}
OUTPUT_NAMES = {"Huế": "Thừa Thiên Huế"}


def province_names() -> list[str]:
    database = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(database) as connection:
        rows = connection.execute("select distinct provinceShort from admin_units_legacy")
        return sorted(r[0] for r in rows)


def province_patterns() -> dict[str, re.Pattern]:
    patterns = {}
    for name in province_names():
        forms = CITY_FORMS.get(name, [name])
        alternatives = "|".join(re.escape(f) for f in forms)
        patterns[name] = re.compile(rf"(?<!\w)(?:{alternatives}){NOT_A_PLACE.get(name, '')}(?!\w)")
    return patterns


def dominant_province(text: str, patterns: dict[str, re.Pattern]) -> str | None:
    counts = Counter({name: len(p.findall(text)) for name, p in patterns.items()})
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--output", default="data/default/unc-provinces.jsonl.gz")
    args = parser.parse_args()
    patterns = province_patterns()
    chosen: dict[str, list[dict]] = {}
    source = Path(args.shared) / "corpora" / "unc-2653.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            province = dominant_province(record["title"] + "\n" + record["text"], patterns)
            if province:
                chosen.setdefault(province, []).append(record)
    rng = random.Random(0)
    rows = []
    for province, records in sorted(chosen.items()):
        if province in CAP and len(records) > CAP[province]:
            records = sorted(rng.sample(records, CAP[province]), key=lambda r: r["id"])
        for record in records:
            rows.append({"id": record["id"], "title": record["title"], "date": record["date"],
                         "province": OUTPUT_NAMES.get(province, province),
                         "source": "Dân trí", "label": record["label"], "url": record["url"],
                         "text": record["text"]})
    rows.sort(key=lambda r: r["id"])
    with gzip.open(args.output, "wt", encoding="utf-8", compresslevel=9) as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    by_province = Counter(r["province"] for r in rows)
    by_year = Counter(r["date"][:4] for r in rows)
    print(f"{len(rows)} documents -> {args.output}")
    print("provinces with >= 20:", {p: n for p, n in by_province.items() if n >= 20})
    print("years:", dict(by_year))


if __name__ == "__main__":
    main()
