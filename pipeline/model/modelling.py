"""The model stage's entry point, one call: the vocabulary and counts of the segmented
documents, their token rows, the counts shared with the fit workers through the run's work
folder, the warm start from the topics this run continues, and every fit (selection.py)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from vntopics.pipeline.config import CorpusConfig, ModelConfig
from vntopics.pipeline.model.corpus import Corpus, build_modelling_corpus
from vntopics.pipeline.model.kept_corpus import kept_corpus
from vntopics.pipeline.model.kept_fits import KeptFits
from vntopics.pipeline.model.selection import FitResult, sweep_and_fit
from vntopics.pipeline.parallel import Mapper, Progress
from vntopics.pipeline.segment import TokenRows
from vntopics.pipeline.text import Document, DocumentSet


class TopicMemory(Protocol):
    """The topics a run continues (store.Lineage): each model's previous topics over a new
    vocabulary."""
    def warm_start(self, vocabulary: list[str]) -> dict[str, np.ndarray]: ...


@dataclass
class Modelling:
    corpus: Corpus
    modelled: list[Document]    # the documents the corpus models, in its row order
    texts: TokenRows            # their tokens (what coherence and the comparisons read)
    fitted: FitResult
    vocabulary_seconds: float   # of the whole call, building the corpus
    corpus_reused: bool = False   # read back from the cache (model/kept_corpus.py)
    corpus_key: str | None = None   # its cache entry's key (None: not kept)


def model_topics(documents: DocumentSet, settings: ModelConfig, *,
                 corpus_settings: CorpusConfig, mapper: Mapper = map,
                 memory: TopicMemory | None = None, share_dir: Path | None = None,
                 cache_dir: Path | None = None, progress: Progress | None = None
                 ) -> Modelling:
    """Build the corpus (`corpus_settings`) of the `ok` documents, then fit every model of
    `settings`. `share_dir`: move the counts there so local fit workers read them instead of
    receiving a copy (None: pickled, e.g. to a cluster). `cache_dir`: where the corpus and the
    stability refits are kept for a re-run (None: not kept). With `model.continue_from:
    latest` each model starts from `memory`'s topics. `progress` hears one step per model
    name."""
    started = time.perf_counter()
    kept = kept_corpus(cache_dir, documents.tokens, corpus_settings)
    corpus, modelled, reused = build_modelling_corpus(
        documents, corpus_settings, largest_k=max(settings.k_values()), kept=kept,
        share_dir=share_dir)
    texts = documents.tokens.rows([d.token_row for d in modelled])
    vocabulary_seconds = time.perf_counter() - started
    warm = (memory.warm_start(corpus.vocabulary)
            if memory is not None and settings.continue_from == "latest" else None)
    fitted = sweep_and_fit(corpus, texts, settings, mapper=mapper, warm_start=warm,
                           progress=progress,
                           kept=KeptFits(cache_dir, kept.key) if kept else None)
    return Modelling(corpus, modelled, texts, fitted, vocabulary_seconds, reused,
                     kept.key if kept else None)
