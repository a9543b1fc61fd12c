"""A collect fetches only what is new since the last one, and a collect killed anywhere leaves
the state and the corpus consistent: the next one fetches exactly what is missing."""
from __future__ import annotations

import csv
import gzip
import json

import pytest

from tests.collect.conftest import HELD_BACK, fast_settings
from vntopics.pipeline.collect import CollectState, collect_sources


def article_requests(sites, since: int) -> dict[str, set[str]]:
    """Article pages requested since request number `since`, by site."""
    found: dict[str, set[str]] = {}
    for site in (sites.feature, sites.listing, sites.sitemap):
        found[site.host] = set()
    for host, path, _, _ in sites.recorder.requests[since:]:
        if path.endswith(".html") and "/chuyen-muc/" not in path:
            found[host].add(path)
    return found


def ids_in(corpus) -> list[str]:
    return [json.loads(line)["id"] for path in corpus.glob("*/*.jsonl.gz")
            for line in gzip.open(path, "rt", encoding="utf-8")]


@pytest.fixture
def published(sites):
    """Publishes the held-back articles for one test, and holds them back again after it."""
    sites_ = (sites.feature, sites.listing, sites.sitemap)
    yield lambda: {site.host: site.publish(HELD_BACK) for site in sites_}
    for site in sites_:
        if len(site.reserve) < HELD_BACK:
            site.publish(-HELD_BACK)


def test_a_second_collect_fetches_only_the_new_articles(sites, published, tmp_path):
    corpus = tmp_path / "corpus"
    first = collect_sources(sites.sources(), fast_settings(), corpus_dir=corpus)
    new = published()
    mark = len(sites.recorder.requests)
    heard = []
    second = collect_sources(sites.sources(), fast_settings(), corpus_dir=corpus,
                             progress=lambda *step: heard.append(step))
    assert {step: (done, total) for step, done, total in heard} == {
        "collect-baoangiang": (5, 5),   # 3 new, the timeout and robots.txt's, tried again
        "collect-baocantho": (3, 3), "collect-baogialai": (3, 3)}
    fetched = article_requests(sites, mark)
    slow = "/bai-tai-rat-cham-qua-thoi-gian-cho.html"   # failed by timeout: tried again
    for host, articles in new.items():
        expected = {f"/{a.slug}.html" for a in articles} | ({slow} if host == sites.feature.host else set())
        assert fetched[host] == expected, host
    assert second.stamp != first.stamp and second.counts("new") == 3 * HELD_BACK
    assert {path.parent.name for path in second.files} == {"baoangiang", "baocantho", "baogialai"}
    listing_pages = [path for host, path, *_ in sites.recorder.requests[mark:]
                     if host == sites.listing.host and "/chuyen-muc/" in path]
    # the feed shows 2 of the 3 new articles, page 1 the third: page 2 shows only known
    # ones, and paging stops there (page 3 is not read)
    assert listing_pages == ["/chuyen-muc/chinh-tri", "/chuyen-muc/chinh-tri/trang-2"]
    rows = list(csv.DictReader(open(second.log_path, encoding="utf-8")))
    known = [row for row in rows if row["outcome"] == "unchanged"]
    assert len(known) >= first.counts("new") - 5 and all(row["http_status"] == "" for row in known)
    ids = ids_in(corpus)
    assert len(ids) == len(set(ids)) == first.counts("new") + second.counts("new")

    mark = len(sites.recorder.requests)
    third = collect_sources(sites.sources(), fast_settings(), corpus_dir=corpus)
    assert third.files == [] and third.counts("new") == 0
    feeds = [row for row in csv.DictReader(open(third.log_path, encoding="utf-8"))
             if row["url"].endswith(("/rss/tin-moi.rss", "/chuyen-muc/chinh-tri"))]
    assert [(row["http_status"], row["outcome"]) for row in feeds] == [("304", "unchanged")] * 2
    assert all(report.reachable for report in third.sources)


def test_a_collect_killed_before_its_state_commit_loses_and_repeats_nothing(
        sites, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    (corpus / "baocantho").mkdir(parents=True)
    (corpus / "baocantho" / ".20200101T000000Z.jsonl.gz.part").write_bytes(b"half written")
    commit = CollectState.commit

    def killed(self, rows, source, file):
        raise KeyboardInterrupt("killed")   # after the corpus file is durable, before commit

    monkeypatch.setattr(CollectState, "commit", killed)
    with pytest.raises(KeyboardInterrupt):
        collect_sources(sites.sources()[1:2], fast_settings(), corpus_dir=corpus)
    written = list((corpus / "baocantho").glob("*.jsonl.gz"))
    assert len(written) == 1
    monkeypatch.setattr(CollectState, "commit", commit)

    mark = len(sites.recorder.requests)
    again = collect_sources(sites.sources()[1:2], fast_settings(), corpus_dir=corpus)
    assert article_requests(sites, mark)[sites.listing.host] == set()
    assert again.counts("new") == 0 and again.files == []
    assert not list(corpus.rglob("*.part"))
    ids = ids_in(corpus)
    assert len(ids) == len(set(ids)) == len(sites.listing.articles)


def test_the_page_budget_leaves_the_rest_for_the_next_collect(sites, tmp_path):
    corpus, source = tmp_path / "corpus", sites.sources()[2:]   # the sitemap site
    small = fast_settings(max_pages_per_source=13)   # index + 2 sitemaps + 10 articles
    first = collect_sources(source, small, corpus_dir=corpus)
    rows = list(csv.DictReader(open(first.log_path, encoding="utf-8")))
    waiting = [row for row in rows if row["reason"].startswith("collect.max_pages_per_source")]
    assert first.counts("new") == 10 and len(waiting) == len(sites.sitemap.articles) - 10
    assert all(row["outcome"] == "failed" and row["http_status"] == "" for row in waiting)
    mark = len(sites.recorder.requests)
    second = collect_sources(source, fast_settings(), corpus_dir=corpus)
    assert second.counts("new") == len(waiting)
    assert len(article_requests(sites, mark)[sites.sitemap.host]) == len(waiting)
    ids = ids_in(corpus)
    assert len(ids) == len(set(ids)) == len(sites.sitemap.articles)
