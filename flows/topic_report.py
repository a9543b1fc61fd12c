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
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from vntopics.flows.progress import stage_progress
from vntopics.flows.runners import dask_task_runner, mapper_for, needs_dask_runner, stage
from vntopics.flows.ui_artifacts import publish_ui_artifacts
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.config_io import load_config, resolve_path
from vntopics.pipeline.parallel import Mapper, usable_workers

if TYPE_CHECKING:
    from vntopics.pipeline.compare import ComparisonTables
    from vntopics.pipeline.model import Corpus, FitResult
    from vntopics.pipeline.segment import SegmentationStats, TokenRows, WatchTerm
    from vntopics.pipeline.store import Lineage, RunResults
    from vntopics.pipeline.text import Document, DocumentSet


def cache_dir(config: RunConfig) -> Path | None:
    return resolve_path(config.cache.dir) if config.cache.enabled else None


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


@task(name="read-and-clean", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE,
      retry_condition_fn=only_transient)
def read_and_clean(paths: list[Path], inputs: list[dict], config: RunConfig, work_dir: Path
                   ) -> tuple[DocumentSet, bool]:
    from vntopics.pipeline.store import sha256_of
    from vntopics.pipeline.text import load_or_prepare

    sidecar = resolve_path(config.input.sidecar) if config.input.sidecar else None
    with stage_progress("clean", "dedupe") as progress:
        documents, reused = load_or_prepare(paths, inputs, config.input, sidecar,
                                            sha256_of(sidecar) if sidecar else None,
                                            cache_dir(config),
                                            usable_workers(config.workers)[0], progress,
                                            work_dir)
    ok = sum(d.status == "ok" for d in documents)
    get_run_logger().info("read %d documents: %d ok, %d rejected%s", len(documents), ok,
                          len(documents) - ok, " (cleaned documents reused from the cache)"
                          if reused else "")
    return documents, reused


@task(name="segment-and-filter", cache_policy=NO_CACHE)
def segment(documents: DocumentSet, config: RunConfig, mapper: Mapper,
            watchlist: list[WatchTerm], work_dir: Path
            ) -> tuple[DocumentSet, SegmentationStats]:
    from vntopics.pipeline.segment import TokenStore, segment_documents

    logger = get_run_logger()
    with stage_progress("segment") as progress:
        stats = segment_documents(
            documents, config.text, [resolve_path(p) for p in config.text.stopword_files],
            cache_dir(config), mapper, config.segment.batch_size,
            lambda done, total: progress("segment", done, total), watchlist,
            TokenStore(work_dir / "tokens"))
    logger.info("segmentation: %d documents, %d cache hits, %d segmented on %s",
                stats.documents, stats.cache_hits, stats.segmented, mapper.description)
    return documents, stats


@task(name="build-vocabulary", cache_policy=NO_CACHE)
def vocabulary(documents: DocumentSet, config: RunConfig
               ) -> tuple[Corpus, list[Document], TokenRows]:
    """The corpus, the documents it models, and their tokens (what coherence and the
    comparisons read)."""
    from vntopics.pipeline.model import build_modelling_corpus

    settings = config.corpus
    corpus, modelled = build_modelling_corpus(documents, settings.no_below, settings.no_above,
                                              settings.keep_n, max(config.model.k_values()))
    get_run_logger().info("vocabulary of %d words over %d documents", len(corpus.dictionary),
                          len(modelled))
    return corpus, modelled, documents.tokens.rows([d.token_row for d in modelled])


@task(name="recall-topics", cache_policy=NO_CACHE)
def recall_topics(config: RunConfig) -> Lineage:
    from vntopics.pipeline.store import recall_lineage

    lineage, note = recall_lineage(resolve_path(config.artifacts.dir))
    get_run_logger().info(note)
    return lineage


@task(name="fit-topic-models", cache_policy=NO_CACHE)
def fit_models(corpus: Corpus, texts: TokenRows, config: RunConfig, mapper: Mapper,
               lineage: Lineage, work_dir: Path) -> FitResult:
    """Every model at every K (coherence-scored), K chosen, stability seeds at that K; with
    `model.continue_from: latest`, each model starts from the lineage's topics. Local
    workers read the counts from the work folder (a cluster gets them pickled)."""
    from vntopics.pipeline.model import sweep_and_fit

    if config.runner == "local":
        corpus.share(work_dir / "corpus")

    warm = (lineage.warm_start(corpus.vocabulary) if config.model.continue_from == "latest"
            else None)
    with stage_progress(*config.model.models) as progress:
        result = sweep_and_fit(corpus, texts, config.model, mapper, warm, progress)
    for seeded in result.seed_topics:
        if seeded.missing:
            get_run_logger().warning("seeded topic %r: %s not in the vocabulary (stop-word, "
                                     "too rare or too common); seeded with %s", seeded.label,
                                     ", ".join(seeded.missing), ", ".join(seeded.words))
    for name, metrics in result.metrics.items():
        get_run_logger().info("%s: K=%d chosen from %s, NPMI %.3f, c_v %.3f, %d/%d stable "
                              "topics", name, metrics["k"], metrics["k_values"],
                              metrics["c_npmi"], metrics["c_v"], metrics["stable_topics"],
                              metrics["k"])
    return result


@task(name="compare-groups", cache_policy=NO_CACHE)
def compare(fitted: FitResult, modelled: list[Document], texts: TokenRows, config: RunConfig,
            watchlist: list[WatchTerm]) -> ComparisonTables:
    from vntopics.pipeline.compare import compare_groups
    from vntopics.pipeline.text import documents_table

    with stage_progress("bootstrap") as progress:
        tables = compare_groups(list(fitted.models.values()), documents_table(modelled),
                                texts, [d.citations for d in modelled],
                                config.compare, config.model.seed, watchlist,
                                [d.term_counts for d in modelled], progress)
    logger = get_run_logger()
    logger.info("compared %d groups; %d distinctive words; %d emerging/declining words; %d "
                "citation cells", tables.prevalence["group"].nunique(),
                len(tables.distinctive), len(tables.trend_summary), len(tables.citations))
    if watchlist:
        found = tables.watchlist[(tables.watchlist["dimension"] == "all")]
        logger.info("watchlist: %s", "; ".join(f"{t} in {d} documents" for t, d in
                                               zip(found["term"], found["docs"])))
    return tables


@task(name="write-version", cache_policy=NO_CACHE)
def write_version(results: RunResults, config: RunConfig, previous: Path | None) -> Path:
    from vntopics.pipeline.store import publish_version

    started = time.perf_counter()
    final, pruned = publish_version(results, resolve_path(config.artifacts.dir),
                                    config.model.top_words, previous,
                                    config.artifacts.keep_last)
    logger = get_run_logger()
    logger.info("published %s in %.1f s", final, time.perf_counter() - started)
    if pruned:
        logger.info("pruned %d old versions (keep_last=%d)", len(pruned),
                    config.artifacts.keep_last)
    return final


@contextmanager
def timed(seconds: dict[str, float], name: str):
    start = time.perf_counter()
    yield
    seconds[name] = time.perf_counter() - start


DEFAULT_RUN_CONFIG = load_config()   # the shipped default.yaml: the defaults the UI form shows


@flow(name="topic_report", log_prints=True)
def topic_report(config: RunConfig = DEFAULT_RUN_CONFIG) -> str:
    """Ingest → clean → segment → vocabulary → LDA/NMF → comparisons → versioned report."""
    from vntopics.pipeline.preflight import check_before_work

    check_before_work(config)   # an unusable input, list or folder fails here, before any work
    if needs_dask_runner(config):
        return topic_report.with_options(task_runner=dask_task_runner(config))(config=config)
    from vntopics.pipeline.segment import load_watchlist
    from vntopics.pipeline.store import (latest_version, pin_versions, previous_version,
                                         tidy_artifacts_dir)
    from vntopics.pipeline.store.artifacts_dir import work_folder

    mapper = mapper_for(config)
    if config.runner == "local" and (capped := usable_workers(config.workers)[1]):
        get_run_logger().warning(capped)
    paths = [resolve_path(p) for p in config.input.paths]
    artifacts_dir = resolve_path(config.artifacts.dir)
    for done in tidy_artifacts_dir(artifacts_dir):
        get_run_logger().warning(done)
    previous = previous_version(artifacts_dir, config.artifacts.compare_to)
    watchlist = load_watchlist(config.compare)
    with work_folder(artifacts_dir) as work_dir:   # texts and token ids of this run, on disk
        pin_versions(work_dir, [previous, latest_version(artifacts_dir)])   # kept till publish
        return run_stages(config, paths, artifacts_dir, previous, watchlist, mapper, work_dir)


def run_stages(config: RunConfig, paths: list[Path], artifacts_dir: Path,
               previous: Path | None, watchlist: list[WatchTerm], mapper: Mapper,
               work_dir: Path) -> str:
    """The stages, in order; large values live in `work_dir` (removed when the run ends)."""
    from vntopics.pipeline.store import describe_inputs
    from vntopics.pipeline.text import input_warnings

    seconds: dict[str, float] = {}
    with timed(seconds, "ingest"):
        inputs = describe_inputs(paths, config.input.symlinks)
        warnings = input_warnings(paths, inputs)
        for warning in warnings:
            get_run_logger().warning(warning)
        documents, reused = read_and_clean(paths, inputs, config, work_dir)
    with timed(seconds, "segment"):
        documents, segmentation = stage(config, segment, quote(documents), config, mapper,
                                        watchlist, work_dir)
    with timed(seconds, "vocabulary"):
        corpus, modelled, texts = vocabulary(quote(documents), config)
    with timed(seconds, "models"):
        lineage = recall_topics(config)
        fitted = stage(config, fit_models, quote(corpus), quote(texts), config, mapper,
                       quote(lineage), work_dir)
    with timed(seconds, "compare"):
        comparisons = compare(quote(fitted), quote(modelled), quote(texts), config, watchlist)
    from vntopics.pipeline.store import RunResults   # with the store's libraries, now loaded

    results = RunResults(config=config.model_dump(mode="json"), inputs=inputs,
                         documents=documents, modelled=modelled, corpus=corpus,
                         models=list(fitted.models.values()), comparisons=comparisons,
                         k_sweep=fitted.k_sweep, stability=fitted.stability,
                         model_metrics=fitted.metrics, stage_seconds=seconds,
                         segmentation=asdict(segmentation),
                         ingest={"cleaned_documents_reused": reused}, lineage=lineage,
                         warnings=warnings, seed_topics=fitted.seed_topics,
                         watchlist=watchlist)
    final = write_version(quote(results), config, previous)
    publish_ui_artifacts(final)
    return str(final)
