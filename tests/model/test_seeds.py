"""Seeded topics on 120 real articles: seeds resolved against the vocabulary, the prior and
start they make, and LDA and NMF fits that keep a seeded topic at its position."""
from __future__ import annotations

import numpy as np
import pytest

from vntopics.pipeline.config import LdaConfig, ModelConfig, NmfConfig
from vntopics.pipeline.model.lda import fit_lda
from vntopics.pipeline.model.nmf import fit_nmf
from vntopics.pipeline.model.seeds import (SeedTopic, place_seeds, resolve_seed_topics,
                                           seed_rows, seeded_eta)
from vntopics.pipeline.model.selection import sweep_and_fit
from vntopics.pipeline.model.topics import top_word_lists

FOOTBALL = {"Bóng đá": ["HLV", "trận", "cầu thủ", "bóng_đá", "CLB"]}
K = 6


def test_seeds_take_the_vocabulary_form_and_missing_ones_are_reported(real_corpus):
    corpus, _, _ = real_corpus
    seeded = resolve_seed_topics({**FOOTBALL, "Y tế": ["bác sĩ", "không_có_từ_này", "và"]},
                                 corpus.vocabulary)
    assert [s.label for s in seeded] == ["Bóng đá", "Y tế"]
    assert seeded[0].words == ("hlv", "trận", "cầu_thủ", "bóng_đá", "clb")
    assert [corpus.vocabulary[c] for c in seeded[0].columns] == list(seeded[0].words)
    assert seeded[1].words == ("bác_sĩ",) and seeded[1].missing == ("không_có_từ_này", "và")
    with pytest.raises(ValueError, match="no seed word of 'Thuế' is in the vocabulary "
                                         r"\(và, không có\)"):
        resolve_seed_topics({"Thuế": ["và", "không có"]}, corpus.vocabulary)


def test_prior_and_start_rows():
    seeded = [SeedTopic("A", ("x", "y"), (1, 2), ()), SeedTopic("B", ("z",), (4,), ())]
    eta = seeded_eta(seeded, 3, 5, base=0.03, strength=0.3, corpus_tokens=1000)
    assert eta[0].tolist() == pytest.approx([0.03, 50.03, 50.03, 0.03, 0.03])   # 0.3·1000/3/2
    assert eta[1].tolist() == pytest.approx([0.03] * 4 + [100.03])
    assert (eta[2] == 0.03).all()
    # documents 0-1 use the seeds x, y together with word 3; document 2 does not
    counts = np.array([[0, 2, 1, 3, 0], [0, 1, 0, 2, 0], [5, 0, 0, 0, 1]])
    rows = seed_rows(seeded[:1], counts)
    assert rows[0, 1] == rows[0, 2] == pytest.approx(0.25, abs=1e-4)   # half on the seeds,
    assert rows[0, 3] == pytest.approx(0.5, abs=1e-4)    # half on the word their documents use
    assert rows[0, 0] < 1e-5 and rows.sum() == pytest.approx(1)
    start = np.array([[1, 0, 0, 1, 1], [0, 5, 4, 1, 0], [3, 1, 0, 0, 1.0]])
    placed = place_seeds(seeded[:1], start, counts)
    others = start[[0, 2]] + 1e-6            # row 1, the most like the seeds, gives way
    assert np.allclose(placed[0], rows[0])
    assert np.allclose(placed[1:], others / others.sum(axis=1, keepdims=True))


@pytest.mark.parametrize("name", ["lda", "nmf"])
def test_seeded_topic_comes_first_with_its_words_and_province(real_corpus, name):
    corpus, _, modelled = real_corpus
    seeded = resolve_seed_topics(FOOTBALL, corpus.vocabulary)
    fit, params = (fit_lda, LdaConfig()) if name == "lda" else (fit_nmf, NmfConfig())
    plain = fit(corpus, K, params, seed=42)
    football = [i for i, words in enumerate(top_word_lists(plain.topic_word,
                                                           corpus.vocabulary, 10))
                if "hlv" in words]
    assert football and football[0] != 0                  # unseeded: somewhere else
    model = fit(corpus, K, params, seed=42, seed_topics=seeded)
    assert model.seed_labels == ("Bóng đá",)
    top = top_word_lists(model.topic_word, corpus.vocabulary, 15)
    assert set(seeded[0].words) <= set(top[0])
    assert sum("hlv" in words or "clb" in words for words in top) == 1   # no twin topic
    provinces = modelled.province.to_numpy()
    share = {p: model.doc_topic[provinces == p, 0].mean() for p in set(provinces)}
    assert max(share, key=share.get) == "Gia Lai"          # the football province


def test_seed_strength_pulls_the_seed_words_up(real_corpus):
    corpus, _, _ = real_corpus
    seeded = resolve_seed_topics({"Y tế": ["bác sĩ", "điều trị", "bệnh viện"]},
                                 corpus.vocabulary)
    columns = list(seeded[0].columns)
    mass = [fit_lda(corpus, K, LdaConfig(seed_strength=s), seed=42, doc_topics=False, init_topics=None,
                    seed_topics=seeded).topic_word[0, columns].sum() for s in (0.02, 0.2, 1.0)]
    assert mass[0] < mass[1] < mass[2] and mass[2] > 0.2


def test_seeds_with_a_warm_start_replace_the_most_similar_previous_topic(real_corpus):
    corpus, texts, _ = real_corpus
    config = ModelConfig(num_topics=K, models=["nmf"], stability_seeds=1)
    previous = sweep_and_fit(corpus, texts, config).models["nmf"].topic_word
    seeded_config = config.model_copy(update={"seed_topics": FOOTBALL})
    result = sweep_and_fit(corpus, texts, seeded_config, warm_start={"nmf": previous})
    model = result.models["nmf"]
    assert [s.label for s in result.seed_topics] == ["Bóng đá"]
    assert model.seed_labels == ("Bóng đá",)
    words = top_word_lists(model.topic_word, corpus.vocabulary, 10)
    before = top_word_lists(previous, corpus.vocabulary, 10)
    assert "hlv" in words[0]
    kept = [w for w in before if "hlv" not in w]           # the other topics, in their order
    overlap = [len(set(a) & set(b)) for a, b in zip(kept, words[1:])]
    assert min(overlap) >= 7, overlap


def test_a_seed_topic_without_vocabulary_stops_before_any_fit(real_corpus):
    corpus, texts, _ = real_corpus
    fitted = []

    def mapper(function, jobs):
        fitted.extend(jobs)
        return map(function, jobs)

    config = ModelConfig(num_topics=K, seed_topics={"Thuế": ["thuế_xyz"]})
    with pytest.raises(ValueError, match="no seed word of 'Thuế'"):
        sweep_and_fit(corpus, texts, config, mapper=mapper)
    assert fitted == []
