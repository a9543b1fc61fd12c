"""All comparison tables of a run in one call: prevalence with intervals, distinctive words,
keyword trends and resolution citations, computed from the modelled documents."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from vntopics.pipeline.compare.prevalence import group_labels, topic_prevalence
from vntopics.pipeline.config import CompareConfig
from vntopics.pipeline.parallel import Progress
from vntopics.pipeline.compare.distinctive import count_matrix, distinctive_keywords
from vntopics.pipeline.model.topics import TopicModel
from vntopics.pipeline.compare.trends import citation_table, keyword_trends, trend_summary


@dataclass
class ComparisonTables:
    """The compare stage's output, filled by `compare_groups`: topic prevalence by group with
    intervals, distinctive words, keyword trends and their summary, and citations by province
    and year. The store writes each as a table and the report reads them."""
    prevalence: pd.DataFrame
    distinctive: pd.DataFrame
    keyword_trends: pd.DataFrame
    trend_summary: pd.DataFrame
    citations: pd.DataFrame


def compare_groups(models: Sequence[TopicModel], documents: pd.DataFrame,
                   token_lists: Sequence[Sequence[str]],
                   citation_lists: Sequence[Sequence[str]], settings: CompareConfig,
                   seed: int, progress: Progress | None = None) -> ComparisonTables:
    """`documents` are the modelled documents in the row order of every model's doc_topic.
    `progress` hears the step "bootstrap": resamples drawn, over all models."""
    total = settings.bootstrap * len(models)

    def resampled(index: int):
        if progress:
            return lambda done, _: progress("bootstrap", index * settings.bootstrap + done,
                                            total)

    prevalence = pd.concat([topic_prevalence(m.name, m.doc_topic, documents, settings.bootstrap,
                                             settings.confidence, seed, settings.min_group_docs,
                                             resampled(index))
                            for index, m in enumerate(models)], ignore_index=True)
    counted = count_matrix(token_lists)       # one pass over the tokens for all three tables
    distinctive = pd.concat(
        [distinctive_keywords(token_lists, group_labels(documents, dimension).tolist(),
                              dimension, settings.distinctive_top_n,
                              settings.distinctive_min_count, counted=counted)
         for dimension in ("province", "year")], ignore_index=True)
    years = documents["year"].tolist()
    trends = keyword_trends(token_lists, years, settings.keyword_top_n, counted=counted)
    summary = trend_summary(trends, settings.trend_alpha, settings.trend_min_count,
                            settings.trend_top_n)
    citations = citation_table(citation_lists, documents["province"].tolist(), years)
    return ComparisonTables(prevalence, distinctive, trends, summary, citations)
