"""Deployments of the topic_report flow: `vntopics serve` (a long-lived process that runs
scheduled and UI-triggered runs) and the same deployment for `prefect deploy` (prefect.yaml).

The schedule, the deployment name and the default parameters come from the run config, so
the UI form, the schedule and the CLI share one source. Concurrency limit 1: a scheduled run
that comes due while another is running waits instead of overlapping.
"""
from __future__ import annotations

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from vntopics.flows.topic_report import topic_report
from vntopics.pipeline.config import RunConfig

CONCURRENCY_LIMIT = 1


def schedules_of(config: RunConfig) -> list[Cron]:
    if not config.schedule.active:
        return []
    return [Cron(config.schedule.cron, timezone=config.schedule.timezone)]


def build_deployment(config: RunConfig) -> RunnerDeployment:
    """topic_report; with `collect.sources_file` set, collect_and_report (collect first)."""
    if config.collect.sources_file:
        from vntopics.flows.collect import collect_and_report

        flow = collect_and_report
    else:
        flow = topic_report
    return flow.to_deployment(
        name=config.schedule.deployment,
        schedules=schedules_of(config),
        concurrency_limit=CONCURRENCY_LIMIT,
        parameters={"config": config.model_dump(mode="json")},
        description="Topic report of Vietnamese news by province and year; edit the config "
                    "fields to change inputs, K, models or comparisons for one run.",
        tags=["vntopics"],
        entrypoint_type=EntrypointType.MODULE_PATH,  # found by import wherever it is installed
    )


def serve(config: RunConfig) -> None:
    """Register the deployment and execute its runs until interrupted."""
    from prefect import serve as prefect_serve

    prefect_serve(build_deployment(config), limit=CONCURRENCY_LIMIT)
