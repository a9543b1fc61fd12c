"""K sweep, stability across seeds and representative documents on real Vietnamese articles
(tests/fixtures/unc-small.jsonl.gz: 120 news articles, segmented with underthesea)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from vntopics.pipeline.config import ModelConfig, RunConfig
from vntopics.pipeline.model.lda import fit_lda
from vntopics.pipeline.model.nmf import fit_nmf
from vntopics.pipeline.model.topics import representative_documents, topics_table
from vntopics.pipeline.model.coherence import coherence_scores_many, topic_diversity
from vntopics.pipeline.model.fitting import FitJob, longest_first, run_fit_job
from vntopics.pipeline.model.selection import choose_k, score_outcomes, sweep_and_fit
from vntopics.pipeline.model.stability import matched_jaccard


def small_config(**changes) -> ModelConfig:
    base = {"num_topics": 4, "stability_seeds": 1, "lda": {"passes": 2, "iterations": 30},
            "nmf": {"max_iter": 200}}
    return ModelConfig.model_validate({**base, **changes})


@pytest.fixture(scope="module")
def sweep(real_corpus):
    corpus, texts, _ = real_corpus
    return sweep_and_fit(corpus, texts, small_config(num_topics="3-5:2", stability_seeds=2))


def test_k_range_gives_one_row_per_model_and_k_and_one_chosen_k(sweep):
    table = sweep.k_sweep
    assert list(table.columns) == ["model", "k", "c_npmi", "c_v", "diversity", "seconds",
                                   "chosen"]
    assert sorted(zip(table.model, table.k)) == [("lda", 3), ("lda", 5), ("nmf", 3),
                                                 ("nmf", 5)]
    assert table[["c_npmi", "c_v", "diversity", "seconds"]].notna().all().all()
    assert table.c_npmi.between(-1, 1).all() and table.c_v.between(0, 1).all()
    assert table.diversity.between(0, 1).all() and (table.seconds > 0).all()
    for name in ("lda", "nmf"):
        rows = table[table.model == name]
        chosen = rows[rows.chosen]
        assert len(chosen) == 1
        k = int(chosen.k.iloc[0])
        assert k == sweep.metrics[name]["k"]
        assert sweep.models[name].num_topics == k
        assert sweep.metrics[name]["k_values"] == [3, 5]
        assert math.isclose(sweep.metrics[name]["c_npmi"], chosen.c_npmi.iloc[0])
        assert len(sweep.metrics[name]["c_npmi_per_topic"]) == k
        assert k == choose_k(rows, "npmi", 0.005)


def test_stability_has_one_row_per_topic_with_jaccard_in_range(sweep):
    table = sweep.stability
    assert list(table.columns) == ["model", "topic", "mean_jaccard", "min_jaccard", "stable"]
    for name, model in sweep.models.items():
        rows = table[table.model == name]
        assert sorted(rows.topic) == list(range(model.num_topics))
        assert sweep.metrics[name]["stability_seeds"] == 2
        assert math.isclose(sweep.metrics[name]["stability_mean_jaccard"],
                            rows.mean_jaccard.mean())
    assert table.mean_jaccard.between(0, 1).all() and table.min_jaccard.between(0, 1).all()
    assert (table.min_jaccard <= table.mean_jaccard + 1e-12).all()
    assert (table.stable == (table.mean_jaccard >= 0.5)).all()


def test_single_k_one_seed_is_one_row_per_model_and_trivially_stable(real_corpus):
    corpus, texts, _ = real_corpus
    calls = []

    def counting_map(fn, items):
        items = list(items)
        calls.append(len(items))
        return map(fn, items)

    result = sweep_and_fit(corpus, texts, small_config(num_topics=4), mapper=counting_map)
    assert calls == [2]                       # one round, one fit per model
    assert len(result.k_sweep) == 2 and result.k_sweep.chosen.all()
    assert {m: v["k"] for m, v in result.metrics.items()} == {"lda": 4, "nmf": 4}
    assert (result.stability.mean_jaccard == 1.0).all() and result.stability.stable.all()


def test_same_seed_twice_gives_identical_topics(real_corpus):
    corpus, _, _ = real_corpus
    config = small_config()
    for fitter, params in ((fit_lda, config.lda), (fit_nmf, config.nmf)):
        first, second = (fitter(corpus, 4, params, seed=7) for _ in range(2))
        assert np.array_equal(first.topic_word, second.topic_word)
        assert np.array_equal(first.doc_topic, second.doc_topic)
        pd.testing.assert_frame_equal(topics_table(first, corpus.vocabulary, 10),
                                      topics_table(second, corpus.vocabulary, 10))


def test_representative_documents_have_that_topic_on_top(real_corpus, sweep):
    _, _, modelled = real_corpus
    for model in sweep.models.values():
        table = representative_documents(model, modelled, per_topic=3)
        assert len(table) > 0
        assert (table.groupby("topic").size() <= 3).all()
        position = {doc_id: i for i, doc_id in enumerate(modelled.doc_id)}
        for row in table.itertuples():
            weights = model.doc_topic[position[row.doc_id]]
            assert int(np.argmax(weights)) == row.topic
            assert math.isclose(weights[row.topic], row.weight)
        # every topic that is some document's top topic is described
        assert set(table.topic) == set(np.unique(model.doc_topic.argmax(axis=1)).tolist())


def test_fit_jobs_are_picklable_and_scored(real_corpus):
    import pickle

    corpus, texts, _ = real_corpus
    job = FitJob("nmf", 3, 1, small_config().nmf, corpus, sample=0.8)
    outcome = pickle.loads(pickle.dumps(run_fit_job(pickle.loads(pickle.dumps(job)))))
    assert outcome.model.num_topics == 3 and len(outcome.top_words) == 3
    assert outcome.model.doc_topic.shape[0] == round(0.8 * corpus.num_docs)
    score_outcomes([outcome], texts, corpus.dictionary)
    assert set(outcome.scores) >= {"c_npmi", "c_v", "diversity"}


def test_quality_and_matching_helpers():
    texts = [["a", "b", "c"], ["a", "b"], ["c", "d"], ["d", "e"]] * 3
    from gensim.corpora import Dictionary

    scores = coherence_scores_many([[["a", "b"], ["d", "e"]]], texts, Dictionary(texts))[0]
    assert len(scores["c_npmi_per_topic"]) == 2 and -1 <= scores["c_npmi"] <= 1
    assert topic_diversity([["a", "b"], ["a", "c"]], n=2) == 0.75
    matched = matched_jaccard([["a", "b"], ["c", "d"]], [["c", "d"], ["a", "x"]])
    assert matched.tolist() == [1 / 3, 1.0]


def test_choose_k_rules():
    rows = pd.DataFrame({"k": [4, 6, 8], "c_npmi": [0.100, 0.140, 0.143],
                         "diversity": [0.9, 0.8, 0.5]})
    assert choose_k(rows, "npmi", 0.005) == 6      # 8 is better by less than the tolerance
    assert choose_k(rows, "npmi", 0.0) == 8
    assert choose_k(rows, "npmi_diversity") in (4, 6)


@pytest.mark.parametrize("value, expected", [(8, [8]), ("6-10:2", [6, 8, 10]),
                                             ([9, 5, 5], [5, 9]), ("3-5", [3, 4, 5])])
def test_num_topics_accepts_numbers_and_ranges(value, expected):
    assert ModelConfig(num_topics=value).k_values() == expected


@pytest.mark.parametrize("value", [1, "5-3", "six", [1, 4], [], "4-8:0"])
def test_num_topics_rejects_bad_values_naming_the_key(value):
    with pytest.raises(ValueError, match="model.num_topics"):
        RunConfig.model_validate({"model": {"num_topics": value}})


def test_longest_fits_are_dispatched_first(real_corpus):
    """LDA before NMF, the full corpus before stability subsamples, more topics first: a
    2-worker pool then never starts a long LDA fit while the other worker sits idle."""
    corpus = real_corpus[0]
    config = small_config()
    jobs = [FitJob(name, k, seed, getattr(config, name), corpus, sample)
            for name in ("nmf", "lda") for k in (4, 6) for seed, sample in ((1, 1.0), (2, 0.8))]
    order = [(j.name, j.k, j.sample) for j in longest_first(jobs)]
    assert order == [("lda", 6, 1.0), ("lda", 4, 1.0), ("lda", 6, 0.8), ("lda", 4, 0.8),
                     ("nmf", 6, 1.0), ("nmf", 4, 1.0), ("nmf", 6, 0.8), ("nmf", 4, 0.8)]


def test_progress_counts_every_fit_of_each_model_across_both_rounds(real_corpus):
    corpus, texts, _ = real_corpus
    heard = []
    sweep_and_fit(corpus, texts, small_config(num_topics=[3, 4], stability_seeds=2),
                  progress=lambda step, done, total: heard.append((step, done, total)))
    for name in ("lda", "nmf"):
        counts = [(done, total) for step, done, total in heard if step == name]
        # two Ks in the sweep, then one more seed at the chosen K: three fits, counted on
        assert counts == [(0, 3), (1, 3), (2, 3), (3, 3)], counts
