"""configs/default.yaml and RunConfig's defaults say the same thing: every key of the schema
is in the file (the file is what users copy and read), with the schema's default value."""
from __future__ import annotations

import yaml

from vntopics.pipeline.config import RunConfig
from vntopics.pipeline.config_io import DEFAULT_CONFIG_FILE


def flatten(tree: dict, prefix: str = "") -> dict:
    """{"model": {"lda": {"passes": 2}}} -> {"model.lda.passes": 2}; a free-form mapping
    (model.seed_topics) is one value."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict) and value and not key.endswith("seed_topics"):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def test_default_yaml_lists_every_key_with_the_schema_default():
    written = flatten(yaml.safe_load(DEFAULT_CONFIG_FILE.read_text(encoding="utf-8")))
    schema = flatten(RunConfig().model_dump(mode="json"))
    assert sorted(written) == sorted(schema), "keys differ"
    # the file's values as the schema reads them (e.g. num_topics "6-12" -> a list)
    read = flatten(RunConfig.model_validate(yaml.safe_load(
        DEFAULT_CONFIG_FILE.read_text(encoding="utf-8"))).model_dump(mode="json"))
    differing = {key: (read[key], schema[key]) for key in schema if read[key] != schema[key]}
    assert differing == {}


def test_flatten_sees_a_changed_default():
    """The check itself: a value changed in one place is a difference."""
    changed = RunConfig().model_dump(mode="json")
    changed["compare"]["min_group_docs"] = 11
    assert flatten(changed)["compare.min_group_docs"] == 11
    assert flatten(changed) != flatten(RunConfig().model_dump(mode="json"))
