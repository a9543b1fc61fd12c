"""Compare stage: models, the modelled documents' table, tokens and citations in;
`ComparisonTables` out: topic prevalence by province, year and province×year with bootstrap
intervals, distinctive words, keyword trends and resolution citations."""
from vntopics.pipeline.compare.tables import ComparisonTables, compare_groups

__all__ = ["compare_groups", "ComparisonTables"]
