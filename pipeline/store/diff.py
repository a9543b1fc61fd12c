"""What changed between two versions: topics matched by top-word overlap (kept / changed /
new / vanished) and the largest province shifts of matched topics (`vntopics diff`)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from vntopics.pipeline.model import best_pairs, jaccard_matrix

KEPT_OVERLAP, CHANGED_OVERLAP = 0.5, 0.2
DIFF_TOP_WORDS = 10


def top_words(version: Path, top_n: int = DIFF_TOP_WORDS) -> dict[str, list[list[str]]]:
    """Per model, each topic's top words in rank order."""
    topics = pd.read_csv(version / "tables" / "topics.csv", keep_default_na=False)
    words: dict[str, list[list[str]]] = {}
    for model, rows in topics[topics["rank"] <= top_n].groupby("model", sort=True):
        ordered = rows.sort_values(["topic", "rank"])
        words[model] = [list(g["word"]) for _, g in ordered.groupby("topic", sort=True)]
    return words


def match_topics(left: list[list[str]], right: list[list[str]]
                 ) -> list[tuple[int | None, int | None, float]]:
    """Hungarian assignment on top-word Jaccard; pairs below CHANGED_OVERLAP are unmatched."""
    pairs: list[tuple[int | None, int | None, float]] = [
        (i, j, score) for i, j, score in best_pairs(jaccard_matrix(left, right))
        if score >= CHANGED_OVERLAP]
    matched_left = {i for i, _, _ in pairs}
    matched_right = {j for _, j, _ in pairs}
    pairs += [(i, None, 0.0) for i in range(len(left)) if i not in matched_left]
    pairs += [(None, j, 0.0) for j in range(len(right)) if j not in matched_right]
    return pairs


def province_shift(version_a: Path, version_b: Path, model: str, topic_a: int, topic_b: int
                   ) -> str:
    """Largest prevalence changes by province for a matched topic, as short text."""
    def load(version: Path, topic: int) -> pd.Series:
        table = pd.read_csv(version / "tables" / "topic_prevalence.csv", keep_default_na=False)
        rows = table[(table["model"] == model) & (table["dimension"] == "province")
                     & (table["topic"] == topic)]
        return rows.set_index("group")["prevalence"].astype(float)

    change = (load(version_b, topic_b) - load(version_a, topic_a)).dropna()
    if change.empty:
        return ""
    top = change.reindex(change.abs().sort_values(ascending=False).index).head(3)
    return "; ".join(f"{province} {value:+.3f}" for province, value in top.items())


def diff_versions(version_a: Path, version_b: Path) -> pd.DataFrame:
    """Topics of B matched to A: kept / changed / new / vanished, with word overlap and the
    biggest province prevalence shifts of matched topics."""
    words_a, words_b = top_words(version_a), top_words(version_b)
    rows = []
    for model in sorted(set(words_a) | set(words_b)):
        left, right = words_a.get(model, []), words_b.get(model, [])
        for topic_a, topic_b, overlap in match_topics(left, right):
            if topic_a is None:
                status = "new"
            elif topic_b is None:
                status = "vanished"
            else:
                status = "kept" if overlap >= KEPT_OVERLAP else "changed"
            both = topic_a is not None and topic_b is not None
            rows.append({
                "model": model, "topic_a": topic_a, "topic_b": topic_b, "status": status,
                "overlap": round(overlap, 3),
                "words_a": " ".join(left[topic_a]) if topic_a is not None else "",
                "words_b": " ".join(right[topic_b]) if topic_b is not None else "",
                "province_shift": province_shift(version_a, version_b, model, topic_a,
                                                 topic_b) if both else ""})
    frame = pd.DataFrame(rows, columns=["model", "topic_a", "topic_b", "status", "overlap",
                                        "words_a", "words_b", "province_shift"])
    for column in ("topic_a", "topic_b"):
        frame[column] = frame[column].astype("Int64")
    return frame
