"""What `vntopics.run` shows while the flow runs, in a notebook, a terminal or a log.

- In a notebook (or a script on a terminal): one progress bar per step (reading, segmentation,
  each model's fits, the bootstrap) through `tqdm.auto` (widgets when ipywidgets is there,
  text bars otherwise), and warnings; the run's own summary lines are left to the returned
  `Version` (its HTML summary in a notebook).
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


def wants_bars() -> bool:
    stream = sys.stderr
    return in_notebook() or (hasattr(stream, "isatty") and stream.isatty())


class TqdmBars:
    """One tqdm bar per step (`flows.progress.Display`): done / total of what it counts."""

    def __init__(self) -> None:
        import warnings

        with warnings.catch_warnings():   # no ipywidgets: tqdm.auto says so, then uses text
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
        self.tqdm = tqdm
        self.bars: dict[str, object] = {}

    def show(self, state) -> None:
        bar = self.bars.get(state.step)
        if bar is None:
            bar = self.bars[state.step] = self.tqdm(
                desc=state.title, unit=f" {state.unit}", total=None, leave=True,
                file=sys.stderr, dynamic_ncols=True)
        if state.known and state.total == 0 and state.finished:   # served from a cache
            bar.total, bar.n = 1, 1
            bar.set_postfix_str("cached", refresh=False)
        else:
            bar.total = state.total if state.known else None
            bar.n = state.done
        bar.refresh()
        if state.finished:
            bar.close()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class Silent:
    """No progress shown (quiet): the Prefect UI still has its progress artifacts."""

    def show(self, state) -> None:
        pass


@contextmanager
def run_output(*, quiet: bool = False, verbose: bool = False) -> Iterator[None]:
    """Set Prefect's terminal handlers and the progress display for one flow run, and put
    them back afterwards (a notebook runs many). Call once Prefect is imported."""
    from prefect.logging.handlers import PrefectConsoleHandler

    from vntopics.flows import progress as flow_progress

    handlers = [h for h in logging.getLogger().handlers
                if isinstance(h, PrefectConsoleHandler)]
    bars = None if quiet or not wants_bars() else TqdmBars()
    shown = None if verbose else ShownLines(own_lines=not quiet and bars is None)
    previous_display = flow_progress.display
    for handler in handlers if shown else []:
        handler.addFilter(shown)
    if quiet:
        flow_progress.display = Silent()
    elif bars is not None:
        flow_progress.display = bars
    try:
        yield
    finally:
        flow_progress.display = previous_display
        if bars is not None:
            bars.close()
        for handler in handlers if shown else []:
            handler.removeFilter(shown)
