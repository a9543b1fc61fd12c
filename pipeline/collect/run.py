"""The collect stage's entry point: every source at once (one host's politeness never slows
another), each source's new articles in its own corpus file, its state committed after it."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from vntopics.pipeline.collect.crawl import SourceCrawl, SourceReport
from vntopics.pipeline.collect.fetch import Budget, Fetcher, new_client
from vntopics.pipeline.collect.output import (STATE_FOLDER, CorpusFile, RunLog, committed_rows,
                                              run_stamp)
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
    corpus_dir = Path(corpus_dir)
    stamp = stamp or unused_stamp(corpus_dir)
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


def unused_stamp(corpus_dir: Path) -> str:
    """Now, UTC, to the second; a second later when a run already has this one."""
    while (corpus_dir / STATE_FOLDER / "log" / f"{(stamp := run_stamp())}.csv").exists():
        time.sleep(0.2)
    return stamp


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
    recover_uncommitted(corpus.folder, source.name, parts.state)
    crawl = SourceCrawl(source, parts.fetcher, parts.state, parts.log, corpus,
                        Budget(parts.fetcher.settings.max_pages_per_source), parts.progress)
    try:
        await crawl.run()
    except Exception as exc:   # a bug or a broken site must not stop the other sources
        crawl.report.error = f"{type(exc).__name__}: {exc}"
    crawl.report.file = corpus.finish()
    parts.state.commit(crawl.rows, source.name, file_name(crawl.report.file))
    return crawl.report


def file_name(path: Path | None) -> str | None:
    return f"{path.parent.name}/{path.name}" if path else None


def recover_uncommitted(folder: Path, source: str, state: CollectState) -> None:
    """A corpus file made durable by a collect killed before its state commit: its articles
    are collected all the same (committed now), so they are not fetched a second time."""
    if not folder.is_dir():
        return
    known = state.committed_files(source)
    for path in sorted(folder.glob("*.jsonl.gz")):
        if file_name(path) not in known:
            state.commit(committed_rows(path), source, file_name(path))
