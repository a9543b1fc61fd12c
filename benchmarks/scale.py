"""Memory against corpus size: pre-segmented corpora of 40k, 160k and 1M documents (see
benchmarks/README.md, "Memory against corpus size").

    python benchmarks/scale.py [--sizes 40000,160000,1000000] [--base-docs 20000]
    python benchmarks/scale.py --quick          # CI-sized: 40k documents from the fixture

The corpora are built from real VNTC words: `--base-docs` articles of vntc-full, segmented
once by underthesea (cached under .cache/vntopics/scale/), then each generated document
takes a random stretch of one article and of another of the same VNTC label, drops a tenth
of the words at random and gets a date (2015-2024), a province and a source. Documents that
share words stay distinct (near-duplicate detection does not remove them) and topics stay
the labels' topics. `--quick` takes its base from tests/fixtures/unc-small.jsonl.gz (120
articles) instead, so it runs anywhere in a few minutes.

Each size is one `vntopics run` (default config, pre-segmented JSONL.gz input, a fresh
artifacts folder and cache) monitored as in pipeline_speed.py: wall time and the peak RSS
of the whole process tree (main process, workers, Prefect's temporary server), by stage.
The marginal bytes per document are the slope of peak tree RSS between consecutive sizes.
No assertion here: the figures are read against the targets in benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import sys
import tempfile
from multiprocessing import get_context
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "benchmarks"))
from pipeline_speed import FULL, gb, print_run  # noqa: E402
from run_monitor import Run  # noqa: E402

FIXTURE = PROJECT / "tests" / "fixtures" / "unc-small.jsonl.gz"
CACHE = PROJECT / ".cache" / "vntopics" / "scale"
PROVINCES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "An Giang",
             "Bến Tre", "Điện Biên", "Gia Lai", "Nghệ An", "Thanh Hóa", "Quảng Ninh",
             "Lâm Đồng", "Đắk Lắk", "Sơn La", "Cà Mau", "Bắc Ninh", "Huế", "Khánh Hòa",
             "Long An"]
SOURCES = ["VNE", "TT", "TN", "NLD"]
TARGETS = {"marginal_bytes_per_doc": 4096, "rss_160k_gb": 3.0, "rss_1m_gb": 8.0}


def segment_batch(texts: list[str]) -> list[str]:
    from underthesea import word_tokenize

    return [word_tokenize(text, format="text") for text in texts]


def base_articles(source: Path, count: int, workers: int) -> list[tuple[str, list[str]]]:
    """(label, words) of `count` articles of `source` (a seeded sample), segmented once and
    cached: the expensive part, shared by every size."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"base-{source.name.split('.')[0]}-{count}.jsonl.gz"
    if cached.is_file():
        with gzip.open(cached, "rt", encoding="utf-8") as handle:
            return [(r["label"], r["tokens"].split()) for r in map(json.loads, handle)]
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    records = random.Random(0).sample(records, min(count, len(records)))
    texts = [r["text"] for r in records]
    print(f"segmenting {len(texts)} base articles on {workers} processes (cached for next time)")
    with get_context("spawn").Pool(workers) as pool:
        segmented = [s for batch in pool.imap(segment_batch, [texts[i:i + 64] for i in
                                                             range(0, len(texts), 64)])
                     for s in batch]
    with gzip.open(cached, "wt", encoding="utf-8") as handle:
        for record, tokens in zip(records, segmented):
            handle.write(json.dumps({"label": record.get("label", ""), "tokens": tokens},
                                    ensure_ascii=False) + "\n")
    return [(r.get("label", ""), t.split()) for r, t in zip(records, segmented)]


def stretch(words: list[str], rng: random.Random) -> list[str]:
    length = max(1, int(len(words) * rng.uniform(0.4, 0.7)))
    start = rng.randrange(0, max(1, len(words) - length + 1))
    return words[start:start + length]


def write_corpus(base: list[tuple[str, list[str]]], size: int, path: Path, seed: int = 0
                 ) -> None:
    """`size` mixed documents as pre-segmented JSONL.gz records (see the module docstring)."""
    rng = random.Random(seed)
    by_label: dict[str, list[list[str]]] = {}
    for label, words in base:
        by_label.setdefault(label, []).append(words)
    labels = sorted(by_label)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for number in range(size):
            label = labels[number % len(labels)]
            first, second = rng.choice(by_label[label]), rng.choice(by_label[label])
            words = [w for w in stretch(first, rng) + stretch(second, rng)
                     if rng.random() >= 0.1]
            record = {"id": f"scale-{number}", "date": f"{rng.randint(2015, 2024)}-"
                      f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                      "province": PROVINCES[(number * 7 + len(words)) % len(PROVINCES)],
                      "source": SOURCES[number % len(SOURCES)], "tokens": " ".join(words)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="40000,160000,1000000")
    parser.add_argument("--base-docs", type=int, default=20000)
    parser.add_argument("--quick", action="store_true",
                        help="40k documents from the repository's fixture (CI-sized)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout-min", type=float, default=120)
    parser.add_argument("--rss-limit-gb", type=float, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the corpora and versions")
    parser.add_argument("--set", action="append", default=[], dest="overrides",
                        help="config override for every run, e.g. model.stability_seeds=1")
    args = parser.parse_args()
    sizes = [40000] if args.quick else [int(s) for s in args.sizes.split(",")]
    base = (base_articles(FIXTURE, 120, args.workers) if args.quick or not FULL.is_file()
            else base_articles(FULL, args.base_docs, args.workers))
    print(f"base: {len(base)} segmented articles, "
          f"{sum(len(w) for _, w in base) / len(base):.0f} words each on average")
    work = Path(tempfile.mkdtemp(prefix="vntopics-scale-"))
    results = []
    try:
        for size in sizes:
            corpus = work / f"scale-{size}.jsonl.gz"
            write_corpus(base, size, corpus)
            print(f"\n{size:,} documents: {corpus.stat().st_size / 1e6:.0f} MB compressed")
            run = Run(corpus, work / f"artifacts-{size}", work / f"cache-{size}", args.workers,
                      args.overrides, work / f"run-{size}.log", args.timeout_min * 60,
                      args.rss_limit_gb * 2**30)
            result = run.execute()
            print_run(f"{size:,} documents", result)
            results.append((size, result))
            if not args.keep:
                corpus.unlink()
                shutil.rmtree(work / f"artifacts-{size}", ignore_errors=True)
        print_summary(results)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept in {work}")
    return 0 if all(r["returncode"] == 0 for _, r in results) else 1


def print_summary(results: list[tuple[int, dict]]) -> None:
    print("\nsize       wall      peak tree RSS   per document")
    for size, result in results:
        print(f"{size:>9,}  {result['wall_s']:7.0f} s  {gb(result['peak_tree_rss']):>12}"
              f"   {result['peak_tree_rss'] / size:8.0f} B")
    for (small, first), (large, second) in zip(results, results[1:]):
        marginal = (second["peak_tree_rss"] - first["peak_tree_rss"]) / (large - small)
        print(f"marginal {small:,} -> {large:,}: {marginal:.0f} B per document "
              f"(target <= {TARGETS['marginal_bytes_per_doc']})")


if __name__ == "__main__":
    sys.exit(main())
