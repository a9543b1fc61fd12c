"""The weekly deployment with collection: `vntopics serve` with collect.sources_file deploys
collect -> report; a run triggered as the UI triggers it collects every source (one task
each, a table artifact) and publishes a report of the corpus folder plus --input."""
from __future__ import annotations

import csv
import json
import subprocess

import yaml

from tests.collect.test_command import closed_port
from tests.conftest import FIXTURES, PROJECT, VNTOPICS, latest_artifacts
from tests.conftest import prefect_api as api
from tests.flows.test_deployment import wait_for

DEPLOYMENT = "collect-weekly-test"


def registered(base: str, flow: str, name: str) -> dict | None:
    try:
        return api(base, "GET", f"/deployments/name/{flow}/{name}")
    except OSError:   # not yet (404)
        return None


def test_serve_deploys_collect_then_report(sites, cli_env, prefect_server, tmp_path):
    data = yaml.safe_load(sites.sources_yaml())
    data["sources"] = data["sources"][1:] + [{"name": "baodown", "province": "Lai Châu",
                                              "start": [f"http://127.0.0.1:{closed_port()}/"]}]
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    extra = FIXTURES / "seeds"
    log = tmp_path / "serve.log"
    args = [*VNTOPICS, "serve", "--input", str(extra), "--artifacts-dir", str(tmp_path / "artifacts"),
            "--set", f"schedule.deployment={DEPLOYMENT}", "--set", f"collect.sources_file={sources}",
            "--set", f"collect.corpus_dir={tmp_path / 'corpus'}", "--set", "collect.delay_seconds=0.02",
            "--set", "collect.retries=0", "--set", "compare.bootstrap=20",
            "--set", "model.num_topics=4", "--set", "model.stability_seeds=1",
            "--set", "model.models=[nmf]", "--set", f"cache.dir={tmp_path / 'cache'}"]
    base = prefect_server["url"]
    process = subprocess.Popen(args, cwd=PROJECT, env=cli_env, stderr=subprocess.STDOUT,
                               stdout=log.open("w"))
    try:
        found = wait_for(lambda: registered(base, "collect_and_report", DEPLOYMENT), 120,
                         "the deployment to register", process, log)
        config = found["parameters"]["config"]
        assert config["input"]["paths"] == [str(tmp_path / "corpus"), str(extra)]
        assert config["collect"]["sources_file"] == str(sources)
        form = found["parameter_openapi_schema"]["definitions"]["CollectConfig"]["properties"]
        assert {"sources_file", "corpus_dir", "delay_seconds", "max_connections_per_host",
                "timeout_seconds", "max_page_bytes", "max_pages_per_source",
                "contact_url"} <= set(form)
        assert all(field["description"] for field in form.values())
        run = api(base, "POST", f"/deployments/{found['id']}/create_flow_run",
                  {"parameters": {"config": config}})

        def finished():
            state = api(base, "GET", f"/flow_runs/{run['id']}")["state"]
            assert not (state and state["type"] in ("FAILED", "CRASHED", "CANCELLED")), (
                state, log.read_text()[-3000:])
            return state and state["type"] == "COMPLETED"

        wait_for(finished, 600, "the weekly run", process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)
    names = [task["name"] for task in api(base, "POST", "/task_runs/filter", {"limit": 200})]
    for source in ("baocantho", "baogialai", "baodown"):   # one task per source
        assert any(name.startswith(f"collect-{source}") for name in names), (source, names)
    table = latest_artifacts(base, ["vntopics-collect-" + DEPLOYMENT])["vntopics-collect-" + DEPLOYMENT]
    data = table.data if isinstance(table.data, list) else json.loads(table.data)
    rows = {row["source"]: row for row in data}
    assert set(rows) == {"baocantho", "baogialai", "baodown"}
    assert rows["baocantho"]["new"] == len(sites.listing.articles) and rows["baodown"]["new"] == 0
    version = next(p for p in (tmp_path / "artifacts").iterdir() if p.name[:1].isdigit())
    with open(version / "tables" / "documents.csv", encoding="utf-8") as handle:
        ok = [row for row in csv.DictReader(handle) if row["status"] == "ok"]
    provinces = {row["province"] for row in ok}
    assert {"Cần Thơ", "Gia Lai"} <= provinces and "An Giang" in provinces   # a seed: --input
    assert "## Collection" in (version / "report.md").read_text(encoding="utf-8")
