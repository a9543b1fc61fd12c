"""The report's sections on the corpus, the topics, their prevalence by province and by year,
what changed since the previous version and how the run was made."""
from __future__ import annotations

import pandas as pd

from vntopics.pipeline.report.charts import heatmap, interval_lines
from vntopics.pipeline.report.format import (Section, cell_text, readable, readable_words,
                                             table_section, topic_ids, topic_labels,
                                             translated_columns)
from vntopics.pipeline.report.inputs import ReportInputs
from vntopics.pipeline.report.language import Language
from vntopics.pipeline.report.model_sections import drift_threshold

MIN_CHART_DOCS = 5
MAX_REJECTED_ROWS = 200   # rejected documents listed; all of them are in documents.csv


def corpus_section(inputs: ReportInputs) -> list[Section]:
    lang = inputs.lang
    docs = inputs.documents
    ok = docs[docs["status"] == "ok"]
    counts = inputs.manifest["documents"]
    intro = lang("corpus.intro", n_in=lang.count(counts["in"]), n_ok=lang.count(counts["ok"]),
                 n_rejected=lang.count(counts["rejected"]))
    intro += "".join(" " + lang("corpus.warning", warning=warning)
                     for warning in inputs.manifest.get("warnings", []))
    by_province = ok["province"].value_counts().rename_axis("province").reset_index(name="documents")
    by_year = (ok["year"].astype("string").fillna("unknown").value_counts().sort_index()
               .rename_axis("year").reset_index(name="documents"))
    for table in (by_province, by_year):
        table.iloc[:, 0] = table.iloc[:, 0].map(lang.group_name)
        table["documents"] = table["documents"].map(lang.count)
    rejected = docs[docs["status"] == "rejected"][["doc_id", "title", "reason"]]
    rejected_intro = lang("corpus.rejected_intro")
    if len(rejected) > MAX_REJECTED_ROWS:    # 3,918 on the full VNTC: 3/4 of its load time
        rejected_intro = lang("corpus.rejected_some", shown=lang.count(MAX_REJECTED_ROWS),
                              total=lang.count(len(rejected)))
        rejected = rejected.head(MAX_REJECTED_ROWS)
    return [
        table_section(lang, "corpus", lang("corpus.title"), intro,
                      translated_columns(by_province, lang)),
        table_section(lang, "corpus-years", lang("corpus.years_title"),
                      lang("corpus.years_intro"), translated_columns(by_year, lang)),
        table_section(lang, "rejected", lang("corpus.rejected_title"), rejected_intro,
                      translated_columns(rejected, lang)),
    ]


def topics_section(inputs: ReportInputs, model: str) -> Section:
    lang = inputs.lang
    rows = inputs.topics[inputs.topics["model"] == model].sort_values(["topic", "rank"])
    words = {int(t): ", ".join(f"{readable(w)} ({lang.number(x, 3)})"
                               for w, x in zip(g["word"].head(10), g["weight"].head(10)))
             for t, g in rows.groupby("topic")}
    articles: dict[int, str] = {}
    if inputs.representatives is not None:
        chosen = inputs.representatives[inputs.representatives["model"] == model]
        for topic, group in chosen.groupby("topic"):
            articles[int(topic)] = " · ".join(
                f"{r.title} ({lang.group_name(r.province)}, "
                f"{lang.group_name(cell_text(r.year))})"
                for r in group.itertuples())
    first = rows.groupby("topic").first()
    table = pd.DataFrame({
        "topic": [first["topic_id"].get(t, t) if "topic_id" in first else t for t in words],
        "label": [first["label"].get(t, "") if "label" in first else "" for t in words],
        "top_words_weight": list(words.values()),
        "articles": [articles.get(t, "") for t in words]})
    return table_section(lang, f"topics-{model}", lang("topics.title", model=model.upper()),
                         lang("topics.intro", model=model.upper()),
                         translated_columns(table, lang))


def prevalence_of(inputs: ReportInputs, model: str, dimension: str
                  ) -> tuple[pd.DataFrame, dict[int, str], str]:
    """One model's prevalence rows for one dimension, its topic labels, the section title."""
    rows = inputs.prevalence[(inputs.prevalence["model"] == model)
                             & (inputs.prevalence["dimension"] == dimension)]
    return (rows, topic_labels(inputs.topics, model),
            inputs.lang(f"{dimension}.title", model=model.upper()))


def province_section(inputs: ReportInputs, model: str) -> Section:
    lang = inputs.lang
    prevalence, labels, title = prevalence_of(inputs, model, "province")
    if prevalence.empty:
        return table_section(lang, f"province-{model}", title, lang("province.empty"),
                             prevalence)
    n_docs = prevalence.groupby("group")["n_docs"].first().sort_values(ascending=False,
                                                                      kind="stable")
    low_support = prevalence.groupby("group")["low_support"].first().astype(bool)
    grid = prevalence.pivot(index="group", columns="topic", values="prevalence").loc[n_docs.index]
    charted = grid[n_docs >= MIN_CHART_DOCS]
    rows = [lang("format.with_n", name=lang.group_name(g), n=n_docs[g]) for g in charted.index]
    ids = topic_ids(inputs.topics, model)
    chart = heatmap(rows, [ids.get(int(t), f"T{t}") for t in charted.columns],
                    charted.to_numpy(), title, lang=lang,
                    pale_rows=[bool(low_support[g]) for g in charted.index])
    table = grid.copy()
    table.columns = [labels.get(int(t), f"T{t}") for t in grid.columns]
    table = table.map(lambda v: lang.number(v, 3)).reset_index().rename(
        columns={"group": lang.column("province")})
    table.iloc[:, 0] = table.iloc[:, 0].map(lang.group_name)
    intro = lang("province.intro", min_docs=MIN_CHART_DOCS)
    return table_section(lang, f"province-{model}", title, intro, table, chart=chart)


def year_section(inputs: ReportInputs, model: str) -> Section:
    lang = inputs.lang
    prevalence, labels, title = prevalence_of(inputs, model, "year")
    if prevalence.empty:
        return table_section(lang, f"year-{model}", title, lang("year.empty"), prevalence)
    years = sorted(prevalence["group"].unique())
    series = {}
    for topic, rows in prevalence.groupby("topic"):
        rows = rows.set_index("group").loc[years]
        series[labels.get(int(topic), f"T{topic}")] = (
            rows["prevalence"].to_numpy(), rows["ci_low"].to_numpy(), rows["ci_high"].to_numpy())
    sizes = prevalence.drop_duplicates("group").set_index("group").loc[years]
    chart = interval_lines(years, series, title, lang=lang, small_groups=[
        int(n) if low else None for n, low in zip(sizes["n_docs"], sizes["low_support"])])
    table = prevalence.assign(value=[lang.interval(p, lo, hi) for p, lo, hi in zip(
        prevalence["prevalence"], prevalence["ci_low"], prevalence["ci_high"])])
    table = table.pivot(index="topic", columns="group", values="value").reset_index()
    table["topic"] = table["topic"].map(lambda t: labels.get(int(t), f"T{t}"))
    return table_section(lang, f"year-{model}", title, lang("year.intro"),
                         translated_columns(table, lang), chart=chart)


def changes_section(inputs: ReportInputs) -> Section:
    lang = inputs.lang
    previous = inputs.manifest.get("compared_to")
    title = lang("changes.title")
    if inputs.changes is None or not previous:
        return table_section(lang, "changes", title, lang("changes.first"), pd.DataFrame())
    counts = inputs.changes.groupby(["model", "status"]).size()
    summary = ", ".join(lang("changes.summary_item", model=m.upper(), status=lang.word(s), n=n)
                        for (m, s), n in counts.items())
    table = inputs.changes.astype(object).fillna("")
    table["status"] = table["status"].map(lang.word)
    for column in ("words_a", "words_b"):
        table[column] = table[column].map(readable_words)
    intro = lang("changes.intro", previous=previous, summary=summary,
                 threshold=lang.number(drift_threshold(inputs.manifest), 2))
    return table_section(lang, "changes", title, intro, translated_columns(table, lang))


def run_facts(manifest: dict, lang: Language) -> pd.DataFrame:
    vocabulary = manifest["metrics"].get("vocabulary_size")
    return pd.DataFrame([
        (lang("run.version"), manifest["version"]),
        (lang("run.created"), lang.timestamp(manifest["created_at"])),
        (lang("run.topics"), ", ".join(f"{m.upper()} {k}" for m, k in
                                       manifest["metrics"]["num_topics"].items())),
        (lang("run.seed"), manifest["seeds"]["model"]),
        (lang("run.vocabulary"), lang.count(vocabulary) if vocabulary is not None else ""),
        *[(lang("run.seconds", stage=lang.strings.get(f"stage.{k}", k)), lang.number(v, 1))
          for k, v in manifest["stage_seconds"].items()],
        *[(k, v) for k, v in manifest["packages"].items()],
    ], columns=[lang.column("item"), lang.column("value")])


def run_section(inputs: ReportInputs) -> Section:
    lang = inputs.lang
    return table_section(lang, "run", lang("run.title"), lang("run.intro"),
                         run_facts(inputs.manifest, lang))
