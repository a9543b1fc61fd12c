"""What a 1,000-term watchlist (`compare.max_watchlist_terms`, the default limit) costs on the
default corpus (data/default): the term matching alone (the Aho–Corasick automaton of
pipeline/segment/terms.py against the regular expression per term it replaced, and 10 terms
against 1,000), then whole runs with and without the watchlist (`--runs`).

The terms are the corpus's own most frequent 1-3 syllable phrases (real Vietnamese, found in
most texts: a worst case for matching). See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.segment.test_watchlist_limits import RegexTermCounter, terms_of   # noqa: E402
from vntopics.pipeline.config import InputConfig                              # noqa: E402
from vntopics.pipeline.segment.terms import TermCounter, parse_watchlist     # noqa: E402
from vntopics.pipeline.text import prepare_documents                         # noqa: E402

DEFAULT_CORPUS = ROOT / "data" / "default"


def cleaned_texts(corpus: Path) -> list[str]:
    documents = prepare_documents([corpus], None, InputConfig())
    return [text for text, _ in documents.texts.pairs(
        [d.text_row for d in documents if d.status == "ok"])]


def seconds_to_count(counter, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        counter(text, []) if isinstance(counter, TermCounter) else counter(text)
    return time.perf_counter() - started


def timed_run(corpus: Path, work: Path, name: str, extra: list[str]) -> dict:
    """Wall time, stage seconds, watchlist rows and report size of one cold `vntopics run`."""
    artifacts = work / name
    started = time.monotonic()
    result = subprocess.run([str(Path(sys.executable).parent / "vntopics"), "run", "--input",
                             str(corpus), "--artifacts-dir", str(artifacts), "--set",
                             f"cache.dir={work / name}-cache", *extra], capture_output=True,
                            text=True, env={**os.environ,
                                            "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    wall = time.monotonic() - started
    if result.returncode:
        raise SystemExit(f"{name}: run failed\n{result.stderr[-3000:]}")
    version = Path(result.stdout.strip().splitlines()[-1])
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    watchlist = version / "tables" / "watchlist.csv"
    return {"wall": wall, "stages": manifest["stage_seconds"],
            "watchlist_rows": (sum(1 for _ in watchlist.open(encoding="utf-8")) - 1
                               if watchlist.is_file() else 0),
            "report_md_mb": (version / "report.md").stat().st_size / 1e6,
            "report_html_mb": (version / "report.html").stat().st_size / 1e6}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--runs", action="store_true",
                        help="also time whole runs with and without the watchlist (~5 min)")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    texts = cleaned_texts(args.corpus)
    chars = sum(map(len, texts))
    entries = terms_of(texts, args.terms)
    terms = parse_watchlist(entries, "benchmark")
    print(f"{len(texts)} texts, {chars / 1e6:.2f} M characters; {len(terms)} terms")
    automaton = seconds_to_count(TermCounter(terms), texts)
    few = seconds_to_count(TermCounter(terms[:10]), texts)
    regex = seconds_to_count(RegexTermCounter(terms), texts)
    for name, seconds in ((f"automaton, {len(terms)} terms", automaton),
                          ("automaton, 10 terms", few),
                          (f"regex per term, {len(terms)} terms", regex)):
        print(f"{name:32} {seconds:7.2f} s  {chars / seconds / 1e6:6.1f} M chars/s")
    print(f"regex / automaton: {regex / automaton:.0f}x")
    if args.runs:
        with tempfile.TemporaryDirectory(prefix="watchlist-speed-") as scratch:
            work = Path(scratch)
            (work / "terms.txt").write_text("\n".join(entries) + "\n", encoding="utf-8")
            for name, extra in (("none", []), ("watchlist", [
                    "--set", f"compare.watchlist_file={work / 'terms.txt'}"])):
                figures = timed_run(args.corpus, work, name, extra)
                stages = ", ".join(f"{k} {v:.1f}" for k, v in figures["stages"].items())
                print(f"run {name:10} {figures['wall']:6.1f} s wall ({stages}); "
                      f"watchlist.csv {figures['watchlist_rows']:,} rows; report.md "
                      f"{figures['report_md_mb']:.2f} MB, report.html "
                      f"{figures['report_html_mb']:.2f} MB")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
