"""Report sections answering the analyst's comparison questions: where provinces differ from
the rest (with intervals), province × year panels, distinctive words, emerging and declining
words, and which Party resolutions are cited when."""
from __future__ import annotations

import numpy as np
import pandas as pd

from vntopics.pipeline.compare.citations import top_citations_by_year
from vntopics.pipeline.report.charts import small_multiples
from vntopics.pipeline.report.format import Section, table_section, topic_labels

PANELS = 9
MIN_PANEL_DOCS = 5
DISTINCTIVE_WORDS = 8


def differences_section(prevalence: pd.DataFrame, topics: pd.DataFrame, model: str,
                        top_n: int = 20) -> Section:
    """Groups whose topic share differs from the rest of the corpus with an interval that
    excludes zero: the checkable form of "Cần Thơ writes more about topic 4"."""
    rows = prevalence[(prevalence["model"] == model) & (prevalence["dimension"] == "province")
                      & ~prevalence["low_support"].astype(bool)]
    clear = rows[(rows["diff_low"] > 0) | (rows["diff_high"] < 0)].copy()
    clear["size"] = clear["diff_vs_rest"].abs()
    clear = clear.sort_values(["size", "group", "topic"], ascending=[False, True, True])
    labels = topic_labels(topics, model)
    table = pd.DataFrame({
        "province": clear["group"], "n_docs": clear["n_docs"],
        "topic": clear["topic"].map(lambda t: labels.get(int(t), f"T{t}")),
        "share": clear["prevalence"].map(lambda v: f"{v:.3f}"),
        "difference from the rest [95% interval]": [
            f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]" for d, lo, hi in
            zip(clear["diff_vs_rest"], clear["diff_low"], clear["diff_high"])],
    }).head(top_n)
    intro = ("Province × topic pairs where the province's mean topic weight differs from all "
             "other documents and the 95% bootstrap interval of the difference excludes zero "
             "(provinces with enough documents only; largest differences first).")
    return table_section(f"differences-{model}", f"Where provinces differ ({model.upper()})",
                         intro, table)


def province_year_section(prevalence: pd.DataFrame, topics: pd.DataFrame, model: str
                          ) -> Section:
    rows = prevalence[(prevalence["model"] == model)
                      & (prevalence["dimension"] == "province_year")].copy()
    title = f"Province × year ({model.upper()})"
    if rows.empty:
        return table_section(f"province-year-{model}", title, "No province and year metadata.",
                             pd.DataFrame())
    rows[["province", "year"]] = rows["group"].str.split("|", n=1, expand=True)
    sizes = rows.drop_duplicates("group").groupby("province")["n_docs"].sum()
    sizes = sizes[sizes >= MIN_PANEL_DOCS].sort_values(ascending=False, kind="stable")
    chosen = list(sizes.index[:PANELS])
    years = sorted(rows["year"].unique())
    labels = topic_labels(topics, model, words=2)
    panels = {}
    for province in chosen:
        own = rows[rows["province"] == province]
        grid = own.pivot(index="year", columns="topic", values="prevalence").reindex(years)
        panels[f"{province} (n={sizes[province]})"] = {
            labels.get(int(t), f"T{t}"): grid[t].to_numpy(dtype=float) for t in grid.columns}
    chart = small_multiples(years, panels, title) if panels else ""
    best = rows.sort_values(["group", "prevalence"], ascending=[True, False]) \
        .drop_duplicates("group")
    table = pd.DataFrame({
        "province": best["province"], "year": best["year"], "n_docs": best["n_docs"],
        "leading topic": best["topic"].map(lambda t: labels.get(int(t), f"T{t}")),
        "share [95% interval]": [f"{p:.3f} [{lo:.3f}, {hi:.3f}]" for p, lo, hi in
                                 zip(best["prevalence"], best["ci_low"], best["ci_high"])],
        "low support": np.where(best["low_support"].astype(bool), "yes", ""),
    })
    intro = (f"Topic shares by year within each province (panels: the {len(panels)} provinces "
             f"with the most documents, one line per topic, same scale). The table lists every "
             "province × year cell with its leading topic; cells with few documents are "
             "flagged, not dropped.")
    return table_section(f"province-year-{model}", title, intro, table, chart)


def distinctive_section(distinctive: pd.DataFrame | None, prevalence: pd.DataFrame
                        ) -> list[Section]:
    """Top words per group, with the group's size: a province of three articles has
    'distinctive' words that are just those articles' words, so small groups are flagged
    (and listed last), never dropped."""
    sizes = (prevalence.drop_duplicates(["dimension", "group"])
             .set_index(["dimension", "group"])[["n_docs", "low_support"]])
    sections = []
    for dimension, title in (("province", "Distinctive words by province"),
                             ("year", "Distinctive words by year")):
        rows = (distinctive[distinctive["dimension"] == dimension]
                if distinctive is not None else pd.DataFrame())
        if rows.empty:
            sections.append(table_section(f"distinctive-{dimension}", title,
                                          "Not enough groups to compare.", pd.DataFrame()))
            continue
        rows = rows.sort_values(["group", "zscore"], ascending=[True, False])
        table = (rows.groupby("group", sort=True)
                 .apply(lambda g: ", ".join(f"{w} ({z:.1f})" for w, z in
                                            zip(g["word"].head(DISTINCTIVE_WORDS),
                                                g["zscore"].head(DISTINCTIVE_WORDS))),
                        include_groups=False)
                 .rename("words (z-score)").reset_index())
        size = sizes.reindex(pd.MultiIndex.from_product([[dimension], table["group"]]))
        table.insert(1, "n_docs", size["n_docs"].fillna(0).astype(int).to_numpy())
        low = size["low_support"].fillna(True).astype(bool).to_numpy()
        table["low support"] = np.where(low, "yes", "")
        table = (table.assign(_low=low).sort_values(["_low", "group"], kind="stable")
                 .drop(columns="_low").rename(columns={"group": dimension}))
        intro = (f"Words used more in each {dimension} than in all other documents: log-odds "
                 "ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), "
                 "z-score in brackets; z > 1.96 is unlikely by chance. Groups with few "
                 "documents (low support, listed last) mostly show their own articles' words. "
                 "Full list in tables/distinctive_keywords.csv.")
        sections.append(table_section(f"distinctive-{dimension}", title, intro, table))
    return sections


def trends_section(summary: pd.DataFrame | None, trends: pd.DataFrame | None = None,
                   settings: dict | None = None) -> Section:
    """Emerging and declining words with p and q side by side, and the years the test left
    out. `settings`: the run's `compare` config (alpha, minimum documents per year)."""
    title = "Emerging and declining words"
    settings = settings or {}
    alpha, min_docs = settings.get("trend_alpha", 0.05), settings.get("trend_min_year_docs")
    left_out = ""
    if trends is not None and not trends.empty and "tested" in trends:
        years = trends.drop_duplicates("year")
        skipped = years[~years["tested"].astype(bool)]
        if len(skipped):
            left_out = (f" Not tested (fewer than {min_docs} documents): "
                        + ", ".join(f"{y} ({n} documents)" for y, n in
                                    zip(skipped["year"], skipped["year_docs"])) + ".")
    if summary is None or summary.empty:
        return table_section("keywords", title, "No word changes clearly over the years "
                             "(or fewer than two years to test)." + left_out, pd.DataFrame())
    table = pd.DataFrame({
        "direction": summary["direction"], "word": summary["word"],
        "share of documents": [f"{a:.1%} ({y0}) → {b:.1%} ({y1})" for a, b, y0, y1 in
                               zip(summary["first_share"], summary["last_share"],
                                   summary["first_year"], summary["last_year"])],
        "rate per 10k tokens": [f"{a:.1f} → {b:.1f}" for a, b in
                                zip(summary["first_rate"], summary["last_rate"])],
        "slope / year": summary["slope_per_10k_per_year"].map(lambda v: f"{v:+.2f}"),
        "z": summary["z"].map(lambda v: f"{v:+.1f}"),
        "p": summary["p_value"].map(lambda v: f"{v:.2g}"),
        "q": summary["q_value"].map(lambda v: f"{v:.2g}"),
        "count": summary["total_count"],
    })
    intro = ("Words whose share of documents rises or falls steadily by year: document-level "
             "Cochran–Armitage trend test (each article counts once, however often it "
             f"repeats the word), q = Benjamini–Hochberg across the tracked words, q < {alpha} "
             "and minimum support; per-year counts in tables/keyword_trends.csv." + left_out)
    return table_section("keywords", title, intro, table)


def citations_section(citations: pd.DataFrame | None, top_n: int = 8) -> Section:
    title = "Most cited resolutions and directives"
    if citations is None or citations.empty:
        return table_section("citations", title, "No Party document codes found.",
                             pd.DataFrame())
    by_year = top_citations_by_year(citations.dropna(subset=["year"]), top_n)
    table = pd.DataFrame(   # rows built one by one: an empty groupby has no columns to name
        [(year, ", ".join(f"{c} ({d})" for c, d in zip(group["code"], group["docs"])))
         for year, group in by_year.groupby("year")],
        columns=["year", "codes (documents citing)"])
    overall = (citations.groupby("code")[["docs", "count"]].sum()
               .sort_values(["docs", "count"], ascending=False).head(top_n))
    intro = ("Party resolution and directive codes (e.g. 18-NQ/TW, 05-CT/TW) cited per year, "
             "by number of documents citing them. Overall most cited: "
             + ", ".join(f"{c} ({int(d)} documents)" for c, d in overall["docs"].items())
             + ". By province and year in tables/citations.csv.")
    return table_section("citations", title, intro, table)
