"""Model stage: token lists in; a `Corpus` (vocabulary + counts) and a `FitResult` out: the
final LDA and NMF `TopicModel`s at the chosen K, the K sweep with coherence, and topic
stability across seeds. Coherence (with its window counts), the batched LDA E-step and the
topic matcher live here."""
from vntopics.pipeline.lazy import lazy_exports

# Loaded on first use: a worker process that only fits (model/fitting.py) never imports
# the K choice and its tables (pandas).
EXPORTS = {"build_modelling_corpus": "corpus", "build_corpus": "corpus", "Corpus": "corpus",
           "sweep_and_fit": "selection", "FitResult": "selection", "TopicModel": "topics"}
__all__ = list(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
