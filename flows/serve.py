"""Deployments of the topic_report flow: `vntopics serve` (a long-lived process that runs
scheduled and UI-triggered runs) and the same deployment for `prefect deploy` (prefect.yaml,
written by `python -m vntopics.flows.serve > prefect.yaml` from the pieces defined here).

The schedule, the deployment name and the default parameters come from the run config, so
the UI form, the schedule and the CLI share one source. Concurrency limit 1: a scheduled run
that comes due while another is running waits instead of overlapping.
"""
from __future__ import annotations

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from vntopics.flows.run_parameters import DEPLOYMENT_CONFIG_ENV, as_empty_form
from vntopics.flows.topic_report import topic_report
from vntopics.pipeline.config import RunConfig

CONCURRENCY_LIMIT = 1
TAGS = ["vntopics"]
WORK_POOL = "vntopics-process"      # prefect.yaml's; `vntopics serve` needs none


def schedules_of(config: RunConfig) -> list[Cron]:
    if not config.schedule.active:
        return []
    return [Cron(config.schedule.cron, timezone=config.schedule.timezone)]


def build_deployment(config: RunConfig) -> RunnerDeployment:
    """topic_report; with `collect.sources_file` set, collect_and_report (collect first).
    Either way a run's parameters overlay `config` (flows/run_parameters.py)."""
    if config.collect.sources_file:
        from vntopics.flows.collect import collect_and_report

        flow = collect_and_report
    else:
        flow = topic_report
    deployment = flow.to_deployment(
        name=config.schedule.deployment,
        schedules=schedules_of(config),
        concurrency_limit=CONCURRENCY_LIMIT,
        parameters={},   # a run's parameters overlay the served config (run_parameters.py)
        description=deployment_description(config),
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,  # found by import wherever it is installed
    )
    as_empty_form(deployment._parameter_openapi_schema.properties)
    return deployment


def deployment_description(config: RunConfig) -> str:
    collect = (f"collecting the sites of {config.collect.sources_file} into "
               f"{config.collect.corpus_dir}, then " if config.collect.sources_file else "")
    return ("Topic report of Vietnamese news by province and year, "
            f"{collect}reading {', '.join(config.input.paths)} into "
            f"{config.artifacts.dir}. A run changes only "
            "the fields it is given (K, models, language, watchlist, seeded topics, "
            "continue_from, or any key under config); the rest stay as served.")


def prefect_yaml(config: RunConfig) -> str:
    """prefect.yaml for `prefect deploy --all`: the deployment `serve` builds, for a process
    work pool (tests/flows/test_prefect_yaml.py checks the shipped file is this text)."""
    import yaml

    from prefect import __version__ as prefect_version

    deployment = {
        "name": config.schedule.deployment,
        "description": deployment_description(config),
        "entrypoint": "flows/topic_report.py:topic_report",
        "tags": TAGS,
        "parameters": {},
        "concurrency_limit": CONCURRENCY_LIMIT,
        "schedules": [{"cron": config.schedule.cron, "timezone": config.schedule.timezone,
                       "active": True}] if config.schedule.active else [],
        "work_pool": {"name": WORK_POOL, "work_queue_name": "default"},
    }
    document = {"name": "vntopics", "prefect-version": prefect_version, "build": None,
                "push": None, "pull": [{"prefect.deployments.steps.set_working_directory":
                                        {"directory": "{{ $PWD }}"}}],
                "deployments": [deployment]}
    return ("# Written by `python -m vntopics.flows.serve > prefect.yaml` from configs/default.yaml:\n"
            "# edit the config (schedule section) and rewrite, not this file. `prefect deploy --all`\n"
            f"# registers it; `prefect worker start --pool {WORK_POOL}` runs it; each run overlays\n"
            "# the shipped defaults with the parameters it is given (flows/run_parameters.py).\n"
            + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88))


def serve(config: RunConfig) -> None:
    """Register the deployment and execute its runs until interrupted; each run starts
    from `config` (handed to the runs' processes, flows/run_parameters.py)."""
    import json
    import os

    from prefect import serve as prefect_serve

    os.environ[DEPLOYMENT_CONFIG_ENV] = json.dumps(config.model_dump(mode="json"))
    prefect_serve(build_deployment(config), limit=CONCURRENCY_LIMIT)


if __name__ == "__main__":
    from vntopics.pipeline.config_io import load_config

    print(prefect_yaml(load_config()), end="")
