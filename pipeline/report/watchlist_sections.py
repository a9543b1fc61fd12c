"""Report sections of the analyst's watchlist (tables/watchlist.csv): each term by year with
its interval and trend verdict, a chart per term, and a province table."""
from __future__ import annotations

import numpy as np
import pandas as pd

from vntopics.pipeline.report.charts import interval_lines
from vntopics.pipeline.report.format import Section, table_section


def share(value: float, low: float, high: float) -> str:
    return f"{value:.1%} [{low:.1%}, {high:.1%}]"


def overall_table(rows: pd.DataFrame) -> pd.DataFrame:
    overall = rows[rows["dimension"] == "all"]
    return pd.DataFrame({
        "term": overall["term"],
        "documents": overall["docs"],
        "share of documents [95% interval]": [share(*v) for v in zip(
            overall["doc_share"], overall["doc_share_ci_low"], overall["doc_share_ci_high"])],
        "per 10k tokens [95% interval]": [f"{r:.2f} [{lo:.2f}, {hi:.2f}]" for r, lo, hi in zip(
            overall["rate_per_10k"], overall["rate_per_10k_ci_low"],
            overall["rate_per_10k_ci_high"])],
        "first year": overall["first_year"].astype(object).where(overall["first_year"].notna(),
                                                                 ""),
        "trend across years": [verdict if pd.isna(z) else
                               f"{verdict} (z {z:+.1f}, p {p:.2g}, q {q:.2g})"
                               for verdict, z, p, q in zip(overall["trend"], overall["trend_z"],
                                                           overall["trend_p"],
                                                           overall["trend_q"])]})


def by_year_table(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Terms × years of document shares with intervals; years left out of the test marked *."""
    years = rows[rows["dimension"] == "year"].copy()
    if years.empty:
        return pd.DataFrame(), []
    sizes = years.drop_duplicates("group").set_index("group")
    untested = [g for g in sizes.index if not bool(sizes.loc[g, "tested"])]
    label = {g: f"{g} (n={sizes.loc[g, 'n_docs']}){'*' if g in untested else ''}"
             for g in sizes.index}
    years["cell"] = [f"{share(s, lo, hi)} ({d})" for s, lo, hi, d in zip(
        years["doc_share"], years["doc_share_ci_low"], years["doc_share_ci_high"],
        years["docs"])]
    table = years.pivot(index="term", columns="group", values="cell")
    table = table.reindex(list(dict.fromkeys(rows["term"])))
    table.columns = [label[g] for g in table.columns]
    return table.reset_index(), untested


def term_charts(rows: pd.DataFrame) -> str:
    """One chart per term: its share of each year's documents with the interval."""
    years = rows[rows["dimension"] == "year"]
    charts = []
    for term, own in years.groupby("term", sort=False):
        charts.append(interval_lines(
            list(own["group"]), {term: (own["doc_share"].to_numpy(dtype=float),
                                        own["doc_share_ci_low"].to_numpy(dtype=float),
                                        own["doc_share_ci_high"].to_numpy(dtype=float))},
            f"Watchlist: {term}, share of documents by year", height=220))
    return "".join(charts)


def watchlist_sections(watchlist: pd.DataFrame | None, min_year_docs: int) -> list[Section]:
    """The watchlist by year (table, a chart per term) and by province; nothing without a
    watchlist."""
    if watchlist is None or watchlist.empty:
        return []
    never = watchlist[(watchlist["dimension"] == "all") & (watchlist["docs"] == 0)]["term"]
    by_year, untested = by_year_table(watchlist)
    intro = ("Each watchlist term: the documents using it, their share of the documents and "
             "its occurrences per 10,000 tokens, with 95% bootstrap intervals. Phrases match "
             "their syllables in the text whatever underthesea's compounds, in any letter "
             "case or Unicode form; Party document codes match every spelling of the code. "
             "Trend: document-level Cochran–Armitage test over the years with at least "
             f"{min_year_docs} documents, q = Benjamini–Hochberg across the terms."
             + (f" Never found: {', '.join(never)}." if len(never) else ""))
    sections = [table_section("watchlist", "Watchlist", intro, overall_table(watchlist))]
    year_intro = ("Share of each year's documents using the term [95% interval] (documents)."
                  + (f" Years marked * have fewer than {min_year_docs} documents: shown, not "
                     "tested." if untested else "") + " Full table: tables/watchlist.csv.")
    sections.append(table_section("watchlist-years", "Watchlist by year", year_intro, by_year,
                                  term_charts(watchlist)))
    sections.append(province_section(watchlist))
    return sections


def province_section(watchlist: pd.DataFrame) -> Section:
    rows = watchlist[watchlist["dimension"] == "province"].copy()
    title = "Watchlist by province"
    if rows.empty:
        return table_section("watchlist-provinces", title, "No province metadata.",
                             pd.DataFrame())
    rows["cell"] = [f"{share(s, lo, hi)} ({d})" for s, lo, hi, d in zip(
        rows["doc_share"], rows["doc_share_ci_low"], rows["doc_share_ci_high"], rows["docs"])]
    table = rows.pivot(index="group", columns="term", values="cell")
    table = table[list(dict.fromkeys(rows["term"]))]
    sizes = rows.drop_duplicates("group").set_index("group")
    order = sizes.sort_values(["low_support", "n_docs"], ascending=[True, False],
                              kind="stable").index
    table = table.loc[order]
    table.insert(0, "n_docs", sizes.loc[order, "n_docs"])
    table["low support"] = np.where(sizes.loc[order, "low_support"].astype(bool), "yes", "")
    intro = ("Share of each province's documents using each term [95% interval] "
             "(documents); provinces with few documents are flagged and listed last. By "
             "province and year in tables/watchlist.csv (dimension province_year).")
    return table_section("watchlist-provinces", title, intro,
                         table.reset_index().rename(columns={"group": "province"}))
