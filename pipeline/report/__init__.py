"""Report stage: a version's tables and manifest in (`ReportInputs`), with what the explorer
needs from the fitted models (`explorer_inputs`); report.md and one offline report.html out
(explorer on top, static sections below), in the configured language."""
from vntopics.pipeline.lazy import lazy_exports

# (names that are also submodules, explorer_inputs and language, are imported from them)
EXPORTS = {"write_reports": "build", "ReportInputs": "inputs", "ExplorerInputs": "inputs",
           "Language": "language", "language_of": "ui_summary",
           "summary_markdown": "ui_summary", "prevalence_rows": "ui_summary",
           "watchlist_rows": "ui_summary"}
__all__ = list(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
