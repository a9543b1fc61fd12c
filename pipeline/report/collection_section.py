"""The "Collection" section: when the run read a corpus folder filled by `vntopics collect`,
per source the articles collected in the week before the version, all collected so far, and
the URLs that failed that week (from the folder's collect state)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from vntopics.pipeline.collect import collection_counts
from vntopics.pipeline.report.format import Section, table_section
from vntopics.pipeline.report.inputs import ReportInputs


def collection_section(inputs: ReportInputs) -> list[Section]:
    import pandas as pd

    created = inputs.manifest.get("created_at")
    if not created:
        return []
    until = datetime.fromisoformat(created.replace("Z", "+00:00"))
    rows = [row for path in inputs.manifest.get("config", {}).get("input", {}).get("paths", [])
            if Path(path).is_dir() for row in collection_counts(Path(path), until)]
    if not rows:
        return []
    lang = inputs.lang
    frame = pd.DataFrame(rows, columns=["source", "articles_this_week", "articles_total",
                                        "failures"])
    frame.columns = [lang(f"collection.{column}") for column in frame.columns]
    return [table_section(lang, "collection", lang("collection.title"),
                          lang("collection.intro"), frame)]
