"""Config: defaults load, overrides apply, mistakes are caught before any work and named in
one line (the key, or the file with line and column)."""
from __future__ import annotations

import pytest

from vntopics.pipeline.config_io import load_config


def test_default_config_loads():
    config = load_config()
    assert config.model.num_topics >= 2 and config.model.models == ["lda", "nmf"]


def test_set_overrides_nested_keys_with_yaml_types():
    config = load_config(overrides=["model.num_topics=12", "corpus.no_above=0.4",
                                    "model.models=[nmf]", "model.lda.alpha=0.1",
                                    "model.lda.eta=null"])
    assert (config.model.num_topics, config.corpus.no_above) == (12, 0.4)
    assert config.model.models == ["nmf"]
    assert (config.model.lda.alpha, config.model.lda.eta) == (0.1, None)


@pytest.mark.parametrize("override,message", [
    ("model.num_topic=5", "model.num_topic: unknown key"),
    ("model.num_topics=1", "model.num_topics: every K must be at least 2"),
    ("corpus.no_above=1.5", "corpus.no_above: should be less than or equal to 1"),
    ("model.num_topics=many", "model.num_topics: must be an int"),
    ("model.lda.alpha=banana", "model.lda.alpha: should be 'auto', 'symmetric' or "
                               "'asymmetric', or a valid number"),
    ("model.lda.alpha=-0.5", "model.lda.alpha: should be 'auto', 'symmetric' or "
                             "'asymmetric', or greater than 0 (got -0.5)"),
    ("model.lda.eta=asymmetric", "model.lda.eta: should be 'auto' or 'symmetric'"),
    ("model.lda.init=kmeans", "model.lda.init: should be 'nmf' or 'random'"),
    ("model.nmf.beta_loss=itakura", "model.nmf.beta_loss: should be 'frobenius' or "
                                    "'kullback-leibler'"),
    ("model.num_topics=2-100000", "model.num_topics: K above 500 topics is not supported"),
    ("model.num_topics=2-200", "a sweep of 199 Ks is too long"),
    ("input.max_doc_chars=10", "input.max_doc_chars: should be greater than or equal to 1000"),
    ("input.symlinks=sometimes", "input.symlinks: should be 'inside', 'all' or 'none'"),
    ("model.num_topics=[1,", "--set 'model.num_topics=[1,': not a YAML value (line 1, "
                             "column 4"),
])
def test_bad_values_are_rejected_in_one_line_naming_the_key(override, message):
    with pytest.raises(ValueError) as caught:
        load_config(overrides=[override])
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("model:\n  num_topics: 8\n  lda: passes: 2\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        load_config(path)
    assert str(caught.value) == (f"config {path}: YAML syntax error at line 3, column 14: "
                                 "mapping values are not allowed here")
    assert "\n" not in str(caught.value)


def test_non_utf8_config_is_named(tmp_path):
    path = tmp_path / "cp1252.yaml"
    path.write_bytes("# Hà Nội\nmodel:\n  num_topics: 8\n".encode("cp1252", "replace"))
    with pytest.raises(ValueError, match=f"config {path}: not UTF-8 text"):
        load_config(path)


def test_unreadable_config_is_named(tmp_path):
    with pytest.raises(ValueError, match=f"config {tmp_path}: cannot be read"):
        load_config(tmp_path)


@pytest.mark.parametrize("override,message", [
    ("compare.watchlist=[tham nhũng, '']", "compare.watchlist: entry 2: empty watchlist term"),
    ("compare.watchlist=[Chuyển đổi số, chuyển_đổi_số]", "is a duplicate of 'Chuyển đổi số'"),
    ("compare.watchlist=[18-NQ/TW, 18-NQ/TƯ]", "is a duplicate of '18-NQ/TW'"),
    ("model.seed_topics={Y tế: []}", "'Y tế' has no seed words"),
    ("model.seed_topics={Y tế: [bác sĩ], Sức khỏe: [bác_sĩ]}", "is a duplicate of 'bác sĩ'"),
    ("model.seed_topics={a: [x], b: [y], c: [z]}", "3 seeded topics, more than K = 2"),
])
def test_watchlist_and_seed_topics_are_checked_at_load(override, message):
    with pytest.raises(ValueError, match=message):
        load_config(overrides=["model.num_topics=2-6", override])


def test_seed_topics_need_a_numeric_lda_prior():
    seeds = "model.seed_topics={Y tế: [bác sĩ, bệnh viện]}"
    with pytest.raises(ValueError, match="needs model.lda.eta to be a number or null"):
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


def test_python_overrides_and_configs_are_checked_exactly_like_set():
    """`vntopics.run(overrides={...}, config={...})`: a dict of dotted keys, or a dict of the
    YAML's sections, gives the config (and the one-line errors) `--set` and a file give."""
    from vntopics.pipeline.config_io import configure

    as_dict = configure({"model": {"num_topics": 6}},
                        {"model.lda.alpha": 0.1, "model.models": ["nmf"],
                         "compare.watchlist": ["chuyển đổi số", "18-NQ/TW"]})
    as_set = load_config(overrides=["model.num_topics=6", "model.lda.alpha=0.1",
                                    "model.models=[nmf]",
                                    'compare.watchlist=["chuyển đổi số", "18-NQ/TW"]'])
    assert as_dict == as_set
    for key, value in [("model.num_topic", 5), ("corpus.no_above", 1.5),
                       ("model.lda.alpha", "banana")]:
        with pytest.raises(ValueError) as from_dict:
            load_config(overrides={key: value})
        with pytest.raises(ValueError) as from_set:
            load_config(overrides=[f"{key}={value}"])
        assert str(from_dict.value) == str(from_set.value)
    with pytest.raises(ValueError, match="'model' is not a section"):
        load_config(overrides={"model": 3, "model.num_topics": 4})
