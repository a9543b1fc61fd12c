"""Pipeline speed against the segmentation floor, measured in one run (see benchmarks/README.md).

    python benchmarks/pipeline_speed.py [--corpus PATH] [--workers 2] [--scaling-docs 1000]
    python benchmarks/pipeline_speed.py --fifth [--compare-serial]   # every 5th VNTC article
    python benchmarks/pipeline_speed.py --full [--timeout-min 90] [--rss-limit-gb 8]
    python benchmarks/pipeline_speed.py --fixed-cost [--corpus tests/fixtures/unc-small.jsonl.gz]

Default run, on one corpus and N worker processes:
  1. bare: underthesea `word_tokenize` of every text on N spawned processes (pool start-up
     included), nothing else: the floor a cold run cannot beat; then ours: the pipeline's
     `segment_words` the same way (issue 32: ≥ 1.2x bare's throughput);
  2. cold: `vntopics run` end to end with a fresh segmentation cache and artifacts folder
     (--compare-serial: again with `segment.while_reading=false`, segmenting after reading);
  3. warm: the same run again with only model.num_topics changed (cache reused);
  4. scaling: `pipeline.segment.segmenter.segment_texts` (no cache) on 1 then 2 processes.
Each `vntopics run` is a subprocess whose process tree (main, segmentation workers, Prefect's
temporary server) is polled for RSS every 0.1 s; its stderr is followed so each RSS peak is
charged to the Prefect task running at the time.

--fifth does 1-3 on every 5th article of vntc-full (the 5th, 10th, …: 16,826 documents);
--full does 1-3 on vntc-full (84,132 documents) and also checks the peak RSS goal; any run
is stopped if its tree exceeds --rss-limit-gb or --timeout-min, naming the stage it was in.
--fixed-cost measures only the time outside the stages of warm re-runs, without and with a
configured Prefect server (benchmarks/fixed_cost.py).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))
from fixed_cost import measure, print_fixed_cost  # noqa: E402
from run_monitor import VNTOPICS, Run  # noqa: E402

SHARED = PROJECT.parent / "shared" / "corpora"
SAMPLE = SHARED / "vntc-sample-3000.jsonl.gz"
FULL = SHARED / "vntc-full.jsonl.gz"
# (cold / bare, warm / cold) by corpus; issue 32: cold runs no slower than the segmenter
# (1.27-1.32 and 1.14 before), warm/cold and the full VNTC's peak RSS no worse than before
GOALS = {"sample": (1.3, 0.15), "fifth": (1.0, 0.16), "full": (0.95, 0.14)}
GOAL_FULL_RSS_GB, GOAL_OURS_OVER_BARE = 1.38, 1.2
BATCH = 64


# --- corpus and the bare floor ---------------------------------------------------------------

def read_texts(path: Path, limit: int | None = None) -> list[str]:
    """The `text` field of a JSONL(.gz) corpus (VNTC keys: id, split, label, source, text)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    texts = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                text = json.loads(line).get("text")
                if isinstance(text, str) and text.strip():
                    texts.append(text)
                    if limit and len(texts) >= limit:
                        break
    return texts


def fifth_of_vntc(folder: Path) -> Path:
    """Every 5th article of vntc-full (the 5th, 10th, …: 16,826), as a corpus file."""
    path = folder / "vntc-fifth.jsonl.gz"
    with gzip.open(FULL, "rt", encoding="utf-8") as source, \
            gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as sink:
        sink.writelines(line for number, line in enumerate(
            (line for line in source if line.strip()), 1) if number % 5 == 0)
    return path


def bare_batch(texts: list[str]) -> int:
    from underthesea import word_tokenize

    return sum(len(word_tokenize(text)) for text in texts)


def ours_batch(texts: list[str]) -> int:
    from vntopics.pipeline.segment.words import segment_words

    return sum(len(segment_words(text)) for text in texts)


def bare_segmentation(texts: list[str], workers: int, batch=bare_batch) -> tuple[float, int]:
    """Seconds for `batch` (word_tokenize; ours: segment_words) of every text on `workers`
    spawned processes, start-up included (the pipeline pays it too); (seconds, words)."""
    start = time.perf_counter()
    chunks = [texts[i:i + BATCH] for i in range(0, len(texts), BATCH)]
    if workers <= 1:
        words = sum(map(batch, chunks))
    else:
        with get_context("spawn").Pool(workers) as pool:
            words = sum(pool.imap(batch, chunks))
    return time.perf_counter() - start, words


def pipeline_segmentation(texts: list[str], workers: int) -> float:
    """Seconds for pipeline.segment.segmenter.segment_texts (no cache) on `workers` processes."""
    from vntopics.pipeline.segment.segmenter import segment_texts

    start = time.perf_counter()
    segment_texts(texts, None, workers)
    return time.perf_counter() - start


# --- report ----------------------------------------------------------------------------------

def gb(value: float) -> str:
    return f"{value / 2**30:.2f} GB"


def goal(value: float, target: float, kind: str = "≤") -> str:
    if value <= target:
        return f"goal {kind} {target}: met"
    return f"goal {kind} {target}: MISSED by {100 * (value / target - 1):.0f}%"


def print_run(name: str, result: dict) -> None:
    status = ("ok" if result["returncode"] == 0 else
              f"FAILED (exit {result['returncode']}) {result['stopped_because']} "
              f"during stage '{result['stage_at_end']}'")
    print(f"{name}: wall {result['wall_s']:.1f} s, peak tree RSS {gb(result['peak_tree_rss'])}"
          f" [{status}]")
    if result["documents"]:
        print(f"  documents {result['documents']}  segmentation {result['segmentation']}")
        print("  read back from the caches: " + ", ".join(
            f"{what} {'yes' if reused else 'no'}" for what, reused in result["reused"].items()))
    stages = result["stage_seconds"]
    if stages:
        accounted = sum(stages.values())
        print("  stage seconds (manifest): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
              + f"; outside stages {result['wall_s'] - accounted:.1f} = " + ", ".join(
                  f"{k.replace('_', ' ')} {v:.1f}" for k, v in result["fixed_cost"].items()
                  if k != "outside_stages" and v is not None))
    if result["stage_started_s"]:
        print("  log milestones (s after launch; 'after X' = X finished): "
              + ", ".join(f"{k} {v:.0f}" for k, v in result["stage_started_s"].items()))
    at_stage_peak = result.get("rss_at_stage_peak", {})
    print("  peak tree RSS by stage (by process role then): " + ", ".join(
        f"{k} {gb(v)} (" + " + ".join(f"{role} {gb(rss)}" for role, rss
                                      in sorted(at_stage_peak.get(k, {}).items())) + ")"
        for k, v in result["peak_rss_by_stage"].items()))
    print("  peak RSS by process role: " + ", ".join(
        f"{k} {gb(v)}" for k, v in result["peak_rss_by_role"].items()))
    print("  at the peak: " + ", ".join(
        f"{k} {gb(v)}" for k, v in sorted(result["rss_at_peak"].items(), key=lambda kv: -kv[1])))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SAMPLE)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warm-topics", type=int, default=10,
                        help="model.num_topics of the warm re-run (default config: 8)")
    parser.add_argument("--scaling-docs", type=int, default=1000,
                        help="documents for the 1-vs-2-process scaling (0: skip)")
    parser.add_argument("--full", action="store_true",
                        help=f"bare, cold and warm on {FULL.name}, no scaling")
    parser.add_argument("--fifth", action="store_true",
                        help=f"bare, cold and warm on every 5th article of {FULL.name}")
    parser.add_argument("--compare-serial", action="store_true",
                        help="also a cold run with segment.while_reading=false")
    parser.add_argument("--fixed-cost", action="store_true",
                        help="only the time outside the stages, without and with a Prefect "
                             "server (use a small --corpus)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="warm runs per server mode for --fixed-cost")
    parser.add_argument("--compare-with", type=Path, metavar="VNTOPICS",
                        help="--fixed-cost: another `vntopics` executable (e.g. an older "
                             "checkout's venv) measured in alternation with this one")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="extra overrides for every vntopics run (say so when reporting)")
    parser.add_argument("--timeout-min", type=float, default=120)
    parser.add_argument("--rss-limit-gb", type=float, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vntopics-bench-"))
    corpus = FULL if args.full else fifth_of_vntc(work) if args.fifth else args.corpus
    kind = "full" if args.full else "fifth" if args.fifth else "sample"
    limits = dict(timeout_s=args.timeout_min * 60, rss_limit=args.rss_limit_gb * 2**30)
    results: dict = {"corpus": str(corpus), "workers": args.workers, "cpus": os.cpu_count(),
                     "overrides": args.set, "load_average_at_start": os.getloadavg()}
    print(f"corpus {corpus.name}, {args.workers} worker processes, {os.cpu_count()} CPUs, "
          f"load average at start {os.getloadavg()[0]:.1f}, overrides {args.set or 'none'}")
    print(f"scratch folder {work}")
    sys.stdout.flush()
    try:
        if args.fixed_cost:
            clis = {"this": VNTOPICS, **({"other": args.compare_with} if args.compare_with
                                         else {})}
            results["fixed_cost"] = measure(corpus, work, args.workers, args.repeats, limits,
                                            clis)
            print_fixed_cost(results["fixed_cost"], args.repeats)
            return 0
        texts = read_texts(corpus)
        syllables = sum(len(text.split()) for text in texts)
        bare_s, words = bare_segmentation(texts, args.workers)
        results["bare"] = {"seconds": bare_s, "documents": len(texts), "syllables": syllables,
                           "words": words}
        print(f"bare word_tokenize, {args.workers} processes: {bare_s:.1f} s for {len(texts)} "
              f"texts, {syllables:,} syllables ({syllables / bare_s:,.0f} syllables/s)")
        sys.stdout.flush()
        ours_s, ours_words = bare_segmentation(texts, args.workers, ours_batch)
        results["ours"] = {"seconds": ours_s, "words": ours_words}
        print(f"our segment_words, {args.workers} processes: {ours_s:.1f} s "
              f"({syllables / ours_s:,.0f} syllables/s), {ours_words:,} words "
              f"(bare: {words:,})")
        sys.stdout.flush()
        if args.compare_serial:
            serial = Run(corpus, work / "serial-artifacts", work / "serial-cache", args.workers,
                         [*args.set, "segment.while_reading=false"], work / "serial.log",
                         **limits).execute()
            results["cold_serial"] = serial
            print_run("cold end-to-end, segmenting after reading (while_reading=false)", serial)
            sys.stdout.flush()

        cold = Run(corpus, work / "artifacts", work / "cache", args.workers, args.set,
                   work / "cold.log", **limits).execute()
        results["cold"] = cold
        print_run("cold end-to-end", cold)
        sys.stdout.flush()
        if cold["returncode"] != 0:
            return 1
        warm = Run(corpus, work / "artifacts", work / "cache", args.workers,
                   [*args.set, f"model.num_topics={args.warm_topics}"], work / "warm.log",
                   **limits).execute()
        results["warm"] = warm
        print_run(f"warm re-run (model.num_topics={args.warm_topics})", warm)
        sys.stdout.flush()

        if args.scaling_docs and not args.full:
            subset = texts[:args.scaling_docs]
            one = pipeline_segmentation(subset, 1)
            two = pipeline_segmentation(subset, 2)
            results["scaling"] = {"documents": len(subset), "one_s": one, "two_s": two}

        print("\n== ratios (all measured in this run) ==")
        cold_goal, warm_goal = GOALS[kind]
        speed_up = bare_s / ours_s
        verdict = "met" if speed_up >= GOAL_OURS_OVER_BARE else "MISSED"
        print(f"bare / ours            = {bare_s:.1f} / {ours_s:.1f} = {speed_up:.2f}x   (goal "
              f"≥ {GOAL_OURS_OVER_BARE}x: {verdict})")
        cold_over_bare = cold["wall_s"] / bare_s
        print(f"cold / bare            = {cold['wall_s']:.1f} / {bare_s:.1f} = "
              f"{cold_over_bare:.2f}   ({goal(cold_over_bare, cold_goal)})")
        if "cold_serial" in results:
            serial_s = results["cold_serial"]["wall_s"]
            print(f"cold serial / bare     = {serial_s:.1f} / {bare_s:.1f} = "
                  f"{serial_s / bare_s:.2f}   (segmenting after reading, as before)")
        stages = cold["stage_seconds"]
        if stages.get("segment"):
            both = stages["ingest"] + stages["segment"]
            print(f"cold ingest + segment stages / bare = {both:.1f} / {bare_s:.1f} = "
                  f"{both / bare_s:.2f}   (segmentation runs during both)")
        warm_over_cold = warm["wall_s"] / cold["wall_s"]
        print(f"warm / cold            = {warm['wall_s']:.1f} / {cold['wall_s']:.1f} = "
              f"{warm_over_cold:.2f}   ({goal(warm_over_cold, warm_goal)})")
        print(f"peak tree RSS          cold {gb(cold['peak_tree_rss'])}, "
              f"warm {gb(warm['peak_tree_rss'])}"
              + (f"   ({goal(cold['peak_tree_rss'] / 2**30, GOAL_FULL_RSS_GB, '<')})"
                 if args.full else ""))
        print(f"max RSS of any single waited-for process (getrusage children): "
              f"{gb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)}")
        if "scaling" in results:
            s = results["scaling"]
            print(f"segmentation scaling   {s['documents']} docs: 1 process {s['one_s']:.1f} s, "
                  f"2 processes {s['two_s']:.1f} s, speed-up {s['one_s'] / s['two_s']:.2f}x "
                  f"(efficiency {50 * s['one_s'] / s['two_s']:.0f}%)")
        print(f"load average at end    {os.getloadavg()[0]:.1f} "
              f"(other work on the 2 cores inflates every figure)")
        return 0
    finally:
        results["load_average_at_end"] = os.getloadavg()
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, default=str))
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
