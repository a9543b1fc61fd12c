"""benchmarks/scale.py in its CI-sized form runs end to end: 40,000 pre-segmented documents
built from the fixture's real articles go through a whole run, every one accounted for.
No timing or memory assertion here: the figures are read against benchmarks/README.md."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import PROJECT


@pytest.mark.slow
def test_scale_benchmark_quick_runs_end_to_end(cli_env):
    result = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "scale.py"),
                             "--quick"], cwd=PROJECT, env=cli_env, capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "40,000 documents: wall" in result.stdout and "[ok]" in result.stdout
    assert "{'in': 40000, 'ok': 40000, 'rejected': 0}" in result.stdout
    assert "'pre_segmented': 40000" in result.stdout
    summary = re.search(r"40,000 +\d+ s +([\d.]+) GB", result.stdout)
    assert summary and float(summary.group(1)) > 0
