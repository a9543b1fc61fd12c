"""Where the heavy work runs: the mapper the flow hands to the stages.

`runner: local` maps on local processes (`pipeline.parallel.ProcessMapper`, inside one Prefect
task per stage, no per-batch overhead); `runner: dask` runs the flow on prefect-dask's
DaskTaskRunner against an existing `dask.distributed` scheduler and submits every
segmentation batch and model fit as its own Prefect task there. A segmentation task is sent
where its texts are (shard file and rows in the run's work folder, which the workers must be
able to read: a shared disk), not the texts; a fit is sent its counts. The cluster's workers
need vntopics installed (same versions) since tasks call `vntopics.pipeline` functions.
On both runners each stage is one Prefect task: a task called (not submitted) runs in the
flow's thread, so what its mapper submits goes to the flow's task runner (the cluster)."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext

from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.parallel import Mapper, ProcessMapper


@task(name="remote-call", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
def call(function: Callable, item):
    return function(item)


class TaskMapper:
    """A mapper that submits one Prefect task per item to the flow's task runner (the Dask
    cluster); results in input order."""
    description = "the Dask cluster"

    def __call__(self, function: Callable, items: Iterable) -> Iterator:
        named = call.with_options(name=function.__name__.replace("_", "-"))
        futures = [named.submit(function, item) for item in items]
        for future in futures:
            yield future.result()


def prefect_dask():
    """The dask extra (checked to be installed before the flow starts, pipeline/preflight.py)."""
    import prefect_dask

    return prefect_dask


def dask_task_runner(config: RunConfig):
    DaskTaskRunner = prefect_dask().DaskTaskRunner

    return DaskTaskRunner(address=config.dask.address)


def needs_dask_runner(config: RunConfig) -> bool:
    """True when the config asks for Dask but this flow run is not on a DaskTaskRunner yet
    (a UI or scheduled run decides the runner by its parameters, after the flow started)."""
    if config.runner != "dask":
        return False
    DaskTaskRunner = prefect_dask().DaskTaskRunner
    context = FlowRunContext.get()
    return not (context and isinstance(context.task_runner, DaskTaskRunner))


def mapper_for(config: RunConfig) -> Mapper:
    """Local processes, or one Prefect task per item on the Dask cluster."""
    return TaskMapper() if config.runner == "dask" else ProcessMapper(config.workers)
