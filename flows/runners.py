"""Where the heavy work runs. `runner: local` keeps segmentation in local processes (one
Prefect task, no per-batch overhead); `runner: dask` runs the flow on prefect-dask's
DaskTaskRunner against an existing `dask.distributed` scheduler and submits every
segmentation batch and model fit as its own Prefect task there. The cluster's workers need
vntopics installed (same versions) since tasks call `pipeline/` functions."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext

from pipeline.config import RunConfig


@task(name="remote-call", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
def call(function: Callable, item):
    return function(item)


def map_as_tasks(function: Callable, items: Iterable) -> Iterator:
    """Submit one task per item to the flow's task runner; results in input order."""
    named = call.with_options(name=function.__name__.replace("_", "-"))
    futures = [named.submit(function, item) for item in items]
    for future in futures:
        yield future.result()


def dask_task_runner(config: RunConfig):
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=config.dask.address)


def needs_dask_runner(config: RunConfig) -> bool:
    """True when the config asks for Dask but this flow run is not on a DaskTaskRunner yet
    (a UI or scheduled run decides the runner by its parameters, after the flow started)."""
    if config.runner != "dask":
        return False
    from prefect_dask import DaskTaskRunner

    context = FlowRunContext.get()
    return not (context and isinstance(context.task_runner, DaskTaskRunner))


def local_map(workers: int):
    """A mapper over local processes ('spawn': workers must not inherit the orchestrator's
    threads and locks); one worker maps in this process."""
    def mapper(function: Callable, items: Iterable) -> Iterator:
        items = list(items)
        if workers <= 1 or len(items) <= 1:
            yield from map(function, items)
            return
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with ProcessPoolExecutor(min(workers, len(items)),
                                 mp_context=get_context("spawn")) as pool:
            yield from pool.map(function, items)
    return mapper
