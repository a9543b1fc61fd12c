"""What the explorer needs from the fitted models (report/explorer_inputs.py) and its data
block (explorer_data.py), on real LDA and NMF fits of 120 real articles: the relevance
slider's words are exact at every position, the intertopic map keeps the topics' distances,
articles are each topic's own, and the embedded data stays small."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon

from vntopics.pipeline.model.topics import representative_documents
from vntopics.pipeline.report.explorer_data import TITLE_CHARS
from vntopics.pipeline.report.explorer_inputs import (SHOWN_WORDS, SLIDER_STEPS,
                                                      candidate_articles, intertopic_map,
                                                      relevant_words, word_shares)
from vntopics.pipeline.text import documents_table


def test_slider_words_are_the_top_words_of_the_whole_vocabulary_at_every_position(
        real_results):
    shares = word_shares(real_results.corpus)
    assert abs(shares.sum() - 1) < 1e-9 and (shares > 0).all()
    for model in real_results.models:
        candidates = relevant_words(model.topic_word, shares)
        for topic, words in enumerate(candidates):
            assert SHOWN_WORDS <= len(words) < 10 * SHOWN_WORDS
            probability = model.topic_word[topic]
            assert list(words) == sorted(words, key=lambda w: (-probability[w], w))
            with np.errstate(divide="ignore"):       # NMF gives some words exactly 0
                log_p, log_lift = np.log(probability), np.log(probability / shares)
            for weight in np.linspace(0, 1, SLIDER_STEPS):
                score = np.where(probability > 0, weight * np.where(probability > 0, log_p, 0)
                                 + (1 - weight) * np.where(probability > 0, log_lift, 0),
                                 -np.inf)
                best = set(np.argsort(-score, kind="stable")[:SHOWN_WORDS])
                assert best <= set(words), (model.name, topic, weight)


def test_intertopic_map_keeps_the_jensen_shannon_distances(real_results):
    for model in real_results.models:
        place = intertopic_map(model.topic_word)
        assert place.shape == (3, 2)
        for a in range(3):
            for b in range(a + 1, 3):     # three topics embed exactly in two dimensions
                expected = jensenshannon(model.topic_word[a], model.topic_word[b], base=2)
                assert abs(np.linalg.norm(place[a] - place[b]) - expected) < 1e-9
        assert np.allclose(place.mean(axis=0), 0, atol=1e-12)
        for axis in range(2):           # one layout per fit: largest coordinate positive
            assert place[np.argmax(np.abs(place[:, axis])), axis] >= 0
        assert np.array_equal(place, intertopic_map(model.topic_word.copy()))


def test_candidate_articles_are_each_topics_own_heaviest(real_results):
    modelled = documents_table(real_results.modelled)
    for model in real_results.models:
        chosen = candidate_articles(model, modelled)
        dominant = dict(zip(modelled["doc_id"], model.doc_topic.argmax(axis=1)))
        assert all(dominant[d] == t for d, t in zip(chosen["doc_id"], chosen["topic"]))
        static = representative_documents(model, modelled)
        for topic, rows in static.groupby("topic"):
            own = chosen[chosen["topic"] == topic]
            assert list(own["doc_id"][:len(rows)]) == list(rows["doc_id"])
            assert list(own["weight"]) == sorted(own["weight"], reverse=True)
        places = dict(zip(modelled["doc_id"], modelled["province"]))
        weights = dict(zip(modelled["doc_id"], model.doc_topic.max(axis=1)))
        for topic in range(model.num_topics):
            for province in set(places.values()):       # each province's own three
                members = sorted((d for d, t in dominant.items()
                                  if t == topic and places[d] == province),
                                 key=lambda d: -weights[d])
                assert set(members[:3]) <= set(chosen[chosen["topic"] == topic]["doc_id"])


def test_embedded_data_is_rounded_small_and_names_every_topic(report_versions):
    html = (report_versions["en"] / "report.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/json" id="explorer-data">', 1)[1] \
        .split("</script>", 1)[0]
    data = json.loads(block)
    topics = pd.read_csv(report_versions["en"] / "tables" / "topics.csv",
                         keep_default_na=False)
    assert [m["name"] for m in data["models"]] == ["lda", "nmf"]
    for model in data["models"]:
        expected = list(dict.fromkeys(topics[topics["model"] == model["name"]]["topic_id"]))
        assert [t["id"] for t in model["topics"]] == expected
        assert abs(sum(t["share"] for t in model["topics"]) - 1) < 1e-3
        for topic in model["topics"]:
            assert all(len(f"{p:.10g}".replace("0.", "").lstrip("0")) <= 5
                       for _, p, _ in topic["words"])        # 4 significant digits
            assert topic["articles"] and all(0 <= a < len(data["articles"])
                                              for a, _ in topic["articles"])
        assert set(model["prevalence"]) == {"province", "year", "province_year"}
        assert model["prevalence"]["year"]["groups"] == ["2020", "2021"]
    assert all(len(a[0]) <= TITLE_CHARS for a in data["articles"])
    assert all(a[3].count("-") == 2 and a[4] == "Dân trí" and a[5] for a in data["articles"])
    assert len(block.encode("utf-8")) < 120_000
    assert data["distinctive"]["province"]["Gia Lai"][0][0]
