"""Report sections on model quality: how K was chosen and which topics are stable across
seeds, so a reader knows which topics to trust."""
from __future__ import annotations

import numpy as np
import pandas as pd

from vntopics.pipeline.report.charts import interval_lines, small_multiples
from vntopics.pipeline.report.format import Section, table_section, topic_labels


def k_sweep_section(k_sweep: pd.DataFrame | None) -> Section:
    title = "Choice of K"
    if k_sweep is None or k_sweep.empty:
        return table_section("k-sweep", title, "No K sweep in this run.", pd.DataFrame())
    ks = sorted(k_sweep["k"].unique())
    chart = ""
    if len(ks) > 1:
        series = {}
        for model, rows in k_sweep.groupby("model", sort=False):
            values = rows.set_index("k")["c_npmi"].reindex(ks).to_numpy(dtype=float)
            series[f"{str(model).upper()} NPMI"] = (values, values, values)
        chart = interval_lines([str(k) for k in ks], series, "Topic coherence (NPMI) by K")
    table = k_sweep.copy()
    for column in ("c_npmi", "c_v", "diversity"):
        if column in table:
            table[column] = table[column].map(lambda v: f"{v:.3f}")
    if "seconds" in table:
        table["seconds"] = table["seconds"].map(lambda v: f"{v:.1f}")
    if "chosen" in table:
        table["chosen"] = np.where(table["chosen"].astype(bool), "✓", "")
    chosen = k_sweep[k_sweep.get("chosen", pd.Series(False, index=k_sweep.index)).astype(bool)]
    picked = ", ".join(f"{str(m).upper()} K={int(k)}" for m, k in zip(chosen["model"],
                                                                      chosen["k"]))
    intro = ("Each candidate K fitted and scored on this run's own segmented corpus: NPMI and "
             "c_v coherence of the top words, and topic diversity (share of distinct words "
             f"among all topics' top words). Chosen: {picked or 'the configured K'}.")
    return table_section("k-sweep", title, intro, table, chart)


def stability_section(stability: pd.DataFrame | None, topics: pd.DataFrame) -> Section:
    title = "Topic stability across seeds"
    if stability is None or stability.empty:
        return table_section("stability", title, "Stability was not measured in this run.",
                             pd.DataFrame())
    rows = []
    for model, group in stability.groupby("model", sort=False):
        labels = topic_labels(topics, str(model))
        for record in group.itertuples():
            rows.append({"model": str(model).upper(),
                         "topic": labels.get(int(record.topic), f"T{record.topic}"),
                         "mean Jaccard": f"{record.mean_jaccard:.2f}",
                         "min Jaccard": f"{record.min_jaccard:.2f}",
                         "stable": "yes" if record.stable else "UNSTABLE"})
    unstable = int((~stability["stable"].astype(bool)).sum())
    intro = ("Each model refitted with other seeds at the chosen K; topics matched across "
             "seeds by Hungarian assignment on top-10-word overlap (Jaccard). "
             f"{unstable} topic(s) flagged unstable (mean Jaccard below 0.5): read them with "
             "care, they may be artefacts of one random start.")
    return table_section("stability", title, intro, pd.DataFrame(rows))


def history_section(history: pd.DataFrame | None, model: str) -> Section:
    """Each topic's prevalence across this folder's versions, new and retired ones marked."""
    title = f"Topic history ({model.upper()})"
    rows = (history[history["model"] == model] if history is not None and len(history)
            else pd.DataFrame(columns=["version", "created_at", "topic_id", "status"]))
    intro = ("Prevalence (mean document weight) of each topic id in every version of this "
             "artifacts folder; an id keeps its topic across runs, a retired id is never "
             "reused.")
    if rows.empty:
        return table_section(f"history-{model}", title, intro, rows)
    versions = list(dict.fromkeys(rows["version"]))
    dates = [str(rows[rows["version"] == v]["created_at"].iloc[0])[:10] for v in versions]
    panels = {}
    for topic_id, group in rows.groupby("topic_id", sort=True):
        by_version = group[group["status"] != "retired"].set_index("version")["prevalence"]
        label = str(group["label"].iloc[-1]) if "label" in group else ""
        panels[f"{topic_id} {label}".strip()] = {
            "prevalence": by_version.reindex(versions).astype(float).to_numpy()}
    summary = rows.groupby("topic_id", sort=True).agg(
        label=("label", "last"), first_version=("version", "first"),
        versions=("status", lambda s: int((s != "retired").sum())),
        now=("status", "last")).reset_index()
    chart = small_multiples(dates, panels, f"{model.upper()}: topic prevalence by run")
    return table_section(f"history-{model}", title, intro, summary, chart)
