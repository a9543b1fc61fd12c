"""One fit of one model at one K: what a worker process runs (`run_fit_job`).

Apart from selection.py (the K choice, coherence, stability tables), so that a worker process
imports the fitting code only.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from vntopics.pipeline.config import LdaConfig, NmfConfig
from vntopics.pipeline.memory import release_freed_memory
from vntopics.pipeline.model.corpus import Corpus
from vntopics.pipeline.model.registry import family
from vntopics.pipeline.model.seeds import SeedTopic
from vntopics.pipeline.model.topics import TopicModel, top_word_lists

DIVERSITY_TOP_N = 25
# A family's counts_dtype (model/registry.py): LDA gives the same numbers from float32 counts
# (every use casts or sums them exactly), and they cost 8 bytes a non-zero instead of 12
# (with the heap trim in run_fit_job, scale.py's marginal memory went from 4.3 to 3.1-3.7 KB
# per document: benchmarks/README.md)


@dataclass(frozen=True)
class FitJob:
    """One fit: model `name` at `k` topics with `seed` and its settings `params`."""
    name: str
    k: int
    seed: int
    params: LdaConfig | NmfConfig | None   # model.<name>; None for a family without options
    corpus: Corpus
    sample: float = 1.0                  # share of documents fitted (seeded subsample if < 1)
    doc_topics: bool = True              # False: topics only (stability refits)
    init_topics: np.ndarray | None = None   # K x V start (the previous version's topics)
    seed_topics: tuple[SeedTopic, ...] = ()   # the analyst's seeded topics: first rows


def subsample(corpus: Corpus, share: float, seed: int, dtype=None) -> Corpus:
    """A seeded random `share` of the documents (input order kept), same vocabulary; counts
    read from the saved files come as `dtype` if given."""
    if share >= 1.0:
        return corpus.rows(None, dtype)
    n_docs = corpus.num_docs
    size = max(2, int(round(share * n_docs)))
    return corpus.rows(np.sort(np.random.default_rng(seed).choice(n_docs, size=size,
                                                                  replace=False)), dtype)


def longest_first(jobs: list[FitJob]) -> list[FitJob]:
    """Jobs in a good order for a pool of workers: the costliest family (LDA, several times
    the cost of NMF), then more documents, then more topics first, so no long fit starts
    last while others idle."""
    return sorted(jobs, key=lambda j: (-family(j.name).cost, -j.sample, -j.k))


@dataclass
class FitOutcome:
    """One fitted `FitJob`, returned by `run_fit_job` (in a worker or this process): the
    model, the fit's seconds and its top-25 words per topic; `scores` (c_npmi, c_v, their
    per-topic values, diversity) are filled afterwards by `score_outcomes`."""
    name: str
    k: int
    seed: int
    model: TopicModel
    seconds: float                       # the fit alone, not the scoring
    top_words: list[list[str]]           # top DIVERSITY_TOP_N words per topic
    scores: dict = field(default_factory=dict)   # c_npmi, c_v (+ _per_topic), diversity


def run_fit_job(job: FitJob) -> FitOutcome:
    """Fit one model (on a seeded subsample when job.sample < 1) and list its top words."""
    # the previous job's freed heap, kept by glibc, would add to this one's peak (~50-100 MB)
    release_freed_memory(collect=False)
    fitted = family(job.name)
    dtype = getattr(np, fitted.counts_dtype) if fitted.counts_dtype else None
    corpus = subsample(job.corpus, job.sample, job.seed, dtype)
    started = time.perf_counter()
    model = fitted.code().fit(corpus, job.k, job.params, seed=job.seed,
                              doc_topics=job.doc_topics, init_topics=job.init_topics,
                              seed_topics=job.seed_topics)
    seconds = time.perf_counter() - started
    top_words = top_word_lists(model.topic_word, job.corpus.vocabulary, DIVERSITY_TOP_N)
    return FitOutcome(job.name, job.k, job.seed, model, seconds, top_words)


# a fit worker never needs pandas (nor pyarrow, which pandas imports): see parallel.start_worker
run_fit_job.unneeded_modules = ("pandas", "pyarrow")


