"""Fast word segmentation against bare underthesea: identical words, and how much faster.

    python benchmarks/tokenize_speed.py [--corpus PATH] [--workers 2] [--limit N] [--slice 2048]

Every text of the corpus (default: the full VNTC, 84,132 documents) is segmented twice on the
same pool of N spawned processes: by `underthesea.word_tokenize` (bare) and by
`pipeline.segment.fast_tokenize.word_tokenize` (ours). The two alternate slice by slice, so a
change in machine load costs both alike; the pool starts (and both load underthesea's model)
before any timing. Each worker returns a digest of each document's words; a document whose two
digests differ is a failure, named, and the exit status is 1. Prints both throughputs, their
ratio and the goal (issue 32: ours >= 1.2x bare with identical words).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from multiprocessing import get_context
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "benchmarks"))
from pipeline_speed import BATCH, FULL, read_texts  # noqa: E402

GOAL_RATIO = 1.2


def digest(words: list[str]) -> bytes:
    # words never contain a newline (underthesea's tokens hold no whitespace but the joining " ")
    return hashlib.blake2b("\n".join(words).encode(), digest_size=16).digest()


def warm_up(_: int) -> None:
    """Each worker loads both segmenters before any timing."""
    from underthesea import word_tokenize as bare

    from vntopics.pipeline.segment.fast_tokenize import word_tokenize as ours

    bare("Khởi động.")
    ours("Khởi động.")
    time.sleep(0.5)      # stay busy, so the other worker takes the next warm-up


def bare_batch(texts: list[str]) -> list[bytes]:
    from underthesea import word_tokenize

    return [digest(word_tokenize(text)) for text in texts]


def our_batch(texts: list[str]) -> list[bytes]:
    from vntopics.pipeline.segment.fast_tokenize import word_tokenize

    return [digest(word_tokenize(text)) for text in texts]


def timed(pool, function, texts: list[str]) -> tuple[float, list[bytes]]:
    start = time.perf_counter()
    chunks = [texts[i:i + BATCH] for i in range(0, len(texts), BATCH)]
    digests = [d for batch in pool.imap(function, chunks) for d in batch]
    return time.perf_counter() - start, digests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=FULL)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--slice", type=int, default=2048, help="documents per alternation")
    args = parser.parse_args()

    texts = read_texts(args.corpus, args.limit)
    characters = sum(map(len, texts))
    print(f"{len(texts)} documents, {characters / 1e6:.1f} M characters from {args.corpus}; "
          f"{args.workers} processes, slices of {args.slice}; load average "
          f"{os.getloadavg()[0]:.1f}")
    bare_s = ours_s = 0.0
    different: list[int] = []
    with get_context("spawn").Pool(args.workers) as pool:
        pool.map(warm_up, range(args.workers), chunksize=1)
        for start in range(0, len(texts), args.slice):
            part = texts[start:start + args.slice]
            # alternate which goes first, so neither always runs on a just-warmed machine
            order = [(bare_batch, "bare"), (our_batch, "ours")]
            results = {}
            for function, name in order if (start // args.slice) % 2 == 0 else order[::-1]:
                results[name] = timed(pool, function, part)
            bare_s += results["bare"][0]
            ours_s += results["ours"][0]
            different += [start + i for i, (a, b) in
                          enumerate(zip(results["bare"][1], results["ours"][1])) if a != b]
            done = start + len(part)
            print(f"  {done}/{len(texts)}: bare {bare_s:.1f} s, ours {ours_s:.1f} s, "
                  f"different {len(different)}", file=sys.stderr, flush=True)
    ratio = bare_s / ours_s
    print(f"load average at the end {os.getloadavg()[0]:.1f} (2 cores: above 2, others ran too)")
    print(f"bare underthesea.word_tokenize: {bare_s:.1f} s ({characters / bare_s / 1e3:.0f} k "
          f"chars/s)")
    print(f"ours (fast_tokenize):           {ours_s:.1f} s ({characters / ours_s / 1e3:.0f} k "
          f"chars/s)")
    print(f"throughput ours/bare: {ratio:.2f}x (goal >= {GOAL_RATIO}: "
          f"{'met' if ratio >= GOAL_RATIO else 'MISSED'})")
    print(f"identical words: {len(texts) - len(different)} of {len(texts)} documents"
          + (f"; DIFFERENT at positions {different[:20]}" if different else ""))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
