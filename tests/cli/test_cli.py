"""CLI conventions: help for every option of every command, `config show` against the
pydantic model, `--format json|csv` for scripts, folders checked before Prefect starts."""
from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from tests.conftest import run_cli
from tests.store.test_diff import FOOTBALL, HEALTH, HEALTH_KEPT, PROVINCES, write_version
from tests.store.test_versions import make_version
from vntopics.cli.main import build_parser
from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.config_io import load_config


def commands(parser: argparse.ArgumentParser, path: str = "vntopics"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{path} {name}", sub
                yield from commands(sub, f"{path} {name}")


def test_every_command_has_a_description_and_every_option_a_help():
    found = dict(commands(build_parser()))
    assert {"vntopics run", "vntopics runs", "vntopics diff", "vntopics config show",
            "vntopics apply", "vntopics serve", "vntopics label", "vntopics ingest"} <= set(found)
    for name, parser in found.items():
        assert parser.description and "\n" not in parser.description, name
        for action in parser._actions:
            if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                assert action.help, f"{name} {action.option_strings or action.dest}"


def leaf_keys(data: dict, section: type[BaseModel] = RunConfig, prefix: str = "") -> dict:
    """Every key of the config's sections; a mapping-valued key (model.seed_topics) is one."""
    leaves = {}
    for key, value in data.items():
        annotation = section.model_fields[key].annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            leaves.update(leaf_keys(value, annotation, f"{prefix}{key}."))
        else:
            leaves[f"{prefix}{key}"] = value
    return leaves


def field_description(key: str) -> str | None:
    *path, name = key.split(".")
    section = RunConfig
    for part in path:
        section = section.model_fields[part].annotation
    return section.model_fields[name].description


def test_config_show_lists_every_key_with_default_and_the_forms_description():
    result = run_cli(["config", "show", "--format", "json"])
    assert result.returncode == 0, result.stderr
    shown = {row["key"]: row for row in json.loads(result.stdout)}
    defaults = leaf_keys(load_config().model_dump(mode="json"))
    assert list(shown) == list(defaults)          # every key, in the config's order
    assert {"model.seed_topics", "model.lda.seed_strength", "compare.watchlist",
            "compare.watchlist_file", "input.max_doc_chars", "input.symlinks"} <= set(shown)
    for key, value in defaults.items():
        assert shown[key]["default"] == value, key
        assert shown[key]["description"] == field_description(key), key
        assert shown[key]["description"], f"{key} has no description"
    text = run_cli(["config", "show", "--set", "model.num_topics=12"]).stdout.splitlines()
    assert len(text) == len(defaults)
    assert next(line for line in text if line.startswith("model.num_topics ")).split()[1] == "12"


def test_runs_in_json_and_csv_parse(tmp_path):
    root = tmp_path / "runs"
    make_version(root, "20240105T060000Z-1a2b3c4d", ok=118, npmi={"lda": 0.12})
    make_version(root, "20240212T060000Z-9f8e7d6c", ok=120, npmi={"lda": 0.14})
    listed = run_cli(["runs", "--artifacts-dir", str(root), "--format", "json"])
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [r["version"] for r in rows] == ["20240212T060000Z-9f8e7d6c",
                                            "20240105T060000Z-1a2b3c4d"]
    assert rows[0]["ok"] == 120 and rows[0]["npmi"] == "lda=0.140"
    as_csv = run_cli(["runs", "--artifacts-dir", str(root), "--format", "csv"]).stdout
    assert [r["ok"] for r in csv.DictReader(io.StringIO(as_csv))] == ["120", "118"]
    empty = run_cli(["runs", "--artifacts-dir", str(tmp_path / "none"), "--format", "json"])
    assert json.loads(empty.stdout) == []


def test_diff_in_json_gives_null_for_missing_values(tmp_path):
    old = write_version(tmp_path, "20240105T060000Z-1a2b3c4d", {"lda": [HEALTH, FOOTBALL]},
                        {("lda", t): dict.fromkeys(PROVINCES, 0.2) for t in range(2)})
    new = write_version(tmp_path, "20240212T060000Z-9f8e7d6c", {"lda": [HEALTH_KEPT]},
                        {("lda", 0): dict.fromkeys(PROVINCES, 0.3)})
    for version in (old, new):
        make_version(tmp_path / "manifests", version.name)
        (version / "manifest.json").write_text(
            (tmp_path / "manifests" / version.name / "manifest.json").read_text())
    result = run_cli(["diff", old.name, new.name, "--artifacts-dir", str(tmp_path),
                      "--format", "json"])
    assert result.returncode == 0, result.stderr
    rows = {r["status"]: r for r in json.loads(result.stdout)}
    assert rows["kept"]["topic_a"] == 0 and rows["kept"]["topic_b"] == 0
    assert rows["vanished"]["topic_b"] is None and "kiatisuk" in rows["vanished"]["words_a"]


@pytest.mark.parametrize("where", ["file", "under-a-file"])
def test_unusable_artifacts_folder_is_reported_before_prefect_starts(cli_env, tmp_path, where):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker if where == "file" else blocker / "runs"
    result = run_cli(["run", "--artifacts-dir", str(target)], env=cli_env, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert f"artifacts folder {target}: not writable" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Beginning flow run" not in result.stderr
