"""Report sections of the analyst's watchlist (tables/watchlist.csv): each term by year with
its interval and trend verdict, a chart per term, and a province table, in the report's
language."""
from __future__ import annotations

import numpy as np
import pandas as pd

from vntopics.pipeline.report.charts import interval_lines
from vntopics.pipeline.report.format import Section, table_section, translated_columns
from vntopics.pipeline.report.language import ENGLISH, Language


def share(lang: Language, value: float, low: float, high: float) -> str:
    return f"{lang.percent(value)} [{lang.percent(low)}, {lang.percent(high)}]"


def overall_table(rows: pd.DataFrame, lang: Language) -> pd.DataFrame:
    overall = rows[rows["dimension"] == "all"]
    return translated_columns(pd.DataFrame({
        "term": overall["term"],
        "documents": overall["docs"].map(lang.count),
        "doc_share_interval": [share(lang, *v) for v in zip(
            overall["doc_share"], overall["doc_share_ci_low"], overall["doc_share_ci_high"])],
        "rate_interval": [lang.interval(r, lo, hi, 2) for r, lo, hi in zip(
            overall["rate_per_10k"], overall["rate_per_10k_ci_low"],
            overall["rate_per_10k_ci_high"])],
        "first_year": overall["first_year"].astype(object).where(overall["first_year"].notna(),
                                                                 ""),
        "trend_years": [lang.word(verdict) if pd.isna(z) else
                        lang("watchlist.trend_detail", verdict=lang.word(verdict),
                             z=lang.number(z, 1, True), p=lang.general(p), q=lang.general(q))
                        for verdict, z, p, q in zip(overall["trend"], overall["trend_z"],
                                                    overall["trend_p"], overall["trend_q"])]}),
        lang)


def by_year_table(rows: pd.DataFrame, lang: Language) -> tuple[pd.DataFrame, list[str]]:
    """Terms × years of document shares with intervals; years left out of the test marked *."""
    years = rows[rows["dimension"] == "year"].copy()
    if years.empty:
        return pd.DataFrame(), []
    sizes = years.drop_duplicates("group").set_index("group")
    untested = [g for g in sizes.index if not bool(sizes.loc[g, "tested"])]
    label = {g: lang("format.with_n", name=g, n=lang.count(sizes.loc[g, "n_docs"]))
             + ("*" if g in untested else "") for g in sizes.index}
    years["cell"] = [f"{share(lang, s, lo, hi)} ({lang.count(d)})" for s, lo, hi, d in zip(
        years["doc_share"], years["doc_share_ci_low"], years["doc_share_ci_high"],
        years["docs"])]
    table = years.pivot(index="term", columns="group", values="cell")
    table = table.reindex(list(dict.fromkeys(rows["term"])))
    table.columns = [label[g] for g in table.columns]
    return translated_columns(table.reset_index(), lang), untested


def term_charts(rows: pd.DataFrame, lang: Language) -> str:
    """One chart per term: its share of each year's documents with the interval."""
    years = rows[rows["dimension"] == "year"]
    charts = []
    for term, own in years.groupby("term", sort=False):
        charts.append(interval_lines(
            list(own["group"]), {term: (own["doc_share"].to_numpy(dtype=float),
                                        own["doc_share_ci_low"].to_numpy(dtype=float),
                                        own["doc_share_ci_high"].to_numpy(dtype=float))},
            lang("watchlist.chart", term=term), height=220, lang=lang,
            small_groups=[int(n) if low else None for n, low in zip(
                own["n_docs"], own["low_support"].astype(bool))]))
    return "".join(charts)


def watchlist_sections(watchlist: pd.DataFrame | None, min_year_docs: int,
                       lang: Language = ENGLISH) -> list[Section]:
    """The watchlist by year (table, a chart per term) and by province; nothing without a
    watchlist."""
    if watchlist is None or watchlist.empty:
        return []
    never = watchlist[(watchlist["dimension"] == "all") & (watchlist["docs"] == 0)]["term"]
    by_year, untested = by_year_table(watchlist, lang)
    intro = lang("watchlist.intro", min_docs=min_year_docs) + (
        " " + lang("watchlist.never", terms=", ".join(never)) if len(never) else "")
    sections = [table_section(lang, "watchlist", lang("watchlist.title"), intro,
                              overall_table(watchlist, lang))]
    year_intro = " ".join([lang("watchlist.year_intro")]
                          + ([lang("watchlist.untested", min_docs=min_year_docs)]
                             if untested else [])
                          + [lang("watchlist.full_table")])
    sections.append(table_section(lang, "watchlist-years", lang("watchlist.year_title"),
                                  year_intro, by_year, chart=term_charts(watchlist, lang)))
    sections.append(province_section(watchlist, lang))
    return sections


def province_section(watchlist: pd.DataFrame, lang: Language) -> Section:
    rows = watchlist[watchlist["dimension"] == "province"].copy()
    title = lang("watchlist.province_title")
    if rows.empty:
        return table_section(lang, "watchlist-provinces", title,
                             lang("watchlist.no_provinces"), pd.DataFrame())
    rows["cell"] = [f"{share(lang, s, lo, hi)} ({lang.count(d)})" for s, lo, hi, d in zip(
        rows["doc_share"], rows["doc_share_ci_low"], rows["doc_share_ci_high"], rows["docs"])]
    table = rows.pivot(index="group", columns="term", values="cell")
    table = table[list(dict.fromkeys(rows["term"]))]
    sizes = rows.drop_duplicates("group").set_index("group")
    order = sizes.sort_values(["low_support", "n_docs"], ascending=[True, False],
                              kind="stable").index
    table = table.loc[order]
    table.insert(0, "n_docs", sizes.loc[order, "n_docs"].map(lang.count))
    table["low_support"] = np.where(sizes.loc[order, "low_support"].astype(bool),
                                    lang("format.yes"), "")
    table = table.reset_index().rename(columns={"group": "province"})
    table["province"] = table["province"].map(lang.group_name)
    return table_section(lang, "watchlist-provinces", title, lang("watchlist.province_intro"),
                         translated_columns(table, lang))
