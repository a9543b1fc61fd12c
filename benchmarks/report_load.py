"""report.html of one version: its size and how fast it opens and answers in headless
Chromium (see benchmarks/README.md).

    python benchmarks/report_load.py ARTIFACTS_DIR_OR_VERSION [--runs 5]

Figures: the file's size and that of its parts (embedded JSON data, script, static report);
for each of --runs fresh loads (one browser, the page opened from about:blank each time): the
time from navigation to the load event as the browser measures it (Navigation Timing, the
script has run and drawn the explorer by then) and as seen over the DevTools connection; then,
on the loaded page, how long clicking a topic, choosing a province and moving the λ slider
take to redraw. Console errors and requests other than the page itself are listed (there
should be none). Goals for the full VNTC: under 3 MB, load under 2 s.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.browser import CHROMIUM, Browser  # noqa: E402  (the tests' CDP driver)

GOAL_MB, GOAL_LOAD_S = 3.0, 2.0
DATA_START = '<script type="application/json" id="explorer-data">'
NAVIGATION = "(() => { const n = performance.getEntriesByType('navigation')[0]; " \
             "return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()"
TIMED = """(() => {{ const start = performance.now(); {action};
  return performance.now() - start; }})()"""


def report_of(path: Path) -> Path:
    for candidate in (path / "report.html", path / "latest" / "report.html", path):
        if candidate.is_file():
            return candidate
    raise SystemExit(f"no report.html in {path} (give a version folder or an artifacts dir)")


def sizes(html: str) -> dict[str, int]:
    data = html.split(DATA_START, 1)[1].split("</script>", 1)[0] if DATA_START in html else ""
    script = html.rsplit("<script>", 1)[1].split("</script>", 1)[0] if "<script>" in html \
        else ""
    total = len(html.encode("utf-8"))
    data_bytes, script_bytes = len(data.encode("utf-8")), len(script.encode("utf-8"))
    return {"total": total, "data": data_bytes, "script": script_bytes,
            "static": total - data_bytes - script_bytes}


def interactions(browser: Browser) -> dict[str, float]:
    """Milliseconds each reader action takes to redraw (JavaScript time, measured inside)."""
    first = browser.evaluate("document.querySelector('#explorer [data-topic-id]')"
                             ".dataset.topicId")
    province = browser.evaluate("Array.from(document.querySelectorAll('#ex-province option'))"
                                ".map(o => o.value).filter(Boolean)[0] || ''")
    actions = {
        "click a topic": f"document.querySelector('[data-topic-id=\"{first}\"]')"
                         ".dispatchEvent(new MouseEvent('click', {bubbles: true}))",
        "choose a province": f"(() => {{ const s = document.getElementById('ex-province'); "
                             f"s.value = {json.dumps(province)}; "
                             f"s.dispatchEvent(new Event('change')); }})()",
        "move the λ slider": "(() => { const s = document.getElementById('ex-lambda'); "
                             "s.value = '0.2'; s.dispatchEvent(new Event('input')); })()",
    }
    return {name: browser.evaluate(TIMED.format(action=action)) for name, action in
            actions.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write every figure here as JSON")
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    page = report_of(args.version)
    html = page.read_text(encoding="utf-8")
    parts = sizes(html)
    data = json.loads(html.split(DATA_START, 1)[1].split("</script>", 1)[0]) \
        if DATA_START in html else {"models": [], "articles": []}
    print(f"{page}")
    print(f"size: {parts['total'] / 1e6:.2f} MB (goal < {GOAL_MB} MB): data "
          f"{parts['data'] / 1e6:.2f} MB, script {parts['script'] / 1e3:.0f} kB, static report "
          f"{parts['static'] / 1e6:.2f} MB")
    print(f"data: {sum(len(m['topics']) for m in data['models'])} topics, "
          f"{len(data['articles'])} articles, "
          f"{sum(len(t['words']) for m in data['models'] for t in m['topics'])} topic words")
    loads, seen, clicks = [], [], []
    with tempfile.TemporaryDirectory() as scratch, Browser(Path(scratch) / "profile") as browser:
        for _ in range(args.runs):
            seen.append(browser.open(page))
            loads.append([v / 1000 for v in browser.evaluate(NAVIGATION)])
            clicks.append(interactions(browser))
        visit = browser.visit()
    load_end = [end for _, end in loads]
    print(f"load (navigation → load event, browser's own timing) over {args.runs} loads: "
          f"first {load_end[0]:.2f} s, median {statistics.median(load_end):.2f} s, max "
          f"{max(load_end):.2f} s (goal < {GOAL_LOAD_S} s); DOMContentLoaded median "
          f"{statistics.median(d for d, _ in loads):.2f} s; as seen over DevTools median "
          f"{statistics.median(seen):.2f} s")
    for name in clicks[0]:
        print(f"{name}: median {statistics.median(c[name] for c in clicks):.0f} ms")
    strays = sorted(set(visit.requests) - {page.resolve().as_uri()})
    print(f"console errors: {len(visit.console_errors)}; other requests: {strays or 'none'}")
    if args.json:
        args.json.write_text(json.dumps({"page": str(page), "bytes": parts, "loads": loads,
                                         "devtools_loads": seen, "interactions_ms": clicks,
                                         "console_errors": visit.console_errors,
                                         "other_requests": strays}, indent=1))
    ok = parts["total"] < GOAL_MB * 1e6 and max(load_end) < GOAL_LOAD_S
    return 0 if ok and not visit.console_errors and not strays else 1


if __name__ == "__main__":
    sys.exit(main())
