"""What a finished run shows inside the Prefect UI (built by pipeline/report/ui_summary.py):
a Markdown summary, prevalence tables by province and by year, the watchlist when the run has
one, and a link to report.html, in the version's report language (`report.language`).

Keys carry the deployment name, so the UI's artifact page shows the latest result of each
deployment (ad-hoc runs share the key suffix `local`).
"""
from __future__ import annotations

import re
from pathlib import Path

from prefect import task
from prefect.artifacts import (create_link_artifact, create_markdown_artifact,
                               create_table_artifact)
from prefect.cache_policies import NO_CACHE

from vntopics.pipeline.report import (language_of, prevalence_rows, summary_markdown,
                                      watchlist_rows)
from vntopics.pipeline.store import read_manifest, read_table


def artifact_key(kind: str) -> str:
    from prefect.runtime import deployment

    name = deployment.name or "local"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "local"
    return f"vntopics-{kind}-{slug}"[:120]


@task(name="ui-artifacts", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def publish_ui_artifacts(version: Path) -> None:
    manifest = read_manifest(version)
    lang = language_of(manifest)
    create_markdown_artifact(summary_markdown(version, manifest, read_table(version, "topics")),
                             key=artifact_key("summary"),
                             description=lang("ui.summary_description"))
    prevalence = read_table(version, "topic_prevalence")
    for dimension in ("province", "year"):
        create_table_artifact(prevalence_rows(prevalence, dimension, lang),
                              key=artifact_key(f"prevalence-{dimension}"),
                              description=lang("ui.prevalence_description",
                                               dimension=lang(f"dimension.{dimension}")))
    # none when the run had no watchlist (or was written before there was one)
    if (version / "tables" / "watchlist.csv").is_file():
        create_table_artifact(watchlist_rows(read_table(version, "watchlist"), lang),
                              key=artifact_key("watchlist"),
                              description=lang("ui.watchlist_description"))
    from vntopics.reports_server import report_url   # http when `serve` serves the reports

    create_link_artifact(report_url(version),
                         link_text=lang("ui.report_link", version=version.name),
                         key=artifact_key("report"),
                         description=lang("ui.report_description"))
