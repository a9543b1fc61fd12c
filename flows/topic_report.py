"""The main flow: raw articles in, one published artifact version out.

Large values pass between tasks wrapped in `quote()`, so Prefect does not walk every token
looking for upstream futures (that walk cost seconds per task on 600 documents).

Tasks are thin wrappers over `pipeline/` stages; nothing here computes anything itself.
"""
from __future__ import annotations

import time
from dataclasses import asdict
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.runners import dask_task_runner, local_map, map_as_tasks, needs_dask_runner
from flows.ui_artifacts import publish_ui_artifacts
from pipeline.artifacts import (VersionWriter, describe_inputs, run_fingerprint,
                                sha256_of)
from pipeline.comparisons import ComparisonTables, compare_groups
from pipeline.config import RunConfig, load_config, resolve_project_path
from pipeline.corpus import Corpus, build_corpus
from pipeline.ingest import check_inputs
from pipeline.ingestcache import IngestCache, ingest_key
from pipeline.documents import (Document, apply_phrases, documents_table, prepare_documents,
                                tokenize_documents)
from pipeline.segcache import SegmentationCache, SegmentationStats, default_workers
from pipeline.models import TopicModel
from pipeline.selection import FitResult, sweep_and_fit
from pipeline.outputs import RunResults, write_version
from pipeline.versions import previous_version, prune_versions, set_latest
from pipeline.tokens import TokenFilter, load_stopwords

@task(name="read-and-clean", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def read_and_clean(paths: list[Path], sidecar: Path | None, inputs: list[dict],
                   config: RunConfig) -> tuple[list[Document], bool]:
    """Cleaned documents, from the ingest cache when these inputs were read before (True)."""
    settings = config.input
    cache = (IngestCache(resolve_project_path(config.segment.cache_dir))
             if config.segment.cache else None)
    key = ingest_key(inputs, sha256_of(sidecar) if sidecar else None, settings.max_file_mb,
                     settings.html)
    documents = cache.load(key) if cache else None
    reused = documents is not None
    if documents is None:
        documents = prepare_documents(paths, sidecar, settings.max_file_mb, settings.html,
                                      config.segment.workers or default_workers())
        if cache:
            cache.save(key, documents)
    ok = sum(d.status == "ok" for d in documents)
    get_run_logger().info("read %d documents: %d ok, %d rejected%s", len(documents), ok,
                          len(documents) - ok, " (cleaned documents reused from the cache)"
                          if reused else "")
    return documents, reused


def segment_documents(documents: list[Document], config: RunConfig,
                      mapper: Callable | None = None
                      ) -> tuple[list[Document], SegmentationStats]:
    """Segment, filter and count; batches go to local processes, or through `mapper`."""
    logger = get_run_logger()
    text, settings = config.text, config.segment
    stopwords = load_stopwords([resolve_project_path(p) for p in text.stopword_files],
                               text.extra_stopwords)
    cache = (SegmentationCache(resolve_project_path(settings.cache_dir)) if settings.cache
             else None)
    workers = settings.workers or default_workers()

    def progress(done: int, total: int) -> None:
        logger.info("segmented %d / %d new documents", done, total)

    try:
        stats = tokenize_documents(documents, TokenFilter(stopwords, text.min_token_chars),
                                   text.min_doc_tokens, cache, workers, settings.batch_size,
                                   progress, mapper)
    finally:
        if cache:
            cache.close()
    if text.phrases:
        apply_phrases(documents, text.phrase_min_count, text.phrase_threshold)
    logger.info("segmentation: %d documents, %d cache hits, %d segmented on %s",
                stats.documents, stats.cache_hits, stats.segmented,
                "the Dask cluster" if mapper else f"{workers} workers")
    return documents, stats


segment = task(name="segment-and-filter", cache_policy=NO_CACHE)(segment_documents)


def return_freed_memory() -> None:
    """Give the heap that segmentation and counting freed back to the OS (glibc keeps it
    otherwise: hundreds of MB of RSS on the full VNTC while the models are fitted)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):   # not glibc: nothing to do
        pass


@task(name="build-vocabulary", cache_policy=NO_CACHE)
def vocabulary(documents: list[Document], config: RunConfig) -> tuple[Corpus, list[Document]]:
    candidates = [d for d in documents if d.status == "ok"]
    corpus = build_corpus([d.tokens for d in candidates], config.corpus.no_below,
                          config.corpus.no_above, config.corpus.keep_n)
    kept = set(corpus.kept.tolist())
    for index, document in enumerate(candidates):
        if index not in kept:
            document.reject("no words left after vocabulary filtering (no_below/no_above)")
    modelled = [candidates[i] for i in corpus.kept]
    largest_k = max(config.model.k_values())
    if len(modelled) < max(2 * largest_k, 10):
        raise ValueError(f"only {len(modelled)} usable documents for K={largest_k} topics; "
                         "add documents or lower model.num_topics")
    get_run_logger().info("vocabulary of %d words over %d documents", len(corpus.dictionary),
                          len(modelled))
    return_freed_memory()   # before the model fits, the run's peak
    return corpus, modelled


def fit_models(corpus: Corpus, modelled: list[Document], config: RunConfig,
               mapper: Callable) -> FitResult:
    """Every model at every K (coherence-scored), K chosen, stability seeds at that K."""
    result = sweep_and_fit(corpus, [d.tokens for d in modelled], config.model, mapper)
    for name, metrics in result.metrics.items():
        get_run_logger().info("%s: K=%d chosen from %s, NPMI %.3f, c_v %.3f, %d/%d stable "
                              "topics", name, metrics["k"], metrics["k_values"],
                              metrics["c_npmi"], metrics["c_v"], metrics["stable_topics"],
                              metrics["k"])
    return result


fit_models_task = task(name="fit-topic-models", cache_policy=NO_CACHE)(fit_models)


@task(name="compare-groups", cache_policy=NO_CACHE)
def compare(models: list[TopicModel], modelled: list[Document], config: RunConfig
            ) -> ComparisonTables:
    tables = compare_groups(models, documents_table(modelled), [d.tokens for d in modelled],
                            [d.citations for d in modelled], config.compare, config.model.seed)
    get_run_logger().info("compared %d groups; %d distinctive words; %d emerging/declining "
                          "words; %d citation cells", tables.prevalence["group"].nunique(),
                          len(tables.distinctive), len(tables.trend_summary),
                          len(tables.citations))
    return tables


@task(name="write-version", cache_policy=NO_CACHE)
def publish_version(results: RunResults, config: RunConfig, previous: Path | None) -> Path:
    artifacts_dir = resolve_project_path(config.artifacts.dir)
    writer = VersionWriter(artifacts_dir, run_fingerprint(results.config, results.inputs))
    try:
        write_version(writer, results, config.model.top_words, previous)
        final = writer.publish()
    except BaseException:
        writer.discard()
        raise
    set_latest(artifacts_dir, final)
    pruned = prune_versions(artifacts_dir, config.artifacts.keep_last, protect=[final])
    logger = get_run_logger()
    logger.info("published %s", final)
    if pruned:
        logger.info("pruned %d old versions (keep_last=%d)", len(pruned),
                    config.artifacts.keep_last)
    return final


@contextmanager
def timed(seconds: dict[str, float], stage: str):
    start = time.perf_counter()
    yield
    seconds[stage] = time.perf_counter() - start


DEFAULT_CONFIG = load_config()  # configs/default.yaml: the defaults the UI form shows


@flow(name="topic_report", log_prints=True)
def topic_report(config: RunConfig = DEFAULT_CONFIG) -> str:
    """Ingest → clean → segment → vocabulary → LDA/NMF → comparisons → versioned report."""
    if needs_dask_runner(config):
        return topic_report.with_options(task_runner=dask_task_runner(config))(config=config)
    seconds: dict[str, float] = {}
    paths = [resolve_project_path(p) for p in config.input.paths]
    sidecar = resolve_project_path(config.input.sidecar) if config.input.sidecar else None
    check_inputs(paths)   # an unusable input fails here, before any work
    previous = previous_version(resolve_project_path(config.artifacts.dir),
                                config.artifacts.compare_to)
    with timed(seconds, "ingest"):
        inputs = describe_inputs(paths)
        documents, reused = read_and_clean(paths, sidecar, inputs, config)
    with timed(seconds, "segment"):
        if config.runner == "dask":
            documents, segmentation = segment_documents(documents, config, map_as_tasks)
        else:
            documents, segmentation = segment(quote(documents), config)
    with timed(seconds, "vocabulary"):
        corpus, modelled = vocabulary(quote(documents), config)
    with timed(seconds, "models"):
        if config.runner == "dask":
            fitted = fit_models(corpus, modelled, config, map_as_tasks)
        else:
            workers = config.segment.workers or default_workers()
            fitted = fit_models_task(quote(corpus), quote(modelled), config,
                                     local_map(workers))
    models = list(fitted.models.values())
    with timed(seconds, "compare"):
        comparisons = compare(quote(models), quote(modelled), config)
    results = RunResults(config=config.model_dump(mode="json"), inputs=inputs,
                         documents=documents, modelled=modelled, corpus=corpus, models=models,
                         comparisons=comparisons, k_sweep=fitted.k_sweep,
                         stability=fitted.stability, model_metrics=fitted.metrics,
                         stage_seconds=seconds,
                         segmentation=asdict(segmentation),
                         ingest={"cleaned_documents_reused": reused})
    final = publish_version(quote(results), config, previous)
    publish_ui_artifacts(final)
    return str(final)
