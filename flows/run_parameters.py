"""The parameters of a topic_report run as the Prefect UI form and the API see them.

First the few knobs an analyst changes per run (K, models, report language, watchlist, seeded
topics, continue_from), each with its config key's description; then `config`, any other
config keys nested as in configs/default.yaml (the "advanced" object). Every key left out
keeps the deployment's value: `vntopics serve` hands its whole config to the runs it executes
(DEPLOYMENT_CONFIG_ENV, inherited by each run's process), and the run overlays what it was
given (pipeline/config_overlay.py). A run called with a whole RunConfig (the CLI, the Python
API) runs with exactly that.
"""
from __future__ import annotations

import json
import os
from typing import Annotated, Any, Literal

from pydantic import Field

from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.config_io import config_keys, load_config
from vntopics.pipeline.config_overlay import DEPLOYMENT_WIDE, KNOBS, apply_run_overrides

DEPLOYMENT_CONFIG_ENV = "VNTOPICS_DEPLOYMENT_CONFIG"
ADVANCED = ("Advanced: any other config keys, nested as in configs/default.yaml (`vntopics "
            "config show` lists them), e.g. {\"model\": {\"top_words\": 10}}. Keys left out "
            "keep the deployment's values; set when serving, not per run: "
            + ", ".join(DEPLOYMENT_WIDE) + ".")


def field_description(key: str) -> str:
    section, name = key.split(".")
    return RunConfig.model_fields[section].annotation.model_fields[name].description or ""


def flow_docstring(summary: str) -> str:
    """The flow's docstring with an Args section: Prefect reads the form's descriptions
    from it, here the config keys' own descriptions (pipeline/config.py)."""
    lines = [summary, "", "Args:"]
    for name, key in KNOBS.items():
        lines.append(f"    {name}: {field_description(key)} ({key}; empty: the "
                     f"deployment's value)")
    lines.append(f"    config: {ADVANCED}")
    return "\n".join(lines)


def as_form_field(schema: Any, resolve, seen: set[str]) -> None:
    """Every key of the advanced object starts empty in the form, so that only what a
    person fills in is sent: no defaults (nested sections included), and yes/no keys as a
    choice with no answer yet (a checkbox always sends false)."""
    if isinstance(schema, list):
        for item in schema:
            as_form_field(item, resolve, seen)
        return
    if not isinstance(schema, dict):
        return
    if "$ref" in schema and schema["$ref"] not in seen:
        seen.add(schema["$ref"])
        as_form_field(resolve(schema), resolve, seen)
    schema.pop("default", None)
    if schema.get("type") == "boolean":
        del schema["type"]
        schema["enum"] = [True, False]
    for value in schema.values():
        as_form_field(value, resolve, seen)


class ConfigOverrides:
    """JSON schema of the `config` parameter (pydantic reads it from the annotation): the
    keys of RunConfig, none required, no defaults, without the deployment-wide ones; a K
    range ('6-12') allowed as text."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        reference = handler(RunConfig.__pydantic_core_schema__)
        schema = handler.resolve_ref_schema(reference)
        for key in DEPLOYMENT_WIDE:
            section, _, name = key.partition(".")
            if not name:
                schema["properties"].pop(section, None)
        artifacts = handler.resolve_ref_schema(schema["properties"]["artifacts"])
        artifacts["properties"].pop("dir", None)
        model = handler.resolve_ref_schema(schema["properties"]["model"])
        model["properties"]["num_topics"]["anyOf"].append({"type": "string"})
        as_form_field(schema, handler.resolve_ref_schema, set())
        return {**reference, "title": "config (advanced)", "description": ADVANCED}


# The knobs: None (left out) keeps the deployment's value.
NumTopics = int | str | list[int] | None
Models = list[Literal["lda", "nmf"]] | None
Language = Literal["en", "vi"] | None
Watchlist = list[str] | None
SeedTopics = dict[str, list[str]] | None
ContinueFrom = Literal["latest", "none"] | None
# config: any keys of RunConfig (a dict, overlaid), or a whole RunConfig (the CLI, the API)
ConfigParameter = Annotated[dict[str, Any] | RunConfig | None,
                            Field(union_mode="left_to_right"), ConfigOverrides]


def deployment_config() -> RunConfig:
    """The configuration a deployment run starts from: what `vntopics serve` was given, or
    the shipped defaults (a deployment from prefect.yaml)."""
    served = os.environ.get(DEPLOYMENT_CONFIG_ENV)
    return RunConfig.model_validate(json.loads(served)) if served else load_config()


def run_config(config: RunConfig | dict | None, knobs: dict[str, Any]
               ) -> tuple[RunConfig, list[str]]:
    """The run's whole config and the keys the run changed from its base."""
    if isinstance(config, RunConfig):
        return apply_run_overrides(config, None, knobs)
    return apply_run_overrides(deployment_config(), config, knobs)


def describe(config: RunConfig, overridden: list[str]) -> str:
    """One log line: the keys this run changed, then the whole config it runs with."""
    values = {row["key"]: row["default"] for row in config_keys(config)}
    changed = ", ".join(f"{key}={json.dumps(values[key], ensure_ascii=False)}"
                        for key in overridden) or "none"
    return (f"overridden keys: {changed}; config: "
            f"{json.dumps(config.model_dump(mode='json'), ensure_ascii=False)}")


def as_empty_form(properties: dict) -> None:
    """The form of a served deployment starts every parameter empty, with no "None" choice:
    left out, a knob keeps the served value (Prefect's `default: null` would make the UI
    fill in and submit null)."""
    for schema in properties.values():
        if "default" in schema and schema["default"] is None:
            del schema["default"]
        options = [o for o in schema.pop("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            schema.update(options[0])
        elif options:
            schema["anyOf"] = options
