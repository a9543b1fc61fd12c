"""`runner: dask` against a real dask.distributed cluster gives the same topics as local."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

distributed = pytest.importorskip("distributed")


def run(cli_env, root: Path, *extra: str) -> Path:
    result = run_cli(["run", "--input", str(FIXTURES / "unc-small.jsonl.gz"),
                      "--artifacts-dir", str(root), "--set", "model.num_topics=4",
                      "--set", "compare.bootstrap=20", "--set", "segment.cache=false",
                      "--set", "segment.batch_size=16", *extra], env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1])


def test_dask_runner_matches_local(cli_env, tmp_path):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = run(cli_env, tmp_path / "dask", "--set", "runner=dask",
                      "--set", f"dask.address={cluster.scheduler_address}")
        with distributed.Client(cluster) as client:
            worked = client.run_on_scheduler(
                lambda dask_scheduler: sorted({ts.key if isinstance(ts.key, str) else
                                               str(ts.key) for ts in
                                               dask_scheduler.tasks.values()}))
    local = run(cli_env, tmp_path / "local")
    for table in ("topics.csv", "doc_topics.csv"):
        assert (on_dask / "tables" / table).read_bytes() == \
            (local / "tables" / table).read_bytes(), table
    manifest = json.loads((on_dask / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["runner"] == "dask"
    assert manifest["segmentation"]["segmented"] == manifest["segmentation"]["documents"] > 0
    assert any("segment-batch" in key for key in worked), worked[:10]
