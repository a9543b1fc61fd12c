"""A deployment run's config: the deployment's, overlaid by exactly the keys the run gives
(pipeline/config_overlay.py); the Prefect side is tests/flows/test_deployment.py."""
from __future__ import annotations

import pytest

from vntopics.pipeline.config_io import configure
from vntopics.pipeline.config_overlay import apply_run_overrides

INPUT = "/data/bao-moi"


@pytest.fixture(scope="module")
def served():
    """A deployment as `vntopics serve --input ... --artifacts-dir ...` builds it, with a
    watchlist, seeded topics and a smaller bootstrap."""
    return configure(None, ["compare.watchlist=[chuyển đổi số]", "compare.bootstrap=30",
                            "model.seed_topics={'Y tế': [bệnh_viện, bác_sĩ]}",
                            "model.lda.eta=0.05"], [INPUT], "/data/vntopics-runs")


def test_a_nested_partial_override_changes_only_that_key(served):
    config, overridden = apply_run_overrides(served, {"model": {"num_topics": 5}})
    assert config.model.num_topics == 5 and overridden == ["model.num_topics"]
    assert config.input.paths == [INPUT] and config.artifacts.dir == "/data/vntopics-runs"
    assert config.compare.watchlist == ["chuyển đổi số"] and config.compare.bootstrap == 30
    assert config.model.seed_topics == {"Y tế": ["bệnh_viện", "bác_sĩ"]}
    assert config.model.lda.eta == 0.05 and config.model.lda.passes == served.model.lda.passes


def test_knobs_and_deeper_keys_combine_and_a_mapping_value_is_replaced_whole(served):
    config, overridden = apply_run_overrides(
        served, {"model": {"lda": {"passes": 3}}, "input": {"paths": ["/data/khac"]}},
        {"num_topics": "6-8", "language": "vi", "seed_topics": {"Giáo dục": ["học_sinh"]},
         "models": None})
    assert config.model.k_values() == [6, 7, 8] and config.report.language == "vi"
    assert config.model.seed_topics == {"Giáo dục": ["học_sinh"]}
    assert config.model.lda.passes == 3 and config.model.lda.eta == 0.05
    assert config.input.paths == ["/data/khac"]
    assert overridden == ["input.paths", "model.num_topics", "model.seed_topics",
                          "model.lda.passes", "report.language"]


def test_a_key_given_with_the_deployments_value_is_not_an_override(served):
    config, overridden = apply_run_overrides(served, {"compare": {"bootstrap": 30}, "model": {}})
    assert overridden == [] and config == served


@pytest.mark.parametrize("given, knobs, message", [
    ({"model": {"num_topicz": 5}}, {}, "model.num_topicz: unknown key"),
    ({"modle": {"num_topics": 5}}, {}, "modle: unknown key"),
    ({"model": {"num_topics": 1}}, {}, "model.num_topics: every K must be at least 2"),
    ({}, {"continue_from": "earliest"}, "model.continue_from: should be 'latest' or 'none'"),
    ({"model": {"lda": {"alpha": -1}}}, {}, "model.lda.alpha"),
    ({"cache": {"enabled": False}}, {}, "cache.enabled: set when serving"),
    ({"artifacts": {"dir": "/tmp/x"}}, {}, "artifacts.dir: set when serving"),
    ({"runner": "dask"}, {}, "runner: set when serving"),
    ({"schedule": {"cron": "0 7 * * 1"}}, {}, "schedule.cron: set when serving"),
    ({"model": {"num_topics": 6}}, {"num_topics": 7}, "model.num_topics: given twice"),
    (["model.num_topics=5"], {}, "config: should be an object"),
])
def test_a_bad_override_fails_naming_the_key(served, given, knobs, message):
    with pytest.raises(ValueError, match="invalid config") as error:
        apply_run_overrides(served, given, knobs)
    assert message in str(error.value)


def test_a_whole_config_runs_as_given():
    config = configure(None, ["model.num_topics=12"])
    assert apply_run_overrides(config, None) == (config, [])
