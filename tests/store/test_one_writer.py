"""One writer at a time per artifacts folder: concurrent `label` calls keep every label,
pruning never removes a version another live run continues from, and two runs continuing
from the same version never hand out the same new topic id (each history holds the other)."""
from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from tests.conftest import VNTOPICS
from vntopics.pipeline.store import publish_version
from vntopics.pipeline.store.labels import read_labels, write_label
from vntopics.pipeline.store.lineage import recall_lineage
from vntopics.pipeline.store.versions import list_versions, read_manifest

TOP_WORDS = 5


@pytest.fixture(scope="module")
def published(real_results, tmp_path_factory):
    artifacts = tmp_path_factory.mktemp("one-writer") / "artifacts"
    version, _ = publish_version(real_results, artifacts, top_words=TOP_WORDS)
    return artifacts, version


@pytest.fixture
def folder(published, tmp_path):
    source, version = published
    copy = tmp_path / "artifacts"
    shutil.copytree(source, copy, symlinks=True)
    return copy, copy / version.name


def label_many(artifacts, model, topic, times):
    for n in range(times):
        write_label(artifacts, model, topic, f"Chủ đề {topic} lần {n}")


def test_concurrent_labels_are_all_kept(folder):
    artifacts, version = folder
    ids = read_manifest(version)["topic_ids"]
    targets = [(m, t) for m in ("lda", "nmf") for t in ids[m]]
    assert len(targets) == 6
    context = multiprocessing.get_context("spawn")     # no fork of a threaded test process
    workers = [context.Process(target=label_many, args=(artifacts, m, t, 15))
               for m, t in targets]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    labels = read_labels(artifacts)
    assert {(m, t) for m in labels for t in labels[m]} == set(targets)
    assert all(label.endswith("lần 14") for m in labels for label in labels[m].values())


def test_concurrent_label_commands_are_all_kept(folder):
    artifacts, version = folder
    ids = read_manifest(version)["topic_ids"]
    calls = [subprocess.Popen([*VNTOPICS, "label", m, t, f"Nhãn {m} {t}", "--artifacts-dir",
                               str(artifacts)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for m in ("lda", "nmf") for t in ids[m]]
    for call in calls:
        call.wait(120)
        assert call.returncode == 0, call.stderr.read()
    labels = read_labels(artifacts)
    assert labels == {m: {t: f"Nhãn {m} {t}" for t in ids[m]} for m in ("lda", "nmf")}
    assert [p.name for p in artifacts.iterdir() if p.name.startswith(".labels")] == []


LIVE_RUN = """
import sys, time
from pathlib import Path
from vntopics.pipeline.store.artifacts_dir import pin_versions, work_folder
artifacts, parent = Path(sys.argv[1]), Path(sys.argv[2])
with work_folder(artifacts) as work:
    pin_versions(work, [parent])
    print("pinned", flush=True)
    time.sleep(120)
"""


def test_pruning_never_removes_the_version_a_live_run_continues_from(folder, real_results):
    artifacts, parent = folder
    live = subprocess.Popen([sys.executable, "-c", LIVE_RUN, str(artifacts), str(parent)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert live.stdout.readline().strip() == "pinned"
        newer, pruned = publish_version(real_results, artifacts, top_words=TOP_WORDS, keep_last=1)
        assert pruned == [] and parent.is_dir()          # the live run still needs it
        assert (parent / "tables" / "topics.csv").is_file()
    finally:
        live.kill()
        live.wait()
    time.sleep(0.1)
    newest, pruned = publish_version(real_results, artifacts, top_words=TOP_WORDS, keep_last=1)
    assert set(pruned) == {parent, newer} and list_versions(artifacts) == [newest]


def unlike_anything(results, seed):
    """The same run with topics matching no earlier topic (another week's corpus)."""
    rng = np.random.default_rng(seed)
    models = [replace(m, topic_word=rng.dirichlet(np.full(m.topic_word.shape[1], 0.05),
                                                  m.num_topics)) for m in results.models]
    return replace(results, models=models)


def test_two_runs_from_the_same_parent_never_share_a_new_id(folder, real_results):
    artifacts, parent = folder
    lineage, _ = recall_lineage(artifacts)       # both runs started from `parent`
    assert lineage.parent == parent.name
    first, _ = publish_version(replace(unlike_anything(real_results, 1), lineage=lineage),
                               artifacts, top_words=TOP_WORDS)
    second, _ = publish_version(replace(unlike_anything(real_results, 2), lineage=lineage),
                                artifacts, top_words=TOP_WORDS)
    parent_ids = read_manifest(parent)["topic_ids"]
    first_ids, second_ids = (read_manifest(v)["topic_ids"] for v in (first, second))
    for model in ("lda", "nmf"):
        new_first = set(first_ids[model]) - set(parent_ids[model])
        new_second = set(second_ids[model]) - set(parent_ids[model])
        assert len(new_first) == len(new_second) == 3
        assert not new_first & new_second, model
    history = pd.read_csv(second / "tables" / "topic_history.csv", keep_default_na=False)
    assert list(dict.fromkeys(history["version"])) == [parent.name, first.name, second.name]
    assert read_manifest(second)["warnings"][-1].startswith(f"{first.name} was published")
