"""Coherence counts: exact against a brute-force window count, equal to gensim where gensim's
window update is exact (no word repeated inside a window)."""
from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

from vntopics.pipeline.model.coherence import window_counts
from vntopics.pipeline.model.coherence import coherence_scores_many

WORDS = ["nghị_quyết", "đảng_viên", "chi_bộ", "xây_dựng", "kinh_tế", "nông_dân", "du_lịch",
         "học_sinh", "bệnh_viện", "tỉnh_ủy", "cán_bộ", "biên_giới", "cửa_khẩu", "lúa",
         "giáo_dục", "y_tế", "đầu_tư", "doanh_nghiệp", "môi_trường", "an_ninh"]


def brute_force(texts, words, window):
    occurrences, together, windows = np.zeros(len(words), dtype=int), {}, 0
    for text in texts:
        spans = ([text[s:s + window] for s in range(len(text) - window + 1)]
                 if len(text) >= window else [text])
        for span in spans:
            windows += 1
            present = sorted({words.index(t) for t in span if t in words})
            for i in present:
                occurrences[i] += 1
            for pair in itertools.combinations(present, 2):
                together[pair] = together.get(pair, 0) + 1
    return windows, occurrences, together


@pytest.mark.parametrize("window", [1, 3, 10, 110])
def test_window_counts_equal_a_brute_force_count(window):
    rng = random.Random(window)
    texts = [[rng.choice(WORDS[:12]) for _ in range(rng.choice([0, 2, 9, 40, 150]))]
             for _ in range(60)]
    words = WORDS[:8]
    pairs = list(itertools.combinations(range(len(words)), 2))
    counts = window_counts(texts, words, pairs, window)
    windows, occurrences, together = brute_force(texts, words, window)
    assert counts.windows == windows
    assert counts.occurrences.tolist() == occurrences.tolist()
    assert counts.pair_counts == {pair: together.get(pair, 0) for pair in pairs}


def test_scores_equal_gensim_when_no_word_repeats_in_a_document():
    rng = random.Random(7)
    texts = [rng.sample(WORDS, rng.randint(3, 20)) for _ in range(300)]
    topics = [["nghị_quyết", "đảng_viên", "chi_bộ", "tỉnh_ủy"],
              ["du_lịch", "kinh_tế", "đầu_tư", "doanh_nghiệp", "lúa"]]
    dictionary = Dictionary(texts)
    ours = coherence_scores_many([topics], texts, dictionary)[0]
    for measure in ("c_npmi", "c_v"):
        theirs = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary,
                                coherence=measure, processes=1).get_coherence_per_topic()
        assert ours[f"{measure}_per_topic"] == pytest.approx(theirs, abs=1e-9), measure


def test_words_that_always_appear_together_score_higher_than_strangers():
    texts = [["nghị_quyết", "đảng_viên", "lúa"], ["nghị_quyết", "đảng_viên", "y_tế"],
             ["lúa", "bệnh_viện"], ["y_tế", "du_lịch"]] * 20
    scores = coherence_scores_many([[["nghị_quyết", "đảng_viên"], ["lúa", "du_lịch"]]], texts,
                                   Dictionary(texts))[0]
    together, strangers = scores["c_npmi_per_topic"]
    assert together > 0.99 and strangers < -0.9   # never together: -1 up to the smoothing
