"""What the report is built from: a version's tables and manifest (`ReportInputs`) and what
only the explorer needs from the fitted models (`ExplorerInputs`)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vntopics.pipeline.report.language import Language, language


@dataclass
class ExplorerInputs:
    """Filled by `report.explorer_inputs` from the fitted models: each topic's candidate
    words for the relevance slider (`words`: model, topic, word, p_topic, p_corpus), its
    place on the intertopic map (`topics`: model, topic, x, y, share, n_dominant), its
    candidate representative articles (`articles`: model, topic, doc_id, weight, heaviest
    first) and those articles' first lines (`leads`: doc_id -> text)."""
    words: pd.DataFrame
    topics: pd.DataFrame
    articles: pd.DataFrame
    leads: dict[str, str]


@dataclass
class ReportInputs:
    """Everything the report shows, filled by `store.publish.write_version` from the version
    it is writing: the manifest, the documents, topics and prevalence tables, and the
    optional ones (what changed since the previous version, representative documents,
    distinctive words, trend summary, citations, K sweep, stability, history, watchlist), the
    explorer's
    inputs and the report language (`report.language`)."""
    manifest: dict
    documents: pd.DataFrame
    topics: pd.DataFrame
    prevalence: pd.DataFrame
    keyword_trends: pd.DataFrame
    changes: pd.DataFrame | None = None
    representatives: pd.DataFrame | None = None
    distinctive: pd.DataFrame | None = None
    trend_summary: pd.DataFrame | None = None
    citations: pd.DataFrame | None = None
    k_sweep: pd.DataFrame | None = None
    stability: pd.DataFrame | None = None
    history: pd.DataFrame | None = None
    watchlist: pd.DataFrame | None = None
    explorer: ExplorerInputs | None = None
    language: str = "en"

    @property
    def lang(self) -> Language:
        return language(self.language)
