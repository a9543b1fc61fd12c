"""Building blocks shared by the report's sections: one section is the same facts as
Markdown and as HTML, with every article-derived string made inert in both."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from vntopics.pipeline.report.language import ENGLISH, Language


@dataclass
class Section:
    """One report section, built by the `*_section` functions: its anchor and title (for the
    table of contents) and the same content as Markdown and as HTML."""
    anchor: str
    title: str
    markdown: str
    html: str


def readable(word: str) -> str:
    """A token as people read it: underthesea's compounds with spaces ('đào_tạo' → 'đào
    tạo'). Tables keep the tokens; only what the report and explorer show is read."""
    return str(word).replace("_", " ")


def readable_words(tokens: str) -> str:
    """Space-separated tokens ('xây_dựng dự_án') as a readable list ('xây dựng, dự án')."""
    return ", ".join(readable(t) for t in str(tokens).split())


def topic_ids(topics: pd.DataFrame, model: str) -> dict[int, str]:
    """topic number -> its stable id ('L03'), or 'T3' for tables without ids."""
    rows = topics[topics["model"] == model].drop_duplicates("topic")
    return {int(t): (str(i) if "topic_id" in rows else f"T{t}") for t, i in
            zip(rows["topic"], rows["topic_id"] if "topic_id" in rows else rows["topic"])}


def topic_labels(topics: pd.DataFrame, model: str, words: int = 3) -> dict[int, str]:
    """topic number -> how the report names it: its stable id, the analyst's label when
    there is one, and its top words as people read them ('L03 Xây dựng Đảng: đảng viên,
    chi bộ, …')."""
    rows = topics[topics["model"] == model].sort_values(["topic", "rank"])
    ids = topic_ids(topics, model)
    names = {}
    for t, g in rows.groupby("topic"):
        label = str(g["label"].iloc[0]) if "label" in g else ""
        words_text = ", ".join(readable(w) for w in g["word"].head(words))
        names[int(t)] = f"{ids[int(t)]} {label}".strip() + ": " + words_text
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


def markdown_table(frame: pd.DataFrame, lang: Language = ENGLISH) -> str:
    if frame.empty:
        return f"_{lang('format.none')}_\n"
    cells = frame.map(lambda v: lang.group_name(cell_text(v))).map(markdown_escape)
    header = "| " + " | ".join(map(markdown_escape, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
    return "\n".join([header, rule, *body]) + "\n"


def html_table(frame: pd.DataFrame, lang: Language = ENGLISH) -> str:
    if frame.empty:
        return f"<p class='note'>{escape(lang('format.none'))}</p>"
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(lang.group_name(cell_text(v)))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table_section(lang: Language, anchor: str, title: str, intro: str, frame: pd.DataFrame,
                  *, chart: str = "") -> Section:
    """A section of one table (its columns already in `lang`), with an intro and a chart.
    The intro is escaped in both forms: it holds analyst strings (watchlist terms, warnings
    naming paths), and escaping leaves the shipped wording as it reads."""
    return Section(anchor, title,
                   f"{markdown_escape(intro)}\n\n{markdown_table(frame, lang)}",
                   f"<p>{escape(intro)}</p>{chart}{html_table(frame, lang)}")


def translated_columns(frame: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """`frame` with its pipeline column names as `lang` writes them."""
    return frame.rename(columns={c: lang.column(str(c)) for c in frame.columns})
