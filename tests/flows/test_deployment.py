"""The deployment as a user meets it: `vntopics serve` registers it with a real Prefect
server, the run is triggered through the REST API the UI uses, with edited parameters."""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT, VNTOPICS
from tests.conftest import prefect_api as api

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
    log = root / "serve.log"
    args = [*VNTOPICS, "serve", "--input", str(FIXTURES / "unc-small.jsonl.gz"),
            "--artifacts-dir", str(root / "artifacts"),
            "--set", f"schedule.deployment={DEPLOYMENT}",
            "--set", f"cache.dir={root / 'cache'}", "--set", "compare.bootstrap=30"]
    with log.open("w") as output:
        process = subprocess.Popen(args, cwd=PROJECT, env=cli_env, stdout=output,
                                   stderr=subprocess.STDOUT)
    base = prefect_server["url"]

    def deployment():
        try:
            return api(base, "GET", f"/deployments/name/topic_report/{DEPLOYMENT}")
        except OSError:
            return None

    try:
        found = wait_for(deployment, 120, "the deployment to register", process, log)
        yield {"base": base, "deployment": found, "root": root, "process": process, "log": log}
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
    assert "config" in schema["properties"]
    model = schema["definitions"]["ModelConfig"]["properties"]
    assert model["num_topics"] and model["seed"]["type"] == "integer"
    assert set(model["continue_from"]["enum"]) == {"latest", "none"}
    compare = schema["definitions"]["CompareConfig"]["properties"]
    assert "Seeded topics" in model["seed_topics"]["description"]
    assert model["seed_topics"]["type"] == "object"
    assert "Party document codes" in compare["watchlist"]["description"]
    assert compare["watchlist"]["type"] == "array" and compare["watchlist_file"]["description"]
    assert schema["definitions"]["ReportConfig"]["properties"]["language"]["enum"] == ["en",
                                                                                      "vi"]
    defaults = deployment["parameters"]["config"]
    assert defaults["model"]["seed"] == 42 and defaults["runner"] == "local"
    assert defaults["model"]["seed_topics"] == {} and defaults["compare"]["watchlist"] == []
    assert defaults["report"]["language"] == "en"


def test_ui_triggered_run_with_edited_parameters(served):
    base, deployment = served["base"], served["deployment"]
    config = json.loads(json.dumps(deployment["parameters"]["config"]))
    config["model"]["num_topics"] = 6
    config["model"]["top_words"] = 9
    config["model"]["continue_from"] = "none"
    config["report"]["language"] = "vi"
    run = api(base, "POST", f"/deployments/{deployment['id']}/create_flow_run",
              {"parameters": {"config": config}})

    def finished():
        state = api(base, "GET", f"/flow_runs/{run['id']}")["state"]
        if state and state["type"] in ("FAILED", "CRASHED", "CANCELLED"):
            pytest.fail(f"flow run {state['type']}: {state.get('message')}\n"
                        f"{served['log'].read_text()[-3000:]}")
        return state and state["type"] == "COMPLETED"

    wait_for(finished, 600, "the flow run to complete", served["process"], served["log"])
    versions = [p for p in (served["root"] / "artifacts").iterdir()
                if p.is_dir() and not p.name.startswith(".") and p.name != "latest"]
    assert len(versions) == 1
    manifest = json.loads((versions[0] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["model"]["num_topics"] == 6
    assert manifest["config"]["model"]["continue_from"] == "none"
    topics = {line.split(",")[1] for line in
              (versions[0] / "tables" / "topics.csv").read_text().splitlines()[1:]}
    assert len(topics) == 6
    html = (versions[0] / "report.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html><html lang="vi">') and "Khám phá chủ đề" in html
