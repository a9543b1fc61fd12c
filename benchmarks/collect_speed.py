"""How fast `vntopics collect` is, measured on the test suite's fixture sites (loopback only).

  1. extraction: `extract_article` (trafilatura + htmldate, or a source's CSS selectors) on
     every fixture page, one process: pages/s per core;
  2. bare segmentation: underthesea `word_tokenize` of the same articles' texts, one process:
     extraction should cost well under it (target: extraction <= 0.3 x segmentation);
  3. end to end: `collect_sources` on the three fixture sites (three hosts) with
     `collect.delay_seconds=0`, from an empty corpus folder: pages/s over the whole collect.

Run from the project root: `.venv/bin/python benchmarks/collect_speed.py [--repeat N]`.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # tests.collect fixtures

from tests.collect import fixture_articles as fa  # noqa: E402
from tests.collect.conftest import Sites, fast_settings  # noqa: E402
from tests.collect.fixture_sites import FeatureSite, ListingSite, Recorder, SitemapSite  # noqa: E402
from vntopics.pipeline.collect import collect_sources, extract_article, parse_sources  # noqa: E402

TEMPLATES = (fa.page_feature, fa.page_plain, fa.page_portal)
PLAIN = parse_sources("sources:\n  - {name: b, province: An Giang, start: [http://b.vn/]}\n")[0]
SELECTORS = PLAIN.model_copy(update={"content_selector": "div.article-body",
                                     "title_selector": "h1.title", "date_selector": "span.date"})


def fixture_pages(articles: list[fa.TrueArticle]) -> list[tuple[str, object]]:
    """Every article in every template; the plain template with the selectors it is read by."""
    pages = []
    for number, template in enumerate(TEMPLATES):
        for article in articles:
            html = template(article, f"http://b.vn/{article.slug}.html", articles[:5])
            pages.append((html, SELECTORS if template is fa.page_plain else PLAIN))
    return pages


def time_extraction(pages, repeat: int) -> float:
    for html, source in pages[::40]:   # imports and the libraries' caches, untimed
        extract_article(html, "http://b.vn/x.html", source)
    started = time.perf_counter()
    for _ in range(repeat):
        for html, source in pages:
            found, why = extract_article(html, "http://b.vn/x.html", source)
            assert found is not None, why
    return (time.perf_counter() - started) / repeat


def time_segmentation(texts: list[str]) -> float:
    from underthesea import word_tokenize

    word_tokenize(texts[0])
    started = time.perf_counter()
    for text in texts:
        word_tokenize(text)
    return time.perf_counter() - started


def time_collect(articles: list[fa.TrueArticle], extra: list[fa.TrueArticle]) -> tuple[float, int]:
    recorder = Recorder()
    sitemap = SitemapSite(recorder, articles[60:90], ip="127.0.0.2")
    feature = FeatureSite(recorder, articles[:25], extra=extra, other_host=sitemap.host)
    listing = ListingSite(recorder, articles[30:60])
    sites = Sites(recorder, feature, listing, sitemap)
    settings = fast_settings(delay_seconds=0.0)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        summary = collect_sources(parse_sources(sites.sources_yaml()), settings,
                                  corpus_dir=Path(folder) / "corpus")
        seconds = time.perf_counter() - started
    for site in (feature, listing, sitemap):
        site.server.shutdown()
    print(f"end to end: {len(recorder.requests)} requests, {summary.counts('new')} new "
          f"articles in {seconds:.2f} s (the timeout trap alone waits "
          f"{2 * settings.timeout_seconds:.0f} s)")
    return seconds, len(recorder.requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="extraction passes (mean)")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    articles = fa.seed_articles() + fa.record_articles()
    pages = fixture_pages(articles)
    extraction = time_extraction(pages, args.repeat)
    per_article = extraction / len(TEMPLATES)
    print(f"extraction: {len(pages)} pages in {extraction:.2f} s: {len(pages) / extraction:.0f} "
          f"pages/s on one core ({1000 * extraction / len(pages):.1f} ms per page)")
    segmentation = time_segmentation([a.text for a in articles])
    print(f"bare segmentation (underthesea word_tokenize) of the same {len(articles)} articles: "
          f"{segmentation:.2f} s on one core")
    print(f"extraction / segmentation of the same articles: {per_article / segmentation:.2f} "
          f"(target <= 0.3)")
    seconds, requests = time_collect(articles, articles[100:105])
    print(f"end to end with delay 0: {requests / seconds:.0f} requests/s")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
