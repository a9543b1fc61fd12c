"""`vntopics` command line: run the main flow, or check what ingest sees before a long run."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

RUNTIME_DEFAULTS = {
    # Prefect's temporary server needs ~10 s to start here; its default limit is 20 s.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # Nothing is downloaded at run time.
    "HF_HUB_OFFLINE": "1",
    "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.3",
}


def set_runtime_defaults() -> None:
    for key, value in RUNTIME_DEFAULTS.items():
        os.environ.setdefault(key, value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vntopics", description=(
        "Topic models of Vietnamese news by province and year, as versioned reports."))
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the topic_report flow and publish a version")
    run.add_argument("--input", action="append", metavar="PATH",
                     help="file or folder to read (repeatable; default: the shipped corpus)")
    run.add_argument("--config", metavar="FILE", help="YAML config (default: configs/default.yaml)")
    run.add_argument("--artifacts-dir", metavar="DIR", help="where versions are written")
    run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                     help="override a config key, e.g. model.num_topics=12 (repeatable)")

    ingest = commands.add_parser("ingest", help="print the documents table as CSV, no modelling")
    ingest.add_argument("--input", action="append", metavar="PATH", required=True)
    ingest.add_argument("--config", metavar="FILE")
    ingest.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    return parser


def resolve_config(args: argparse.Namespace):
    from pipeline.config import load_config

    overrides = list(args.set)
    config = load_config(args.config, overrides)
    updates = {}
    if args.input:
        updates["paths"] = [str(Path(p).expanduser().resolve()) for p in args.input]
    if updates:
        config.input = config.input.model_copy(update=updates)
    if getattr(args, "artifacts_dir", None):
        config.artifacts.dir = str(Path(args.artifacts_dir).expanduser().resolve())
    return config


def command_ingest(args: argparse.Namespace) -> int:
    from pipeline.config import resolve_project_path
    from pipeline.documents import INGEST_COLUMNS, clean_document, documents_table
    from pipeline.ingest import read_documents

    config = resolve_config(args)
    paths = [resolve_project_path(p) for p in config.input.paths]
    sidecar = resolve_project_path(config.input.sidecar) if config.input.sidecar else None
    documents = [clean_document(raw) for raw in
                 read_documents(paths, sidecar, config.input.max_file_mb)]
    documents_table(documents, INGEST_COLUMNS).to_csv(sys.stdout, index=False,
                                                      lineterminator="\n")
    return 0


def command_run(args: argparse.Namespace) -> int:
    config = resolve_config(args)
    from flows.topic_report import topic_report

    version_path = topic_report(config=config)
    sys.stdout.flush()
    print(version_path, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    set_runtime_defaults()
    args = build_parser().parse_args(argv)
    handler = {"run": command_run, "ingest": command_ingest}[args.command]
    try:
        return handler(args)
    except ValueError as exc:  # config and input errors: one clear line, no traceback
        print(f"vntopics: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
