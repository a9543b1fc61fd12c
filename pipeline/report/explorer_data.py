"""The explorer's data: one JSON object built from the report's inputs, embedded once in
report.html. Kept small for 84k-document corpora: candidate words and articles only,
numbers rounded, labels in the report's language, article texts cut to their first lines."""
from __future__ import annotations

import pandas as pd

from vntopics.pipeline.report.format import readable
from vntopics.pipeline.report.inputs import ReportInputs
from vntopics.pipeline.report.language import Language

PREVALENCE_COLUMNS = ["prevalence", "ci_low", "ci_high", "diff_vs_rest", "diff_low",
                      "diff_high"]
DISTINCTIVE_WORDS = 10
TITLE_CHARS = 200
LABEL_WORDS = 3


def rounded(value, digits: int = 4):
    """`digits` decimals; NaN and missing as null (JSON has no NaN)."""
    if value is None or pd.isna(value):
        return None
    return round(float(value), digits)


def significant(value: float, digits: int = 4) -> float:
    return float(f"{float(value):.{digits}g}")


def prevalence_block(rows: pd.DataFrame, dimension: str, topics: int) -> dict | None:
    """{groups, n, low, values}: values[group][topic] = [prevalence, ci_low, ci_high,
    diff_vs_rest, diff_low, diff_high] (null when not measured); provinces by size, years
    and cells by name."""
    rows = rows[rows["dimension"] == dimension]
    if rows.empty:
        return None
    sizes = rows.drop_duplicates("group").set_index("group")
    groups = sorted(sizes.index, key=lambda g: ((-int(sizes.at[g, "n_docs"]), str(g))
                                                 if dimension == "province" else str(g)))
    cells = rows.set_index(["group", "topic"])[PREVALENCE_COLUMNS]
    values = []
    for group in groups:
        own = cells.loc[group].reindex(range(topics))
        rows_of_group = [[rounded(v) for v in row] for row in own.itertuples(index=False)]
        values.append([None if row[0] is None else row for row in rows_of_group])
    return {"groups": [str(g) for g in groups],
            "n": [int(sizes.at[g, "n_docs"]) for g in groups],
            "low": [int(bool(sizes.at[g, "low_support"])) for g in groups],
            "values": values}


class ArticleIndex:
    """The articles the explorer can show, each stored once: [title, province (empty when
    unknown), year (or null), date as the language writes it, source, first lines]."""

    def __init__(self, documents: pd.DataFrame, leads: dict[str, str], lang: Language):
        self.documents = documents.drop_duplicates("doc_id").set_index("doc_id")
        self.leads, self.lang = leads, lang
        self.rows: list[list] = []
        self.position: dict[str, int] = {}

    def add(self, doc_id: str) -> int:
        if doc_id not in self.position:
            row = self.documents.loc[doc_id]
            title, province, year = str(row["title"]), str(row["province"]), row["year"]
            date, source = row["date"], row["source"]
            self.position[doc_id] = len(self.rows)
            self.rows.append([
                title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS - 1] + "…",
                "" if province == "unknown" else province,
                None if pd.isna(year) else str(int(year)),
                "" if pd.isna(date) or not str(date) else self.lang.date(str(date)),
                "" if pd.isna(source) else str(source),
                self.leads.get(doc_id, "")])
        return self.position[doc_id]


def model_block(inputs: ReportInputs, model: str, articles: ArticleIndex) -> dict:
    explorer = inputs.explorer
    topics = inputs.topics[inputs.topics["model"] == model].sort_values(["topic", "rank"])
    placed = explorer.topics[explorer.topics["model"] == model].set_index("topic")
    words = explorer.words[explorer.words["model"] == model]
    chosen = explorer.articles[explorer.articles["model"] == model]
    stable = {}
    if inputs.stability is not None and len(inputs.stability):
        own = inputs.stability[inputs.stability["model"] == model]
        stable = dict(zip(own["topic"].astype(int), own["stable"].astype(bool)))
    entries = []
    for topic, group in topics.groupby("topic", sort=True):
        topic = int(topic)
        first = group.iloc[0]
        own_words = words[words["topic"] == topic]
        own_articles = chosen[chosen["topic"] == topic]
        entries.append({
            "id": str(first.get("topic_id", f"T{topic}")),
            "label": str(first.get("label", "") or ""),
            "top": ", ".join(readable(w) for w in group["word"].head(LABEL_WORDS)),
            "x": rounded(placed.at[topic, "x"]), "y": rounded(placed.at[topic, "y"]),
            "share": rounded(placed.at[topic, "share"]),
            "docs": int(placed.at[topic, "n_dominant"]),
            "stable": stable.get(topic),
            "words": [[readable(w), significant(p), significant(q)] for w, p, q in
                      zip(own_words["word"], own_words["p_topic"], own_words["p_corpus"])],
            "articles": [[articles.add(d), rounded(w, 3)] for d, w in
                         zip(own_articles["doc_id"], own_articles["weight"])]})
    rows = inputs.prevalence[inputs.prevalence["model"] == model]
    return {"name": model, "title": model.upper(), "topics": entries,
            "prevalence": {d: prevalence_block(rows, d, len(entries))
                           for d in ("province", "year", "province_year")}}


def distinctive_block(distinctive: pd.DataFrame | None) -> dict:
    out: dict[str, dict] = {"province": {}, "year": {}}
    if distinctive is None or distinctive.empty:
        return out
    ranked = distinctive.sort_values(["dimension", "group", "zscore"],
                                     ascending=[True, True, False])
    for (dimension, group), rows in ranked.groupby(["dimension", "group"], sort=True):
        out.setdefault(str(dimension), {})[str(group)] = [
            [readable(w), rounded(z, 1)] for w, z in zip(rows["word"].head(DISTINCTIVE_WORDS),
                                               rows["zscore"].head(DISTINCTIVE_WORDS))]
    return out


def explorer_payload(inputs: ReportInputs) -> dict:
    """Everything the page's script reads: UI strings and number format of the language, and
    (when the explorer has its inputs) the models, articles and distinctive words."""
    lang = inputs.lang
    payload = {"lang": lang.code, "version": inputs.manifest["version"],
               "strings": {**lang.section("explorer"), "unknown": lang("format.unknown")},
               "decimal": lang("format.decimal"), "thousands": lang("format.thousands"),
               "models": [], "articles": [], "distinctive": {}}
    if inputs.explorer is None:
        return payload
    articles = ArticleIndex(inputs.documents, inputs.explorer.leads, lang)
    payload["models"] = [model_block(inputs, m, articles)
                         for m in dict.fromkeys(inputs.topics["model"])]
    payload["articles"] = articles.rows
    payload["distinctive"] = distinctive_block(inputs.distinctive)
    return payload

