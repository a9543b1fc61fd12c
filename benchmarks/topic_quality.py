"""Topic quality against the peers: our LDA, our NMF and tomotopy LDA side by side.

    python benchmarks/topic_quality.py [--corpus PATH] [--k 10] [--seed 42] [--workers N]

On vntc-sample-3000 (3,000 VNTC news articles with a topic label) the text is segmented once
with underthesea (cached under .cache/benchmarks, so re-runs skip segmentation), filtered
with the shared stop-words, and turned into one corpus (min_df 5, max_df 0.5). Then each model
is fitted at the same K and seed and scored:

- NMI: sklearn normalized_mutual_info_score(dominant topic of each document, label);
- NPMI: mean c_npmi of the top-10 words of every topic against the same segmented corpus
  (gensim's definitions with our exact window counts, pipeline/model/coherence.py);
- diversity: share of unique words among the top-25 words of all topics;
- fit seconds: wall time of the fit alone (tomotopy on one worker, like our LDA).

Our LDA and NMF run through pipeline.model.lda.fit_lda and pipeline.model.nmf.fit_nmf with
the default configuration (configs/default.yaml), so the benchmark measures what a run ships.
tomotopy is a benchmark-only extra (`pip install -e .[bench]`); without it its row is skipped
with a message. Timings and goals: benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from vntopics.pipeline.config_io import load_config, resolve_path  # noqa: E402
from vntopics.pipeline.model.corpus import Corpus, build_corpus  # noqa: E402
from vntopics.pipeline.text.normalise import normalise_document  # noqa: E402
from vntopics.pipeline.parallel import default_workers  # noqa: E402
from vntopics.pipeline.segment.cache import SegmentationCache  # noqa: E402
from vntopics.pipeline.segment.segmenter import segment_texts  # noqa: E402
from vntopics.pipeline.segment.words import TokenFilter, load_stopwords  # noqa: E402

DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpora" / "vntc-sample-3000.jsonl.gz"
CACHE_DIR = PROJECT / ".cache" / "benchmarks"
MIN_DF, MAX_DF, KEEP_N = 5, 0.5, 20000


def load_labelled(path: Path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                texts.append(normalise_document(row["text"]))
                labels.append(row["label"])
    return texts, labels


def segmented_corpus(path: Path, workers: int) -> tuple[Corpus, list[list[str]], list[str]]:
    """(corpus, kept documents' token lists, kept documents' labels)."""
    config = load_config()
    texts, labels = load_labelled(path)
    cache = SegmentationCache(CACHE_DIR)
    started = time.perf_counter()
    try:
        words, stats = segment_texts(texts, cache, workers, batch_size=64)
    finally:
        cache.close()
    print(f"segmentation: {stats.documents} documents, {stats.cache_hits} cached, "
          f"{stats.segmented} segmented in {time.perf_counter() - started:.1f} s", flush=True)
    stopwords = load_stopwords([resolve_path(p) for p in config.text.stopword_files],
                               config.text.extra_stopwords)
    token_filter = TokenFilter(stopwords, config.text.min_token_chars)
    tokens = [token_filter(w)[0] for w in words]
    usable = [i for i, t in enumerate(tokens) if len(t) >= config.text.min_doc_tokens]
    corpus = build_corpus([tokens[i] for i in usable], MIN_DF, MAX_DF, KEEP_N)
    kept = [usable[i] for i in corpus.kept]
    return corpus, [tokens[i] for i in kept], [labels[i] for i in kept]


def score(name: str, topic_word: np.ndarray, doc_topic: np.ndarray, seconds: float,
          corpus: Corpus, texts: list[list[str]], labels: list[str]) -> dict:
    from sklearn.metrics import normalized_mutual_info_score

    from vntopics.pipeline.model.coherence import coherence_scores_many, topic_diversity
    from vntopics.pipeline.model.topics import top_word_lists

    top = top_word_lists(topic_word, corpus.vocabulary, 25)
    npmi = coherence_scores_many([[t[:10] for t in top]], texts, corpus.dictionary,
                                 measures=("c_npmi",))[0]["c_npmi"]
    return {"model": name, "nmi": normalized_mutual_info_score(labels, doc_topic.argmax(axis=1)),
            "npmi": npmi, "diversity": topic_diversity(top, 25), "seconds": seconds}


def fit_tomotopy(corpus: Corpus, texts: list[list[str]], k: int, seed: int, iterations: int,
                 workers: int) -> tuple[np.ndarray, np.ndarray, float]:
    """tomotopy LDA (collapsed Gibbs, its default priors alpha 0.1, eta 0.01) on the same
    vocabulary; topic-word columns mapped back onto the gensim dictionary's ids."""
    import warnings

    import tomotopy as tp

    warnings.filterwarnings("ignore", message="The training result may differ")
    ids = corpus.dictionary.token2id
    model = tp.LDAModel(k=k, seed=seed)
    for tokens in texts:
        model.add_doc([w for w in tokens if w in ids])
    started = time.perf_counter()
    model.train(iterations, workers=workers)
    seconds = time.perf_counter() - started
    columns = [ids[w] for w in model.used_vocabs]
    topic_word = np.zeros((k, len(ids)))
    topic_word[:, columns] = [model.get_topic_word_dist(t) for t in range(k)]
    doc_topic = np.array([doc.get_topic_dist() for doc in model.docs])
    return topic_word, doc_topic, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=None,
                        help="segmentation processes (default: all cores)")
    parser.add_argument("--tomotopy-iterations", type=int, default=1000)
    args = parser.parse_args(argv)

    from vntopics.pipeline.model.lda import fit_lda
    from vntopics.pipeline.model.nmf import fit_nmf

    corpus, texts, labels = segmented_corpus(args.corpus, args.workers or default_workers())
    print(f"corpus: {len(texts)} documents, {len(corpus.dictionary)} words, "
          f"{int(corpus.counts.sum())} tokens, {len(set(labels))} labels; K={args.k}, "
          f"seed={args.seed}", flush=True)
    model_config = load_config().model
    rows = []
    for name, fitter, params in (("our LDA", fit_lda, model_config.lda),
                                 ("our NMF", fit_nmf, model_config.nmf)):
        started = time.perf_counter()
        model = fitter(corpus, args.k, params, args.seed)
        rows.append(score(name, model.topic_word, model.doc_topic,
                          time.perf_counter() - started, corpus, texts, labels))
        print(f"fitted {name} in {rows[-1]['seconds']:.1f} s", flush=True)
    tomotopy_rows = {}
    try:
        import tomotopy  # noqa: F401
    except ImportError:
        print("tomotopy is not installed (pip install -e .[bench]): its rows are skipped")
    else:
        for workers in (1, default_workers()):
            if workers in tomotopy_rows:
                continue
            topic_word, doc_topic, seconds = fit_tomotopy(corpus, texts, args.k, args.seed,
                                                          args.tomotopy_iterations, workers)
            name = f"tomotopy LDA {args.tomotopy_iterations} it, {workers} worker" + \
                   ("s" if workers > 1 else "")
            tomotopy_rows[workers] = score(name, topic_word, doc_topic, seconds, corpus,
                                           texts, labels)
            rows.append(tomotopy_rows[workers])
            print(f"fitted {name} in {seconds:.1f} s", flush=True)

    print()
    print(f"{'model':<34} {'NMI':>6} {'NPMI':>7} {'diversity':>9} {'fit s':>7}")
    for row in rows:
        print(f"{row['model']:<34} {row['nmi']:>6.3f} {row['npmi']:>7.3f} "
              f"{row['diversity']:>9.2f} {row['seconds']:>7.1f}")
    lda_seconds = rows[0]["seconds"]
    for workers, row in tomotopy_rows.items():
        print(f"our LDA fit / tomotopy fit ({workers} worker{'s' if workers > 1 else ''}): "
              f"{lda_seconds / row['seconds']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
