"""How similar is a topic to itself a week later? The figures behind `model.drift_threshold`.

Runs `vntopics run` on the dated default corpus (data/default/unc-provinces.jsonl.gz) cut at
successive calendar weeks, each run continuing from the previous one in one artifacts folder
(as the weekly deployment does), then reads the last version's topic_history.csv: the
similarity (1 − Jensen–Shannon distance) of every topic id to its previous week. For contrast
it prints the similarity between *different* topics of one version (the highest one per
topic): a threshold between the two separates "the same topic, a week more data" from "a
different topic wearing the old id".

    .venv/bin/python benchmarks/drift_threshold.py            # ~4 runs, a few minutes
    .venv/bin/python benchmarks/drift_threshold.py --growth 1.1 --min-docs 450   # +10 %/week
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT / "data" / "default" / "unc-provinces.jsonl.gz"
VNTOPICS = Path(sys.executable).with_name("vntopics")


def weekly_inputs(folder: Path, weeks: int, min_docs: int, growth: float | None = None
                  ) -> list[Path]:
    """Cumulative inputs cut at the end of each of the last `weeks` calendar weeks that
    hold at least `min_docs` documents; with `growth`, the first `min_docs` documents by
    date, then `growth` times as many each week (the steady growth of a scheduled run)."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        rows = sorted((json.loads(line) for line in handle if line.strip()),
                      key=lambda r: (r["date"], r["id"]))
    dates = pd.to_datetime(pd.Series([r["date"] for r in rows]))
    if growth:
        sizes = [int(min_docs * growth ** week) for week in range(weeks)]
    else:
        ends = sorted({p.end_time.normalize() for p in dates.dt.to_period("W")})
        sizes = [int((dates <= e).sum()) for e in ends if (dates <= e).sum() >= min_docs]
        sizes = sizes[-weeks:]
    paths = []
    for size in sizes:
        path = folder / f"first-{size}-until-{dates[size - 1].date()}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in rows[:size]), encoding="utf-8")
        paths.append(path)
    return paths


def run(path: Path, artifacts: Path, extra: list[str]) -> Path:
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    result = subprocess.run(
        [str(VNTOPICS), "run", "-q", "--input", str(path), "--artifacts-dir", str(artifacts),
         "--set", f"cache.dir={artifacts.parent / 'cache'}", *extra],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=1800)
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return Path(result.stdout.strip().splitlines()[-1])


def between_topics(version: Path) -> pd.Series:
    """Per model, each topic's highest similarity to another topic of the same version."""
    from vntopics.pipeline.store.continuity import TopicSet
    from vntopics.pipeline.store.lineage import js_distances

    topics = TopicSet.of_version(version)
    values = {}
    for model, matrix in topics.topic_word.items():
        similarity = 1 - js_distances(matrix, matrix)
        np.fill_diagonal(similarity, -np.inf)
        values[model] = similarity.max(axis=1)
    return pd.Series({m: v for m, v in values.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--min-docs", type=int, default=80,
                        help="first week's least documents (with --growth: exactly)")
    parser.add_argument("--growth", type=float, default=None,
                        help="e.g. 1.1: cut by count, 10%% more documents each week")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="vntopics-drift-"))
    extra = [item for pair in args.set for item in ("--set", pair)]
    try:
        inputs = weekly_inputs(scratch, args.weeks, args.min_docs, args.growth)
        versions = [run(path, scratch / "artifacts", extra) for path in inputs]
        history = pd.read_csv(versions[-1] / "tables" / "topic_history.csv",
                              keep_default_na=False)
        history["similarity_to_previous"] = pd.to_numeric(history["similarity_to_previous"],
                                                          errors="coerce")
        print(f"weekly inputs: {', '.join(p.stem + f' ({sum(1 for _ in p.open())} docs)' for p in inputs)}")
        same = history.dropna(subset=["similarity_to_previous"])
        for model, rows in same.groupby("model"):
            values = rows["similarity_to_previous"]
            print(f"{model}: same id, week to week: n={len(values)} min={values.min():.3f} "
                  f"p05={values.quantile(0.05):.3f} median={values.median():.3f}; below "
                  + ", ".join(f"{t}: {int((values < t).sum())}" for t in (0.4, 0.5, 0.6)))
        for model, values in between_topics(versions[-1]).items():
            print(f"{model}: nearest other topic of one version: max={values.max():.3f} "
                  f"median={np.median(values):.3f}")
        print(history[["version", "model", "topic_id", "status", "similarity_to_previous",
                       "top_words"]].to_string())
    finally:
        if args.keep:
            print(f"kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
