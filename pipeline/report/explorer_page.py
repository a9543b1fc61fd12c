"""The explorer as it is written into report.html: its root element, its data as one JSON
block and one inline script, allowed by its hash in the page's Content-Security-Policy.

The script is plain DOM code in `explorer/` (about 30 kB) and needs no library: the one we
would reach for, d3, is 614 kB installed as Debian's libjs-d3 3.5.17 (half the full-VNTC
report, benchmarks/README.md), for circles, bars and lines this code draws directly.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from vntopics.pipeline.report.explorer_data import explorer_payload
from vntopics.pipeline.report.explorer_inputs import SHOWN_WORDS
from vntopics.pipeline.report.inputs import ReportInputs

ASSETS = Path(__file__).parent / "explorer"
SCRIPTS = ("util.js", "charts.js", "panels.js", "tables.js", "main.js")   # in this order


@dataclass
class ExplorerPage:
    root: str          # the explorer's element (hidden until the script shows it)
    scripts: str       # the JSON data block and the inline script, for the end of <body>
    css: str
    script_hash: str   # 'sha256-…' of the inline script, for script-src


def safe_json(payload) -> str:
    """JSON that cannot end its <script> element or open markup inside it: <, >, & and the
    line separators U+2028/2029 are written as \\u escapes (same value once parsed)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


@cache
def script_and_css() -> tuple[str, str]:
    code = "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in SCRIPTS)
    script = f'(function () {{\n"use strict";\n{code}\n}}());'
    if "</script" in script.lower() or "<!--" in script:
        raise ValueError("explorer script would end its own <script> element")
    return script, (ASSETS / "explorer.css").read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def explorer_page(inputs: ReportInputs) -> ExplorerPage:
    """The explorer for `inputs`; without explorer inputs the script still makes the static
    tables sortable and the charts downloadable, and no explorer element is written."""
    lang = inputs.lang
    payload = explorer_payload(inputs)
    payload["strings"]["interval"] = lang("format.interval")
    payload["shown_words"] = SHOWN_WORDS
    script, css = script_and_css()
    root = ""
    if payload["models"]:
        root = (f'<section id="explorer" hidden><h2>{escape(lang("explorer.title"))}</h2>'
                f'<p class="note">{escape(lang("explorer.intro"))}</p>'
                '<div id="explorer-app"></div></section>'
                f'<noscript><p class="note">{escape(lang("report.noscript"))}</p></noscript>')
    scripts = (f'<script type="application/json" id="explorer-data">{safe_json(payload)}'
               f"</script><script>{script}</script>")
    return ExplorerPage(root, scripts, css, script_hash(script))
