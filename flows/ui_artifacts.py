"""What a finished run shows inside the Prefect UI: a Markdown summary with the top topics
(seeded ones named by their labels), prevalence tables by province and by year, the
watchlist when the run has one, and a link to report.html, in the version's report language
(`report.language`).

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

from vntopics.pipeline.report.language import Language, language
from vntopics.pipeline.store.versions import read_table
from vntopics.pipeline.report.format import markdown_escape

MAX_TABLE_ROWS = 400


def artifact_key(kind: str) -> str:
    from prefect.runtime import deployment

    name = deployment.name or "local"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "local"
    return f"vntopics-{kind}-{slug}"[:120]


def read_manifest(version: Path) -> dict:
    return json.loads((version / "manifest.json").read_text(encoding="utf-8"))


def language_of(manifest: dict) -> Language:
    return language(manifest.get("config", {}).get("report", {}).get("language", "en"))


def summary_markdown(version: Path) -> str:
    manifest = read_manifest(version)
    lang = language_of(manifest)
    topics = read_table(version, "topics")
    counts = manifest["documents"]
    path = f"`{markdown_escape(str(version / 'report.html'))}`"
    lines = [f"# {lang('ui.summary_title', version=markdown_escape(manifest['version']))}", "",
             lang("ui.summary_counts", n_in=lang.count(counts["in"]),
                  n_ok=lang.count(counts["ok"]), n_rejected=lang.count(counts["rejected"]),
                  path=path), ""]
    seed_topics = manifest.get("seed_topics", {})
    for model, seeded in sorted(seed_topics.items()):
        for entry in seeded:
            absent = ", ".join(map(markdown_escape, entry["missing"]))
            lines.append("- " + lang("ui.seeded_topic", model=model.upper(),
                                     topic_id=markdown_escape(entry["topic_id"]),
                                     label=markdown_escape(entry["label"]),
                                     n=entry["seeds_in_top_words"], total=len(entry["seeds"]))
                         + (lang("ui.seeds_missing", words=absent) if absent else ""))
    if any(seed_topics.values()):
        lines.append("")
    header = [lang.column("topic"), lang.column("label"), lang.column("top_words")]
    for model, rows in topics.groupby("model", sort=True):
        lines += [f"## {lang('ui.top_topics', model=model.upper())}", "",
                  "| " + " | ".join(header) + " |", "|---|---|---|"]
        for topic, words in rows.sort_values(["topic", "rank"]).groupby("topic"):
            text = ", ".join(markdown_escape(w) for w in words["word"].head(8))
            first = words.iloc[0]
            lines.append(f"| {markdown_escape(first.get('topic_id', topic))} | "
                         f"{markdown_escape(first.get('label', ''))} | {text} |")
        lines.append("")
    return "\n".join(lines)


def prevalence_rows(version: Path, dimension: str) -> list[dict]:
    """The prevalence table of one dimension, its column names in the report language."""
    lang = language_of(read_manifest(version))
    table = read_table(version, "topic_prevalence")
    columns = ["model", "group", "topic_id" if "topic_id" in table else "topic", "prevalence",
               "ci_low", "ci_high", "n_docs"]
    rows = table[table["dimension"] == dimension][columns]
    rows = rows.assign(group=rows["group"].astype(str).map(lang.group_name)
                       .map(markdown_escape))
    rows = rows.head(MAX_TABLE_ROWS).round(4).rename(columns=lang.column)
    return rows.to_dict("records")


WATCHLIST_COLUMNS = ["term", "dimension", "group", "n_docs", "docs", "doc_share",
                     "doc_share_ci_low", "doc_share_ci_high", "rate_per_10k",
                     "rate_per_10k_ci_low", "rate_per_10k_ci_high", "trend", "trend_q"]


def watchlist_rows(version: Path, lang: Language) -> list[dict]:
    """The watchlist overall, by year and by province (province×year stays in the CSV); none
    when the run had no watchlist (or was written before there was one)."""
    if not (version / "tables" / "watchlist.csv").is_file():
        return []
    table = read_table(version, "watchlist")
    rows = table[table["dimension"].isin(["all", "year", "province"])][WATCHLIST_COLUMNS]
    rows = rows.assign(term=rows["term"].astype(str).map(markdown_escape),
                       group=rows["group"].astype(str).map(lang.group_name).map(markdown_escape))
    return rows.head(MAX_TABLE_ROWS).round(4).rename(columns=lang.column).to_dict("records")


@task(name="publish-ui-artifacts", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def publish_ui_artifacts(version: Path) -> None:
    lang = language_of(read_manifest(version))
    create_markdown_artifact(summary_markdown(version), key=artifact_key("summary"),
                             description=lang("ui.summary_description"))
    for dimension in ("province", "year"):
        create_table_artifact(prevalence_rows(version, dimension),
                              key=artifact_key(f"prevalence-{dimension}"),
                              description=lang("ui.prevalence_description",
                                               dimension=lang(f"dimension.{dimension}")))
    watchlist = watchlist_rows(version, lang)
    if watchlist:
        create_table_artifact(watchlist, key=artifact_key("watchlist"),
                              description=lang("ui.watchlist_description"))
    from vntopics.reports_server import report_url   # http when `serve` serves the reports

    create_link_artifact(report_url(version),
                         link_text=lang("ui.report_link", version=version.name),
                         key=artifact_key("report"),
                         description=lang("ui.report_description"))
