"""What the explorer needs from the fitted models, computed once when a version is written:
LDAvis' quantities (Sievert & Shirley 2014: the intertopic map and term relevance) and each
topic's candidate representative articles.

relevance(w | t, λ) = λ·log p(w|t) + (1 − λ)·log(p(w|t) / p(w)); λ = 1 ranks a topic's words
by probability, λ → 0 by lift. The page re-ranks on the reader's machine, so only the words
that can reach a topic's list at some slider position are stored with p(w|t) and p(w).
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from sklearn.manifold import MDS

from vntopics.pipeline.model import Corpus, TopicModel, heaviest_first
from vntopics.pipeline.report.inputs import ExplorerInputs

SHOWN_WORDS = 20          # words listed per topic (LDAvis shows 30; 20 keep the panel short)
SLIDER_STEPS = 101        # λ = 0.00, 0.01, …, 1.00: the slider's positions
OVERALL_ARTICLES = 8      # candidate articles per topic over the whole corpus
GROUP_ARTICLES = 3        # … and in each province and each year


def word_shares(corpus: Corpus) -> np.ndarray:
    """p(w): each vocabulary word's share of all modelled tokens."""
    counts = corpus.word_totals()
    return counts / max(counts.sum(), 1.0)


def relevant_words(topic_word: np.ndarray, shares: np.ndarray, shown: int = SHOWN_WORDS,
                   steps: int = SLIDER_STEPS) -> list[np.ndarray]:
    """Per topic, every word among its `shown` most relevant at some slider position,
    heaviest (highest p(w|t)) first: the list is then exact at every position."""
    tiny = np.finfo(float).tiny
    log_topic = np.log(np.maximum(topic_word, tiny))
    log_lift = log_topic - np.log(np.maximum(shares, tiny))
    shown = min(shown, topic_word.shape[1])
    chosen = [set() for _ in range(topic_word.shape[0])]
    for weight in np.linspace(0.0, 1.0, steps):
        scores = weight * log_topic + (1.0 - weight) * log_lift
        top = np.argpartition(-scores, shown - 1, axis=1)[:, :shown]
        for topic, words in enumerate(top):
            chosen[topic].update(int(w) for w in words if topic_word[topic, w] > 0)
    out = []
    for topic, words in enumerate(chosen):
        words = np.fromiter(sorted(words), dtype=np.int64, count=len(words))
        out.append(words[heaviest_first(topic_word[topic, words])])
    return out


def intertopic_map(topic_word: np.ndarray) -> np.ndarray:
    """K × 2 coordinates: metric MDS (scikit-learn's SMACOF) of the Jensen–Shannon distances
    between the topics' word distributions, started from classical scaling (LDAvis' default,
    PCoA) rather than at random: on the full VNTC it fits the distances better (stress 0.28
    against 0.48 for classical scaling alone) and, unlike random starts (0.29–0.30), gives
    one layout per fit. Each axis is signed so its largest coordinate is positive."""
    distance = np.array([[jensenshannon(a, b, base=2) for b in topic_word] for a in topic_word])
    coordinates = MDS(n_components=2, metric="precomputed", init="classical_mds",
                      random_state=0).fit_transform(np.nan_to_num(distance))
    for axis in range(2):
        column = coordinates[:, axis]
        if column[np.argmax(np.abs(column))] < 0:
            coordinates[:, axis] = -column
    return coordinates


def candidate_articles(model: TopicModel, modelled: pd.DataFrame) -> pd.DataFrame:
    """Per topic, the documents most devoted to it among those whose dominant topic it is
    (as in the static report): the heaviest overall and the heaviest in each province and
    each year, so a reader who picks a province sees that province's own examples."""
    dominant = model.doc_topic.argmax(axis=1)
    frame = pd.DataFrame({"row": np.arange(len(dominant)), "topic": dominant,
                          "weight": model.doc_topic[np.arange(len(dominant)), dominant],
                          "province": modelled["province"].to_numpy(),
                          "year": modelled["year"].to_numpy()})
    frame = frame.sort_values(["topic", "weight", "row"], ascending=[True, False, True])
    picks = pd.concat([
        frame.groupby("topic").head(OVERALL_ARTICLES),
        frame[frame["province"] != "unknown"].groupby(["topic", "province"]).head(GROUP_ARTICLES),
        frame.dropna(subset=["year"]).groupby(["topic", "year"]).head(GROUP_ARTICLES)])
    picks = (picks.drop_duplicates("row")
             .sort_values(["topic", "weight", "row"], ascending=[True, False, True]))
    return pd.DataFrame({"model": model.name, "topic": picks["topic"].to_numpy(),
                         "doc_id": modelled["doc_id"].to_numpy()[picks["row"].to_numpy()],
                         "weight": picks["weight"].to_numpy()})


def explorer_inputs(models: Sequence[TopicModel], corpus: Corpus, modelled: pd.DataFrame,
                    leads: Callable[[list[int]], list[str]]) -> ExplorerInputs:
    """`modelled`: the modelled documents (doc_id, province, year) in the row order of every
    model's doc_topic; `leads(rows)`: the first lines of the documents at those rows (read
    for the articles shown only)."""
    vocabulary = corpus.vocabulary
    shares = word_shares(corpus)
    words, topics, articles = [], [], []
    for model in models:
        for topic, chosen in enumerate(relevant_words(model.topic_word, shares)):
            words.append(pd.DataFrame({"model": model.name, "topic": topic,
                                       "word": [vocabulary[i] for i in chosen],
                                       "p_topic": model.topic_word[topic, chosen],
                                       "p_corpus": shares[chosen]}))
        place = intertopic_map(model.topic_word)
        topics.append(pd.DataFrame({
            "model": model.name, "topic": np.arange(model.num_topics), "x": place[:, 0],
            "y": place[:, 1], "share": model.doc_topic.mean(axis=0),
            "n_dominant": np.bincount(model.doc_topic.argmax(axis=1),
                                      minlength=model.num_topics)}))
        articles.append(candidate_articles(model, modelled))
    chosen_articles = pd.concat(articles, ignore_index=True)
    shown = np.flatnonzero(modelled["doc_id"].isin(chosen_articles["doc_id"])).tolist()
    lead_of = dict(zip(modelled["doc_id"].to_numpy()[shown].tolist(), leads(shown)))
    return ExplorerInputs(words=pd.concat(words, ignore_index=True),
                          topics=pd.concat(topics, ignore_index=True),
                          articles=chosen_articles,
                          leads={d: lead_of.get(d, "") for d in chosen_articles["doc_id"]})
