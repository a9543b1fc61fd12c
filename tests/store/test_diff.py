"""What changed between two versions (store/diff.py): topics matched by top-word overlap into
kept / changed / new / vanished, with the biggest province shifts of matched topics.

The versions are fake folders holding only what the diff reads: tables/topics.csv and
tables/topic_prevalence.csv, with real Vietnamese top words."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vntopics.pipeline.store.diff import diff_versions, match_topics, province_shift, top_words

HEALTH = ["cách_ly", "bệnh_nhân", "y_tế", "dịch", "bệnh_viện", "xét_nghiệm", "ca",
          "trường_hợp", "sars-cov-2", "tiêm"]
FOOTBALL = ["đội", "hlv", "trận", "bóng", "kiatisuk", "clb", "cầu_thủ", "đấu", "giải",
            "sân"]
TOURISM = ["du_lịch", "biển", "khách", "lễ_hội", "di_tích", "tham_quan", "resort", "tour",
           "điểm_đến", "văn_hóa"]
SCHOOL = ["học_sinh", "trường", "giáo_viên", "thi", "lớp", "sinh_viên", "học_phí", "đại_học",
          "tuyển_sinh", "điểm"]
# 7 of 10 health words kept (Jaccard 7/13 = 0.54: kept); 4 of 10 (4/16 = 0.25: changed)
HEALTH_KEPT = HEALTH[:7] + ["vắc_xin", "phong_tỏa", "f0"]
HEALTH_CHANGED = HEALTH[:4] + ["vắc_xin", "phong_tỏa", "f0", "khai_báo", "giãn_cách", "mũi"]
PROVINCES = ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Gia Lai", "Thanh Hóa"]
COLUMNS = ["model", "topic_a", "topic_id_a", "topic_b", "topic_id_b", "status", "overlap",
           "similarity", "words_a", "words_b", "province_shift"]


def write_version(root: Path, name: str, topics: dict[str, list[list[str]]],
                  prevalence: dict[tuple[str, int], dict[str, float]]) -> Path:
    """topics.csv with 12 ranked words per topic (2 beyond DIFF_TOP_WORDS) and a province
    prevalence table; a year row per topic checks that only provinces are compared."""
    folder = root / name
    (folder / "tables").mkdir(parents=True)
    rows = []
    for model, word_lists in topics.items():
        for topic, words in enumerate(word_lists):
            ranked = words + [f"từ_hiếm_{topic}_{i}" for i in range(2)]
            rows += [{"model": model, "topic": topic, "rank": rank, "word": word,
                      "weight": round(0.2 / rank, 6)} for rank, word in enumerate(ranked, 1)]
    pd.DataFrame(rows).to_csv(folder / "tables" / "topics.csv", index=False)
    rows = []
    for (model, topic), shares in prevalence.items():
        rows += [{"model": model, "dimension": "province", "group": province, "topic": topic,
                  "prevalence": share} for province, share in shares.items()]
        rows.append({"model": model, "dimension": "year", "group": "2021", "topic": topic,
                     "prevalence": 0.99})
    pd.DataFrame(rows).to_csv(folder / "tables" / "topic_prevalence.csv", index=False)
    return folder


def test_match_topics_pairs_by_overlap_and_leaves_weak_pairs_unmatched():
    left = [HEALTH, FOOTBALL, TOURISM]
    right = [FOOTBALL, HEALTH_CHANGED, SCHOOL]
    pairs = match_topics(left, right)
    assert sorted(pairs, key=str) == sorted([(1, 0, 1.0), (0, 1, 4 / 16), (2, None, 0.0),
                                             (None, 2, 0.0)], key=str)


def test_match_topics_with_unequal_sides_and_empty_sides():
    assert match_topics([HEALTH], [SCHOOL, HEALTH_KEPT]) == [(0, 1, 7 / 13), (None, 0, 0.0)]
    assert match_topics([], [HEALTH]) == [(None, 0, 0.0)]
    assert match_topics([TOURISM, HEALTH], []) == [(0, None, 0.0), (1, None, 0.0)]
    assert match_topics([], []) == []


def test_match_topics_overlap_just_below_the_threshold_is_unmatched():
    three_shared = HEALTH[:3] + SCHOOL[:7]        # 3 / 17 = 0.18 < 0.2
    assert match_topics([HEALTH], [three_shared]) == [(0, None, 0.0), (None, 0, 0.0)]


@pytest.fixture
def two_versions(tmp_path):
    a = write_version(tmp_path, "20240105T060000Z-1a2b3c4d",
                      {"lda": [HEALTH, FOOTBALL, TOURISM], "nmf": [HEALTH, SCHOOL]},
                      {("lda", 0): {"Hà Nội": 0.30, "Đà Nẵng": 0.20, "Gia Lai": 0.10,
                                    "Thanh Hóa": 0.25},
                       ("lda", 1): dict(zip(PROVINCES, [0.1, 0.1, 0.1, 0.6, 0.1])),
                       ("lda", 2): dict(zip(PROVINCES, [0.2] * 5)),
                       ("nmf", 0): dict(zip(PROVINCES, [0.3] * 5)),
                       ("nmf", 1): dict(zip(PROVINCES, [0.2] * 5))})
    b = write_version(tmp_path, "20240212T060000Z-9f8e7d6c",
                      {"lda": [FOOTBALL, HEALTH_KEPT, SCHOOL], "nmf": [HEALTH_CHANGED]},
                      {("lda", 0): dict(zip(PROVINCES, [0.1, 0.1, 0.1, 0.5, 0.1])),
                       ("lda", 1): {"Hà Nội": 0.10, "Đà Nẵng": 0.45, "Gia Lai": 0.12,
                                    "Thanh Hóa": 0.25, "Cần Thơ": 0.9},
                       ("lda", 2): dict(zip(PROVINCES, [0.3] * 5)),
                       ("nmf", 0): dict(zip(PROVINCES, [0.3, 0.3, 0.3, 0.3, 0.35]))})
    return a, b


def test_top_words_in_rank_order_cut_at_ten(two_versions):
    words = top_words(two_versions[1])
    assert sorted(words) == ["lda", "nmf"]
    assert words["lda"] == [FOOTBALL, HEALTH_KEPT, SCHOOL]
    assert words["nmf"] == [HEALTH_CHANGED]
    assert top_words(two_versions[1], top_n=3)["lda"][2] == ["học_sinh", "trường", "giáo_viên"]


def test_diff_versions_statuses_words_and_overlap(two_versions):
    diff = diff_versions(*two_versions)
    assert list(diff.columns) == COLUMNS
    assert str(diff["topic_a"].dtype) == "Int64" and str(diff["topic_b"].dtype) == "Int64"
    lda = diff[diff.model == "lda"].set_index("status")
    assert sorted(lda.index) == ["kept", "kept", "new", "vanished"]
    football = diff[(diff.model == "lda") & (diff.topic_a == 1)].iloc[0]
    assert (football.topic_b, football.status, football.overlap) == (0, "kept", 1.0)
    assert football.words_a == football.words_b == " ".join(FOOTBALL)
    health = diff[(diff.model == "lda") & (diff.topic_a == 0)].iloc[0]
    assert (health.topic_b, health.status, health.overlap) == (1, "kept", round(7 / 13, 3))
    assert health.words_b.split() == HEALTH_KEPT
    vanished = lda.loc["vanished"]
    assert (vanished.topic_a, vanished.words_a, vanished.words_b) == (2, " ".join(TOURISM), "")
    assert pd.isna(vanished.topic_b) and vanished.province_shift == ""
    new = lda.loc["new"]
    assert pd.isna(new.topic_a) and new.topic_b == 2 and new.words_b.startswith("học_sinh trường")
    assert new.overlap == 0.0 and new.province_shift == ""
    nmf = diff[diff.model == "nmf"].sort_values("status")
    assert list(nmf.status) == ["changed", "vanished"]
    changed = nmf.iloc[0]
    assert (changed.topic_a, changed.topic_b, changed.overlap) == (0, 0, 0.25)
    assert nmf.iloc[1].words_a.split() == SCHOOL


def test_province_shift_lists_the_three_largest_changes_with_signs(two_versions):
    diff = diff_versions(*two_versions)
    health = diff[(diff.model == "lda") & (diff.topic_a == 0)].iloc[0]
    # Đà Nẵng +0.25, Hà Nội -0.20, Gia Lai +0.02, Thanh Hóa 0; Hồ Chí Minh is in neither
    # version's rows and Cần Thơ only in B's: neither can have shifted
    assert health.province_shift == "Đà Nẵng +0.250; Hà Nội -0.200; Gia Lai +0.020"
    football = diff[(diff.model == "lda") & (diff.topic_a == 1)].iloc[0]
    assert football.province_shift.startswith("Gia Lai -0.100; ")
    assert football.province_shift.count(";") == 2
    changed = diff[(diff.model == "nmf") & (diff.status == "changed")].iloc[0]
    assert changed.province_shift.startswith("Thanh Hóa +0.050")


def test_province_shift_is_empty_without_province_rows(two_versions, tmp_path):
    a, b = two_versions
    assert province_shift(a, b, "lda", 0, 1).startswith("Đà Nẵng +0.250")
    table = pd.read_csv(b / "tables" / "topic_prevalence.csv")
    table[table.dimension != "province"].to_csv(b / "tables" / "topic_prevalence.csv",
                                                index=False)
    assert province_shift(a, b, "lda", 0, 1) == ""


def test_diff_of_a_version_with_itself_keeps_every_topic(two_versions):
    a, _ = two_versions
    diff = diff_versions(a, a)
    assert (diff.status == "kept").all() and (diff.overlap == 1.0).all()
    assert list(diff.topic_a) == list(diff.topic_b)
    assert len(diff) == 5
    assert diff.province_shift.str.contains(r"\+0\.000").all()


def test_diff_when_a_model_is_only_in_one_version(two_versions, tmp_path):
    a, _ = two_versions
    only_nmf = write_version(tmp_path, "20240301T060000Z-77777777", {"nmf": [HEALTH, SCHOOL]},
                             {("nmf", 0): dict(zip(PROVINCES, [0.3] * 5))})
    diff = diff_versions(a, only_nmf)
    lda = diff[diff.model == "lda"]
    assert list(lda.status) == ["vanished"] * 3 and lda.topic_b.isna().all()
    assert set(diff[diff.model == "nmf"].status) == {"kept"}
    back = diff_versions(only_nmf, a)
    assert list(back[back.model == "lda"].status) == ["new"] * 3
