"""Model families: everything the pipeline knows about one kind of topic model, in one place.

A family is a name (what `model.models` lists, the progress step, `TopicModel.name`), the
letter of its topic ids (L07, N03), the title of its progress bar, the module that fits it
and saves, loads and reads its estimator, the file its estimator is saved in inside a
version's `models/`, whether a fit can start from previous topics (warm start), the dtype of
the counts it reads and its relative cost (the costliest fits are started first).

The module is imported when a family is first used, so naming the families costs nothing at
start-up (the CLI, the config). It defines (ARCHITECTURE.md, "How to add a model"):

    fit(corpus, k, params, *, seed, doc_topics, init_topics, seed_topics) -> TopicModel
    save(estimator, path) / load(path) -> estimator
    topic_word(estimator) -> K x V array / doc_topics(estimator, counts) -> D x K array
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType


@dataclass(frozen=True)
class ModelFamily:
    name: str
    id_prefix: str                     # topic ids: prefix + two digits
    title: str                         # progress bar title, e.g. "LDA fits"
    module: str                        # defines fit, save, load, topic_word, doc_topics
    saved_file: str                    # the estimator's file in a version's models/
    warm_start: bool = True            # its fit accepts init_topics (K x V)
    counts_dtype: str | None = None    # dtype of the counts its fit reads (None: as stored)
    cost: int = 1                      # relative cost of one fit (costliest first)

    def code(self) -> ModuleType:
        return import_module(self.module)


FAMILIES: dict[str, ModelFamily] = {}


def register(family: ModelFamily) -> ModelFamily:
    """Add (or replace) a family; its name and id prefix must be new."""
    taken = {f.id_prefix for f in FAMILIES.values() if f.name != family.name}
    if family.id_prefix in taken:
        raise ValueError(f"topic id prefix {family.id_prefix!r} is taken")
    FAMILIES[family.name] = family
    return family


def family(name: str) -> ModelFamily:
    if name not in FAMILIES:
        raise ValueError(f"unknown model {name!r}; expected one of {family_names()}")
    return FAMILIES[name]


def family_names() -> list[str]:
    return list(FAMILIES)


# LDA costs several times an NMF fit: started first.
register(ModelFamily("lda", "L", "LDA fits", "vntopics.pipeline.model.lda", "lda.gensim",
                     counts_dtype="float32", cost=2))
register(ModelFamily("nmf", "N", "NMF fits", "vntopics.pipeline.model.nmf", "nmf.joblib"))
