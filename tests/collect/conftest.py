"""One set of fixture sites for the whole session, and one collect of them that most tests
read (the incremental test makes its own)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.collect import fixture_articles as fa
from tests.collect.fixture_sites import FeatureSite, ListingSite, Recorder, SitemapSite
from vntopics.pipeline.collect import collect_sources, parse_sources
from vntopics.pipeline.config import CollectConfig

HELD_BACK = 3   # articles per site published only by the incremental test


@dataclass
class Sites:
    recorder: Recorder
    feature: FeatureSite
    listing: ListingSite
    sitemap: SitemapSite

    def sources_yaml(self) -> str:
        return yaml.safe_dump({"sources": [
            {"name": "baoangiang", "province": "An Giang",
             "start": [f"{self.feature.base}/rss/tin-moi.rss"]},
            {"name": "baocantho", "province": "Cần Thơ",
             "start": [f"{self.listing.base}/atom.xml", f"{self.listing.base}/chuyen-muc/chinh-tri"],
             "article_pattern": r"^/[a-z0-9-]+-\d+\.html$", "listing_pattern": r"^/chuyen-muc/chinh-tri(/trang-\d+)?$",
             "content_selector": "div.article-body", "title_selector": "h1.title",
             "date_selector": "span.date"},
            {"name": "baogialai", "province": "Gia Lai",
             "start": [f"{self.sitemap.base}/sitemap.xml"]},
        ]}, allow_unicode=True)

    def sources(self):
        return parse_sources(self.sources_yaml())

    def truth(self) -> dict[str, fa.TrueArticle]:
        """Every article a site serves, by slug (what a record's URL ends with)."""
        everything = [*self.feature.articles, *self.feature.extra, *self.listing.articles,
                      *self.sitemap.articles]
        by_slug = {a.slug: a for a in everything}
        by_slug["bai-ma-windows-1258-tieng-viet-cu"] = self.feature.extra[3]
        return by_slug


def fast_settings(**changes) -> CollectConfig:
    """Fast but otherwise default: one connection per host, short pauses and timeouts."""
    values = {"delay_seconds": 0.02, "timeout_seconds": 1.0, "retries": 1,
              "max_retry_wait_seconds": 0.2}
    return CollectConfig(**{**values, **changes})


@pytest.fixture(scope="session")
def sites() -> Sites:
    seeds, records = fa.seed_articles(), fa.record_articles()
    recorder = Recorder()
    sitemap = SitemapSite(recorder, records[60:90], ip="127.0.0.2")
    feature = FeatureSite(recorder, seeds + records[:20], extra=records[100:105],
                          other_host=sitemap.host)
    listing = ListingSite(recorder, records[30:60])
    for site in (feature, listing, sitemap):
        site.publish(-HELD_BACK)
    yield Sites(recorder, feature, listing, sitemap)
    for site in (feature, listing, sitemap):
        site.server.shutdown()


@pytest.fixture(scope="session")
def collected(sites, tmp_path_factory):
    """One collect of the three sites: (summary, corpus folder, requests made)."""
    corpus = tmp_path_factory.mktemp("corpus")
    before = len(sites.recorder.requests)
    summary = collect_sources(sites.sources(), fast_settings(), corpus_dir=corpus)
    return summary, corpus, sites.recorder.requests[before:]
