"""What `vntopics run` shows on the terminal while the flow runs.

- normal: our own log lines (stages, counts) and warnings; Prefect's own INFO lines (task
  started/finished, flow run links) are left out of the terminal (the UI keeps them all);
- `-v/--verbose`: Prefect's own lines too; `-q/--quiet`: warnings and errors only.
Progress: one rich bar per step with counts and ETA when standard error is an interactive
terminal, else plain log lines (flows/progress.py). The bars are drawn on the console of
Prefect's log handler, so log lines print above them instead of through them.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import vntopics
import vntopics.flows
import vntopics.pipeline
from vntopics.flows import progress as flow_progress
from vntopics.cli import startup

QUIET, NORMAL, VERBOSE = "quiet", "normal", "verbose"
OUR_CODE = tuple(str(Path(package.__file__).parent)
                 for package in (vntopics, vntopics.flows, vntopics.pipeline))


class OwnLinesOnly(logging.Filter):
    """Pass warnings and errors, and INFO lines logged by vntopics' own code."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.pathname.startswith(OUR_CODE)


def console_handlers() -> list[logging.Handler]:
    from prefect.logging.handlers import PrefectConsoleHandler

    return [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]


def configure_console(verbosity: str) -> list[logging.Handler]:
    """Set Prefect's terminal handlers for `verbosity`; returns them."""
    handlers = console_handlers()
    for handler in handlers:
        if verbosity == QUIET:
            handler.setLevel(logging.WARNING)
        elif verbosity == NORMAL:
            handler.addFilter(OwnLinesOnly())
    return handlers


class RichBars:
    """One bar per step: done / total of what it counts, %, elapsed and time left."""

    def __init__(self, console) -> None:
        from rich.default_styles import DEFAULT_STYLES
        from rich.progress import (BarColumn, Progress, TaskProgressColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)
        from rich.theme import Theme

        # Prefect's console has a theme of its own, without rich's progress styles.
        console.push_theme(Theme({name: style for name, style in DEFAULT_STYLES.items()
                                  if name.startswith(("bar.", "progress."))}))

        self.bars = Progress(TextColumn("{task.description:<24}"), BarColumn(),
                             TextColumn("{task.fields[count]}", style="progress.download"),
                             TaskProgressColumn(), TimeElapsedColumn(), TextColumn("ETA"),
                             TimeRemainingColumn(), console=console)
        self.tasks: dict[str, int] = {}

    def show(self, state: flow_progress.StepState) -> None:
        if state.step not in self.tasks:
            self.tasks[state.step] = self.bars.add_task(state.title, total=None, count="")
        if state.total > 0:
            self.bars.update(self.tasks[state.step], completed=state.done, total=state.total,
                             count=f"{state.done:,}/{state.total:,} {state.unit}")
        elif not state.known:  # a stream: counted as it goes, total unknown
            self.bars.update(self.tasks[state.step], completed=state.done, total=None,
                             count=f"{state.done:,} {state.unit}")
        elif state.finished:   # nothing to do: served from a cache
            self.bars.update(self.tasks[state.step], completed=1, total=1, count="cached")


@contextmanager
def flow_run_output(verbosity: str = NORMAL) -> Iterator[None]:
    """Logging and progress display of one flow run called from the CLI (once the temporary
    server, if any, answers)."""
    handlers = configure_console(verbosity)
    console = handlers[0].console if handlers else None
    try:
        with startup.temporary_server_settings():
            startup.wait_for_server()
            if verbosity != QUIET and console is not None and console.is_terminal:
                bars = RichBars(console)
                flow_progress.display = bars
                with bars.bars:
                    yield
            else:
                yield
    finally:
        flow_progress.display = flow_progress.LogLines()
