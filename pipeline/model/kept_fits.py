"""Stability refits kept between runs: a re-run over the same corpus at a K fitted before
reads its refits' topics back instead of fitting them again.

A stability refit (`model.stability_seeds`) depends on the corpus, the model's settings, K,
its seed and sample and the seeded topics, never on the topics a run continues (those start
the main fit only). So a re-run that changes only comparison, report or watchlist settings,
or goes back to a K it fitted before, refits nothing: on the full VNTC at K = 8 the refits
were ~40 of the models stage's ~70 CPU seconds (benchmarks/README.md, "Warm re-runs").
Key: the corpus entry's key (model/kept_corpus.py), the fit's family, K, seed, sample,
settings and seeded topics, the source of this package. Entry (pipeline/cache_entries.py:
checked when read, set aside when damaged): the topics (K x V) and the fit's seconds.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from vntopics.pipeline.cache_entries import CacheEntries, key_of
from vntopics.pipeline.model.fitting import (DIVERSITY_TOP_N, FitJob, FitOutcome,
                                             longest_first, run_fit_job)
from vntopics.pipeline.model.kept_corpus import model_code
from vntopics.pipeline.model.topics import TopicModel, top_word_lists
from vntopics.pipeline.parallel import Mapper

KEEP_ENTRIES = 32          # 4 refits a run (2 models x 2 seeds): ~1.6 MB each, K = 10, V = 20k
TOPICS_FILE = "topic_word.npy"


class KeptFits:
    """The refits kept for the corpus entry `corpus_key` under `cache_dir/fits`."""

    def __init__(self, cache_dir: Path, corpus_key: str):
        self.entries = CacheEntries(cache_dir / "fits", "fit cache", "the refit is fitted "
                                    "again", keep=KEEP_ENTRIES)
        self.corpus_key = corpus_key
        self.reused = 0

    @staticmethod
    def keeps(job: FitJob) -> bool:
        """A stability refit: topics only, from no given start."""
        return not job.doc_topics and job.init_topics is None

    def key(self, job: FitJob) -> str:
        return key_of({"corpus": self.corpus_key, "code": model_code(), "name": job.name,
                       "k": job.k, "seed": job.seed, "sample": job.sample,
                       "params": job.params.model_dump(mode="json") if job.params else None,
                       "seed_topics": [[s.label, list(s.words), list(s.columns)]
                                       for s in job.seed_topics]})

    def load(self, job: FitJob) -> FitOutcome | None:
        """The kept outcome of `job`; None when there is none or it is damaged (set aside)."""
        entry = self.entries.find(self.key(job))
        if entry is None:
            return None
        try:
            seconds = float(self.entries.facts(entry)["seconds"])
            topic_word = np.load(entry / TOPICS_FILE, allow_pickle=False)
            expected = (job.k, len(job.corpus.vocabulary))
            if topic_word.shape != expected:
                raise ValueError(f"topics of shape {topic_word.shape}, not {expected}")
        except (OSError, ValueError, TypeError, KeyError) as exc:
            self.entries.set_aside(entry, entry / TOPICS_FILE, f"unreadable ({exc})")
            return None
        model = TopicModel(job.name, topic_word, None,
                           seed_labels=tuple(s.label for s in job.seed_topics))
        self.reused += 1
        return FitOutcome(job.name, job.k, job.seed, model, seconds,
                          top_word_lists(topic_word, job.corpus.vocabulary, DIVERSITY_TOP_N))

    def save(self, job: FitJob, outcome: FitOutcome) -> None:
        """Keep a refit's topics; a cache that cannot be written is a warning."""
        self.entries.write(self.key(job), lambda folder: np.save(
            folder / TOPICS_FILE, outcome.model.topic_word, allow_pickle=False),
            "the next run fits the stability refits again", seconds=outcome.seconds)


def fit_all(jobs: Iterable[FitJob], mapper: Mapper, kept: KeptFits | None
            ) -> Iterator[FitOutcome]:
    """run_fit_job over `jobs` through `mapper` (longest first), the refits `kept` holds
    read back first and those fitted now kept there."""
    missing = []
    for job in jobs:
        outcome = kept.load(job) if kept and kept.keeps(job) else None
        if outcome is None:
            missing.append(job)
        else:
            yield outcome
    missing = longest_first(missing)
    for job, outcome in zip(missing, mapper(run_fit_job, missing)):
        if kept and kept.keeps(job):
            kept.save(job, outcome)
        yield outcome
