"""Report sections answering the analyst's comparison questions: where provinces differ from
the rest (with intervals), province × year panels, distinctive words, emerging and declining
words, and which Party resolutions are cited when."""
from __future__ import annotations

import numpy as np
import pandas as pd

from vntopics.pipeline.compare import top_citations_by_year
from vntopics.pipeline.report.charts import small_multiples
from vntopics.pipeline.report.format import (Section, readable, table_section,
                                             topic_labels, translated_columns)
from vntopics.pipeline.report.language import ENGLISH, Language

PANELS = 9
MIN_PANEL_DOCS = 5
DISTINCTIVE_WORDS = 8


def differences_section(prevalence: pd.DataFrame, topics: pd.DataFrame, model: str,
                        top_n: int = 20, lang: Language = ENGLISH) -> Section:
    """Groups whose topic share differs from the rest of the corpus with an interval that
    excludes zero: the checkable form of "Cần Thơ writes more about topic 4"."""
    rows = prevalence[(prevalence["model"] == model) & (prevalence["dimension"] == "province")
                      & ~prevalence["low_support"].astype(bool)]
    clear = rows[(rows["diff_low"] > 0) | (rows["diff_high"] < 0)].copy()
    clear["size"] = clear["diff_vs_rest"].abs()
    clear = clear.sort_values(["size", "group", "topic"], ascending=[False, True, True])
    labels = topic_labels(topics, model)
    table = pd.DataFrame({
        "province": clear["group"], "n_docs": clear["n_docs"].map(lang.count),
        "topic": clear["topic"].map(lambda t: labels.get(int(t), f"T{t}")),
        "share": clear["prevalence"].map(lambda v: lang.number(v, 3)),
        "difference": [lang.interval(d, lo, hi, signed=True) for d, lo, hi in
                       zip(clear["diff_vs_rest"], clear["diff_low"], clear["diff_high"])],
    }).head(top_n)
    return table_section(lang, f"differences-{model}",
                         lang("differences.title", model=model.upper()),
                         lang("differences.intro"), translated_columns(table, lang))


def province_year_section(prevalence: pd.DataFrame, topics: pd.DataFrame, model: str,
                          lang: Language = ENGLISH) -> Section:
    rows = prevalence[(prevalence["model"] == model)
                      & (prevalence["dimension"] == "province_year")].copy()
    title = lang("province_year.title", model=model.upper())
    if rows.empty:
        return table_section(lang, f"province-year-{model}", title,
                             lang("province_year.empty"), pd.DataFrame())
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
        panels[lang("format.with_n", name=province, n=sizes[province])] = {
            labels.get(int(t), f"T{t}"): grid[t].to_numpy(dtype=float) for t in grid.columns}
    chart = small_multiples(years, panels, title, lang=lang) if panels else ""
    best = rows.sort_values(["group", "prevalence"], ascending=[True, False]) \
        .drop_duplicates("group")
    table = pd.DataFrame({
        "province": best["province"], "year": best["year"],
        "n_docs": best["n_docs"].map(lang.count),
        "leading_topic": best["topic"].map(lambda t: labels.get(int(t), f"T{t}")),
        "share_interval": [lang.interval(p, lo, hi) for p, lo, hi in
                           zip(best["prevalence"], best["ci_low"], best["ci_high"])],
        "low_support": np.where(best["low_support"].astype(bool), lang("format.yes"), ""),
    })
    return table_section(lang, f"province-year-{model}", title,
                         lang("province_year.intro", panels=len(panels)),
                         translated_columns(table, lang), chart=chart)


def distinctive_section(distinctive: pd.DataFrame | None, prevalence: pd.DataFrame,
                        lang: Language = ENGLISH) -> list[Section]:
    """Top words per group, with the group's size: a province of three articles has
    'distinctive' words that are just those articles' words, so small groups are flagged
    (and listed last), never dropped."""
    sizes = (prevalence.drop_duplicates(["dimension", "group"])
             .set_index(["dimension", "group"])[["n_docs", "low_support"]])
    sections = []
    for dimension in ("province", "year"):
        title = lang(f"distinctive.{dimension}_title")
        rows = (distinctive[distinctive["dimension"] == dimension]
                if distinctive is not None else pd.DataFrame())
        if rows.empty:
            sections.append(table_section(lang, f"distinctive-{dimension}", title,
                                          lang("distinctive.empty"), pd.DataFrame()))
            continue
        rows = rows.sort_values(["group", "zscore"], ascending=[True, False])
        table = (rows.groupby("group", sort=True)
                 .apply(lambda g: ", ".join(f"{readable(w)} ({lang.number(z, 1)})" for w, z in
                                            zip(g["word"].head(DISTINCTIVE_WORDS),
                                                g["zscore"].head(DISTINCTIVE_WORDS))),
                        include_groups=False)
                 .rename("words_z").reset_index())
        size = sizes.reindex(pd.MultiIndex.from_product([[dimension], table["group"]]))
        table.insert(1, "n_docs", [lang.count(n) for n in size["n_docs"].fillna(0)])
        low = size["low_support"].fillna(True).astype(bool).to_numpy()
        table["low_support"] = np.where(low, lang("format.yes"), "")
        table = (table.assign(_low=low).sort_values(["_low", "group"], kind="stable")
                 .drop(columns="_low").rename(columns={"group": dimension}))
        intro = lang("distinctive.intro", dimension=lang(f"dimension.{dimension}"))
        sections.append(table_section(lang, f"distinctive-{dimension}", title, intro,
                                      translated_columns(table, lang)))
    return sections


def trends_section(summary: pd.DataFrame | None, trends: pd.DataFrame | None = None,
                   settings: dict | None = None, lang: Language = ENGLISH) -> Section:
    """Emerging and declining words with p and q side by side, and the years the test left
    out. `settings`: the run's `compare` config (alpha, minimum documents per year)."""
    title = lang("trends.title")
    settings = settings or {}
    alpha, min_docs = settings.get("trend_alpha", 0.05), settings.get("trend_min_year_docs")
    left_out = ""
    if trends is not None and not trends.empty and "tested" in trends:
        years = trends.drop_duplicates("year")
        skipped = years[~years["tested"].astype(bool)]
        if len(skipped):
            left_out = " " + lang("trends.left_out", min_docs=min_docs, years=", ".join(
                lang("trends.year_docs", year=y, n=lang.count(n))
                for y, n in zip(skipped["year"], skipped["year_docs"])))
    if summary is None or summary.empty:
        return table_section(lang, "keywords", title, lang("trends.empty") + left_out,
                             pd.DataFrame())
    table = pd.DataFrame({
        "direction": summary["direction"].map(lang.word),
        "word": summary["word"].map(readable),
        "share_of_documents": [lang("trends.rate", first=lang.percent(a), first_year=y0,
                                    last=lang.percent(b), last_year=y1)
                               for a, b, y0, y1 in zip(summary["first_share"],
                                                       summary["last_share"],
                                                       summary["first_year"],
                                                       summary["last_year"])],
        "rate": [lang("trends.change", first=lang.number(a, 1), last=lang.number(b, 1))
                 for a, b in zip(summary["first_rate"], summary["last_rate"])],
        "slope": summary["slope_per_10k_per_year"].map(lambda v: lang.number(v, 2, True)),
        "z": summary["z"].map(lambda v: lang.number(v, 1, True)),
        "p": summary["p_value"].map(lang.general),
        "q": summary["q_value"].map(lang.general),
        "count": summary["total_count"].map(lang.count),
    })
    intro = lang("trends.intro", alpha=lang.general(alpha)) + left_out
    return table_section(lang, "keywords", title, intro, translated_columns(table, lang))


def citations_section(citations: pd.DataFrame | None, top_n: int = 8,
                      lang: Language = ENGLISH) -> Section:
    title = lang("citations.title")
    if citations is None or citations.empty:
        return table_section(lang, "citations", title, lang("citations.empty"),
                             pd.DataFrame())
    by_year = top_citations_by_year(citations.dropna(subset=["year"]), top_n)
    table = pd.DataFrame(   # rows built one by one: an empty groupby has no columns to name
        [(year, ", ".join(f"{c} ({d})" for c, d in zip(group["code"], group["docs"])))
         for year, group in by_year.groupby("year")],
        columns=["year", "codes"])
    overall = (citations.groupby("code")[["docs", "count"]].sum()
               .sort_values(["docs", "count"], ascending=False).head(top_n))
    intro = lang("citations.intro", overall=", ".join(
        lang("citations.overall_item", code=c, docs=int(d)) for c, d in overall["docs"].items()))
    return table_section(lang, "citations", title, intro, translated_columns(table, lang))
