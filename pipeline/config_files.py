"""Reading a run's configuration: the YAML file, `--set` overrides, the CLI's and the Python
API's inputs and folders, and config paths (`builtin:` lists, relative paths). The schema it
validates against is `pipeline/config.py`."""
from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
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


def parse_override(text: str) -> tuple[list[str], Any]:
    """'model.num_topics=12' -> (['model', 'num_topics'], 12); values are parsed as YAML."""
    if "=" not in text:
        raise ValueError(f"--set expects key=value, got {text!r}")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ValueError(f"--set has an empty key in {text!r}")
    return parts, yaml.safe_load(raw) if raw.strip() else ""


def apply_overrides(data: dict, overrides: list[str]) -> dict:
    data = copy.deepcopy(data)
    for item in overrides:
        parts, value = parse_override(item)
        node = data
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"--set {item!r}: {part!r} is not a section")
            node = child
        node[parts[-1]] = value
    return data


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> RunConfig:
    """Read YAML (default: the shipped default.yaml), apply `--set` overrides, validate."""
    from vntopics.pipeline.config import RunConfig

    config_path = Path(path) if path else DEFAULT_CONFIG_FILE
    try:
        data = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ValueError(f"config file not found: {config_path}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"config {config_path} must be a mapping of sections")
    return RunConfig.model_validate(apply_overrides(data, overrides or []))


def configure(config_file: str | Path | None = None, overrides: list[str] | None = None,
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

