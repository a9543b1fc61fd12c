"""The deployment as a user meets it: `vntopics serve` registers it with a real Prefect
server, the run is triggered through the REST API the UI uses, with edited parameters."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, VNTOPICS, latest_artifacts
from tests.conftest import prefect_api as api
from vntopics.cli.temporary_server import free_port

DEPLOYMENT = "integration-test"


def wait_for(predicate, timeout: float, what: str, process: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"vntopics serve exited: {log.read_text()[-3000:]}")
        value = predicate()
        if value:
            return value
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def served(cli_env, prefect_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    reports_port = free_port()
    log = root / "serve.log"
    args = [*VNTOPICS, "serve", "--input", str(FIXTURES / "unc-small.jsonl.gz"),
            "--artifacts-dir", str(root / "artifacts"),
            "--set", f"schedule.deployment={DEPLOYMENT}",
            "--set", f"cache.dir={root / 'cache'}", "--set", "compare.bootstrap=30",
            "--reports-port", str(reports_port)]
    with log.open("w") as output:
        process = subprocess.Popen(args, cwd=root, env=cli_env, stdout=output,
                                   stderr=subprocess.STDOUT)
    base = prefect_server["url"]

    def deployment():
        try:
            return api(base, "GET", f"/deployments/name/topic_report/{DEPLOYMENT}")
        except OSError:
            return None

    try:
        found = wait_for(deployment, 120, "the deployment to register", process, log)
        yield {"base": base, "deployment": found, "root": root, "process": process, "log": log,
               "env": cli_env, "reports": f"http://127.0.0.1:{reports_port}"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_deployment_has_weekly_schedule_limit_one_and_a_typed_form(served):
    deployment = served["deployment"]
    schedules = api(served["base"], "GET", f"/deployments/{deployment['id']}/schedules")
    crons = [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in schedules]
    assert crons == [("0 6 * * 1", "Asia/Ho_Chi_Minh")]
    limit = deployment.get("global_concurrency_limit") or {}
    assert deployment.get("concurrency_limit") == 1 or limit.get("limit") == 1
    schema = deployment["parameter_openapi_schema"]
    fields = sorted(schema["properties"].items(), key=lambda item: item[1]["position"])
    assert [name for name, _ in fields] == ["num_topics", "models", "language", "watchlist",
                                            "seed_topics", "continue_from", "config"]
    knobs = schema["properties"]
    assert "range '6-12'" in knobs["num_topics"]["description"]
    assert "Seeded topics" in knobs["seed_topics"]["description"]
    assert "Party document codes" in knobs["watchlist"]["description"]
    assert knobs["continue_from"]["enum"] == ["latest", "none"]
    assert knobs["language"]["enum"] == ["en", "vi"]
    assert not [name for name, field in knobs.items() if "default" in field]   # start empty
    advanced = knobs["config"]["properties"]
    assert {"model", "compare", "input", "report"} <= set(advanced)
    assert not {"schedule", "runner", "dask", "workers", "cache"} & set(advanced)
    assert "dir" not in schema["definitions"]["ArtifactsConfig"]["properties"]
    model = schema["definitions"]["ModelConfig"]["properties"]
    assert model["seed"]["type"] == "integer" and "default" not in model["seed"]
    assert deployment["parameters"] == {}   # every key left out keeps the served value
    assert str(FIXTURES / "unc-small.jsonl.gz") in deployment["description"]


def wait_for_run(served, run_id: str, states=("COMPLETED",)) -> dict:
    base = served["base"]

    def finished():
        state = api(base, "GET", f"/flow_runs/{run_id}")["state"]
        if state and state["type"] in ("FAILED", "CRASHED", "CANCELLED") + states:
            return state
        return None

    state = wait_for(finished, 600, "the flow run to finish", served["process"], served["log"])
    if state["type"] not in states:
        pytest.fail(f"flow run {state['type']}: {state.get('message')}\n"
                    f"{served['log'].read_text()[-3000:]}")
    return state


def version_of(served, run_id: str) -> Path:
    """The version folder a completed run published (the last stdout-like log line). The
    run's logs reach the server in batches, possibly after its final state: wait for it."""
    def published() -> list[str]:
        logs = api(served["base"], "POST", "/logs/filter",
                   {"logs": {"flow_run_id": {"any_": [run_id]}}, "sort": "TIMESTAMP_ASC"})
        return [log["message"] for log in logs if log["message"].startswith("published ")]

    lines = wait_for(published, 60, "the run's 'published' log line", served["process"],
                     served["log"])
    return Path(lines[-1].split()[1])


def test_the_readmes_partial_parameter_command_changes_only_k(served):
    """`prefect deployment run ... --param config='{"model": {"num_topics": 5}}'` runs on
    the deployment's input, into its artifacts folder, with its other settings."""
    command = [str(Path(sys.executable).parent / "prefect"), "deployment", "run",
               f"topic_report/{DEPLOYMENT}", "--param",
               'config={"model": {"num_topics": 5}}']
    created = subprocess.run(command, env=served["env"], capture_output=True, text=True,
                             timeout=120, cwd=served["root"])
    assert created.returncode == 0, created.stdout + created.stderr
    run_id = re.search(r"UUID: ([0-9a-f-]{36})", created.stdout)[1]
    wait_for_run(served, run_id)
    version = version_of(served, run_id)
    assert version.parent == served["root"] / "artifacts"
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["overridden_keys"] == ["model.num_topics"]
    config = manifest["config"]
    assert config["input"]["paths"] == [str(FIXTURES / "unc-small.jsonl.gz")]
    assert [i["path"] for i in manifest["inputs"]] == [str(FIXTURES / "unc-small.jsonl.gz")]
    assert config["artifacts"]["dir"] == str(served["root"] / "artifacts")
    assert config["model"]["num_topics"] == 5 and manifest["metrics"]["num_topics"] == {
        "lda": 5, "nmf": 5}
    assert config["compare"]["bootstrap"] == 30   # the served --set, kept
    assert config["cache"]["dir"] == str(served["root"] / "cache")
    logs = api(served["base"], "POST", "/logs/filter",
               {"logs": {"flow_run_id": {"any_": [run_id]}}})
    assert any(log["message"].startswith("overridden keys: model.num_topics=5; config: {")
               for log in logs)
    link = latest_artifacts(served["base"], [f"vntopics-report-{DEPLOYMENT}"])
    url = f"{served['reports']}/{version.name}/report.html"
    assert f"]({url})" in link[f"vntopics-report-{DEPLOYMENT}"].data
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.read() == (version / "report.html").read_bytes()


def test_ui_triggered_run_with_the_forms_knobs(served):
    base, deployment = served["base"], served["deployment"]
    parameters = {"num_topics": 6, "continue_from": "none", "language": "vi",
                  "config": {"model": {"top_words": 9}}}
    run = api(base, "POST", f"/deployments/{deployment['id']}/create_flow_run",
              {"parameters": parameters})
    wait_for_run(served, run["id"])
    version = version_of(served, run["id"])
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["overridden_keys"] == ["model.num_topics", "model.top_words",
                                           "model.continue_from", "report.language"]
    assert manifest["config"]["model"]["num_topics"] == 6
    assert manifest["config"]["input"]["paths"] == [str(FIXTURES / "unc-small.jsonl.gz")]
    topics = {line.split(",")[1] for line in
              (version / "tables" / "topics.csv").read_text().splitlines()[1:]}
    assert len(topics) == 6
    html = (version / "report.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html><html lang="vi">') and "Khám phá chủ đề" in html


def test_an_unknown_key_or_a_per_deployment_setting_is_refused_naming_it(served):
    base, deployment = served["base"], served["deployment"]
    for config, key in (({"model": {"num_topicz": 5}}, "num_topicz"),
                        ({"cache": {"enabled": False}}, "cache")):
        with pytest.raises(urllib.error.HTTPError) as refused:
            api(base, "POST", f"/deployments/{deployment['id']}/create_flow_run",
                {"parameters": {"config": config}})
        assert refused.value.code == 409 and key in refused.value.read().decode()


def test_an_impossible_value_fails_the_run_at_once_naming_the_key(served):
    base, deployment = served["base"], served["deployment"]
    run = api(base, "POST", f"/deployments/{deployment['id']}/create_flow_run",
              {"parameters": {"config": {"model": {"num_topics": 1}}}})
    state = wait_for_run(served, run["id"], states=("FAILED",))
    assert "model.num_topics: every K must be at least 2" in state["message"]
