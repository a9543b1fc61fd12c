"""Seeded topics: the analyst names a topic and gives a few of its words; the models keep that
topic at a fixed position (the seeded topics come first, in the config's order) and leave the
other K − n topics free.

- LDA (pipeline/model/lda.py): the seeds enter the topic-word prior. gensim's `eta` becomes a
  K × V matrix, the configured eta everywhere, plus, in each seeded row, pseudo-counts on its
  seed words: `model.lda.seed_strength` × (corpus tokens / K) in all, shared equally among
  them. Scaling by an average topic's tokens keeps the strength meaning the same on 600 and
  on 80,000 articles (a fixed pseudo-count would fade as the corpus grows); at the default
  0.2 the seeds weigh a fifth of what a topic's own words weigh, which keeps them on top of
  their topic while the data decide the rest of its words and which documents it covers.
- NMF (pipeline/model/nmf.py): the seeded rows of H start at their seed words (a custom
  initialisation); the optimisation then keeps the row where it is, so the topic stays at
  its position and grows the words that co-occur with its seeds.
- Both start the seeded rows at their seeds and the free rows where they would start
  anyway (the NMF start of LDA, the previous version's topics with `continue_from: latest`):
  the start topic most like each seed (most mass on its seed words, one-to-one) gives way to
  it, so an unseeded version's "health" topic becomes the seeded "Y tế" topic, not a twin.
  The prior is part of the model, so stability refits and every K of a sweep are seeded too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse

from vntopics.pipeline.model.matching import best_pairs
from vntopics.pipeline.segment import seed_word

START_FLOOR = 1e-6   # every word keeps a little start mass (NMF's mu solver never leaves 0)


@dataclass(frozen=True)
class SeedTopic:
    """A seeded topic resolved against the vocabulary: its label, the vocabulary words its
    seeds became and their columns, and the seeds (as given) that are not in the vocabulary."""
    label: str
    words: tuple[str, ...]
    columns: tuple[int, ...]
    missing: tuple[str, ...]

    def manifest(self, position: int) -> dict:
        return {"label": self.label, "topic": position, "seeds": list(self.words),
                "missing": list(self.missing)}


def resolve_seed_topics(seed_topics: dict[str, list[str]], vocabulary: Sequence[str]
                        ) -> list[SeedTopic]:
    """The seeds in the vocabulary's form ('bệnh viện' -> bệnh_viện). A seed topic none of
    whose words is in the vocabulary cannot be seeded: a ValueError naming it, before any
    fit. Words missing from a topic that has others are reported (`missing`), not dropped
    silently."""
    index = {word: i for i, word in enumerate(vocabulary)}
    resolved = []
    for label, given in seed_topics.items():
        found = [(seed_word(w), w) for w in given]
        present = [(form, w) for form, w in found if form in index]
        missing = tuple(w for form, w in found if form not in index)
        if not present:
            raise ValueError(
                f"model.seed_topics: no seed word of {label!r} is in the vocabulary "
                f"({', '.join(missing)}); seed words must be words of the corpus that are "
                "not stop-words, in at least corpus.no_below documents and at most "
                "corpus.no_above of them")
        resolved.append(SeedTopic(" ".join(label.split()), tuple(f for f, _ in present),
                                  tuple(index[f] for f, _ in present), missing))
    return resolved


def seed_rows(seed_topics: Sequence[SeedTopic], counts: sparse.csr_matrix) -> np.ndarray:
    """n × V start distributions: half on the topic's seed words (equally), half on the words
    over-represented in the documents that use them (the documents' word distributions,
    weighted by their share of seed words, minus the corpus's own distribution, negative
    parts dropped). Starting at the seeds alone leaves the theme's other words to the free
    topics, and two passes of VB do not take them back."""
    counts = sparse.csr_matrix(counts, dtype=np.float64)
    lengths = np.maximum(np.asarray(counts.sum(axis=1)).ravel(), 1.0)
    profiles = sparse.diags(1.0 / lengths) @ counts                    # documents' distributions
    corpus = np.asarray(counts.sum(axis=0)).ravel() / max(counts.sum(), 1.0)
    rows = np.full((len(seed_topics), counts.shape[1]), START_FLOOR)
    for i, seed in enumerate(seed_topics):
        columns = list(seed.columns)
        weights = np.asarray(profiles[:, columns].sum(axis=1)).ravel()
        rows[i, columns] += 0.5 / len(columns)
        if weights.sum() > 0:
            lift = np.maximum(profiles.T @ weights / weights.sum() - corpus, 0.0)
            lift[columns] = 0.0
            rows[i] += 0.5 * lift / lift.sum() if lift.sum() > 0 else 0.0
    return rows / rows.sum(axis=1, keepdims=True)


def place_seeds(seed_topics: Sequence[SeedTopic], start: np.ndarray,
                counts: sparse.csr_matrix) -> np.ndarray:
    """K × V start: the seed rows first (`seed_rows` over the documents × vocabulary
    `counts`), then the rows of `start` (K × V, e.g. an NMF or the previous version's topics)
    in their order, without the one most like each seed."""
    start = np.asarray(start, dtype=np.float64) + START_FLOOR   # an empty NMF row too
    start = start / start.sum(axis=1, keepdims=True)
    mass = np.array([start[:, list(seed.columns)].sum(axis=1) for seed in seed_topics])
    replaced = {row for _, row, _ in best_pairs(mass)}                 # seeds × K
    kept = [row for row in range(start.shape[0]) if row not in replaced]
    return np.vstack([seed_rows(seed_topics, counts), start[kept]])


def seeded_eta(seeds: Sequence[SeedTopic], num_topics: int, vocabulary_size: int, *,
               base: float, strength: float, corpus_tokens: float) -> np.ndarray:
    """K × V topic-word prior for LDA: `base` everywhere, and in row i the seed words of
    seeds[i] sharing strength × corpus_tokens / K pseudo-counts."""
    eta = np.full((num_topics, vocabulary_size), float(base))
    for i, seed in enumerate(seeds):
        eta[i, list(seed.columns)] += strength * corpus_tokens / num_topics / len(seed.columns)
    return eta
