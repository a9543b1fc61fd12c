"""The collect stage's entry point: every source at once (one host's politeness never slows
another), each source's new articles in its own corpus file, its state committed after it."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from vntopics.pipeline.collect.crawl import SourceCrawl, SourceReport
from vntopics.pipeline.collect.fetch import Budget, Fetcher, new_client
from vntopics.pipeline.collect.output import STATE_FOLDER, CorpusFile, RunLog, run_stamp
from vntopics.pipeline.collect.sources import Source
from vntopics.pipeline.collect.state import CollectState


@dataclass
class CollectSummary:
    """One collect run: the per-source reports, the files written and the run's log."""
    stamp: str
    corpus_dir: Path
    log_path: Path
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [report.file for report in self.sources if report.file]

    @property
    def unreachable(self) -> list[str]:
        return [report.source for report in self.sources if not report.reachable]

    def counts(self, outcome: str) -> int:
        return sum(report.outcomes[outcome] for report in self.sources)


def state_path(corpus_dir: Path) -> Path:
    return corpus_dir / STATE_FOLDER / "state.sqlite"


def collect_sources(sources: list[Source], settings, *, corpus_dir: Path, progress=None,
                    stamp: str | None = None) -> CollectSummary:
    """Fetch what is new since the last collect of `sources` into `corpus_dir`.

    `settings` is the config's `collect` section (CollectConfig); `stamp` names the run's
    files (default: now, UTC), so several calls (a Prefect task per source) share one log.
    """
    stamp = stamp or run_stamp()
    corpus_dir = Path(corpus_dir)
    log = RunLog(corpus_dir, stamp)
    summary = CollectSummary(stamp, corpus_dir, log.path)
    summary.sources = asyncio.run(collect_all(sources, settings, corpus_dir, log, progress))
    return summary


@dataclass
class RunParts:
    """What every source of one run shares: the fetcher (gates and robots.txt by host), the
    state, the log and the corpus folder."""
    fetcher: Fetcher
    state: CollectState
    log: RunLog
    corpus_dir: Path
    progress: object = None


async def collect_all(sources, settings, corpus_dir: Path, log: RunLog, progress
                      ) -> list[SourceReport]:
    state = CollectState(state_path(corpus_dir))
    try:
        async with new_client(settings) as client:
            parts = RunParts(Fetcher(settings, client), state, log, corpus_dir, progress)
            return list(await asyncio.gather(*(collect_one(source, parts) for source in sources)))
    finally:
        state.close()


async def collect_one(source: Source, parts: RunParts) -> SourceReport:
    """A source's collect; whatever goes wrong stays with it. What it got is kept: the corpus
    file is made durable, then its URLs are committed to the state."""
    corpus = CorpusFile(parts.corpus_dir, source.name, parts.log.path.stem)
    corpus.remove_leftovers()
    crawl = SourceCrawl(source, parts.fetcher, parts.state, parts.log, corpus,
                        Budget(parts.fetcher.settings.max_pages_per_source), parts.progress)
    try:
        await crawl.run()
    except Exception as exc:   # a bug or a broken site must not stop the other sources
        crawl.report.error = f"{type(exc).__name__}: {exc}"
    crawl.report.file = corpus.finish()
    parts.state.commit(crawl.rows)
    return crawl.report
