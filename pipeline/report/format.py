"""Building blocks shared by the report's sections: one section is the same facts as
Markdown and as HTML, with every article-derived string made inert in both."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Section:
    """One report section, built by the `*_section` functions: its anchor and title (for the
    table of contents) and the same content as Markdown and as HTML."""
    anchor: str
    title: str
    markdown: str
    html: str


def topic_labels(topics: pd.DataFrame, model: str, words: int = 3) -> dict[int, str]:
    """topic number -> how the report names it: its stable id, the analyst's label when
    there is one, and its top words ('L03 Xây dựng Đảng: đảng_viên, chi_bộ, …')."""
    rows = topics[topics["model"] == model].sort_values(["topic", "rank"])
    names = {}
    for t, g in rows.groupby("topic"):
        name = str(g["topic_id"].iloc[0]) if "topic_id" in g else f"T{t}"
        label = str(g["label"].iloc[0]) if "label" in g else ""
        names[int(t)] = f"{name} {label}".strip() + ": " + ", ".join(g["word"].head(words))
    return names


# HTML is neutralised by entities; these would make links, images, code, emphasis or break a
# table. '_' stays: GitHub-flavoured Markdown ignores it inside words (xây_dựng).
MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]|])")


def markdown_escape(text: str) -> str:
    """Article-derived text as inert Markdown: no HTML, links, images or emphasis."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def cell_text(value) -> str:
    """A value as the report shows it; a missing one (a document without a year) is
    'unknown', as everywhere else in the report, not pandas' '<NA>'."""
    import pandas as pd   # loaded by then (the tables are DataFrames); not at import time

    return "unknown" if value is None or value is pd.NA else str(value)


def markdown_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "_(none)_\n"
    cells = frame.map(cell_text).map(markdown_escape)
    header = "| " + " | ".join(map(markdown_escape, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
    return "\n".join([header, rule, *body]) + "\n"


def html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p class='note'>(none)</p>"
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell_text(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table_section(anchor: str, title: str, intro: str, frame: pd.DataFrame,
                  chart: str = "") -> Section:
    return Section(anchor, title, f"{intro}\n\n{markdown_table(frame)}",
                   f"<p>{escape(intro)}</p>{chart}{html_table(frame)}")
