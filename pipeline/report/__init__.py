"""Report stage: a version's tables and manifest in (`ReportInputs`); report.md and one
offline report.html out. Sections, formats and SVG charts live here."""
from vntopics.pipeline.report.build import ReportInputs, write_reports

__all__ = ["write_reports", "ReportInputs"]
