"""Report stage: a version's tables and manifest in (`ReportInputs`), with what the explorer
needs from the fitted models (`build_explorer_inputs`); report.md and one offline report.html out
(explorer on top, static sections below), in the configured language."""
from typing import TYPE_CHECKING

from vntopics.pipeline.lazy import lazy_exports

if TYPE_CHECKING:   # the exports, each loaded from its module on first use (pipeline/lazy.py)
    from vntopics.pipeline.report.build import write_reports
    from vntopics.pipeline.report.explorer_inputs import \
        explorer_inputs as build_explorer_inputs   # (the module has the function's name)
    from vntopics.pipeline.report.inputs import ReportInputs
    from vntopics.pipeline.report.ui_summary import (language_of, prevalence_rows,
                                                     summary_markdown, watchlist_rows)

__all__ = ["write_reports", "build_explorer_inputs", "ReportInputs", "language_of",
           "prevalence_rows", "summary_markdown", "watchlist_rows"]
__getattr__ = lazy_exports(__name__, __file__)
