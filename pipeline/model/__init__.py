"""Model stage: token lists in; a `Corpus` (vocabulary + counts) and a `FitResult` out: the
final LDA and NMF `TopicModel`s at the chosen K, the K sweep with coherence, and topic
stability across seeds. Coherence (with its window counts), the batched LDA E-step and the
topic matcher live here."""
from vntopics.pipeline.model.corpus import Corpus, build_corpus, build_modelling_corpus
from vntopics.pipeline.model.selection import FitResult, sweep_and_fit
from vntopics.pipeline.model.topics import TopicModel

__all__ = ["build_modelling_corpus", "build_corpus", "sweep_and_fit", "Corpus", "FitResult",
           "TopicModel"]
