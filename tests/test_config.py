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


@pytest.mark.parametrize("override,message", [
    ("compare.watchlist=[tham nhũng, '']", "compare.watchlist entry 2: empty watchlist term"),
    ("compare.watchlist=[Chuyển đổi số, chuyển_đổi_số]", "is a duplicate of 'Chuyển đổi số'"),
    ("compare.watchlist=[18-NQ/TW, 18-NQ/TƯ]", "is a duplicate of '18-NQ/TW'"),
    ("model.seed_topics={Y tế: []}", "'Y tế' has no seed words"),
    ("model.seed_topics={Y tế: [bác sĩ], Sức khỏe: [bác_sĩ]}", "is a duplicate of 'bác sĩ'"),
    ("model.seed_topics={a: [x], b: [y], c: [z]}", "3 seeded topics, more than K = 2"),
])
def test_watchlist_and_seed_topics_are_checked_at_load(override, message):
    with pytest.raises(ValidationError, match=message):
        load_config(overrides=["model.num_topics=2-6", override])


def test_seed_topics_need_a_numeric_lda_prior():
    seeds = "model.seed_topics={Y tế: [bác sĩ, bệnh viện]}"
    with pytest.raises(ValidationError, match="needs model.lda.eta to be a number or null"):
        load_config(overrides=[seeds, "model.lda.eta=auto"])
    assert load_config(overrides=[seeds, "model.lda.eta=auto", "model.models=[nmf]"])
    config = load_config(overrides=[seeds, "compare.watchlist=[chuyển đổi số, 18-NQ/TW]"])
    assert config.model.seed_topics == {"Y tế": ["bác sĩ", "bệnh viện"]}
    assert config.compare.watchlist == ["chuyển đổi số", "18-NQ/TW"]
    default = load_config()
    assert default.model.seed_topics == {} and default.compare.watchlist == []
    assert default.compare.watchlist_file is None


def test_readme_examples_of_a_watchlist_and_seeded_topics_are_valid_config(tmp_path):
    import re
    import shlex

    import yaml

    from tests.conftest import PROJECT

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    sets = [arg for line in re.findall(r"vntopics run (--set .*)", readme)
            for arg in shlex.split(line, comments=True) if "watchlist" in arg]
    assert any(arg.startswith("compare.watchlist=") for arg in sets)
    config = load_config(overrides=[a for a in sets if a.startswith("compare.watchlist=")])
    assert config.compare.watchlist == ["chuyển đổi số", "tham nhũng", "18-NQ/TW"]
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "seed_topics" in b]
    path = tmp_path / "my.yaml"
    path.write_text(block, encoding="utf-8")
    seeded = load_config(path).model.seed_topics
    assert list(seeded) == ["Y tế", "Giáo dục"] and yaml.safe_load(block)["model"]
