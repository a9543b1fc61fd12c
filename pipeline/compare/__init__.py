"""Compare stage: models, the modelled documents' table, tokens and citations in;
`ComparisonTables` out: topic prevalence by province, year and province×year with bootstrap
intervals, distinctive words, keyword trends and resolution citations."""
from typing import TYPE_CHECKING

from vntopics.pipeline.lazy import lazy_exports

if TYPE_CHECKING:   # the exports, each loaded from its module on first use (pipeline/lazy.py)
    from vntopics.pipeline.compare.citations import top_citations_by_year
    from vntopics.pipeline.compare.tables import (ComparisonTables, compare_documents,
                                                  compare_groups)

__all__ = ["top_citations_by_year", "ComparisonTables", "compare_documents", "compare_groups"]
__getattr__ = lazy_exports(__name__, __file__)
