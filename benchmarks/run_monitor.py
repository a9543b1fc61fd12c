"""One `vntopics run` as a monitored subprocess, for benchmarks/pipeline_speed.py: wall time,
the process tree's RSS peaks (total, per stage, per role) and where the time outside the
stages goes (`fixed_cost`)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
VNTOPICS = Path(sys.executable).parent / "vntopics"
TASK_LINE = re.compile(r"Task run '([a-z][a-z0-9-]*?)-[0-9a-f]{3,}'")
MILESTONES = {"flow_started": re.compile(r"Beginning flow run"),
              "write_version_s": re.compile(r"published \S+ in ([\d.]+) s"),
              # task names before and after issue 30 (write-version is now publish)
              "write_version_done": re.compile(
                  r"Task run '(?:write-version|publish)-\w+' - Finished"),
              "ui_artifacts_done": re.compile(r"Task run '(?:publish-)?ui-artifacts-\w+' - Finished"),
              "flow_finished": re.compile(r"Flow run '[^']+' - Finished in state")}


@lru_cache(maxsize=None)
def verbose_flag(vntopics: Path = VNTOPICS) -> list[str]:
    """`-v` where the CLI has it (Prefect's own lines are what the stages are told by); older
    versions printed them by default."""
    help_text = subprocess.run([str(vntopics), "run", "--help"], capture_output=True,
                               text=True).stdout
    return ["-v"] if "--verbose" in help_text else []


def fixed_cost(wall: float, stages: dict, milestones: dict) -> dict:
    """Wall time outside the manifest's stages, and its parts: before the flow run began
    (interpreter, imports, Prefect's server, flow registration), write-version, the UI
    artifacts task, the end of the flow after it, the process exit; the rest is between the
    stages (task runs, and any part a version of the CLI does not log: None)."""
    outside = wall - sum(stages.values())
    parts = {"outside_stages": outside, "before_flow": milestones.get("flow_started"),
             "write_version": milestones.get("write_version_s"),
             "ui_artifacts": (milestones["ui_artifacts_done"] - milestones["write_version_done"]
                              if {"ui_artifacts_done", "write_version_done"} <= set(milestones)
                              else None),
             "flow_end": (milestones["flow_finished"] - milestones["ui_artifacts_done"]
                          if {"flow_finished", "ui_artifacts_done"} <= set(milestones)
                          else None),
             "exit": wall - milestones["flow_finished"] if "flow_finished" in milestones
             else None}
    parts["between_stages"] = outside - sum(v for k, v in parts.items()
                                            if k != "outside_stages" and v is not None)
    return parts


class Run:
    """`vntopics run` as a subprocess: wall time, tree RSS peaks (total and per stage)."""

    def __init__(self, corpus: Path, artifacts: Path, cache: Path, workers: int,
                 overrides: list[str], log: Path, timeout_s: float, rss_limit: float,
                 vntopics: Path = VNTOPICS):
        self.command = [str(vntopics), "run", *verbose_flag(vntopics), "--input", str(corpus),
                        "--artifacts-dir", str(artifacts), "--set", f"cache.dir={cache}",
                        "--set", f"workers={workers}"]
        for override in overrides:
            self.command += ["--set", override]
        self.log, self.timeout_s, self.rss_limit = log, timeout_s, rss_limit
        self.stage = "startup"
        self.stage_started: dict[str, float] = {}
        self.peak_total = 0
        self.peak_by_stage: dict[str, int] = {}
        self.peak_by_role: dict[str, int] = {}
        self.at_peak: dict[str, int] = {}     # RSS of each process when the tree peaked
        self.at_stage_peak: dict[str, dict[str, int]] = {}    # the same, at each stage's peak
        self.stopped_because = ""
        self.milestones: dict[str, float] = {}

    def role(self, process: psutil.Process, root: psutil.Process) -> str:
        if process.pid == root.pid:
            return "main"
        try:
            line = " ".join(process.cmdline())
        except psutil.Error:
            return "other"
        if "prefect" in line and "server" in line:
            return "prefect-server"
        if "multiprocessing" in line:
            return "pool-worker"
        return "other"

    def follow(self, stream, sink) -> None:
        for line in stream:
            sink.write(line)
            sink.flush()        # the log can be followed while a long run goes on
            self.note_milestone(line, time.perf_counter() - self.start)
            match = TASK_LINE.search(line)
            if not match:
                continue
            # Most tasks log only when they end, so a task's work is what happens after the
            # previous task finished: "after X" is charged with the next task's memory.
            stage = (f"after {match.group(1)}" if "Finished in state" in line
                     else match.group(1))
            if stage != self.stage:
                self.stage = stage
                self.stage_started.setdefault(stage, time.perf_counter() - self.start)

    def execute(self) -> dict:
        self.start = time.perf_counter()
        with open(self.log, "w", encoding="utf-8") as sink:
            process = subprocess.Popen(self.command, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, cwd=PROJECT)
            out_lines: list[str] = []
            readers = [threading.Thread(target=self.follow, args=(process.stderr, sink)),
                       threading.Thread(target=lambda: out_lines.extend(process.stdout))]
            for reader in readers:
                reader.start()
            root = psutil.Process(process.pid)
            while process.poll() is None:
                self.sample(root)
                elapsed = time.perf_counter() - self.start
                if elapsed > self.timeout_s or self.peak_total > self.rss_limit:
                    self.stopped_because = (f"time limit {self.timeout_s / 60:.0f} min"
                                            if elapsed > self.timeout_s else
                                            f"RSS limit {self.rss_limit / 2**30:.1f} GB")
                    for child in root.children(recursive=True):
                        child.kill()
                    root.kill()
                    break
                time.sleep(0.1)
            process.wait()
            for reader in readers:
                reader.join()
        wall = time.perf_counter() - self.start
        version = out_lines[-1].strip() if out_lines and process.returncode == 0 else None
        manifest = {}
        if version and (Path(version) / "manifest.json").is_file():
            manifest = json.loads((Path(version) / "manifest.json").read_text())
        return {"wall_s": wall, "returncode": process.returncode, "version": version,
                "stopped_because": self.stopped_because, "stage_at_end": self.stage,
                "stage_seconds": manifest.get("stage_seconds", {}),
                "documents": manifest.get("documents", {}),
                "segmentation": manifest.get("segmentation", {}),
                "reused": {"cleaned documents": manifest.get("ingest", {}).get(
                               "cleaned_documents_reused"),
                           "tokens": manifest.get("segmentation", {}).get("tokens_reused"),
                           "corpus": manifest.get("vocabulary", {}).get("corpus_reused"),
                           "stability refits": manifest.get("fits", {}).get(
                               "stability_refits_reused"),
                           "topic-free comparisons": manifest.get("compare", {}).get(
                               "topic_free_tables_reused")},
                "peak_tree_rss": self.peak_total, "peak_rss_by_stage": self.peak_by_stage,
                "peak_rss_by_role": self.peak_by_role, "rss_at_peak": self.at_peak,
                "rss_at_stage_peak": self.at_stage_peak,
                "stage_started_s": self.stage_started, "log": str(self.log),
                "fixed_cost": fixed_cost(wall, manifest.get("stage_seconds", {}),
                                         self.milestones)}

    def note_milestone(self, line: str, seconds: float) -> None:
        """When the flow run began and ended, when the UI artifacts were written, and the
        write-version seconds the flow logs (Prefect's lines: the run is made with -v)."""
        for name, pattern in MILESTONES.items():
            match = pattern.search(line)
            if match and name not in self.milestones:
                self.milestones[name] = float(match.group(1)) if match.groups() else seconds

    def sample(self, root: psutil.Process) -> None:
        total, by_role, each = 0, {}, {}
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        for process in processes:
            try:
                rss = process.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            role = self.role(process, root)
            by_role[role] = by_role.get(role, 0) + rss
            each[f"{role} {process.pid}"] = rss
        if total > self.peak_total:
            self.peak_total, self.at_peak = total, each
        if total > self.peak_by_stage.get(self.stage, 0):
            self.peak_by_stage[self.stage] = total
            self.at_stage_peak[self.stage] = by_role
        for role, rss in by_role.items():
            self.peak_by_role[role] = max(self.peak_by_role.get(role, 0), rss)


