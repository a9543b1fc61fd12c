"""Report stage: a version's tables and manifest in (`ReportInputs`), with what the explorer
needs from the fitted models (`explorer_inputs`); report.md and one offline report.html out
(explorer on top, static sections below), in the configured language."""
from vntopics.pipeline.report.build import write_reports
from vntopics.pipeline.report.explorer_inputs import explorer_inputs
from vntopics.pipeline.report.inputs import ExplorerInputs, ReportInputs
from vntopics.pipeline.report.language import Language, language

__all__ = ["write_reports", "ReportInputs", "ExplorerInputs", "explorer_inputs", "Language",
           "language"]
