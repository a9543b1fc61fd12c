"""The vocabulary and counts equal gensim's Dictionary + filter_extremes + doc2bow exactly."""
from __future__ import annotations

import random

import pytest
from gensim.corpora import Dictionary

from gensim.matutils import Sparse2Corpus
from vntopics.pipeline.model.corpus import build_corpus

WORDS = ["nghị_quyết", "đảng_viên", "chi_bộ", "xây_dựng", "kinh_tế", "nông_dân", "du_lịch",
         "học_sinh", "bệnh_viện", "tỉnh_ủy", "cán_bộ", "biên_giới", "18-nq/tw", "lúa", "2021"]


def bow(corpus):
    """The corpus as gensim bag-of-words, streamed from its counts."""
    return Sparse2Corpus(corpus.counts, documents_columns=False)


@pytest.mark.parametrize("no_below, no_above, keep_n", [(1, 1.0, None), (3, 0.5, 8), (2, 0.7, 5)])
def test_same_vocabulary_ids_and_counts_as_gensim(no_below, no_above, keep_n):
    rng = random.Random(no_below)
    texts = [[rng.choice(WORDS[:rng.randint(2, len(WORDS))]) for _ in range(rng.randint(0, 30))]
             for _ in range(120)]
    reference = Dictionary(texts)
    reference.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
    corpus = build_corpus(texts, no_below, no_above, keep_n)
    assert corpus.dictionary.token2id == reference.token2id
    assert corpus.dictionary.dfs == reference.dfs
    bows = [reference.doc2bow(t) for t in texts]
    assert corpus.kept.tolist() == [i for i, bow in enumerate(bows) if bow]
    ours = [[(int(i), int(c)) for i, c in doc] for doc in bow(corpus)]
    assert ours == [bow for bow in bows if bow]
