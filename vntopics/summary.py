"""A version at a glance in a notebook (`Version._repr_html_`): documents, K and NPMI per
model, the largest topics with their labels and words, and a link to the report."""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vntopics.version import Version

TOP_TOPICS = 5


def metric_cells(manifest: dict, model: str) -> str:
    metrics = manifest.get("metrics", {})
    k = metrics.get("num_topics", {}).get(model, "")
    npmi = metrics.get("npmi", {}).get(model)
    return f"<td>K = {escape(str(k))}</td><td>NPMI {npmi:.3f}</td>" if npmi is not None \
        else f"<td>K = {escape(str(k))}</td><td></td>"


def topic_rows(version: Version, model: str) -> str:
    rows = []
    for topic in version.topics(model, top_n=6).head(TOP_TOPICS).itertuples():
        rows.append(f"<tr><td><code>{escape(topic.topic_id)}</code></td>"
                    f"<td>{escape(topic.label)}</td><td>{topic.share:.1%}</td>"
                    f"<td>{escape(topic.words)}</td></tr>")
    return "".join(rows)


def version_html(version: Version) -> str:
    """A short HTML summary of `version` (what a notebook shows for it)."""
    manifest = version.manifest
    counts = manifest.get("documents", {})
    models = list(manifest.get("metrics", {}).get("num_topics", {}))
    parts = [f"<div class='vntopics-version'><strong>vntopics version "
             f"<code>{escape(version.name)}</code></strong>",
             f"<p>{counts.get('ok', 0):,} documents modelled of {counts.get('in', 0):,} "
             f"({counts.get('rejected', 0):,} rejected) · "
             f"<a href='{escape(version.report.as_uri())}' target='_blank'>report.html</a>"
             f"</p>"]
    for model in models:
        parts.append(f"<table><tr><th>{escape(model.upper())}</th>"
                     f"{metric_cells(manifest, model)}</tr></table>")
        parts.append("<table><tr><th>topic</th><th>label</th><th>share</th>"
                     f"<th>top words</th></tr>{topic_rows(version, model)}</table>")
    parts.append("</div>")
    return "\n".join(parts)
