"""`runner: dask` against a real dask.distributed cluster gives the same topics as local."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, prefect_api, run_cli

distributed = pytest.importorskip("distributed")


def run(cli_env, root: Path, *extra: str) -> tuple[Path, str]:
    result = run_cli(["run", "--input", str(FIXTURES / "unc-small.jsonl.gz"),
                      "--artifacts-dir", str(root), "--set", "model.num_topics=4",
                      "--set", "compare.bootstrap=20", "--set", "cache.enabled=false",
                      "--set", "segment.batch_size=16", *extra], env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1]), result.stdout + result.stderr


def test_dask_runner_matches_local(cli_env, tmp_path):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask, log = run(cli_env, tmp_path / "dask", "--set", "runner=dask",
                           "--set", f"dask.address={cluster.scheduler_address}")
        with distributed.Client(cluster) as client:
            prefixes = client.run_on_scheduler(
                lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    local, _ = run(cli_env, tmp_path / "local")
    for table in ("topics.csv", "doc_topics.csv"):
        assert (on_dask / "tables" / table).read_bytes() == \
            (local / "tables" / table).read_bytes(), table
    manifest = json.loads((on_dask / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["runner"] == "dask"
    assert manifest["segmentation"]["segmented"] == manifest["segmentation"]["documents"] > 0
    assert "on the Dask cluster" in log
    runs = prefect_api(cli_env["PREFECT_API_URL"], "POST", "/task_runs/filter",
                       {"task_runs": {"name": {"like_": "segment-batch"}}})
    batches = [r for r in runs if r["state"] and r["state"]["type"] == "COMPLETED"]
    assert len(batches) >= 8   # 120 documents in batches of 16, each a task on the cluster
    assert prefixes, "the cluster's scheduler saw no tasks"
    for stage in ("segment", "models"):   # stages stay tasks on Dask
        runs = prefect_api(cli_env["PREFECT_API_URL"], "POST", "/task_runs/filter",
                           {"task_runs": {"name": {"like_": stage}}})
        assert any(r["name"].rsplit("-", 1)[0] == stage and r["state"]["type"] == "COMPLETED"
                   for r in runs if r["state"]), stage
