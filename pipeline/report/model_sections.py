"""Report sections on model quality: how K was chosen and which topics are stable across
seeds, so a reader knows which topics to trust."""
from __future__ import annotations

import numpy as np
import pandas as pd

from vntopics.pipeline.report.charts import interval_lines, small_multiples
from vntopics.pipeline.report.format import (Section, readable_words, table_section,
                                             topic_labels, translated_columns)
from vntopics.pipeline.report.language import ENGLISH, Language


def k_sweep_section(k_sweep: pd.DataFrame | None, lang: Language = ENGLISH) -> Section:
    title = lang("k_sweep.title")
    if k_sweep is None or k_sweep.empty:
        return table_section(lang, "k-sweep", title, lang("k_sweep.empty"), pd.DataFrame())
    ks = sorted(k_sweep["k"].unique())
    chart = ""
    if len(ks) > 1:
        series = {}
        for model, rows in k_sweep.groupby("model", sort=False):
            values = rows.set_index("k")["c_npmi"].reindex(ks).to_numpy(dtype=float)
            series[lang("k_sweep.series", model=str(model).upper())] = (values, values, values)
        chart = interval_lines([str(k) for k in ks], series, lang("k_sweep.chart"), lang=lang)
    table = k_sweep.copy()
    for column in ("c_npmi", "c_v", "diversity"):
        if column in table:
            table[column] = table[column].map(lambda v: lang.number(v, 3))
    if "seconds" in table:
        table["seconds"] = table["seconds"].map(lambda v: lang.number(v, 1))
    if "chosen" in table:
        table["chosen"] = np.where(table["chosen"].astype(bool), "✓", "")
    chosen = k_sweep[k_sweep.get("chosen", pd.Series(False, index=k_sweep.index)).astype(bool)]
    picked = ", ".join(lang("k_sweep.chosen_item", model=str(m).upper(), k=int(k))
                       for m, k in zip(chosen["model"], chosen["k"]))
    intro = lang("k_sweep.intro", chosen=picked or lang("k_sweep.configured"))
    return table_section(lang, "k-sweep", title, intro, translated_columns(table, lang), chart=chart)


def stability_section(stability: pd.DataFrame | None, topics: pd.DataFrame,
                      lang: Language = ENGLISH) -> Section:
    title = lang("stability.title")
    if stability is None or stability.empty:
        return table_section(lang, "stability", title, lang("stability.empty"), pd.DataFrame())
    rows = []
    for model, group in stability.groupby("model", sort=False):
        labels = topic_labels(topics, str(model))
        for record in group.itertuples():
            rows.append({"model": str(model).upper(),
                         "topic": labels.get(int(record.topic), f"T{record.topic}"),
                         "mean_jaccard": lang.number(record.mean_jaccard, 2),
                         "min_jaccard": lang.number(record.min_jaccard, 2),
                         "stable": lang("format.yes") if record.stable
                         else lang("format.unstable")})
    unstable = int((~stability["stable"].astype(bool)).sum())
    return table_section(lang, "stability", title, lang("stability.intro", unstable=unstable),
                         translated_columns(pd.DataFrame(rows), lang))


def drift_threshold(manifest: dict) -> float:
    """The run's model.drift_threshold (its default, 0.5, for versions written before it)."""
    return float(manifest.get("config", {}).get("model", {}).get("drift_threshold", 0.5))


HISTORY_ORDER = {"drifted": 0, "returned": 1, "new": 2, "retired": 3, "kept": 4}


def history_summary(rows: pd.DataFrame, versions: list[str], lang: Language) -> pd.DataFrame:
    """One row per topic id: its status in the latest version, similarity to the previous
    version, the words it had there and has now (side by side), drifted ones first."""
    latest = rows[rows["version"] == versions[-1]].set_index("topic_id")
    before = rows[rows["version"].isin(versions[:-1]) & (rows["status"] != "retired")]
    before = before.drop_duplicates("topic_id", keep="last").set_index("topic_id")
    summary = rows.groupby("topic_id", sort=True).agg(
        label=("label", "last"), first_version=("version", "first"),
        versions=("status", lambda s: int((s != "retired").sum())),
        now=("status", "last")).reset_index()
    words = (lambda frame, topic_id: readable_words(frame["top_words"].get(topic_id, ""))
             if "top_words" in frame else "")
    summary["words_before"] = [words(before, t) for t in summary["topic_id"]]
    summary["words_now"] = [words(latest, t) if latest["status"].get(t) != "retired" else ""
                            for t in summary["topic_id"]]
    similarity = (pd.to_numeric(latest["similarity_to_previous"], errors="coerce")
                  if "similarity_to_previous" in latest else pd.Series(dtype=float))
    summary["similarity"] = [lang.number(similarity.get(t), 2)
                             if pd.notna(similarity.get(t)) else "" for t in summary["topic_id"]]
    summary = summary.iloc[sorted(range(len(summary)), key=lambda i: (
        HISTORY_ORDER.get(summary["now"].iloc[i], 5), summary["topic_id"].iloc[i]))]
    summary["now"] = summary["now"].map(lang.word)
    return summary[["topic_id", "label", "now", "similarity", "words_before", "words_now",
                    "first_version", "versions"]]


def history_section(history: pd.DataFrame | None, model: str, lang: Language = ENGLISH,
                    threshold: float = 0.5) -> Section:
    """Each topic's prevalence across this folder's versions; the table puts the topics that
    drifted first, their old and new words side by side."""
    title = lang("history.title", model=model.upper())
    rows = (history[history["model"] == model] if history is not None and len(history)
            else pd.DataFrame(columns=["version", "created_at", "topic_id", "status"]))
    intro = lang("history.intro", threshold=lang.number(threshold, 2))
    if rows.empty:
        return table_section(lang, f"history-{model}", title, intro, rows)
    versions = list(dict.fromkeys(rows["version"]))
    dates = [lang.date(str(rows[rows["version"] == v]["created_at"].iloc[0])[:10])
             for v in versions]
    panels = {}
    for topic_id, group in rows.groupby("topic_id", sort=True):
        by_version = group[group["status"] != "retired"].set_index("version")["prevalence"]
        label = str(group["label"].iloc[-1]) if "label" in group else ""
        panels[f"{topic_id} {label}".strip()] = {
            lang("history.series"): by_version.reindex(versions).astype(float).to_numpy()}
    summary = history_summary(rows, versions, lang)
    chart = small_multiples(dates, panels, lang("history.chart", model=model.upper()),
                            lang=lang)
    return table_section(lang, f"history-{model}", title, intro,
                         translated_columns(summary, lang), chart=chart)
