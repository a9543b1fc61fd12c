"""`vntopics` command line: run the main flow, or check what ingest sees before a long run."""
from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from vntopics.cli import startup
from vntopics.cli.collect_command import (add_collect_command, command_collect,
                                          with_collected_corpus)
from vntopics.cli.output import (add_format, command_config_show, document_commands,
                                 print_frame)
from vntopics.flows.runtime import set_runtime_defaults


def build_parser() -> argparse.ArgumentParser:
    from vntopics import __version__
    from vntopics.pipeline.model import family_names
    from vntopics.reports_server import add_reports_options

    parser = argparse.ArgumentParser(prog="vntopics", description=(
        "Topic models of Vietnamese news by province and year, as versioned reports."))
    parser.add_argument("--version", action="version", version=f"vntopics {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the topic_report flow and publish a version")
    run.add_argument("--input", action="append", metavar="PATH",
                     help="file or folder to read (repeatable; default: input.paths of the "
                          "config, data/default in the working directory)")
    run.add_argument("--config", metavar="FILE", help="YAML config (default: the shipped default.yaml)")
    run.add_argument("--artifacts-dir", metavar="DIR", help="where versions are written")
    run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                     help="override a config key, e.g. model.num_topics=12 (repeatable)")
    run.add_argument("--compare-to", metavar="VERSION",
                     help="version to diff against (default: latest; 'none' for no diff)")
    add_verbosity(run)

    ingest = commands.add_parser("ingest", help="print the documents table as CSV, no modelling")
    ingest.add_argument("--input", action="append", metavar="PATH", required=True)
    ingest.add_argument("--config", metavar="FILE")
    ingest.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")

    runs = commands.add_parser("runs", help="list versions, newest first")
    runs.add_argument("--artifacts-dir", metavar="DIR")
    runs.add_argument("--config", metavar="FILE")
    add_format(runs)

    diff = commands.add_parser("diff", help="what changed between versions A and B")
    diff.add_argument("a", metavar="A")
    diff.add_argument("b", metavar="B", nargs="?", default="latest")
    diff.add_argument("--artifacts-dir", metavar="DIR")
    diff.add_argument("--config", metavar="FILE")
    add_format(diff)
    label = commands.add_parser("label", help="name a topic: the label follows its topic id "
                                              "into every later version")
    label.add_argument("model", choices=family_names())
    label.add_argument("topic_id", metavar="TOPIC_ID", help="e.g. L07 or N03 (topics.csv)")
    label.add_argument("label", metavar="LABEL", nargs="?", help='e.g. "Xây dựng Đảng"')
    label.add_argument("--remove", action="store_true", help="delete the topic's label")
    label.add_argument("--artifacts-dir", metavar="DIR")
    label.add_argument("--config", metavar="FILE")

    apply = commands.add_parser("apply", help="score new documents with a version's saved "
                                              "models (no refitting); CSV out")
    apply.add_argument("--version", default="latest", help="version name, prefix or latest")
    apply.add_argument("--input", action="append", metavar="PATH", required=True)
    apply.add_argument("--artifacts-dir", metavar="DIR")
    apply.add_argument("--output", metavar="FILE", help="write the CSV here (default: stdout)")
    apply.add_argument("--config", metavar="FILE")
    apply.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")

    serve = commands.add_parser("serve", help="register the scheduled deployment with the "
                                              "Prefect server and run what it schedules")
    serve.add_argument("--config", metavar="FILE")
    serve.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    serve.add_argument("--input", action="append", metavar="PATH")
    serve.add_argument("--artifacts-dir", metavar="DIR")
    add_reports_options(serve, "--reports-host", "--reports-port")

    reports = commands.add_parser("reports", help="serve the artifacts folder's reports "
                                                  "over HTTP, read-only")
    reports.add_argument("--artifacts-dir", metavar="DIR")
    reports.add_argument("--config", metavar="FILE")
    add_reports_options(reports, "--host", "--port")

    config = commands.add_parser("config", help="the configuration's keys")
    config_show = config.add_subparsers(dest="action", required=True).add_parser(
        "show", help="every config key with its default and description")
    config_show.add_argument("--config", metavar="FILE")
    config_show.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    add_format(config_show, "yaml")
    document_commands(commands)
    add_collect_command(commands)
    return parser


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", dest="verbosity", action="store_const",
                          const="quiet", default="normal",
                          help="print warnings, errors and the version path only")
    loudness.add_argument("-v", "--verbose", dest="verbosity", action="store_const",
                          const="verbose", help="also print Prefect's own log lines")


def resolve_config(args: argparse.Namespace):
    from vntopics.pipeline.config_io import configure

    config = configure(args.config, list(getattr(args, "set", [])), getattr(args, "input", None),
                       getattr(args, "artifacts_dir", None), getattr(args, "compare_to", None))
    if args.command == "serve":
        return with_collected_corpus(config, getattr(args, "input", None))
    return config


def artifacts_dir_of(args: argparse.Namespace) -> Path:
    from vntopics.pipeline.config_io import resolve_path

    return resolve_path(resolve_config(args).artifacts.dir)


def command_runs(args: argparse.Namespace) -> int:
    from vntopics.pipeline.store import runs_table

    print_frame(runs_table(artifacts_dir_of(args), k_per_model=args.format == "json"),
                args.format, empty="no versions yet")
    return 0


def command_diff(args: argparse.Namespace) -> int:
    from vntopics.pipeline.store import diff_versions, resolve_version

    folder = artifacts_dir_of(args)
    version_a, version_b = resolve_version(folder, args.a), resolve_version(folder, args.b)
    if args.format == "text":
        print(f"{version_b.name} compared to {version_a.name}")
    print_frame(diff_versions(version_a, version_b), args.format)
    return 0


def command_ingest(args: argparse.Namespace) -> int:
    from vntopics.pipeline.config_io import input_paths, resolve_path, sidecar_path
    from vntopics.pipeline.store import check_output_file
    from vntopics.pipeline.text import INGEST_COLUMNS, documents_table, prepare_documents

    config = resolve_config(args)
    check_output_file(None, resolve_path(config.artifacts.dir))   # `> latest/tables/...`
    documents = prepare_documents(input_paths(config), sidecar_path(config), config.input)
    documents_table(documents, INGEST_COLUMNS).to_csv(sys.stdout, index=False,
                                                      lineterminator="\n")
    return 0


def command_label(args: argparse.Namespace) -> int:
    from vntopics.pipeline.store import label_target, write_label

    if args.remove == (args.label is not None):
        raise ValueError("give a LABEL, or --remove to delete one")
    if not args.remove and (warning := label_target(artifacts_dir_of(args), args.model,
                                                    args.topic_id)):
        print(f"vntopics: warning: {warning}", file=sys.stderr)
    path = write_label(artifacts_dir_of(args), args.model, args.topic_id,
                       None if args.remove else args.label)
    print(f"{'removed' if args.remove else 'labelled'} {args.model} {args.topic_id} in {path}")
    return 0


def command_apply(args: argparse.Namespace) -> int:
    from vntopics.pipeline.config_io import input_paths, resolve_path, sidecar_path
    from vntopics.pipeline.store import apply_version, check_output_file, resolve_version

    config = resolve_config(args)
    artifacts_dir = resolve_path(config.artifacts.dir)
    check_output_file(Path(args.output) if args.output else None, artifacts_dir)
    version = resolve_version(artifacts_dir, args.version)
    table = apply_version(version, input_paths(config), config, sidecar_path(config))
    table.to_csv(args.output or sys.stdout, index=False, lineterminator="\n",
                 float_format="%.6g")
    if not (table["status"] == "ok").any():
        print(f"vntopics: warning: nothing to score with {version.name}: none of the "
              f"{len(table)} documents is usable (each one's status and reason is in the CSV)",
              file=sys.stderr)
    return 0


def check_before_prefect(config) -> None:
    """What can fail at once fails before Prefect is imported (and before its temporary server
    has served anything): one line, no traceback."""
    from vntopics.pipeline.preflight import check_before_work

    check_before_work(config)


def checked_config(args: argparse.Namespace):
    """The run's config, checked while the temporary Prefect server (if any) boots: a bad
    input fails in one line and kills the server."""
    startup.launch_temporary_server()
    with startup.booting():
        config = resolve_config(args)
        check_before_prefect(config)
    startup.use_temporary_server()     # imports while it boots, points Prefect at it
    return config


def command_run(args: argparse.Namespace) -> int:
    from vntopics.cli.signals import end_within_grace_on_signals

    end_within_grace_on_signals()    # SIGTERM/SIGINT: the run and all it started end in seconds
    with startup.imports_without_gc():
        config = checked_config(args)
        from vntopics.cli.console import flow_run_output
        from vntopics.flows.topic_report import topic_report

    with flow_run_output(args.verbosity):
        version_path = topic_report(config=config)
    sys.stdout.flush()
    if args.verbosity != "quiet":   # -q: warnings and the version path only
        print(f"report: {version_path}/report.html", file=sys.stderr, flush=True)
    print(version_path, flush=True)
    return 0


def command_serve(args: argparse.Namespace) -> int:
    with startup.imports_without_gc():
        config = checked_config(args)
        from vntopics.flows.serve import serve
        from vntopics.reports_server import reports_server_for

    reports = reports_server_for(args, config)   # refused or port taken: before serving
    startup.wait_for_server()
    print(f"reports: {reports.start()}/", file=sys.stderr, flush=True)
    serve(config)
    return 0


def command_reports(args: argparse.Namespace) -> int:
    from vntopics.reports_server import reports_server_for

    server = reports_server_for(args, resolve_config(args))
    print(f"reports: {server.url}/ (Ctrl+C stops)", file=sys.stderr, flush=True)
    server.run()
    return 0


def main(argv: list[str] | None = None) -> int:
    set_runtime_defaults()
    args = build_parser().parse_args(argv)
    handler = {"run": command_run, "ingest": command_ingest, "runs": command_runs,
               "diff": command_diff, "serve": command_serve, "label": command_label,
               "apply": command_apply, "config": command_config_show,
               "reports": command_reports, "collect": command_collect}[args.command]
    try:
        return handler(args)
    except BrokenPipeError:   # e.g. `vntopics apply ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # as Python's docs do
        return 0
    except ValueError as exc:  # config and input errors: one clear line, no traceback
        print(f"vntopics: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:     # a full disk anywhere: one line naming the file
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        print(f"vntopics: error: {exc.filename or 'writing'}: {exc.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
