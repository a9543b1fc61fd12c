"""CLI conventions shared by the commands: help for every option, tables as text, JSON or
CSV for scripts (`--format`), and `vntopics config show`."""
from __future__ import annotations

import argparse
import json
import sys

FORMATS = ("text", "json", "csv")
# Help of the options several commands share (argparse dest -> text).
OPTION_HELP = {
    "config": "YAML config (default: the shipped default.yaml; see `vntopics config show`)",
    "set": "override a config key, e.g. model.num_topics=12 (repeatable)",
    "input": "file or folder to read (repeatable; default: input.paths of the config)",
    "artifacts_dir": "the folder of the versions (default: artifacts.dir of the config)",
    "format": "text for people (default), json or csv for scripts",
    "a": "the earlier version: a name, a unique prefix of one, or latest",
    "b": "the later version (default: latest)",
    "model": "the model the topic belongs to",
}


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text")


def document_commands(commands: argparse._SubParsersAction) -> None:
    """Every option of every command gets a help text (shared ones from OPTION_HELP) and
    every command its one-line description on its own `--help`."""
    summaries = {action.dest: action.help for action in commands._choices_actions}
    for name, parser in commands.choices.items():
        parser.description = parser.description or summaries.get(name)
        for action in parser._actions:
            if action.help is None and action.dest in OPTION_HELP:
                action.help = OPTION_HELP[action.dest]
        for sub in parser._actions:
            if isinstance(sub, argparse._SubParsersAction):
                document_commands(sub)


def print_frame(frame, fmt: str, empty: str = "") -> None:
    """A DataFrame as aligned text, a JSON array of objects (NaN as null) or CSV."""
    if fmt == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records", force_ascii=False)),
                         ensure_ascii=False, indent=1))
    elif fmt == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif frame.empty and empty:
        print(empty)
    else:
        print(frame.astype(object).fillna("").to_string(index=False))


def command_config_show(args: argparse.Namespace) -> int:
    """Every config key with its default (the shipped default.yaml, or --config/--set) and
    its description, the text of the Prefect UI form."""
    import pandas as pd

    from vntopics.pipeline.config_io import config_keys, load_config

    rows = config_keys(load_config(args.config, list(args.set)))
    values = [json.dumps(r["default"], ensure_ascii=False) for r in rows]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if args.format == "csv":
        print_frame(pd.DataFrame(rows).assign(default=values), "csv")
        return 0
    key_width = max(len(r["key"]) for r in rows)
    value_width = min(max(map(len, values)), 30)
    for row, value in zip(rows, values):
        line = f"{row['key']:<{key_width}}  {value:<{value_width}}  {row['description']}"
        print(line.rstrip())
    return 0
