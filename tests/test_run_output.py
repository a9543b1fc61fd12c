"""What `vntopics.run` shows: which log lines pass, one line or bar per step, and everything
put back after the run (a notebook runs many)."""
from __future__ import annotations

import logging

import pytest

from vntopics import run_output
from vntopics.flows import progress as flow_progress
from vntopics.flows.progress import StepState


def record(pathname: str, level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord("prefect.task_runs", level, pathname, 1, "read 120 documents",
                             None, None)


def test_own_lines_pass_only_when_asked_and_warnings_always():
    ours = run_output.OUR_CODE[1] + "topic_report.py"          # vntopics/flows/
    prefect = logging.__file__
    normal, bars = run_output.ShownLines(own_lines=True), run_output.ShownLines(own_lines=False)
    assert normal.filter(record(ours)) and not normal.filter(record(prefect))
    assert not bars.filter(record(ours)) and not bars.filter(record(prefect))
    assert bars.filter(record(prefect, logging.WARNING))


def steps() -> list[StepState]:
    """Segmentation of 300 documents in three updates, then LDA and NMF fits side by side."""
    return [StepState("segment", 100, 300), StepState("lda", 0, 2), StepState("nmf", 0, 2),
            StepState("segment", 300, 300), StepState("lda", 2, 2), StepState("nmf", 2, 2),
            StepState("clean", 0, 0)]


def test_step_lines_say_each_step_once_when_it_is_done(capsys):
    display = run_output.StepLines()
    for state in steps():
        display.show(state)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "word segmentation", "LDA fits", "NMF fits", "reading and cleaning"]
    assert lines[0].startswith("word segmentation: 300 documents in ")
    assert lines[-1] == "reading and cleaning: cached"


def test_tqdm_bars_count_every_step_to_its_end(capsys):
    display = run_output.TqdmBars()
    for state in steps():
        display.show(state)
    display.close()
    shown = capsys.readouterr().err
    assert "word segmentation: 100%" in shown and "300/300" in shown
    assert "LDA fits: 100%" in shown and "NMF fits: 100%" in shown
    assert "cached" in shown


@pytest.mark.parametrize("quiet, verbose", [(False, False), (True, False), (False, True)])
def test_run_output_puts_the_handlers_and_display_back(quiet, verbose, monkeypatch):
    import vntopics.flows.topic_report  # noqa: F401  (Prefect's logging set up, as in run)
    from prefect.logging.handlers import PrefectConsoleHandler

    handlers = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    assert handlers
    before = (flow_progress.display, [list(h.filters) for h in handlers])
    with run_output.run_output(quiet=quiet, verbose=verbose):
        added = [f for f in handlers[0].filters if isinstance(f, run_output.ShownLines)]
        assert len(added) == (0 if verbose else 1)
        if quiet:
            assert isinstance(flow_progress.display, run_output.Silent)
            assert not added[0].filter(record(run_output.OUR_CODE[1] + "x.py"))
    assert (flow_progress.display, [list(h.filters) for h in handlers]) == before
