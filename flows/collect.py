"""Prefect: `collect_articles` (one task per source, so a slow or broken site never stops the
others; a table artifact of the run) and `collect_and_report`, what the weekly deployment
runs when `collect.sources_file` is set: collect, then `topic_report` on the corpus folder
(plus any --input given to `vntopics serve`)."""
from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from vntopics.flows.topic_report import DEFAULT_RUN_CONFIG, topic_report
from vntopics.flows.ui_artifacts import artifact_key
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.config_io import resolve_path

COLUMNS = ("source", "new", "unchanged", "failed")


@task(name="collect-source", cache_policy=NO_CACHE)
def collect_source(source: dict, config: RunConfig, stamp: str) -> dict:
    """One source's collect (its own connections and politeness); its counts and file."""
    from vntopics.pipeline.collect import Source, collect_sources

    summary = collect_sources([Source.model_validate(source)], config.collect,
                              corpus_dir=resolve_path(config.collect.corpus_dir), stamp=stamp)
    report = summary.sources[0]
    get_run_logger().info(report.line())
    return {"source": report.source, **{key: report.outcomes[key] for key in COLUMNS[1:]},
            "file": str(report.file or ""), "reachable": report.reachable}


@flow(name="collect_articles", log_prints=True)
def collect_articles(config: RunConfig = DEFAULT_RUN_CONFIG) -> str:
    """Every source of `collect.sources_file` into `collect.corpus_dir`; returns the folder."""
    from vntopics.pipeline.collect import load_sources
    from vntopics.pipeline.collect import unused_stamp

    if not config.collect.sources_file:
        raise ValueError("collect.sources_file is not set: no sources to collect from")
    sources = load_sources(resolve_path(config.collect.sources_file))
    corpus_dir = resolve_path(config.collect.corpus_dir)
    stamp = unused_stamp(corpus_dir)
    futures = [collect_source.with_options(name=f"collect-{source.name}").submit(
        source.model_dump(), config, stamp) for source in sources]
    rows = []
    for source, future in zip(sources, futures):
        try:
            rows.append(future.result())
        except Exception as exc:   # a task that crashed: its source counts as failed
            get_run_logger().error("%s: %s", source.name, exc)
            rows.append({"source": source.name, "new": 0, "unchanged": 0, "failed": 1,
                         "file": "", "reachable": False})
    create_table_artifact([{key: row[key] for key in COLUMNS} for row in rows],
                          key=artifact_key("collect"),
                          description=f"Collect {stamp}: new, unchanged and failed URLs per "
                                      f"source (log: {corpus_dir}/.collect/log/{stamp}.csv)")
    unreachable = [row["source"] for row in rows if not row["reachable"]]
    if unreachable:
        get_run_logger().warning("unreachable this week: %s", ", ".join(unreachable))
    return str(corpus_dir)


@flow(name="collect_and_report", log_prints=True)
def collect_and_report(config: RunConfig = DEFAULT_RUN_CONFIG) -> str:
    """The weekly run with collection: collect the sources, then the topic report on the
    corpus folder (input.paths holds it, set by `vntopics serve`)."""
    collect_articles(config=config)
    return topic_report(config=config)
