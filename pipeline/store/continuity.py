"""One account of topic continuity: which topic of one version is which topic of another,
said the same way by `topic_history.csv`, `diff_<A>.csv` and `vntopics diff`.

Topics are paired by their lineage id (pipeline/store/lineage.py gives ids by the Hungarian
assignment on Jensen–Shannon distance), never by position. A pair's similarity is
1 − the Jensen–Shannon distance (base 2) of the two topic-word distributions over the union
of the vocabularies: 1 for the same distribution, 0 for disjoint words. An id in both
versions is `kept` when its similarity is at least `model.drift_threshold`, else `drifted`
(the diff calls it `changed`); an id only in the later version is `new`, or `returned` when
the lineage saw it before (a topic that matches no topic of the previous version but shares
at least half its top words with a retired one takes that id back); an id only in the earlier
version is `retired` (the diff: `vanished`).

The default threshold, 0.5, is measured (benchmarks/drift_threshold.py, weekly runs on the
dated default corpus, continue_from latest). Steady growth (+10 % a week, 450 → 598
documents): the same id a week later is 0.84–0.96 alike for LDA (median 0.91) and 0.71–0.95
for NMF (median 0.89), so no topic drifts. The corpus's real calendar weeks, each doubling it
(86 → 154 → 310 → 608 documents): LDA median 0.78 (min 0.55), NMF median 0.53 (min 0.36).
Two *different* topics of one version are never more than 0.28 alike. 0.5 sits between the
two: no LDA topic and 9 of 20 NMF topics drift over the doubling weeks, among them NMF's
"đào_tạo trường sinh_viên đại_học" turning into "xây_dựng phát_triển ubnd kinh_tế dự_án"
(0.47) and a food topic into tourism (0.43); NMF's sparser word weights also move a
COVID-care topic towards testing (0.46), a drift a reader can judge from the words shown
beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from vntopics.pipeline.config import ModelConfig
from vntopics.pipeline.model import best_pairs, jaccard_matrix
from vntopics.pipeline.store.labels import check_topic_id, ids_in_folder, read_labels
from vntopics.pipeline.store.lineage import (HISTORY_COLUMNS, Lineage, TopicIdentity,
                                             aligned, identify, js_distances,
                                             version_rows)

DRIFT_THRESHOLD = ModelConfig.model_fields["drift_threshold"].default   # config without it
HISTORY_TOP_WORDS = 10
RETURN_OVERLAP = 0.5             # top-word Jaccard for a retired id to be taken back
CONTINUITY_COLUMNS = [*HISTORY_COLUMNS, "top_words", "similarity_to_previous"]
DIFF_STATUS = {"kept": "kept", "drifted": "changed", "new": "new", "returned": "new",
               "retired": "vanished"}


@dataclass
class TopicSet:
    """One version's topics as continuity sees them: per model, the ids in topic order and
    the topic-word matrix over `vocabulary`."""
    vocabulary: list[str]
    topic_word: dict[str, np.ndarray] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)

    def top_words(self, model: str, top_n: int = HISTORY_TOP_WORDS) -> list[list[str]]:
        matrix = self.topic_word.get(model, np.zeros((0, 0)))
        order = np.argsort(-matrix, axis=1, kind="stable")[:, :top_n]
        return [[self.vocabulary[i] for i in row] for row in order]

    @classmethod
    def of_lineage(cls, lineage: Lineage) -> TopicSet:
        return cls(lineage.vocabulary, dict(lineage.topic_word), dict(lineage.topic_ids))

    @classmethod
    def of_models(cls, models, vocabulary: list[str], ids: dict[str, list[str]]) -> TopicSet:
        return cls(list(vocabulary), {m.name: m.topic_word for m in models}, dict(ids))

    @classmethod
    def of_version(cls, version: Path) -> TopicSet | None:
        """A published version's topics from its saved models; None when it has none
        (artifact contract 1, or damaged)."""
        from vntopics.pipeline.store.models import load_models
        from vntopics.pipeline.store.versions import read_manifest

        try:
            manifest = read_manifest(version)
            saved = load_models(version, manifest)
        except (OSError, ValueError, KeyError):
            return None
        return cls(saved.vocabulary, {name: saved.topic_word(name) for name in saved.estimators},
                   manifest.get("topic_ids", {}))


def paired_topics(earlier: TopicSet, later: TopicSet, model: str
                  ) -> list[tuple[str, int | None, int | None, float]]:
    """(topic id, position in earlier, position in later, similarity) for every id of the
    model in either version: later's topics in order, then the ids only earlier has;
    similarity NaN unless the id is in both."""
    ids_a, ids_b = earlier.ids.get(model, []), later.ids.get(model, [])
    similarity = np.zeros((len(ids_a), len(ids_b)))
    if ids_a and ids_b and model in earlier.topic_word and model in later.topic_word:
        a, b = aligned(earlier.vocabulary, earlier.topic_word[model], later.vocabulary,
                       later.topic_word[model])
        similarity = 1.0 - js_distances(a, b)
    where_a = {topic_id: i for i, topic_id in enumerate(ids_a)}
    pairs = [(topic_id, where_a.get(topic_id), j,
              float(similarity[where_a[topic_id], j]) if topic_id in where_a else np.nan)
             for j, topic_id in enumerate(ids_b)]
    later_ids = set(ids_b)
    return pairs + [(topic_id, i, None, np.nan) for i, topic_id in enumerate(ids_a)
                    if topic_id not in later_ids]


def status_of(position_a: int | None, position_b: int | None, similarity: float,
              threshold: float, seen_before: bool = False) -> str:
    """new / returned / kept / drifted / retired for one paired id."""
    if position_a is None:
        return "returned" if seen_before else "new"
    if position_b is None:
        return "retired"
    return "kept" if similarity >= threshold else "drifted"


def reclaim_returned(identity: TopicIdentity, lineage: Lineage, models,
                     vocabulary: list[str]) -> TopicIdentity:
    """Fresh ids of topics that share at least RETURN_OVERLAP of their top words with a
    topic the lineage retired are replaced by the retired id (one-to-one, Hungarian)."""
    history = lineage.history
    if history is None or not len(history) or "top_words" not in history:
        return identity
    current = TopicSet.of_models(models, vocabulary, identity.ids)
    for model in models:
        previous = set(lineage.topic_ids.get(model.name, []))
        rows = history[(history["model"] == model.name) & (history["status"] != "retired")
                       & ~history["topic_id"].isin(previous)]
        last = rows.drop_duplicates("topic_id", keep="last")
        last = last[last["top_words"].astype(str).str.len() > 0]
        ids = identity.ids[model.name]
        fresh = [j for j, topic_id in enumerate(ids) if topic_id not in previous]
        if last.empty or not fresh:
            continue
        words = current.top_words(model.name)
        overlap = jaccard_matrix([words[j] for j in fresh],
                                 [str(w).split() for w in last["top_words"]])
        for i, k, score in best_pairs(overlap):
            if score >= RETURN_OVERLAP:
                ids[fresh[i]] = str(last["topic_id"].iloc[k])
        if model.seed_labels:
            identity.seed_labels[model.name] = dict(zip(ids, model.seed_labels))
    return identity


def identify_topics(lineage: Lineage, models, vocabulary: list[str],
                    labels: dict[str, dict[str, str]]) -> TopicIdentity:
    """lineage.identify, then retired ids taken back by the topics that return."""
    return reclaim_returned(identify(lineage, models, vocabulary, labels), lineage, models,
                            vocabulary)


def continued_history(lineage: Lineage, identity: TopicIdentity, models,
                      vocabulary: list[str], *, stamp: tuple[str, str], threshold: float
                      ) -> pd.DataFrame:
    """The lineage's history plus this version's rows (`stamp` = version, created_at):
    every topic with its top words, similarity to the previous version's topic of the same
    id and status; ids of the previous version that are gone get a `retired` row."""
    version, created_at = stamp
    earlier, later = TopicSet.of_lineage(lineage), TopicSet.of_models(models, vocabulary,
                                                                      identity.ids)
    previous = lineage.history.reindex(columns=CONTINUITY_COLUMNS)
    seen = set(zip(previous["model"], previous["topic_id"]))
    measured = version_rows(identity, models).set_index(["model", "topic_id"])
    rows = []
    for model in sorted(set(earlier.ids) | set(later.ids)):
        words_a, words_b = earlier.top_words(model), later.top_words(model)
        for topic_id, a, b, similarity in paired_topics(earlier, later, model):
            status = status_of(a, b, similarity, threshold, (model, topic_id) in seen)
            here = measured.loc[(model, topic_id)] if b is not None else None
            rows.append({
                "version": version, "created_at": created_at, "model": model,
                "topic_id": topic_id,
                "label": here["label"] if here is not None else identity.label_of(model,
                                                                                  topic_id),
                "prevalence": here["prevalence"] if here is not None else 0.0,
                "n_docs": int(here["n_docs"]) if here is not None else 0, "status": status,
                "top_words": " ".join(words_b[b] if b is not None else words_a[a]),
                "similarity_to_previous": similarity})
    now = pd.DataFrame(rows, columns=CONTINUITY_COLUMNS)
    if previous.empty:
        return now
    return pd.concat([previous, now], ignore_index=True)[CONTINUITY_COLUMNS]


def label_target(artifacts_dir: Path, model: str, topic_id: str) -> str:
    """Why labelling `topic_id` deserves a warning ('' when it does not); ValueError when no
    version of the folder ever had that id, naming the ones there are (or when the id is not
    of the model's form)."""
    check_topic_id(model, topic_id)
    if not artifacts_dir.is_dir():
        raise ValueError(f"artifacts folder {artifacts_dir} does not exist")
    read_labels(artifacts_dir)         # a broken labels file is named first
    current, retired = ids_in_folder(artifacts_dir, model)
    if topic_id in current:
        return ""
    if topic_id in retired:
        return (f"{model} {topic_id} is retired: no topic of the latest version has it "
                "(the label shows again if the topic returns)")
    if not current and not retired:
        raise ValueError(f"no versions in {artifacts_dir}: run first, then label its topics")
    listed = " ".join(current) + (f"; retired: {' '.join(retired)}" if retired else "")
    raise ValueError(f"{model} {topic_id} never existed in {artifacts_dir} "
                     f"(topic ids: {listed})")
