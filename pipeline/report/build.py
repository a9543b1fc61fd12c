"""The run's report in two forms with the same facts: report.md (terminal, git host) and a
self-contained report.html (inline CSS and SVG, opens offline).

Every string that comes from an article (titles, words, provinces) is escaped in the HTML.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd

from vntopics.pipeline.report.charts import heatmap, interval_lines
from vntopics.pipeline.report.comparison_sections import (citations_section,
                                                          differences_section,
                                                          distinctive_section,
                                                          province_year_section, trends_section)
from vntopics.pipeline.report.model_sections import (history_section, k_sweep_section,
                                                     stability_section)
from vntopics.pipeline.report.format import (Section, cell_text, markdown_escape,
                                             markdown_table, table_section, topic_labels)
from vntopics.pipeline.report.watchlist_sections import watchlist_sections

CSS = """
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left;vertical-align:top}
th{background:#f2f4f7} nav ul{columns:2} .note{color:#555;font-size:.9em}
svg.chart{display:block;margin:.5em 0 1.5em;max-width:100%;height:auto}
"""


MIN_CHART_DOCS = 5


@dataclass
class ReportInputs:
    """Everything the report shows, filled by `store.publish.write_version` from the version
    it is writing: the manifest, the documents, topics and prevalence tables, and the
    optional ones (what changed since the previous version, representative documents,
    distinctive words, trend summary, citations, K sweep, stability, topic history, the
    watchlist)."""
    manifest: dict
    documents: pd.DataFrame
    topics: pd.DataFrame
    prevalence: pd.DataFrame
    keyword_trends: pd.DataFrame
    changes: pd.DataFrame | None = None
    representatives: pd.DataFrame | None = None
    distinctive: pd.DataFrame | None = None
    trend_summary: pd.DataFrame | None = None
    citations: pd.DataFrame | None = None
    k_sweep: pd.DataFrame | None = None
    stability: pd.DataFrame | None = None
    history: pd.DataFrame | None = None
    watchlist: pd.DataFrame | None = None


def corpus_section(inputs: ReportInputs) -> list[Section]:
    docs = inputs.documents
    ok = docs[docs["status"] == "ok"]
    counts = inputs.manifest["documents"]
    intro = (f"{counts['in']} documents in, {counts['ok']} modelled, "
             f"{counts['rejected']} rejected.")
    intro += "".join(f" Warning: {warning}." for warning in inputs.manifest.get("warnings", []))
    by_province = ok["province"].value_counts().rename_axis("province").reset_index(name="documents")
    by_year = (ok["year"].astype("string").fillna("unknown").value_counts().sort_index()
               .rename_axis("year").reset_index(name="documents"))
    rejected = docs[docs["status"] == "rejected"][["doc_id", "title", "reason"]]
    return [
        table_section("corpus", "Corpus summary", intro + " Documents per province:",
                      by_province),
        table_section("corpus-years", "Documents per year", "Modelled documents by year:",
                      by_year),
        table_section("rejected", "Rejected documents",
                      "Every rejected input with the reason:", rejected),
    ]


def topics_section(inputs: ReportInputs, model: str) -> Section:
    rows = inputs.topics[inputs.topics["model"] == model].sort_values(["topic", "rank"])
    words = {int(t): ", ".join(f"{w} ({x:.3f})" for w, x in zip(g["word"].head(10),
                                                                 g["weight"].head(10)))
             for t, g in rows.groupby("topic")}
    articles: dict[int, str] = {}
    if inputs.representatives is not None:
        chosen = inputs.representatives[inputs.representatives["model"] == model]
        for topic, group in chosen.groupby("topic"):
            articles[int(topic)] = " · ".join(
                f"{r.title} ({r.province}, {cell_text(r.year)})" for r in group.itertuples())
    first = rows.groupby("topic").first()
    table = pd.DataFrame({
        "topic": [first["topic_id"].get(t, t) if "topic_id" in first else t for t in words],
        "label": [first["label"].get(t, "") if "label" in first else "" for t in words],
        "top words (weight)": list(words.values()),
        "most representative articles": [articles.get(t, "") for t in words]})
    return table_section(f"topics-{model}", f"Topics ({model.upper()})",
                         f"Top words of each {model.upper()} topic and the articles that "
                         "give it the most weight.", table)


def prevalence_of(inputs: ReportInputs, model: str, dimension: str
                  ) -> tuple[pd.DataFrame, dict[int, str], str]:
    """One model's prevalence rows for one dimension, its topic labels, the section title."""
    rows = inputs.prevalence[(inputs.prevalence["model"] == model)
                             & (inputs.prevalence["dimension"] == dimension)]
    return (rows, topic_labels(inputs.topics, model),
            f"Topic prevalence by {dimension} ({model.upper()})")


def province_section(inputs: ReportInputs, model: str) -> Section:
    prevalence, labels, title = prevalence_of(inputs, model, "province")
    if prevalence.empty:
        return table_section(f"province-{model}", title, "No province metadata.", prevalence)
    n_docs = prevalence.groupby("group")["n_docs"].first().sort_values(ascending=False,
                                                                      kind="stable")
    grid = prevalence.pivot(index="group", columns="topic", values="prevalence").loc[n_docs.index]
    charted = grid[n_docs >= MIN_CHART_DOCS]
    rows = [f"{g} (n={n_docs[g]})" for g in charted.index]
    chart = heatmap(rows, [f"T{t}" for t in charted.columns], charted.to_numpy(), title)
    table = grid.copy()
    table.columns = [labels.get(int(t), f"T{t}") for t in grid.columns]
    table = table.map(lambda v: f"{v:.3f}").reset_index().rename(columns={"group": "province"})
    intro = (f"Mean document-topic weight per province, as a percentage (chart: provinces with "
             f"at least {MIN_CHART_DOCS} documents; table: all); 95% bootstrap intervals are in "
             "tables/topic_prevalence.csv.")
    return table_section(f"province-{model}", title, intro, table, chart)


def year_section(inputs: ReportInputs, model: str) -> Section:
    prevalence, labels, title = prevalence_of(inputs, model, "year")
    if prevalence.empty:
        return table_section(f"year-{model}", title, "No dates.", prevalence)
    years = sorted(prevalence["group"].unique())
    series = {}
    for topic, rows in prevalence.groupby("topic"):
        rows = rows.set_index("group").loc[years]
        series[labels.get(int(topic), f"T{topic}")] = (
            rows["prevalence"].to_numpy(), rows["ci_low"].to_numpy(), rows["ci_high"].to_numpy())
    chart = interval_lines(years, series, title)
    table = prevalence.assign(
        value=lambda f: f.apply(lambda r: f"{r.prevalence:.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}]",
                                axis=1))
    table = table.pivot(index="topic", columns="group", values="value").reset_index()
    table["topic"] = table["topic"].map(lambda t: labels.get(int(t), f"T{t}"))
    intro = "Mean topic weight per year with 95% bootstrap intervals (shaded bands)."
    return table_section(f"year-{model}", title, intro, table, chart)


def changes_section(inputs: ReportInputs) -> Section:
    previous = inputs.manifest.get("compared_to")
    if inputs.changes is None or not previous:
        return table_section("changes", "What changed since the previous version",
                             "This is the first version in this artifacts folder.",
                             pd.DataFrame())
    counts = inputs.changes.groupby(["model", "status"]).size()
    summary = ", ".join(f"{m.upper()} {s}: {n}" for (m, s), n in counts.items())
    intro = (f"Topics matched to version {previous} by top-word overlap (Hungarian "
             f"assignment): {summary}.")
    return table_section("changes", "What changed since the previous version", intro,
                         inputs.changes.astype(object).fillna(""))


def run_section(inputs: ReportInputs) -> Section:
    manifest = inputs.manifest
    facts = pd.DataFrame([
        ("version", manifest["version"]), ("created", manifest["created_at"]),
        ("topics (K)", ", ".join(f"{m.upper()} {k}" for m, k in
                                 manifest["metrics"]["num_topics"].items())),
        ("seed", manifest["seeds"]["model"]),
        ("vocabulary", manifest["metrics"].get("vocabulary_size")),
        *[(f"seconds: {k}", f"{v:.1f}") for k, v in manifest["stage_seconds"].items()],
        *[(k, v) for k, v in manifest["packages"].items()],
    ], columns=["item", "value"])
    return table_section("run", "Run details", "Configuration, versions and timings.", facts)


def build_sections(inputs: ReportInputs) -> list[Section]:
    models = list(dict.fromkeys(inputs.topics["model"]))
    sections = corpus_section(inputs)
    sections.append(k_sweep_section(inputs.k_sweep))
    sections += [topics_section(inputs, m) for m in models]
    for model in models:
        sections += [province_section(inputs, model),
                     differences_section(inputs.prevalence, inputs.topics, model),
                     year_section(inputs, model),
                     province_year_section(inputs.prevalence, inputs.topics, model)]
    sections += distinctive_section(inputs.distinctive, inputs.prevalence)
    compare = inputs.manifest.get("config", {}).get("compare", {})
    sections += [trends_section(inputs.trend_summary, inputs.keyword_trends, compare)]
    sections += watchlist_sections(inputs.watchlist, compare.get("trend_min_year_docs", 1))
    sections += [citations_section(inputs.citations),
                 stability_section(inputs.stability, inputs.topics)]
    sections += [history_section(inputs.history, m) for m in models]
    sections += [changes_section(inputs), run_section(inputs)]
    return sections


def render_markdown(inputs: ReportInputs, sections: list[Section]) -> str:
    title = f"# vntopics report {inputs.manifest['version']}\n"
    body = "\n".join(f"## {s.title}\n\n{s.markdown}" for s in sections)
    return title + "\n" + body


def render_html(inputs: ReportInputs, sections: list[Section]) -> str:
    version = escape(inputs.manifest["version"])
    toc = "".join(f'<li><a href="#{s.anchor}">{escape(s.title)}</a></li>' for s in sections)
    body = "".join(f'<section id="{s.anchor}"><h2>{escape(s.title)}</h2>{s.html}</section>'
                   for s in sections)
    return ("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>vntopics report {version}</title><style>{CSS}</style></head><body>"
            f"<h1>vntopics report {version}</h1><nav><h2>Contents</h2><ul>{toc}</ul></nav>"
            f"{body}</body></html>\n")


def write_reports(inputs: ReportInputs) -> tuple[str, str]:
    """(report.md, report.html) texts."""
    sections = build_sections(inputs)
    return render_markdown(inputs, sections), render_html(inputs, sections)

