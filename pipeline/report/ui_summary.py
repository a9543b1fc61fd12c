"""What a finished run shows inside the Prefect UI, built from a version's manifest and
tables (flows/ui_artifacts.py reads them and publishes the artifacts): a Markdown summary with
the top topics (seeded ones named by their labels), prevalence tables by province and by year
and the watchlist when the run has one, in the version's report language (`report.language`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vntopics.pipeline.report.format import markdown_escape
from vntopics.pipeline.report.language import Language, language

if TYPE_CHECKING:   # the flow imports this module before any stage loads pandas
    import pandas as pd

MAX_TABLE_ROWS = 400


def language_of(manifest: dict) -> Language:
    return language(manifest.get("config", {}).get("report", {}).get("language", "en"))


def summary_markdown(version: Path, manifest: dict, topics: pd.DataFrame) -> str:
    """The summary of `version` (its folder) from its manifest and topics table."""
    lang = language_of(manifest)
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


def prevalence_rows(table: pd.DataFrame, dimension: str, lang: Language) -> list[dict]:
    """The prevalence table (topic_prevalence) of one dimension, its column names in the
    report language."""
    columns = ["model", "group", "topic_id" if "topic_id" in table else "topic", "prevalence",
               "ci_low", "ci_high", "n_docs"]
    rows = table[table["dimension"] == dimension][columns]
    rows = rows.assign(group=rows["group"].astype(str).map(lang.group_name)
                       .map(markdown_escape))
    return records(rows.head(MAX_TABLE_ROWS).round(4).rename(columns=lang.column))


WATCHLIST_COLUMNS = ["term", "dimension", "group", "n_docs", "docs", "doc_share",
                     "doc_share_ci_low", "doc_share_ci_high", "rate_per_10k",
                     "rate_per_10k_ci_low", "rate_per_10k_ci_high", "trend", "trend_q"]


def watchlist_rows(table: pd.DataFrame, lang: Language) -> list[dict]:
    """The watchlist overall, by year and by province (province×year stays in the CSV)."""
    rows = table[table["dimension"].isin(["all", "year", "province"])][WATCHLIST_COLUMNS]
    rows = rows.assign(term=rows["term"].astype(str).map(markdown_escape),
                       group=rows["group"].astype(str).map(lang.group_name).map(markdown_escape))
    return records(rows.head(MAX_TABLE_ROWS).round(4).rename(columns=lang.column))


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts, an empty cell as "" (a UI table artifact is JSON: no NaN)."""
    return frame.astype(object).where(frame.notna(), "").to_dict("records")
