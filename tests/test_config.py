"""Config: defaults load, overrides apply, mistakes are caught before any work and named."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from vntopics.pipeline.config import load_config


def test_default_config_loads():
    config = load_config()
    assert config.model.num_topics >= 2 and config.model.models == ["lda", "nmf"]


def test_set_overrides_nested_keys_with_yaml_types():
    config = load_config(overrides=["model.num_topics=12", "corpus.no_above=0.4",
                                    "model.models=[nmf]"])
    assert (config.model.num_topics, config.corpus.no_above) == (12, 0.4)
    assert config.model.models == ["nmf"]


@pytest.mark.parametrize("override,key", [("model.num_topic=5", "num_topic"),
                                          ("model.num_topics=1", "num_topics"),
                                          ("corpus.no_above=1.5", "no_above"),
                                          ("model.num_topics=many", "num_topics")])
def test_bad_values_are_rejected_naming_the_key(override, key):
    with pytest.raises(ValidationError, match=key):
        load_config(overrides=[override])
