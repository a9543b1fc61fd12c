"""What a finished run shows inside the Prefect UI: a Markdown summary with the top topics,
prevalence tables by province and by year, and a link to report.html.

Keys carry the deployment name, so the UI's artifact page shows the latest result of each
deployment (ad-hoc runs share the key suffix `local`).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from prefect import task
from prefect.artifacts import (create_link_artifact, create_markdown_artifact,
                               create_table_artifact)
from prefect.cache_policies import NO_CACHE

from vntopics.pipeline.report.format import markdown_escape

MAX_TABLE_ROWS = 400


def artifact_key(kind: str) -> str:
    from prefect.runtime import deployment

    name = deployment.name or "local"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "local"
    return f"vntopics-{kind}-{slug}"[:120]


def summary_markdown(version: Path) -> str:
    import pandas as pd

    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
    counts = manifest["documents"]
    lines = [f"# vntopics {markdown_escape(manifest['version'])}", "",
             f"{counts['in']} documents in, {counts['ok']} modelled, {counts['rejected']} "
             f"rejected. Report: `{markdown_escape(str(version / 'report.html'))}`", ""]
    for model, rows in topics.groupby("model", sort=True):
        lines += [f"## Top topics ({model.upper()})", "", "| topic | label | top words |",
                  "|---|---|---|"]
        for topic, words in rows.sort_values(["topic", "rank"]).groupby("topic"):
            text = ", ".join(markdown_escape(w) for w in words["word"].head(8))
            first = words.iloc[0]
            lines.append(f"| {markdown_escape(first.get('topic_id', topic))} | "
                         f"{markdown_escape(first.get('label', ''))} | {text} |")
        lines.append("")
    return "\n".join(lines)


def prevalence_rows(version: Path, dimension: str) -> list[dict]:
    import pandas as pd

    table = pd.read_csv(version / "tables" / "topic_prevalence.csv", keep_default_na=False)
    columns = ["model", "group", "topic_id" if "topic_id" in table else "topic", "prevalence",
               "ci_low", "ci_high", "n_docs"]
    rows = table[table["dimension"] == dimension][columns]
    rows = rows.assign(group=rows["group"].astype(str).map(markdown_escape))
    return rows.head(MAX_TABLE_ROWS).round(4).to_dict("records")


@task(name="publish-ui-artifacts", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def publish_ui_artifacts(version: Path) -> None:
    create_markdown_artifact(summary_markdown(version), key=artifact_key("summary"),
                             description="Run summary and top topics")
    for dimension in ("province", "year"):
        create_table_artifact(prevalence_rows(version, dimension),
                              key=artifact_key(f"prevalence-{dimension}"),
                              description=f"Topic prevalence by {dimension}")
    create_link_artifact((version / "report.html").resolve().as_uri(),
                         link_text=f"report {version.name}", key=artifact_key("report"),
                         description="The full HTML report of this version")
