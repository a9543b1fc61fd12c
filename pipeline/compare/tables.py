"""All comparison tables of a run in one call: prevalence with intervals, distinctive words,
keyword trends, resolution citations and the analyst's watchlist, computed from the modelled
documents."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import pandas as pd

from vntopics.pipeline.compare.citations import citation_table
from vntopics.pipeline.compare.distinctive import count_matrix, distinctive_keywords
from vntopics.pipeline.compare.kept import KeptComparisons
from vntopics.pipeline.compare.prevalence import group_labels, topic_prevalence
from vntopics.pipeline.compare.trends import keyword_trends, trend_summary
from vntopics.pipeline.compare.watchlist import WATCHLIST_COLUMNS, watchlist_table
from vntopics.pipeline.config import CompareConfig
from vntopics.pipeline.model import TopicModel
from vntopics.pipeline.parallel import Progress
from vntopics.pipeline.segment import WatchTerm
from vntopics.pipeline.text import Document, documents_table


@dataclass
class ComparisonTables:
    """The compare stage's output, filled by `compare_groups`: topic prevalence by group with
    intervals, distinctive words, keyword trends and their summary, citations by province
    and year, and the watchlist by group (empty without one). The store writes each as a
    table and the report reads them."""
    prevalence: pd.DataFrame
    distinctive: pd.DataFrame
    keyword_trends: pd.DataFrame
    trend_summary: pd.DataFrame
    citations: pd.DataFrame
    watchlist: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=WATCHLIST_COLUMNS))
    reused: bool = False      # all but prevalence read back from the cache (compare/kept.py)
    documents: pd.DataFrame | None = None   # the modelled documents' table (publish reuses it)


def compare_groups(models: Sequence[TopicModel], documents: pd.DataFrame,
                   token_lists: Sequence[Sequence[str]],
                   citation_lists: Sequence[Sequence[str]], settings: CompareConfig, *,
                   seed: int, watchlist: Sequence[WatchTerm] = (),
                   term_counts: Sequence[dict[str, int]] | None = None,
                   progress: Progress | None = None,
                   kept: KeptComparisons | None = None) -> ComparisonTables:
    """`documents` are the modelled documents in the row order of every model's doc_topic,
    of `token_lists`, `citation_lists` and `term_counts` (each document's watchlist counts,
    pipeline/segment/terms.py). `progress` hears the step "bootstrap": resamples drawn, over
    all models. `kept`: where the tables that do not depend on the topics are read back
    from, or kept for a re-run."""
    total = settings.bootstrap * len(models)

    def resampled(index: int):
        if progress:
            return lambda done, _: progress("bootstrap", index * settings.bootstrap + done,
                                            total)

    prevalence = pd.concat([topic_prevalence(m.name, m.doc_topic, documents, settings.bootstrap,
                                             settings.confidence, seed=seed,
                                             min_group_docs=settings.min_group_docs,
                                             progress=resampled(index))
                            for index, m in enumerate(models)], ignore_index=True)
    topic_free = kept.load() if kept else None
    if topic_free is not None:
        return ComparisonTables(prevalence, **topic_free, reused=True)
    counted = count_matrix(token_lists)       # one pass over the tokens for all three tables
    distinctive = pd.concat(
        [distinctive_keywords(token_lists, group_labels(documents, dimension).tolist(),
                              dimension, top_n=settings.distinctive_top_n,
                              min_count=settings.distinctive_min_count, counted=counted)
         for dimension in ("province", "year")], ignore_index=True)
    years = documents["year"].tolist()
    trends = keyword_trends(token_lists, years, settings.keyword_top_n, counted=counted,
                            min_year_docs=settings.trend_min_year_docs)
    summary = trend_summary(trends, settings.trend_alpha, settings.trend_min_count,
                            settings.trend_top_n)
    citations = citation_table(citation_lists, documents["province"].tolist(), years,
                               settings.confidence)
    watched = watchlist_table(watchlist, term_counts or [{} for _ in token_lists], documents,
                              settings, seed)
    topic_free = {"distinctive": distinctive, "keyword_trends": trends,
                  "trend_summary": summary, "citations": citations, "watchlist": watched}
    if kept:
        kept.save(topic_free)
    return ComparisonTables(prevalence, **topic_free)


def compare_documents(models: Sequence[TopicModel], modelled: Sequence[Document],
                      token_lists: Sequence[Sequence[str]], settings: CompareConfig, *,
                      seed: int, watchlist: Sequence[WatchTerm] = (),
                      progress: Progress | None = None, cache_dir: Path | None = None,
                      corpus_key: str | None = None) -> ComparisonTables:
    """The compare stage's entry point: `compare_groups` over the modelled documents (in the
    models' row order, `token_lists` their tokens), their table, citations and watchlist
    counts taken from them. With `cache_dir` and the corpus entry's key (`Modelling.
    corpus_key`), the tables that do not depend on the topics are kept there."""
    kept = (KeptComparisons(cache_dir, corpus_key, settings, watchlist, seed)
            if cache_dir is not None and corpus_key is not None else None)
    table = documents_table(modelled)
    return replace(compare_groups(models, table, token_lists, [d.citations for d in modelled],
                                  settings, seed=seed, watchlist=watchlist,
                                  term_counts=[d.term_counts for d in modelled],
                                  progress=progress, kept=kept), documents=table)
