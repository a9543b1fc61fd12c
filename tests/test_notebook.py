"""examples/weekly.ipynb executed end to end with nbclient on a Jupyter kernel of this
environment (so the example can never rot): run, label, score new text, compare two
versions, with its settings cell pointed at the real articles of unc-small."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import FIXTURES, PROJECT

NOTEBOOK = PROJECT / "examples" / "weekly.ipynb"


def cell_text(cell) -> str:
    """Everything a cell showed: streams, results (text and HTML), errors."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts += [output["data"].get("text/plain", ""), output["data"].get("text/html", "")]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def executed(cli_env, tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebook")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    settings = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    settings.source = (f"CORPUS = {str(FIXTURES / 'unc-small.jsonl.gz')!r}\n"
                       f"ARTIFACTS = {str(folder / 'runs')!r}\n"
                       f"OVERRIDES = {json.dumps({'model.num_topics': 4, 'compare.bootstrap': 20, 'model.stability_seeds': 1, 'cache.dir': str(folder / 'cache')})}")
    notebook.cells.insert(0, nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    # the kernel spec this environment installed (ipykernel's, whose "python" jupyter_client
    # turns into this interpreter) before any user-wide one
    jupyter_path = os.pathsep.join([str(Path(sys.prefix) / "share" / "jupyter"),
                                    *filter(None, [os.environ.get("JUPYTER_PATH")])])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", jupyter_path)
        client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(folder)}})
        client.execute(env=cli_env)   # raises CellExecutionError naming the failing cell
    return notebook.cells, folder / "runs"


def test_the_kernel_is_this_environments_python(executed):
    cells, _ = executed
    assert cell_text(cells[0]).strip() == sys.executable


def test_the_run_cell_shows_one_bar_per_stage_and_the_version_summary(executed):
    cells, runs = executed
    run_cell = next(c for c in cells if "vntopics.run(CORPUS" in c.source
                    and "quiet" not in c.source)
    shown = cell_text(run_cell)
    for stage in ("reading and cleaning", "word segmentation", "LDA fits", "NMF fits",
                  "bootstrap intervals"):
        assert stage in shown
    assert "INFO" not in shown and "Task run" not in shown     # no per-task log lines
    html = run_cell.outputs[-1]["data"]["text/html"]
    assert "120 documents modelled of 120" in html and "report.html" in html
    assert len(list(runs.glob("2*"))) == 2                     # the notebook ran twice


def test_label_score_and_diff_cells_show_their_results(executed):
    cells, runs = executed
    label_cell = next(c for c in cells if "vntopics.label(" in c.source)
    assert "Chủ đề lớn nhất" in cell_text(label_cell)
    assert "Chủ đề lớn nhất" in (runs / "labels.yaml").read_text(encoding="utf-8")
    score_cell = next(c for c in cells if "version.score(" in c.source)
    scores = score_cell.outputs[-1]["data"]["text/plain"]
    assert "lda" in scores and "nmf" in scores and "L0" in scores
    diff_cell = next(c for c in cells if "vntopics.diff(" in c.source)
    assert "kept" in cell_text(diff_cell)
