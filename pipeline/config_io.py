"""Reading a run's configuration: YAML without aliases (`read_yaml_text`, `read_yaml_file`:
every YAML the project reads goes through them), the YAML file, `--set key=value` overrides, the CLI's and
the Python API's inputs and folders (`configure`), and config paths (`builtin:` lists,
relative paths), with every problem reported as one line that names where it is (file, line
and column; the key). Also every key with its description (`vntopics config show`).

Kept apart from `config.py` (the schema) so that the schema reads as the list of parameters.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from vntopics.pipeline.config import RunConfig

# The shipped configuration and stop-word lists (package data `vntopics.configs`; in a
# source checkout, the repository's configs/ folder).
CONFIGS = Path(str(resources.files("vntopics.configs")))
DEFAULT_CONFIG_FILE = CONFIGS / "default.yaml"
BUILTIN = "builtin:"   # prefix of a path inside CONFIGS, e.g. builtin:stopwords/domain.txt


def resolve_path(path: str | Path) -> Path:
    """A path from a config: relative ones against the working directory; `builtin:NAME`
    inside the shipped configs (stop-word lists)."""
    text = str(path)
    if text.startswith(BUILTIN):
        return (CONFIGS / text[len(BUILTIN):]).resolve()
    return Path(text).expanduser().resolve()


def input_paths(config: RunConfig) -> list[Path]:
    """`input.paths`, resolved (the paths below: the one place a config path is resolved)."""
    return [resolve_path(p) for p in config.input.paths]


def sidecar_path(config: RunConfig) -> Path | None:
    """`input.sidecar`, resolved; None: each txt folder's own metadata.csv."""
    return resolve_path(config.input.sidecar) if config.input.sidecar else None


def stopword_paths(config: RunConfig) -> list[Path]:
    """`text.stopword_files`, resolved (`builtin:` lists inside the package)."""
    return [resolve_path(p) for p in config.text.stopword_files]


def cache_dir(config: RunConfig) -> Path | None:
    """`cache.dir`, resolved; None when `cache.enabled` is false."""
    return resolve_path(config.cache.dir) if config.cache.enabled else None


def yaml_problem(error: yaml.YAMLError) -> str:
    """'line 3, column 7: mapping values are not allowed here' (1-based, as editors count)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    return f"{where}{problem}"


class AliasFreeLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that refuses aliases (`*name`): an alias repeats a node without
    copying it, so a few hundred bytes of nested aliases (an "alias bomb") expand to billions
    of values in whatever walks the result (validation, copies, printing). Configs, labels,
    watchlists and source lists never need them; an anchor alone (`&name`) is harmless.
    Nesting deeper than MAX_DEPTH is refused too (instead of a RecursionError)."""

    MAX_DEPTH = 100

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"alias *{event.anchor} refused (YAML aliases are not accepted: "
                "write the value out)", event.start_mark)
        self.depth = getattr(self, "depth", 0) + 1
        try:
            if self.depth > self.MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {self.MAX_DEPTH} levels deep",
                    event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_yaml_text(text: str) -> Any:
    """`yaml.safe_load(text)` with aliases refused (`AliasFreeLoader`); raises yaml.YAMLError."""
    return yaml.load(text, Loader=AliasFreeLoader)  # noqa: S506 (a SafeLoader subclass)


MAX_YAML_BYTES = 2_000_000   # configs, labels, source lists: KBs; parsing takes ~2.5 s a MB


def read_yaml_file(path: Path, what: str) -> Any:
    """The YAML document in `path`, aliases refused; a missing, unreadable, non-UTF-8,
    malformed or oversized (MAX_YAML_BYTES) file raises ValueError in one line naming `what`
    and the file ('labels /a/labels.yaml: YAML syntax error at line 2, column 4: ...')."""
    try:
        if (size := path.stat().st_size) > MAX_YAML_BYTES:
            raise ValueError(f"{what} {path}: {size / 1e6:.1f} MB, more than a YAML file here "
                             f"may hold ({MAX_YAML_BYTES / 1e6:.0f} MB; long term lists go in "
                             "compare.watchlist_file)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ValueError(f"{what} file not found: {path}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{what} {path}: not UTF-8 text (undecodable byte at offset "
                         f"{exc.start})") from exc
    except OSError as exc:
        raise ValueError(f"{what} {path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        return read_yaml_text(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{what} {path}: YAML syntax error at {yaml_problem(exc)}") from exc


def read_config_file(path: Path) -> dict:
    """The YAML mapping in `path`; a missing, unreadable, non-UTF-8 or malformed file raises
    ValueError naming the file."""
    data = read_yaml_file(path, "config") or {}
    if not isinstance(data, dict):
        raise ValueError(f"config {path} must be a mapping of sections")
    return data


def parse_override(text: str) -> tuple[list[str], Any]:
    """'model.num_topics=12' -> (['model', 'num_topics'], 12); values are parsed as YAML."""
    if "=" not in text:
        raise ValueError(f"--set expects key=value, got {text!r}")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ValueError(f"--set has an empty key in {text!r}")
    try:
        return parts, read_yaml_text(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ValueError(f"--set {text!r}: not a YAML value ({yaml_problem(exc)})") from exc


def split_key(key: str) -> list[str]:
    """'model.lda.alpha' -> ['model', 'lda', 'alpha'] (a key given as a mapping's key)."""
    parts = [p for p in str(key).strip().split(".") if p]
    if not parts:
        raise ValueError(f"overrides have an empty key: {key!r}")
    return parts


def apply_overrides(data: dict, overrides: list[str] | Mapping[str, Any]) -> dict:
    """`data` with the overrides set: `--set` strings ("key=value", the value read as YAML)
    or, from Python, a mapping of dotted keys to values ({"model.num_topics": 8})."""
    data = copy.deepcopy(data)
    pairs = ([(key, (split_key(key), value)) for key, value in overrides.items()]
             if isinstance(overrides, Mapping) else
             [(item, parse_override(item)) for item in overrides])
    for item, (parts, value) in pairs:
        node = data
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"--set {item!r}: {part!r} is not a section")
            node = child
        node[parts[-1]] = value
    return data


UNION_BRANCH = ("literal[", "function-", "constrained-", "float", "int", "str", "none",
                "list[")


def validation_message(error: ValidationError) -> str:
    """pydantic's multi-line report as one line: "model.lda.alpha: should be 'auto',
    'symmetric' or 'asymmetric', or greater than 0 (got 'banana')"; the alternatives of a
    union are joined, several keys separated by '; '."""
    by_key: dict[str, tuple[list[str], Any, bool]] = {}
    for item in error.errors(include_url=False):
        key = ".".join(str(part) for part in item["loc"]
                       if not (isinstance(part, str) and part.startswith(UNION_BRANCH)))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif key and message.startswith(key + "."):   # our validator names a key inside it
            key, _, message = message.partition(" ")
            key, message = key.rstrip(":"), message.lstrip(": ")
        elif key and message.startswith(key):   # our validators name the key themselves
            message = message[len(key):].lstrip(": ")
        messages, _, _ = by_key.setdefault(key, ([], item.get("input"),
                                                 item["type"] != "value_error"))
        messages.append(message)
    problems = []
    for key, (messages, value, show_value) in by_key.items():
        messages = list(dict.fromkeys(messages))
        if all(m.startswith("Input should be ") for m in messages):
            text = "should be " + ", or ".join(m.removeprefix("Input should be ")
                                               for m in messages)
        else:
            text = "; ".join(messages)
        got = f" (got {value!r:.60})" if show_value else ""
        problems.append(f"{key}: {text}{got}" if key else text)
    return "invalid config: " + "; ".join(problems)


def load_config(path: str | Path | Mapping | None = None,
                overrides: list[str] | Mapping[str, Any] | None = None) -> RunConfig:
    """Read YAML (default: the shipped default.yaml; from Python also a mapping of the same
    sections), apply `--set` overrides, validate."""
    if isinstance(path, Mapping):
        data = copy.deepcopy(dict(path))
    else:
        data = read_config_file(Path(path) if path else DEFAULT_CONFIG_FILE)
    try:
        return RunConfig.model_validate(apply_overrides(data, overrides or []))
    except ValidationError as exc:
        raise ValueError(validation_message(exc)) from None


def configure(config_file: str | Path | Mapping | None = None,
              overrides: list[str] | Mapping[str, Any] | None = None,
              inputs: list[str | Path] | None = None, artifacts_dir: str | Path | None = None,
              compare_to: str | None = None) -> RunConfig:
    """The config of a run as the CLI and the Python API build it: the YAML (default: the
    shipped one), `--set` overrides, then the inputs, artifacts folder and version to diff
    against when given (`compare_to="none"`: no diff)."""
    config = load_config(config_file, overrides)
    if inputs:
        config.input = config.input.model_copy(update={
            "paths": [str(Path(p).expanduser().resolve()) for p in inputs]})
    if artifacts_dir:
        config.artifacts.dir = str(Path(artifacts_dir).expanduser().resolve())
    if compare_to:
        config.artifacts.compare_to = None if compare_to == "none" else compare_to
    return config


def config_keys(config: BaseModel, prefix: str = "") -> list[dict]:
    """Every key a config accepts, in order: key (dotted), its value in `config`, and the
    field's description (the text of the Prefect UI form); `vntopics config show`. A section
    (a nested model) is walked into, every other field is a key, mappings included."""
    rows = []
    for name, field in type(config).model_fields.items():
        value = getattr(config, name)
        if isinstance(value, BaseModel):
            rows += config_keys(value, f"{prefix}{name}.")
        else:
            rows.append({"key": prefix + name, "default": value,
                         "description": field.description or ""})
    return rows
