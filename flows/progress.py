"""How far the long stages got, where people look: one Prefect progress artifact per step on
the flow run page (a live bar in the UI), and the terminal through `display`.

A stage's task opens `stage_progress(*steps)` and hands the returned callback to its
`vntopics.pipeline` entry point, which calls `progress(step, done, total)` as work finishes
(`pipeline.parallel.Progress`). Artifacts are updated at most every `ARTIFACT_EVERY_S`
(each update is a round trip to the server) and set to 100 % when the stage ends.
`display` is plain log lines by default (scheduled and UI runs: they land in the run's logs);
the CLI swaps in rich bars on an interactive terminal (vntopics/cli/console.py).
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Protocol

from prefect.artifacts import create_progress_artifact, update_progress_artifact

from vntopics.flows.ui_artifacts import artifact_key

# step -> (what the bar says, what is counted)
STEPS = {"clean": ("reading and cleaning", "documents"),
         "dedupe": ("near-duplicate search", "documents"),
         "segment": ("word segmentation", "documents"),
         "bootstrap": ("bootstrap intervals", "resamples")}
# + one step per model family: its title (model/registry.py), counting fits


def step_title_and_unit(step: str) -> tuple[str, str]:
    from vntopics.pipeline.model import FAMILIES

    if step in FAMILIES:
        return FAMILIES[step].title, "fits"
    return STEPS.get(step, (step, "items"))
ARTIFACT_EVERY_S = 2.0
LINE_EVERY_PERCENT, LINE_EVERY_S = 5.0, 10.0


def run_logger() -> logging.Logger | logging.LoggerAdapter:
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:   # a stage called outside a flow run (tests, notebooks)
        return logging.getLogger("vntopics")


@dataclass
class StepState:
    """One step as the terminal shows it: counts, elapsed time, rate and time left."""
    step: str
    done: int = 0
    total: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def title(self) -> str:
        return step_title_and_unit(self.step)[0]

    @property
    def unit(self) -> str:
        return step_title_and_unit(self.step)[1]

    @property
    def known(self) -> bool:
        """False while a step cannot know its total (documents read from a stream: -1)."""
        return self.total >= 0

    @property
    def percent(self) -> float:
        if not self.known:
            return 0.0
        return 100.0 if self.total == 0 else min(100.0, 100.0 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.known and self.done >= self.total

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate > 0 else None


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    if seconds < 10:
        return f"{seconds:.1f} s"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def progress_line(state: StepState) -> str:
    """e.g. 'word segmentation: 3,200 / 16,800 documents (19%), 85.3 documents/s, ETA 2 min
    40 s', and once done: 'word segmentation: 16,800 documents in 3 min 17 s (85.2 ...)'."""
    if state.finished:
        return (f"{state.title}: {state.done:,} {state.unit} in {duration(state.elapsed)} "
                f"({state.rate:,.1f} {state.unit}/s)")
    if not state.known:
        return (f"{state.title}: {state.done:,} {state.unit} so far, "
                f"{state.rate:,.1f} {state.unit}/s")
    return (f"{state.title}: {state.done:,} / {state.total:,} {state.unit} "
            f"({state.percent:.0f}%), {state.rate:,.1f} {state.unit}/s, "
            f"ETA {duration(state.seconds_left)}")


class Display(Protocol):
    def show(self, state: StepState) -> None: ...


class LogLines:
    """Plain log lines: one when a step has moved on ~5 % and ~10 s since the last one (so a
    slow step says where it is, a fast one does not fill the log), and one when it ends."""

    def __init__(self) -> None:
        self.last: dict[str, tuple[float, float]] = {}   # step -> (percent, time) last shown

    def show(self, state: StepState) -> None:
        percent, now = state.percent, time.monotonic()
        shown_percent, shown_at = self.last.get(state.step, (0.0, state.started))
        due = ((percent - shown_percent >= LINE_EVERY_PERCENT or not state.known)
               and now - shown_at >= LINE_EVERY_S)
        if state.total != 0 and (state.finished or due):
            self.last[state.step] = (percent, now)
            run_logger().info(progress_line(state))


display: Display = LogLines()


class StepArtifact:
    """A step's Prefect progress artifact, updated every few seconds; a step done within the
    first interval costs one round trip (created at 100 %), not two."""

    def __init__(self, step: str) -> None:
        self.step, self.shown, self.shown_at = step, -1.0, time.monotonic()
        self.artifact_id, self.failed = None, False

    def set(self, percent: float, force: bool = False) -> None:
        now = time.monotonic()
        if self.failed or percent == self.shown or (
                not force and now - self.shown_at < ARTIFACT_EVERY_S):
            return
        try:
            if self.artifact_id is None:
                self.artifact_id = create_progress_artifact(
                    percent, key=artifact_key(f"progress-{self.step}"),
                    description=f"{step_title_and_unit(self.step)[0]} (vntopics)")
            else:
                update_progress_artifact(self.artifact_id, percent)
        except Exception as error:   # progress is for people; it never fails a run
            run_logger().warning("progress of %s not sent to Prefect: %s", self.step, error)
            self.failed = True
        self.shown, self.shown_at = percent, now


class StageProgress:
    """The `progress(step, done, total)` callback of one stage: artifacts and display."""

    def __init__(self, steps: tuple[str, ...]) -> None:
        self.last_heard = time.monotonic()
        self.states = {step: StepState(step, started=self.last_heard) for step in steps}
        self.artifacts = {step: StepArtifact(step) for step in steps}
        self.heard: set[str] = set()

    def __call__(self, step: str, done: int, total: int) -> None:
        if step not in self.states:
            self.states[step] = StepState(step, started=self.last_heard)
            self.artifacts[step] = StepArtifact(step)
        state = self.states[step]
        if step not in self.heard:   # its clock starts when the stage last heard of another
            self.heard.add(step)
            state.started = self.last_heard
        self.last_heard = time.monotonic()
        state.done, state.total = done, total
        self.artifacts[step].set(state.percent, force=state.finished)
        display.show(state)

    def finish(self) -> None:
        """The stage ended: every step is complete, also those served from a cache."""
        for step, state in self.states.items():
            self.artifacts[step].set(100.0, force=True)   # no round trip if already there
            if step not in self.heard or not state.finished:
                state.done = state.total = max(state.total, state.done)
                display.show(state)


@contextmanager
def stage_progress(*steps: str) -> Iterator[StageProgress]:
    """Progress of the steps of one stage; all at 100 % once the stage returns (a failed
    stage's artifacts stay where it stopped)."""
    progress = StageProgress(steps)
    yield progress
    progress.finish()
