"""One account of topic continuity (store/continuity.py): a version's topics against the
previous one's, by lineage id: kept, drifted, new, returned and retired, with top words and
similarity, and the diff's statuses derived from the same pairs."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from vntopics.pipeline.model.topics import TopicModel
from vntopics.pipeline.store.continuity import (CONTINUITY_COLUMNS, DIFF_STATUS, TopicSet,
                                                continued_history, identify_topics,
                                                paired_topics)
from vntopics.pipeline.store.lineage import Lineage

BLOCKS = {
    "party": ["đảng", "xây_dựng", "ubnd", "lãnh_đạo", "ủy", "chi_bộ", "đảng_viên",
              "nghị_quyết", "tỉnh_ủy", "kiểm_tra"],
    "budget": ["tỷ", "dự_án", "chủ_tịch", "ngân_sách", "vốn", "đầu_tư", "giải_ngân",
               "công_trình", "nhà_thầu", "thi_công"],
    "health": ["cách_ly", "bệnh_nhân", "y_tế", "dịch", "bệnh_viện", "xét_nghiệm", "ca",
               "trường_hợp", "tiêm", "vắc_xin"],
    "school": ["học_sinh", "trường", "giáo_viên", "thi", "lớp", "sinh_viên", "học_phí",
               "đại_học", "tuyển_sinh", "điểm"],
    "sport": ["đội", "hlv", "trận", "bóng", "clb", "cầu_thủ", "đấu", "giải", "sân", "vô_địch"],
}
VOCABULARY = [w for words in BLOCKS.values() for w in words]


def topic(*mixture: tuple[str, float]) -> np.ndarray:
    """A topic-word row: each named block gets its weight, spread over its words from the
    first down; every other word a trace."""
    row = np.full(len(VOCABULARY), 1e-4)
    for block, weight in mixture:
        start = VOCABULARY.index(BLOCKS[block][0])
        row[start:start + 10] += weight * np.linspace(2, 1, 10) / np.linspace(2, 1, 10).sum()
    return row / row.sum()


def model(*rows: np.ndarray) -> TopicModel:
    doc_topic = np.random.default_rng(0).dirichlet(np.ones(len(rows)), size=30)
    return TopicModel("lda", np.vstack(rows), doc_topic)


@pytest.fixture
def weeks():
    """Last week: L00 party, L01 party-ish, L02 sport; school (L03) was retired earlier.
    This week: party again, L01 turned into budget talk, sport gone, health new, school back."""
    history = pd.DataFrame([
        ("v1", "t1", "lda", "L03", "", 0.2, 5, "new", " ".join(BLOCKS["school"]), np.nan),
        ("v2", "t2", "lda", "L03", "", 0.0, 0, "retired", " ".join(BLOCKS["school"]), np.nan),
    ], columns=CONTINUITY_COLUMNS)
    lineage = Lineage(vocabulary=VOCABULARY,
                      topic_word={"lda": np.vstack([
                          topic(("party", 1.0)), topic(("party", 0.6), ("budget", 0.4)),
                          topic(("sport", 1.0))])},
                      topic_ids={"lda": ["L00", "L01", "L02"]}, next_number={"lda": 4},
                      history=history)
    now = model(topic(("party", 0.97), ("budget", 0.03)), topic(("budget", 0.85),
                                                                  ("party", 0.15)),
                topic(("health", 1.0)), topic(("school", 1.0)))
    identity = identify_topics(lineage, [now], VOCABULARY, {})
    return lineage, now, identity


def test_history_says_kept_drifted_new_returned_and_retired(weeks):
    lineage, now, identity = weeks
    assert identity.ids["lda"] == ["L00", "L01", "L04", "L03"]
    history = continued_history(lineage, identity, [now], VOCABULARY, stamp=("v3", "t3"), threshold=0.6)
    assert list(history.columns) == CONTINUITY_COLUMNS
    latest = history[history.version == "v3"].set_index("topic_id")
    assert latest["status"].to_dict() == {"L00": "kept", "L01": "drifted", "L04": "new",
                                          "L03": "returned", "L02": "retired"}
    assert latest.loc["L00", "similarity_to_previous"] > 0.8
    assert 0 < latest.loc["L01", "similarity_to_previous"] < 0.6
    assert latest.loc[["L04", "L03", "L02"], "similarity_to_previous"].isna().all()
    assert latest.loc["L01", "top_words"].split()[:3] == ["tỷ", "dự_án", "chủ_tịch"]
    assert latest.loc["L02", "top_words"].split()[0] == "đội"     # what it was when it left
    assert len(latest.loc["L00", "top_words"].split()) == 10
    assert latest.loc["L02", "n_docs"] == 0 and latest.loc["L04", "n_docs"] >= 0
    assert list(history.version[:2]) == ["v1", "v2"]               # the lineage's rows kept


def test_a_higher_threshold_calls_more_topics_drifted(weeks):
    lineage, now, identity = weeks
    strict = continued_history(lineage, identity, [now], VOCABULARY, stamp=("v3", "t3"), threshold=0.999)
    assert strict[strict.topic_id == "L00"].status.tolist() == ["drifted"]


def test_diff_statuses_come_from_the_same_pairs(weeks):
    lineage, now, identity = weeks
    earlier = TopicSet.of_lineage(lineage)
    later = TopicSet.of_models([now], VOCABULARY, identity.ids)
    pairs = {topic_id: (a, b) for topic_id, a, b, _ in paired_topics(earlier, later, "lda")}
    assert pairs == {"L00": (0, 0), "L01": (1, 1), "L04": (None, 2), "L03": (None, 3),
                     "L02": (2, None)}
    assert DIFF_STATUS == {"kept": "kept", "drifted": "changed", "new": "new",
                           "returned": "new", "retired": "vanished"}


def fake_folder(root, versions: dict[str, dict[str, list[str]]]):
    """Version folders holding only their manifest's topic ids."""
    import json

    for name, ids in versions.items():
        (root / name).mkdir(parents=True)
        (root / name / "manifest.json").write_text(json.dumps({"topic_ids": ids}),
                                                   encoding="utf-8")
    return root


def test_label_refuses_ids_that_never_existed_and_warns_for_retired_ones(tmp_path):
    from tests.conftest import run_cli

    artifacts = fake_folder(tmp_path / "runs", {
        "20250106T060000Z-1a2b3c4d": {"lda": ["L00", "L01", "L02"], "nmf": ["N00"]},
        "20250113T060000Z-5e6f7a8b": {"lda": ["L00", "L02", "L03"], "nmf": ["N00"]}})
    refused = run_cli(["label", "lda", "L99", "x", "--artifacts-dir", str(artifacts)])
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1
    assert "lda L99 never existed" in refused.stderr
    assert "topic ids: L00 L02 L03; retired: L01" in refused.stderr
    typo = run_cli(["label", "lda", "L5", "typo", "--artifacts-dir", str(artifacts)])
    assert typo.returncode == 2 and "L5 never existed" in typo.stderr
    assert not (artifacts / "labels.yaml").exists()
    retired = run_cli(["label", "lda", "L01", "Xây dựng Đảng", "--artifacts-dir",
                       str(artifacts)])
    assert retired.returncode == 0 and "warning: lda L01 is retired" in retired.stderr
    fine = run_cli(["label", "nmf", "N00", "Y tế", "--artifacts-dir", str(artifacts)])
    assert fine.returncode == 0 and fine.stderr == ""
    assert "Xây dựng Đảng" in (artifacts / "labels.yaml").read_text(encoding="utf-8")
    empty = run_cli(["label", "lda", "L00", "x", "--artifacts-dir", str(tmp_path / "none")])
    assert empty.returncode == 2 and "does not exist" in empty.stderr
