"""Model stage: token lists in; a `Corpus` (vocabulary + counts) and a `FitResult` out: the
final LDA and NMF `TopicModel`s at the chosen K, the K sweep with coherence, and topic
stability across seeds. Coherence (with its window counts), the batched LDA E-step and the
topic matcher live here."""
from typing import TYPE_CHECKING

from vntopics.pipeline.lazy import lazy_exports

if TYPE_CHECKING:   # the exports, each loaded from its module on first use (pipeline/lazy.py)
    from vntopics.pipeline.model.corpus import Corpus, counts_matrix, flat_token_ids
    from vntopics.pipeline.model.matching import best_pairs, jaccard_matrix
    from vntopics.pipeline.model.modelling import Modelling, model_topics
    from vntopics.pipeline.model.registry import (FAMILIES, ModelFamily, family, family_names,
                                                  register)
    from vntopics.pipeline.model.seeds import SeedTopic
    from vntopics.pipeline.model.selection import sweep_and_fit
    from vntopics.pipeline.model.stored_corpus import word_counts_matrix
    from vntopics.pipeline.model.topics import (TopicModel, doc_topics_table, heaviest_first,
                                                normalise_rows, representative_documents,
                                                topics_table)

__all__ = ["Corpus", "counts_matrix", "flat_token_ids", "best_pairs", "jaccard_matrix",
           "Modelling", "model_topics", "FAMILIES", "ModelFamily", "family", "family_names", "register",
           "SeedTopic", "sweep_and_fit",
           "word_counts_matrix", "TopicModel", "doc_topics_table", "heaviest_first",
           "normalise_rows", "representative_documents", "topics_table"]
__getattr__ = lazy_exports(__name__, __file__)
