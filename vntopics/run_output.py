"""What `vntopics.run` shows while the flow runs, in a notebook, a terminal or a log.

- In a notebook (or a script on a terminal): one line per step (reading, segmentation, each
  model's fits, the bootstrap): a live `tqdm.auto` bar on a terminal or in a notebook with
  ipywidgets, else a line when the step is done; and warnings. The run's own summary lines
  are left to the returned `Version` (its HTML summary in a notebook).
- Elsewhere (a script whose output goes to a file): the run's own log lines, as
  ``vntopics run`` prints them without a terminal.
- ``verbose=True`` adds Prefect's own lines (task and flow runs, the temporary server);
  ``quiet=True`` shows warnings and errors only, no bars.
The Prefect UI and the flow run's logs on the server keep every line whatever is shown here.
"""
from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import vntopics
import vntopics.flows
import vntopics.pipeline

OUR_CODE = tuple(str(Path(package.__file__).parent) + os.sep
                 for package in (vntopics, vntopics.flows, vntopics.pipeline))


class ShownLines(logging.Filter):
    """Warnings and errors; with `own_lines`, also vntopics' own INFO lines."""

    def __init__(self, own_lines: bool) -> None:
        super().__init__()
        self.own_lines = own_lines

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or (
            self.own_lines and record.pathname.startswith(OUR_CODE))


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where output is a cell's, not a terminal's)."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def live_bars_possible() -> bool:
    """Bars that redraw in place: on a terminal, or in a notebook with ipywidgets (text bars
    in a notebook cell cannot move the cursor: concurrent steps would garble them)."""
    if in_notebook():
        from importlib.util import find_spec

        return find_spec("ipywidgets") is not None
    return hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


class TqdmBars:
    """One tqdm bar per step (`flows.progress.Display`): done / total of what it counts,
    redrawn at most every `REDRAW_S`."""
    REDRAW_S = 0.5

    def __init__(self) -> None:
        import warnings

        with warnings.catch_warnings():   # tqdm.auto warns when it falls back to text bars
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
        self.tqdm = tqdm
        self.bars: dict[str, object] = {}

    def show(self, state) -> None:
        bar = self.bars.get(state.step)
        if bar is None:
            bar = self.bars[state.step] = self.tqdm(
                desc=state.title, unit=f" {state.unit}", total=None, leave=True,
                file=sys.stderr, mininterval=self.REDRAW_S, dynamic_ncols=True)
        if state.known and state.total == 0 and state.finished:   # served from a cache
            bar.total = 1
            bar.set_postfix_str("cached", refresh=False)
            bar.update(1 - bar.n)
        else:
            bar.total = state.total if state.known else None
            bar.update(state.done - bar.n)
        if state.finished:
            bar.close()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class StepLines:
    """One line per step, when it is done (a notebook without ipywidgets): what it counted,
    how long it took."""

    def __init__(self) -> None:
        self.done: set[str] = set()

    def show(self, state) -> None:
        from vntopics.flows.progress import progress_line

        if state.finished and state.step not in self.done:
            self.done.add(state.step)
            # written, not printed: the flow logs its prints (log_prints), as INFO lines
            line = progress_line(state) if state.total else f"{state.title}: cached"
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def close(self) -> None:
        pass


class Silent:
    """No progress shown (quiet): the Prefect UI still has its progress artifacts."""

    def show(self, state) -> None:
        pass

    def close(self) -> None:
        pass


def progress_display(quiet: bool):
    """Where the steps' progress goes; None: the flow's default log lines."""
    if quiet:
        return Silent()
    if live_bars_possible():
        return TqdmBars()
    return StepLines() if in_notebook() else None


@contextmanager
def run_output(*, quiet: bool = False, verbose: bool = False) -> Iterator[None]:
    """Set Prefect's terminal handlers and the progress display for one flow run, and put
    them back afterwards (a notebook runs many). Call once Prefect is imported."""
    from prefect.logging.handlers import PrefectConsoleHandler

    from vntopics.flows import progress as flow_progress

    handlers = [h for h in logging.getLogger().handlers
                if isinstance(h, PrefectConsoleHandler)]
    display = progress_display(quiet)
    shown = None if verbose else ShownLines(own_lines=display is None)
    previous_display = flow_progress.display
    for handler in handlers if shown else []:
        handler.addFilter(shown)
    if display is not None:
        flow_progress.display = display
    try:
        yield
    finally:
        flow_progress.display = previous_display
        if display is not None:
            display.close()
        for handler in handlers if shown else []:
            handler.removeFilter(shown)
