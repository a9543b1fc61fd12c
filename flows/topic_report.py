"""The main flow: raw articles in, one published artifact version out.

It reads top to bottom as the data path: one task per stage, each calling one entry point of
one `vntopics.pipeline` subpackage; nothing here computes anything itself. Large values pass
between tasks wrapped in `quote()`, so Prefect does not walk every token looking for upstream
futures (on the shipped default corpus that walk took seconds per task: benchmarks/README.md).
Each task imports its stage when it runs: the libraries a stage needs (pandas, gensim,
scikit-learn) are loaded by the first stage that uses them, not before the flow can start
(the fixed cost of a run, benchmarks/README.md); long stages report progress
(flows/progress.py).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from vntopics.flows.progress import stage_progress
from vntopics.flows.run_parameters import (ConfigParameter, ContinueFrom, Language, Models,
                                           NumTopics, SeedTopics, Watchlist, describe,
                                           flow_docstring, run_config)
from vntopics.flows.runners import dask_task_runner, mapper_for, needs_dask_runner
from vntopics.flows.ui_artifacts import publish_ui_artifacts
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.config_io import (cache_dir, input_paths, resolve_path, sidecar_path,
                                         stopword_paths)
from vntopics.pipeline.parallel import Mapper, usable_workers

if TYPE_CHECKING:
    from vntopics.pipeline.compare import ComparisonTables
    from vntopics.pipeline.model import Modelling
    from vntopics.pipeline.segment import ReadingSegmenter, SegmentationStats, WatchTerm
    from vntopics.pipeline.store import Lineage, RunResults
    from vntopics.pipeline.text import DocumentSet, PreparedText


def only_transient(task, task_run, state) -> bool:
    """Retry reading after an I/O error (a network share that hiccuped), never after bad
    input: a ValueError (InputError, an undecodable sidecar) fails the same way every time."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE, retry_condition_fn=only_transient)
def ingest(paths: list[Path], config: RunConfig, work_dir: Path,
           ahead: ReadingSegmenter | None = None) -> PreparedText:
    from vntopics.pipeline.text import prepare_text

    logger = get_run_logger()
    with stage_progress("clean", "dedupe") as progress:
        prepared = prepare_text(paths, config.input, sidecar=sidecar_path(config),
                                cache_dir=cache_dir(config), work_dir=work_dir,
                                # segmenting beside it, cleaning here costs least CPU
                                # (benchmarks/README.md: pipeline_speed.py)
                                workers=1 if ahead else usable_workers(config.workers)[0],
                                progress=progress, on_shard=ahead and ahead.on_shard)
    for warning in prepared.warnings:
        logger.warning(warning)
    documents = prepared.documents
    ok = sum(d.status == "ok" for d in documents)
    logger.info("read %d documents: %d ok, %d rejected%s", len(documents), ok,
                len(documents) - ok, " (cleaned documents reused from the cache)"
                if prepared.reused else "")
    return prepared


@task(cache_policy=NO_CACHE)
def segment(documents: DocumentSet, config: RunConfig, mapper: Mapper,
            watchlist: list[WatchTerm], work_dir: Path,
            ahead: ReadingSegmenter | None = None) -> SegmentationStats:
    from vntopics.pipeline.segment import TokenStore, segment_documents

    logger = get_run_logger()
    with stage_progress("segment") as progress:
        stats = segment_documents(
            documents, config.text, stopword_files=stopword_paths(config),
            cache_dir=cache_dir(config), mapper=mapper, batch_size=config.segment.batch_size,
            progress=lambda done, total: progress("segment", done, total),
            watchlist=watchlist, tokens=TokenStore(work_dir / "tokens"), ahead=ahead)
    logger.info("segmentation: %d documents, %d cache hits, %d segmented on %s%s",
                stats.documents, stats.cache_hits, stats.segmented, mapper.description,
                " (filtered tokens reused from the cache)" if stats.tokens_reused else "")
    return stats


@task(cache_policy=NO_CACHE)
def recall(config: RunConfig) -> Lineage:
    """The topics this run continues (the store's lineage of earlier versions)."""
    from vntopics.pipeline.store import recall_lineage

    lineage, note = recall_lineage(resolve_path(config.artifacts.dir))
    get_run_logger().info(note)
    return lineage


@task(cache_policy=NO_CACHE)
def models(documents: DocumentSet, config: RunConfig, mapper: Mapper, lineage: Lineage,
           work_dir: Path) -> Modelling:
    """The vocabulary, then every model at every K (coherence-scored), K chosen, stability
    seeds at that K; with `model.continue_from: latest`, each model starts from the
    lineage's topics. Local workers read the counts from the work folder (a cluster gets
    them pickled)."""
    from vntopics.pipeline.model import model_topics

    logger = get_run_logger()
    with stage_progress(*config.model.models) as progress:
        modelling = model_topics(
            documents, config.model, corpus_settings=config.corpus, mapper=mapper,
            memory=lineage, progress=progress, cache_dir=cache_dir(config),
            share_dir=work_dir / "corpus" if config.runner == "local" else None)
    logger.info("vocabulary of %d words over %d documents%s", len(modelling.corpus.dictionary),
                len(modelling.modelled),
                " (corpus reused from the cache)" if modelling.corpus_reused else "")
    result = modelling.fitted
    if result.refits_reused:
        logger.info("%d stability refits reused from the cache", result.refits_reused)
    for seeded in result.seed_topics:
        if seeded.missing:
            logger.warning("seeded topic %r: %s not in the vocabulary (stop-word, too rare or "
                           "too common); seeded with %s", seeded.label,
                           ", ".join(seeded.missing), ", ".join(seeded.words))
    for name, metrics in result.metrics.items():
        logger.info("%s: K=%d chosen from %s, NPMI %.3f, c_v %.3f, %d/%d stable topics", name,
                    metrics["k"], metrics["k_values"], metrics["c_npmi"], metrics["c_v"],
                    metrics["stable_topics"], metrics["k"])
    return modelling


@task(cache_policy=NO_CACHE)
def compare(modelling: Modelling, config: RunConfig,
            watchlist: list[WatchTerm]) -> ComparisonTables:
    from vntopics.pipeline.compare import compare_documents

    with stage_progress("bootstrap") as progress:
        tables = compare_documents(list(modelling.fitted.models.values()), modelling.modelled,
                                   modelling.texts, config.compare, seed=config.model.seed,
                                   watchlist=watchlist, progress=progress,
                                   cache_dir=cache_dir(config),
                                   corpus_key=modelling.corpus_key)
    logger = get_run_logger()
    logger.info("compared %d groups; %d distinctive words; %d emerging/declining words; %d "
                "citation cells%s", tables.prevalence["group"].nunique(),
                len(tables.distinctive), len(tables.trend_summary), len(tables.citations),
                " (all but prevalence reused from the cache)" if tables.reused else "")
    if watchlist:
        found = tables.watchlist[(tables.watchlist["dimension"] == "all")]
        logger.info("watchlist: %s", "; ".join(f"{t} in {d} documents" for t, d in
                                               zip(found["term"], found["docs"])))
    return tables


@task(cache_policy=NO_CACHE)
def publish(results: RunResults, config: RunConfig, previous: Path | None) -> Path:
    from vntopics.pipeline.store import publish_version

    started = time.perf_counter()
    final, pruned = publish_version(results, resolve_path(config.artifacts.dir),
                                    top_words=config.model.top_words, previous=previous,
                                    keep_last=config.artifacts.keep_last)
    logger = get_run_logger()
    logger.info("published %s in %.1f s", final, time.perf_counter() - started)
    if pruned:
        logger.info("pruned %d old versions (keep_last=%d)", len(pruned),
                    config.artifacts.keep_last)
    return final


class Timers(dict):
    """Seconds per step, each under its task's name: the step's one name is the task's
    (its function's), its timer and its `stage_seconds` key (ARCHITECTURE.md)."""

    def call(self, step, *args):
        start = time.perf_counter()
        try:
            return step(*args)
        finally:
            self[step.name] = self.get(step.name, 0.0) + time.perf_counter() - start

    def stage_seconds(self, vocabulary: float) -> dict[str, float]:
        """The manifest's stage_seconds, in its order: the vocabulary is timed inside the
        models call, and the models' time includes recalling the topics they continue."""
        return {"ingest": self["ingest"], "segment": self["segment"],
                "vocabulary": vocabulary,
                "models": self["recall"] + self["models"] - vocabulary,
                "compare": self["compare"]}


@flow(name="topic_report", log_prints=True)
def topic_report(
        *, num_topics: NumTopics = None, models: Models = None, language: Language = None,
        watchlist: Watchlist = None, seed_topics: SeedTopics = None,
        continue_from: ContinueFrom = None, config: ConfigParameter = None) -> str:
    """Ingest → clean → segment → vocabulary → LDA/NMF → comparisons → versioned report."""
    knobs = {"num_topics": num_topics, "models": models, "language": language,
             "watchlist": watchlist, "seed_topics": seed_topics, "continue_from": continue_from}
    settings, overridden = run_config(config, knobs)   # a bad key fails here, naming it
    get_run_logger().info(describe(settings, overridden))
    return report_with(settings, overridden, {**knobs, "config": config})


# The form's descriptions are the config keys' own (Prefect reads them from the docstring).
topic_report.__doc__ = topic_report.fn.__doc__ = flow_docstring(topic_report.__doc__)


def report_with(config: RunConfig, overridden: list[str], parameters: dict) -> str:
    """The run with its whole config; on Dask, the flow again on a DaskTaskRunner."""
    from vntopics.pipeline.preflight import check_before_work

    check_before_work(config)   # an unusable input, list or folder fails here, before any work
    if needs_dask_runner(config):
        return topic_report.with_options(task_runner=dask_task_runner(config))(**parameters)
    from vntopics.pipeline.segment import load_watchlist
    from vntopics.pipeline.store import (latest_version, pin_versions, previous_version,
                                         tidy_artifacts_dir, work_folder)

    mapper = mapper_for(config)
    if config.runner == "local" and (capped := usable_workers(config.workers)[1]):
        get_run_logger().warning(capped)
    paths = input_paths(config)
    artifacts_dir = resolve_path(config.artifacts.dir)
    for done in tidy_artifacts_dir(artifacts_dir):
        get_run_logger().warning(done)
    previous = previous_version(artifacts_dir, config.artifacts.compare_to)
    watchlist = load_watchlist(config.compare)
    with work_folder(artifacts_dir) as work_dir:   # texts and token ids of this run, on disk
        pin_versions(work_dir, [previous, latest_version(artifacts_dir)])   # kept till publish
        return run_stages(config, paths, previous=previous, watchlist=watchlist,
                          mapper=mapper, work_dir=work_dir, overridden=overridden)


def run_stages(config: RunConfig, paths: list[Path], *, previous: Path | None,
               watchlist: list[WatchTerm], mapper: Mapper, work_dir: Path,
               overridden: list[str]) -> str:
    """The stages, in order; large values live in `work_dir` (removed when the run ends).
    The timers are the manifest's `stage_seconds` (ARCHITECTURE.md: one step, its names)."""
    from vntopics.pipeline.segment import reading_segmenter

    timers = Timers()
    local = usable_workers(config.workers)[0] if config.runner == "local" else 1
    with reading_segmenter(config.segment, cache_dir=cache_dir(config), workers=local) as ahead:
        # segmenting while reading (pipeline/segment/reading.py)
        prepared = timers.call(ingest, paths, config, work_dir, quote(ahead))
        documents = prepared.documents
        segmentation = timers.call(segment, quote(documents), config, mapper, watchlist,
                                   work_dir, quote(ahead))
    memory = timers.call(recall, config)
    modelling = timers.call(models, quote(documents), config, mapper, quote(memory), work_dir)
    comparisons = timers.call(compare, quote(modelling), config, watchlist)
    from vntopics.pipeline.store import run_results   # with the store's libraries, now loaded

    results = run_results(config, text=prepared, segmentation=segmentation,
                          modelling=modelling, comparisons=comparisons, lineage=memory,
                          watchlist=watchlist,
                          stage_seconds=timers.stage_seconds(modelling.vocabulary_seconds),
                          overridden_keys=overridden)
    final = publish(quote(results), config, previous)
    publish_ui_artifacts(final)
    return str(final)
