"""Topics with memory across the versions of one artifacts folder: stable topic ids, the
analysts' labels, and the history of every topic.

Each new fit is matched to the previous version's topics by the Hungarian assignment on the
Jensen–Shannon distance between full topic-word distributions (over the union of the two
vocabularies): a matched topic keeps its id, an unmatched one gets the next unused number.
The counter travels in the manifest from version to version, so a retired id is never
reused, even after old versions are pruned.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon

from vntopics.pipeline.model import best_pairs
from vntopics.pipeline.store.labels import topic_id

# Matched topics further apart than this are different topics (JS distance, base 2, 0..1).
MAX_JS_DISTANCE = 0.75
HISTORY_COLUMNS = ["version", "created_at", "model", "topic_id", "label", "prevalence",
                   "n_docs", "status"]


def aligned(vocabulary_a: list[str], topic_word_a: np.ndarray, vocabulary_b: list[str],
            topic_word_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both topic-word matrices over the union of the two vocabularies."""
    union = {word: i for i, word in enumerate(dict.fromkeys([*vocabulary_a, *vocabulary_b]))}
    out = []
    for vocabulary, matrix in ((vocabulary_a, topic_word_a), (vocabulary_b, topic_word_b)):
        wide = np.zeros((matrix.shape[0], len(union)))
        wide[:, [union[w] for w in vocabulary]] = matrix
        out.append(wide)
    return out[0], out[1]


def js_distances(previous: np.ndarray, current: np.ndarray) -> np.ndarray:
    """Jensen–Shannon distance (base 2) between every previous and every current topic.

    A topic refitted to (nearly) the same distribution, as a re-run of an unchanged corpus
    gives, can round to a divergence a hair below 0, whose square root scipy returns as NaN:
    that is distance 0 (rows are normalised, so NaN has no other cause)."""
    with np.errstate(invalid="ignore"):
        distances = np.array([[jensenshannon(p, c, base=2) for c in current]
                              for p in previous])
    return np.nan_to_num(distances, nan=0.0)


def transfer_topics(vocabulary_from: list[str], topic_word: np.ndarray,
                    vocabulary_to: list[str], floor: float = 1e-6) -> np.ndarray:
    """Topic-word rows re-expressed over another vocabulary (words new to it get `floor`
    before renormalising): what a warm start begins from."""
    index = {word: i for i, word in enumerate(vocabulary_from)}
    columns = np.array([index.get(word, -1) for word in vocabulary_to])
    moved = np.where(columns >= 0, topic_word[:, np.maximum(columns, 0)], 0.0) + floor
    return moved / moved.sum(axis=1, keepdims=True)


@dataclass
class Lineage:
    """What the previous version says about topic identity: its vocabulary, each model's
    topic-word matrix and topic ids, and the next unused id number per model."""
    vocabulary: list[str] = field(default_factory=list)
    topic_word: dict[str, np.ndarray] = field(default_factory=dict)
    topic_ids: dict[str, list[str]] = field(default_factory=dict)
    next_number: dict[str, int] = field(default_factory=dict)
    history: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=HISTORY_COLUMNS))
    # the version it was recalled from: '' for a folder's first, None when not recalled
    parent: str | None = None

    def warm_start(self, vocabulary: list[str]) -> dict[str, np.ndarray]:
        """The previous topics of every model over a new vocabulary."""
        return {name: transfer_topics(self.vocabulary, matrix, vocabulary)
                for name, matrix in self.topic_word.items()}

    def assign(self, name: str, vocabulary: list[str], topic_word: np.ndarray
               ) -> tuple[list[str], int]:
        """Ids for the topics of a new fit of model `name`, and the next unused number."""
        number = self.next_number.get(name, 0)
        ids: list[str | None] = [None] * topic_word.shape[0]
        if name in self.topic_word and self.topic_ids.get(name):
            previous, current = aligned(self.vocabulary, self.topic_word[name], vocabulary,
                                        topic_word)
            distance = js_distances(previous, current)
            for i, j, similarity in best_pairs(1.0 - distance):
                if 1.0 - similarity <= MAX_JS_DISTANCE:
                    ids[j] = self.topic_ids[name][i]
        for j in range(len(ids)):
            if ids[j] is None:
                ids[j], number = topic_id(name, number), number + 1
        return ids, number


@dataclass
class TopicIdentity:
    """This version's topic ids (per model, in topic order), the next unused id number per
    model, the analysts' labels and the seeded topics' labels (model.seed_topics): what
    turns `topic` numbers into names in every table."""
    ids: dict[str, list[str]]
    next_number: dict[str, int]
    labels: dict[str, dict[str, str]]
    seed_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def label_of(self, model: str, topic_id_: str) -> str:
        """The analyst's label (labels.yaml) when there is one: a name given after seeing the
        topic wins over the seed's; else the seed's label for a seeded topic; else ''."""
        return (self.labels.get(model, {}).get(topic_id_)
                or self.seed_labels.get(model, {}).get(topic_id_, ""))

    def annotate(self, frame: pd.DataFrame, with_label: bool = False) -> pd.DataFrame:
        """`frame` (columns model, topic) with `topic_id` (and `label`) after `topic`."""
        if frame is None or "topic" not in frame.columns:
            return frame
        # by model, not by row, and each id string made once then repeated by index:
        # doc_topics has a row per document and topic (1.6 M rows on the full VNTC at K = 10,
        # where a loop per row took 3 s of writing every version, a list of strings ~0.4 s)
        names = [""]
        index = np.zeros(len(frame), dtype=np.int64)
        models, topics = frame["model"], frame["topic"]
        present = topics.notna().to_numpy()
        for model, model_ids in self.ids.items():
            rows = np.flatnonzero((models == model).to_numpy(dtype=bool) & present)
            index[rows] = len(names) + topics.to_numpy()[rows].astype(np.int64)
            names.extend(model_ids)
        ids = pd.Series(names).array.take(index) if len(frame) else []
        out = frame.copy()
        out.insert(out.columns.get_loc("topic") + 1, "topic_id", ids)
        if with_label:
            out.insert(out.columns.get_loc("topic_id") + 1, "label",
                       [self.label_of(m, i) for m, i in zip(frame["model"], ids)])
        return out


def identify(lineage: Lineage, models, vocabulary: list[str],
             labels: dict[str, dict[str, str]]) -> TopicIdentity:
    """Ids for every model's topics, matched to the lineage's; seeded topics (the first ones
    of a model) carry their seed labels."""
    ids, next_number = {}, dict(lineage.next_number)
    for model in models:
        ids[model.name], next_number[model.name] = lineage.assign(model.name, vocabulary,
                                                                  model.topic_word)
    seed_labels = {model.name: dict(zip(ids[model.name], model.seed_labels))
                   for model in models if model.seed_labels}
    return TopicIdentity(ids, next_number, labels, seed_labels)


def recall_lineage(artifacts_dir: Path) -> tuple[Lineage, str]:
    """The lineage a new version continues (that of the folder's latest version) and a note
    for the log: empty for a folder's first version, or when the latest version has no
    usable saved models (written before artifact contract 2, or damaged)."""
    from vntopics.pipeline.store.models import load_models
    from vntopics.pipeline.store.versions import latest_version, read_manifest

    previous = latest_version(artifacts_dir)
    if previous is None:
        return Lineage(parent=""), "first version of this artifacts folder: new topic ids"
    manifest = read_manifest(previous)
    try:
        saved = load_models(previous, manifest)
    except ValueError as exc:
        return Lineage(parent=previous.name), f"topic ids start afresh: {exc}"
    history_path = previous / "tables" / "topic_history.csv"
    history = (pd.read_csv(history_path, keep_default_na=False) if history_path.is_file()
               else pd.DataFrame(columns=HISTORY_COLUMNS))
    lineage = Lineage(vocabulary=saved.vocabulary,
                      topic_word={name: saved.topic_word(name) for name in saved.estimators},
                      topic_ids=manifest.get("topic_ids", {}),
                      next_number=manifest.get("topic_id_next", {}), history=history,
                      parent=previous.name)
    return lineage, f"topics continue from {previous.name}"


def version_rows(identity: TopicIdentity, models) -> pd.DataFrame:
    """model, topic_id, label, prevalence (mean document weight), n_docs (documents whose
    dominant topic it is) for this version's topics."""
    rows = []
    for model in models:
        dominant = np.bincount(model.doc_topic.argmax(axis=1), minlength=model.num_topics)
        for topic, topic_id_ in enumerate(identity.ids[model.name]):
            rows.append({"model": model.name, "topic_id": topic_id_,
                         "label": identity.label_of(model.name, topic_id_),
                         "prevalence": float(model.doc_topic[:, topic].mean()),
                         "n_docs": int(dominant[topic])})
    return pd.DataFrame(rows, columns=["model", "topic_id", "label", "prevalence", "n_docs"])
