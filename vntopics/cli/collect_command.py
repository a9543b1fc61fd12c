"""`vntopics collect`: fetch what is new on the sources' sites into the corpus folder.

A one-line summary per source goes to stderr; the last line of stdout is the file written this
run (or, when there are several or none, the corpus folder: `vntopics run --input` takes
either). Exit 0 when every source was reachable, 1 when one was not (the others are still
collected), 2 with one line when the sources file or the config is unusable (nothing fetched).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_collect_command(commands) -> None:
    summary = "fetch the new articles of the sources' sites into the corpus folder"
    collect = commands.add_parser("collect", help=summary, description=summary + ".")
    collect.add_argument("--sources", metavar="FILE",
                         help="YAML list of sites (default: collect.sources_file of the config)")
    collect.add_argument("--corpus-dir", metavar="DIR",
                         help="where articles and the collect state go (default: "
                              "collect.corpus_dir, corpus/ in the working directory)")
    collect.add_argument("--config", metavar="FILE", help="YAML config (default: the shipped one)")
    collect.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                         help="override a config key, e.g. collect.delay_seconds=2 (repeatable)")


def collect_settings(args: argparse.Namespace):
    """(sources, CollectConfig, corpus folder), every problem a ValueError of one line."""
    from vntopics.pipeline.collect import load_sources
    from vntopics.pipeline.config_io import load_config, resolve_path

    config = load_config(args.config, list(args.set))
    settings = config.collect
    sources_file = args.sources or settings.sources_file
    if not sources_file:
        raise ValueError("no sources file: give --sources FILE or set collect.sources_file "
                         "(see configs/sources.example.yaml)")
    sources = load_sources(resolve_path(sources_file))
    corpus_dir = resolve_path(args.corpus_dir or settings.corpus_dir)
    check_writable(corpus_dir)
    return sources, settings, corpus_dir


def check_writable(folder: Path) -> None:
    probe = folder / ".collect" / ".probe"
    try:
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValueError(f"corpus folder {folder} cannot be written "
                         f"({exc.strerror or exc})") from None


def command_collect(args: argparse.Namespace) -> int:
    from vntopics.pipeline.collect import collect_sources

    sources, settings, corpus_dir = collect_settings(args)
    summary = collect_sources(sources, settings, corpus_dir=corpus_dir)
    for report in summary.sources:
        print(report.line(), file=sys.stderr)
    print(f"log of every URL: {summary.log_path}", file=sys.stderr)
    files = summary.files
    for path in files:
        print(path)
    if len(files) != 1:
        print(corpus_dir)
    if summary.unreachable:
        print(f"vntopics: {len(summary.unreachable)} source(s) unreachable: "
              f"{', '.join(summary.unreachable)}", file=sys.stderr)
        return 1
    return 0


def with_collected_corpus(config, inputs: list[str] | None):
    """`vntopics serve` with `collect.sources_file`: the weekly report reads the corpus folder
    (created now, so the checks before serving find it) plus any --input. The sources file
    is checked now too: a bad one fails in one line instead of every week."""
    from vntopics.pipeline.collect import load_sources
    from vntopics.pipeline.config_io import resolve_path

    if not config.collect.sources_file:
        return config
    load_sources(resolve_path(config.collect.sources_file))
    corpus_dir = resolve_path(config.collect.corpus_dir)
    check_writable(corpus_dir)
    config.collect.sources_file = str(resolve_path(config.collect.sources_file))
    config.collect.corpus_dir = str(corpus_dir)
    config.input.paths = [str(corpus_dir)] + [str(resolve_path(p)) for p in inputs or []]
    return config
