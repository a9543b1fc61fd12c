"""Report stage: a version's tables and manifest in (`ReportInputs`); report.md and one
offline report.html out. Sections, formats and SVG charts live here."""
from vntopics.pipeline.lazy import lazy_exports

EXPORTS = {"write_reports": "build", "ReportInputs": "build"}
__all__ = list(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
