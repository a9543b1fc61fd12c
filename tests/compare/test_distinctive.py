"""Log-odds with an informative Dirichlet prior: hand-computed z-scores and planted words."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from vntopics.pipeline.compare.distinctive import (DISTINCTIVE_COLUMNS, distinctive_keywords,
                                                   log_odds_z)


def test_log_odds_z_matches_hand_computation():
    # Words (a, b, c): group y_i = (4, 1, 1), n_i = 6; rest y_j = (2, 5, 3), n_j = 10;
    # prior α = (1, 2, 1), α_0 = 4.
    delta, variance, z = log_odds_z(np.array([4, 1, 1]), np.array([2, 5, 3]),
                                    np.array([1.0, 2.0, 1.0]))
    # a: log((4+1)/(6+4-4-1)) - log((2+1)/(10+4-2-1)) = log(5/5) - log(3/11)
    delta_a = math.log(5 / 5) - math.log(3 / 11)
    var_a = 1 / (4 + 1) + 1 / (2 + 1)
    # b: log((1+2)/(6+4-1-2)) - log((5+2)/(10+4-5-2)) = log(3/7) - log(7/7)
    delta_b = math.log(3 / 7) - math.log(7 / 7)
    var_b = 1 / (1 + 2) + 1 / (5 + 2)
    # c: log((1+1)/(6+4-1-1)) - log((3+1)/(10+4-3-1)) = log(2/8) - log(4/10)
    delta_c = math.log(2 / 8) - math.log(4 / 10)
    var_c = 1 / (1 + 1) + 1 / (3 + 1)
    assert delta == pytest.approx([delta_a, delta_b, delta_c])
    assert variance == pytest.approx([var_a, var_b, var_c])
    assert z == pytest.approx([delta_a / math.sqrt(var_a), delta_b / math.sqrt(var_b),
                               delta_c / math.sqrt(var_c)])
    # Two groups at once give the same numbers row by row.
    _, _, z2 = log_odds_z(np.array([[4, 1, 1], [2, 5, 3]]), np.array([[2, 5, 3], [4, 1, 1]]),
                          np.array([1.0, 2.0, 1.0]))
    assert z2[0] == pytest.approx(z)


def test_distinctive_keywords_uses_the_corpus_prior_by_hand():
    # Corpus counts: a 6, b 6, c 4 (16 tokens); prior_scale = 16 makes α = corpus counts
    # (6, 6, 4), α_0 = 16. Group "An Giang" has (4, 1, 1), n_i = 6; rest (2, 5, 3), n_j = 10,
    # and the rest includes the unlabelled document.
    docs = [["a", "a", "a", "a", "b", "c"], ["a", "b", "b", "b", "c", "c"],
            ["a", "b", "b", "c"]]
    table = distinctive_keywords(docs, ["An Giang", "Bạc Liêu", None], "province",
                                 min_count=1, prior_scale=16)
    row = table[(table.group == "An Giang") & (table.word == "a")].iloc[0]
    delta = math.log((4 + 6) / (6 + 16 - 4 - 6)) - math.log((2 + 6) / (10 + 16 - 2 - 6))
    var = 1 / (4 + 6) + 1 / (2 + 6)
    assert row.log_odds == pytest.approx(delta)
    assert row.zscore == pytest.approx(delta / math.sqrt(var))
    assert (row.count_group, row.count_rest) == (4, 2)


def vietnamese_corpus(seed: int = 0):
    rng = np.random.default_rng(seed)
    background = ["xây_dựng", "phát_triển", "kinh_tế", "cán_bộ", "nhân_dân", "tỉnh",
                  "chính_quyền", "hội_nghị", "triển_khai", "công_tác"]
    planted = {"Hà Tĩnh": "nông_thôn_mới", "Bắc Ninh": "đảng_viên", "Khánh Hòa": "biển_đảo"}
    docs, labels = [], []
    for province, word in planted.items():
        for _ in range(30):
            tokens = list(rng.choice(background, size=60))
            tokens += [word] * int(rng.integers(3, 7))
            tokens += [w for w in planted.values() if rng.random() < 0.05]   # a little leakage
            rng.shuffle(tokens)
            docs.append(tokens)
            labels.append(province)
    return docs, labels, planted


def test_planted_vietnamese_word_tops_its_province():
    docs, labels, planted = vietnamese_corpus()
    table = distinctive_keywords(docs, labels, "province", top_n=5)
    assert list(table.columns) == DISTINCTIVE_COLUMNS
    assert set(table.group) == set(planted)
    for province, word in planted.items():
        rows = table[table.group == province]
        assert rows.iloc[0].word == word            # compound kept whole, ranked first
        assert rows.iloc[0].zscore > 5
        assert (rows.zscore > 0).all() and rows.zscore.is_monotonic_decreasing
        assert len(rows) <= 5
    # Sorted by group then zscore, and independent of document order.
    expected = table.sort_values(["group", "zscore"], ascending=[True, False])
    pd.testing.assert_frame_equal(table, expected.reset_index(drop=True))
    order = np.random.default_rng(1).permutation(len(docs))
    shuffled = distinctive_keywords([docs[i] for i in order], [labels[i] for i in order],
                                    "province", top_n=5)
    pd.testing.assert_frame_equal(table, shuffled)


def test_unlabelled_documents_are_in_no_group_but_in_the_rest():
    docs, labels, planted = vietnamese_corpus()
    docs += [["bão_lũ"] * 10 + ["nông_thôn_mới"] * 3 for _ in range(10)]
    labels += [None] * 10
    table = distinctive_keywords(docs, labels, "province", top_n=50, min_count=1)
    assert set(table.group) == set(planted)
    assert "bão_lũ" not in set(table.word)          # only unlabelled documents use it
    row = table[(table.group == "Hà Tĩnh") & (table.word == "nông_thôn_mới")].iloc[0]
    in_group = sum(d.count("nông_thôn_mới") for d, g in zip(docs, labels) if g == "Hà Tĩnh")
    corpus = sum(d.count("nông_thôn_mới") for d in docs)
    assert row.count_group == in_group
    assert row.count_rest == corpus - in_group      # includes the 30 unlabelled mentions
    unlabelled = sum(d.count("nông_thôn_mới") for d, g in zip(docs, labels) if g is None)
    assert unlabelled == 30 and row.count_rest >= unlabelled
    # pd.NA and NaN labels mean "no group" too.
    same = distinctive_keywords(docs, labels[:-10] + [pd.NA] * 5 + [float("nan")] * 5,
                                "province", top_n=50, min_count=1)
    pd.testing.assert_frame_equal(table, same)


def test_min_count_filters_rare_words():
    docs, labels, _ = vietnamese_corpus()
    docs[0] = docs[0] + ["từ_hiếm"] * 4
    ranked = distinctive_keywords(docs, labels, "province", top_n=100, min_count=1)
    filtered = distinctive_keywords(docs, labels, "province", top_n=100, min_count=5)
    assert "từ_hiếm" in set(ranked.word) and "từ_hiếm" not in set(filtered.word)


def test_word_absent_from_a_group_never_gets_positive_z():
    rng = np.random.default_rng(7)
    for _ in range(300):
        vocabulary = int(rng.integers(2, 40))
        group = rng.poisson(rng.uniform(0.1, 20), size=vocabulary)
        group[rng.random(vocabulary) < 0.4] = 0
        rest = rng.poisson(rng.uniform(0.1, 50), size=vocabulary)
        corpus = group + rest
        if corpus.sum() == 0 or group.sum() == 0:
            continue
        present = corpus > 0
        group, rest, corpus = group[present], rest[present], corpus[present]
        prior = rng.choice([1.0, 10.0, 1000.0, 1e5]) * corpus / corpus.sum()
        delta, _, z = log_odds_z(group, rest, prior)
        assert (z[group == 0] < 0).all() and (delta[group == 0] < 0).all()
    # Through distinctive_keywords: biển_đảo never appears in Hà Tĩnh.
    docs, labels, _ = vietnamese_corpus()
    docs = [[t for t in d if not (g == "Hà Tĩnh" and t == "biển_đảo")]
            for d, g in zip(docs, labels)]
    table = distinctive_keywords(docs, labels, "province", top_n=10_000, min_count=1)
    assert "biển_đảo" not in set(table[table.group == "Hà Tĩnh"].word)


def test_report_lists_small_groups_last_and_flags_them():
    from vntopics.pipeline.report.comparison_sections import distinctive_section

    distinctive = pd.DataFrame({
        "dimension": ["province"] * 4, "group": ["An Giang", "An Giang", "Bến Tre", "Bến Tre"],
        "word": ["biên_giới", "cửa_khẩu", "chi_bộ", "đảng_viên"], "zscore": [9.9, 7.2, 8.9, 6.0],
        "count_group": [30, 20, 12, 9], "count_rest": [3, 2, 40, 80]})
    prevalence = pd.DataFrame({
        "model": "lda", "dimension": "province", "group": ["An Giang", "Bến Tre"],
        "topic": 0, "n_docs": [2, 41], "low_support": [True, False]})
    by_province = distinctive_section(distinctive, prevalence)[0]
    lines = [line for line in by_province.markdown.splitlines() if line.startswith("| ")]
    assert lines[0].startswith("| province | n_docs | words (z-score) | low support")
    assert lines[1].startswith("| Bến Tre | 41 | chi bộ (8.9), đảng viên (6.0) |")
    assert lines[2].startswith("| An Giang | 2 | biên giới (9.9), cửa khẩu (7.2) | yes")
