"""prefect.yaml (`prefect deploy --all`) is written from the deployment `vntopics serve`
builds and configs/default.yaml: check that the shipped file is that text, that they agree,
and that its entrypoint loads the flow the way a Prefect worker loads it."""
from __future__ import annotations

import ast
from importlib import metadata

import pytest
import yaml

from tests.conftest import PROJECT
from vntopics.pipeline.config_io import DEFAULT_CONFIG_FILE, load_config


@pytest.fixture(scope="module")
def prefect_yaml() -> dict:
    return yaml.safe_load((PROJECT / "prefect.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def deployment(prefect_yaml) -> dict:
    deployments = prefect_yaml["deployments"]
    assert len(deployments) == 1
    return deployments[0]


@pytest.fixture(scope="module")
def schedule() -> dict:
    """The `schedule` section of the repository's configs/default.yaml, read as plain YAML."""
    config = PROJECT / "configs" / "default.yaml"
    assert DEFAULT_CONFIG_FILE.resolve() == config.resolve()   # the one the CLI reads
    return yaml.safe_load(config.read_text(encoding="utf-8"))["schedule"]


def test_shipped_file_is_the_one_written_from_the_config():
    from vntopics.flows.serve import prefect_yaml

    shipped = (PROJECT / "prefect.yaml").read_text(encoding="utf-8")
    assert shipped == prefect_yaml(load_config()), (
        "rewrite it: .venv/bin/python -m vntopics.flows.serve > prefect.yaml")


def test_an_inactive_schedule_is_written_as_none():
    from vntopics.flows.serve import prefect_yaml

    config = load_config(overrides=["schedule.active=false", "schedule.deployment=daily"])
    written = yaml.safe_load(prefect_yaml(config))["deployments"][0]
    assert (written["name"], written["schedules"]) == ("daily", [])


def test_deployment_name_and_schedule_mirror_the_default_config(deployment, schedule):
    assert deployment["name"] == schedule["deployment"]
    assert deployment["schedules"] == [{"cron": schedule["cron"],
                                        "timezone": schedule["timezone"],
                                        "active": schedule["active"]}]
    validated = load_config().schedule                # what `vntopics serve` uses
    assert (validated.cron, validated.timezone, validated.active, validated.deployment) == (
        schedule["cron"], schedule["timezone"], schedule["active"], schedule["deployment"])


def test_concurrency_limit_is_one_as_in_serve(deployment):
    from vntopics.flows.serve import CONCURRENCY_LIMIT

    assert deployment["concurrency_limit"] == 1 == CONCURRENCY_LIMIT


def test_deployment_agrees_with_the_one_vntopics_serve_builds(deployment):
    from vntopics.flows.serve import build_deployment

    served = build_deployment(load_config())
    assert served.name == deployment["name"]
    assert served.concurrency_limit == deployment["concurrency_limit"]
    assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in served.schedules] == [
        (s["cron"], s["timezone"], s["active"]) for s in deployment["schedules"]]
    assert set(served.tags) == set(deployment["tags"]) == {"vntopics"}


def test_parameters_defer_to_the_config_and_a_work_pool_is_named(deployment):
    assert deployment["parameters"] == {}
    assert deployment["work_pool"]["name"]


def test_prefect_version_is_the_pinned_one(prefect_yaml):
    pyproject = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"prefect=={prefect_yaml["prefect-version"]}"' in pyproject
    assert metadata.version("prefect") == prefect_yaml["prefect-version"]


def test_entrypoint_file_defines_the_flow_function(deployment):
    path, _, function = deployment["entrypoint"].partition(":")
    source = PROJECT / path
    assert source.is_file(), f"prefect.yaml entrypoint {path} does not exist"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    defined = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert function in defined
    decorators = [d.func if isinstance(d, ast.Call) else d
                  for d in defined[function].decorator_list]
    assert any(getattr(d, "id", None) == "flow" for d in decorators)


def test_entrypoint_loads_the_flow_like_a_worker(deployment, monkeypatch):
    from prefect import Flow
    from prefect.flows import load_flow_from_entrypoint

    monkeypatch.chdir(PROJECT)       # the pull step sets the working directory to the repo
    flow = load_flow_from_entrypoint(deployment["entrypoint"])
    assert isinstance(flow, Flow) and flow.name == "topic_report"
    assert "config" in flow.parameters.properties
