"""One run of a deployment: the deployment's configuration overlaid by exactly the keys the
run was given (a UI form, `prefect deployment run --param`, the API).

Prefect merges a deployment's parameters with a run's only at the top level, so a run given
`config={"model": {"num_topics": 5}}` would otherwise replace the whole configuration (inputs
and artifacts folder included) with the package defaults. Here the deployment's config is the
base, the run's keys are laid over it section by section, and the result is validated as a
whole (an unknown key or impossible value raises ValueError naming the key). Settings that
belong to the deployment (schedule, runner, workers, cache, artifacts folder) are refused
per run: they are set when serving.
"""
from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ValidationError

from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.config_io import config_keys, validation_message

# Set when serving (`vntopics serve --set ...`), the same for every run of the deployment.
DEPLOYMENT_WIDE = ("schedule", "runner", "dask", "workers", "cache", "artifacts.dir")
# The few things an analyst changes per run: flow parameter -> config key.
KNOBS = {"num_topics": "model.num_topics", "models": "model.models",
         "language": "report.language", "watchlist": "compare.watchlist",
         "seed_topics": "model.seed_topics", "continue_from": "model.continue_from"}


def section_of(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    """The config section (a nested model class) under `key`, None for a plain value."""
    field = model.model_fields.get(key)
    kind = field.annotation if field else None
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def overlay(base: dict, given: dict, model: type[BaseModel] = RunConfig) -> dict:
    """`base` with the keys of `given` laid over it, section by section; a mapping that is a
    value (model.seed_topics) replaces the base's whole, unknown keys are kept (validation
    names them)."""
    merged = copy.deepcopy(base)
    for key, value in given.items():
        section = section_of(model, key)
        if section and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = overlay(merged[key], value, section)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def given_keys(given: dict, model: type[BaseModel] = RunConfig, prefix: str = "") -> list[str]:
    """The dotted keys `given` sets: 'model.num_topics', 'model.lda.passes'."""
    keys = []
    for key, value in given.items():
        section = section_of(model, key)
        if section and isinstance(value, dict):   # an empty section sets nothing
            keys += given_keys(value, section, f"{prefix}{key}.")
        else:
            keys.append(f"{prefix}{key}")
    return keys


def with_knobs(given: dict, knobs: dict[str, Any]) -> dict:
    """`given` plus the knob parameters that were set (not None), at their config keys; the
    same key set two ways to different values is refused."""
    given = copy.deepcopy(given)
    for name, value in knobs.items():
        if value is None:
            continue
        *sections, leaf = KNOBS[name].split(".")
        node = given
        for section in sections:
            node = node.setdefault(section, {})
            if not isinstance(node, dict):
                raise ValueError(f"invalid config: {section}: should be an object of keys")
        if leaf in node and node[leaf] != value:
            raise ValueError(f"invalid config: {KNOBS[name]}: given twice ({name}={value!r}, "
                             f"config.{KNOBS[name]}={node[leaf]!r})")
        node[leaf] = value
    return given


def changed_keys(before: RunConfig, after: RunConfig) -> list[str]:
    """The dotted keys whose value differs between two configs, in config order."""
    old = {row["key"]: row["default"] for row in config_keys(before)}
    return [row["key"] for row in config_keys(after) if old[row["key"]] != row["default"]]


def apply_run_overrides(base: RunConfig, given: dict | None,
                        knobs: dict[str, Any] | None = None) -> tuple[RunConfig, list[str]]:
    """The run's config (`base` overlaid by `given` and the knobs) and the keys it changed.

    ValueError, naming the key, for an unknown key, an impossible value, or a deployment-wide
    setting given per run."""
    if given is not None and not isinstance(given, dict):
        raise ValueError(f"invalid config: config: should be an object of config keys, got "
                         f"{given!r:.60}")
    given = with_knobs(given or {}, knobs or {})
    for key in given_keys(given):
        wide = next((w for w in DEPLOYMENT_WIDE if key == w or key.startswith(w + ".")), None)
        if wide:
            raise ValueError(f"invalid config: {key}: set when serving (vntopics serve --set "
                             f"{wide}=...), not per run")
    try:
        merged = RunConfig.model_validate(overlay(base.model_dump(mode="json"), given))
    except ValidationError as exc:
        raise ValueError(validation_message(exc)) from None
    return merged, changed_keys(base, merged)
