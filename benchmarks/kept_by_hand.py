"""The hand-written pieces kept instead of a library, measured against it on real articles
(benchmarks/README.md, "Why these pieces are the way they are").

    python benchmarks/kept_by_hand.py                       # all three (~3 min warm)
    python benchmarks/kept_by_hand.py --only dedupe --dedupe-docs 20000

1. dedupe: `pipeline.text.dedupe.find_duplicates` against datasketch (the `bench` extra):
   word 5-gram shingles, `MinHash.bulk` with 128 permutations and a `MinHashLSH` insertion
   session at threshold 0.8 (what our function does before it verifies candidates), on the
   first --dedupe-docs texts of vntc-full; then datasketch's candidates checked with the exact
   Jaccard like ours, to compare the duplicates found.
2. coherence: `pipeline.model.coherence.coherence_scores_many` (c_npmi and c_v, exact window
   counts) against gensim's `CoherenceModel` (one process) on the same NMF topics and the
   segmented vntc-sample-3000 (segmentation cached under .cache/benchmarks).
3. LDA E-step: `BatchLdaModel.infer_counts` against gensim's per-document
   `LdaModel.inference` on the same fitted model and documents; largest gamma difference;
   then the same batched E-step with its per-entry normaliser in numpy instead of C
   (pipeline/model/estep_norms.py), which must give the same bits.
Seconds are noisy on a shared 2-core machine: quote the ratios of one invocation.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "benchmarks"))
from topic_quality import DEFAULT_CORPUS, segmented_corpus  # noqa: E402

FULL = PROJECT.parent / "shared" / "corpora" / "vntc-full.jsonl.gz"
WORD = re.compile(r"\w+")


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def first_texts(path: Path, limit: int) -> list[str]:
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and len(texts) < limit:
                texts.append(json.loads(line)["text"])
    return texts


def datasketch_index(texts: list[str], threshold: float = 0.8, size: int = 5):
    """Shingle sets, their bulk MinHashes and the LSH index, as datasketch builds them."""
    from datasketch import MinHash, MinHashLSH

    shingles = []
    for text in texts:
        words = WORD.findall(unicodedata.normalize("NFC", text).lower())
        shingles.append({" ".join(words[i:i + size]).encode()
                         for i in range(max(1, len(words) - size + 1))})
    hashes = MinHash.bulk(shingles, num_perm=128)
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    with lsh.insertion_session() as session:
        for index, minhash in enumerate(hashes):
            session.insert(index, minhash)
    return shingles, hashes, lsh


def datasketch_duplicates(shingles, hashes, lsh, threshold: float = 0.8) -> int:
    """Documents with an earlier one at exact Jaccard >= threshold among LSH's candidates."""
    duplicates = 0
    for index, minhash in enumerate(hashes):
        for other in lsh.query(minhash):
            if other < index and len(shingles[index] & shingles[other]) >= threshold * len(
                    shingles[index] | shingles[other]):
                duplicates += 1
                break
    return duplicates


def dedupe(limit: int) -> None:
    from vntopics.pipeline.text.dedupe import find_duplicates

    texts = first_texts(FULL, limit)
    ours, ours_s = timed(find_duplicates, [str(i) for i in range(len(texts))], texts)
    try:
        (shingles, hashes, lsh), theirs_s = timed(datasketch_index, texts)
    except ImportError:
        print("dedupe: datasketch is not installed (pip install -e '.[bench]'); ours "
              f"{ours_s:.1f} s, {len(ours)} duplicates in {len(texts)} texts")
        return
    found = datasketch_duplicates(shingles, hashes, lsh)
    print(f"dedupe, {len(texts):,} VNTC texts: ours {ours_s:.1f} s (everything, {len(ours)} "
          f"duplicates); datasketch MinHash.bulk + LSH insert alone {theirs_s:.1f} s "
          f"({theirs_s / ours_s:.1f}x ours), {found} duplicates after exact checks")


def coherence(corpus, texts) -> None:
    from gensim.models import CoherenceModel

    from vntopics.pipeline.config_io import load_config
    from vntopics.pipeline.model.coherence import coherence_scores_many
    from vntopics.pipeline.model.nmf import fit_nmf
    from vntopics.pipeline.model.topics import top_word_lists

    model = fit_nmf(corpus, 10, load_config().model.nmf, seed=42)
    topics = top_word_lists(model.topic_word, corpus.vocabulary, 10)
    ours, ours_s = timed(coherence_scores_many, [topics], texts, corpus.dictionary)
    theirs, theirs_s = {}, 0.0
    for measure, window in (("c_npmi", 10), ("c_v", 110)):
        scorer = CoherenceModel(topics=topics, texts=texts, dictionary=corpus.dictionary,
                                coherence=measure, window_size=window, topn=10, processes=1)
        theirs[measure], seconds = timed(scorer.get_coherence)
        theirs_s += seconds
    print(f"coherence, {len(texts):,} documents, 10 topics, c_npmi + c_v: ours "
          f"{ours_s:.1f} s, gensim CoherenceModel {theirs_s:.1f} s ({theirs_s / ours_s:.0f}x "
          f"ours); c_npmi {ours[0]['c_npmi']:.4f} vs {theirs['c_npmi']:.4f}, c_v "
          f"{ours[0]['c_v']:.4f} vs {theirs['c_v']:.4f} (gensim undercounts repeated words)")


def estep(corpus) -> None:
    from gensim.matutils import Sparse2Corpus
    from gensim.models import LdaModel

    from vntopics.pipeline.config_io import load_config
    from vntopics.pipeline.model.lda import fit_lda

    model = fit_lda(corpus, 10, load_config().model.lda, seed=42).estimator
    ours, ours_s = timed(model.infer_counts, corpus.counts)
    documents = list(Sparse2Corpus(corpus.counts, documents_columns=False))
    (theirs, _), theirs_s = timed(LdaModel.inference, model, documents)
    difference = np.abs(ours - theirs).max() / np.abs(theirs).max()
    print(f"LDA E-step, {corpus.num_docs:,} documents, K=10: ours (batched) {ours_s:.1f} s, "
          f"gensim per document {theirs_s:.1f} s ({theirs_s / ours_s:.1f}x ours); largest "
          f"gamma difference {difference:.1e} of the largest gamma (each stops within "
          f"gensim's gamma_threshold, from its own random start)")

    from vntopics.pipeline.model import estep_norms

    compiled = estep_norms.norms_function, estep_norms.ratio_function
    model.random_state = np.random.RandomState(7)
    with_c, c_s = timed(model.infer_counts, corpus.counts)
    estep_norms.norms_function = lambda: estep_norms.numpy_norms
    estep_norms.ratio_function = lambda: estep_norms.scipy_ratio_products
    try:
        model.random_state = np.random.RandomState(7)
        with_numpy, numpy_s = timed(model.infer_counts, corpus.counts)
    finally:
        estep_norms.norms_function, estep_norms.ratio_function = compiled
    print(f"  its normaliser and ratio products in C ({compiled[0]().__name__}, "
          f"{compiled[1]().__name__}) {c_s:.1f} s, in numpy/scipy {numpy_s:.1f} s "
          f"({numpy_s / c_s:.2f}x); same bits: {np.array_equal(with_c, with_numpy)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["dedupe", "coherence", "estep"])
    parser.add_argument("--dedupe-docs", type=int, default=20000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="segmented corpus for coherence and the E-step")
    parser.add_argument("--workers", type=int, default=2, help="segmentation processes")
    args = parser.parse_args()
    if args.only in (None, "dedupe"):
        dedupe(args.dedupe_docs)
    if args.only != "dedupe":
        corpus, texts, _ = segmented_corpus(args.corpus, args.workers)
        if args.only in (None, "coherence"):
            coherence(corpus, texts)
        if args.only in (None, "estep"):
            estep(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
