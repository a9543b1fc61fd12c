"""The run's report in two forms with the same facts: report.md (terminal, git host) and a
self-contained report.html (inline CSS, SVG and script, opens offline), whose top is the
interactive explorer and whose static sections below are the whole report for printing and
for readers without JavaScript.

Every string that comes from an article (titles, words, provinces) is escaped in the HTML.
"""
from __future__ import annotations

from html import escape

from vntopics.pipeline.report.collection_section import collection_section
from vntopics.pipeline.report.comparison_sections import (citations_section,
                                                          differences_section,
                                                          distinctive_section,
                                                          province_year_section, trends_section)
from vntopics.pipeline.report.explorer_page import explorer_page
from vntopics.pipeline.report.format import Section, markdown_escape
from vntopics.pipeline.report.inputs import ReportInputs
from vntopics.pipeline.report.model_sections import (history_section, k_sweep_section,
                                                     stability_section)
from vntopics.pipeline.report.sections import (changes_section, corpus_section,
                                               province_section, run_section, topics_section,
                                               year_section)
from vntopics.pipeline.report.watchlist_sections import watchlist_sections

CSS = """
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left;vertical-align:top}
th{background:#f2f4f7} nav ul{columns:2} .note{color:#555;font-size:.9em}
svg.chart{display:block;margin:.5em 0 1.5em;max-width:100%;height:auto}
body>section{content-visibility:auto;contain-intrinsic-size:auto 900px}
"""


def build_sections(inputs: ReportInputs) -> list[Section]:
    lang = inputs.lang
    models = list(dict.fromkeys(inputs.topics["model"]))
    sections = corpus_section(inputs)
    sections.append(k_sweep_section(inputs.k_sweep, lang))
    sections += [topics_section(inputs, m) for m in models]
    for model in models:
        sections += [province_section(inputs, model),
                     differences_section(inputs.prevalence, inputs.topics, model, lang=lang),
                     year_section(inputs, model),
                     province_year_section(inputs.prevalence, inputs.topics, model, lang)]
    sections += distinctive_section(inputs.distinctive, inputs.prevalence, lang)
    compare = inputs.manifest.get("config", {}).get("compare", {})
    sections += [trends_section(inputs.trend_summary, inputs.keyword_trends, compare, lang)]
    sections += watchlist_sections(inputs.watchlist, compare.get("trend_min_year_docs", 1),
                                   lang)
    sections += [citations_section(inputs.citations, lang=lang),
                 stability_section(inputs.stability, inputs.topics, lang)]
    sections += [history_section(inputs.history, m, lang) for m in models]
    sections += collection_section(inputs)
    sections += [changes_section(inputs), run_section(inputs)]
    return sections


def render_markdown(inputs: ReportInputs, sections: list[Section]) -> str:
    title = "# " + markdown_escape(inputs.lang("report.title",
                                               version=inputs.manifest["version"])) + "\n"
    body = "\n".join(f"## {markdown_escape(s.title)}\n\n{s.markdown}" for s in sections)
    return title + "\n" + body


def render_html(inputs: ReportInputs, sections: list[Section]) -> str:
    """The page: the explorer on top (hidden until its script runs), then every section.
    The Content-Security-Policy forbids every request; the one inline script is allowed
    by its hash."""
    lang = inputs.lang
    title = escape(lang("report.title", version=inputs.manifest["version"]))
    toc = "".join(f'<li><a href="#{s.anchor}">{escape(s.title)}</a></li>' for s in sections)
    body = "".join(f'<section id="{s.anchor}"><h2>{escape(s.title)}</h2>{s.html}</section>'
                   for s in sections)
    page = explorer_page(inputs)
    policy = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              f"script-src '{page.script_hash}'; base-uri 'none'; form-action 'none'")
    return (f"<!DOCTYPE html><html lang=\"{lang.code}\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<link rel=\"icon\" href=\"data:,\">"
            f"<title>{title}</title><style>{CSS}{page.css}</style></head><body>"
            f"<h1>{title}</h1>{page.root}"
            f"<nav><h2>{escape(lang('report.contents'))}</h2><ul>{toc}</ul></nav>"
            f"{body}{page.scripts}</body></html>\n")


def write_reports(inputs: ReportInputs) -> tuple[str, str]:
    """(report.md, report.html) texts."""
    sections = build_sections(inputs)
    return render_markdown(inputs, sections), render_html(inputs, sections)
