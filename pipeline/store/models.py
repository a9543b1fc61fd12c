"""A version's fitted models on disk, in their libraries' own formats, and scoring new
documents with them without refitting.

`models/dictionary.gensim` (gensim `Dictionary.save`), `models/lda.gensim` (gensim
`LdaModel.save`) and `models/nmf.joblib` (the scikit-learn NMF with its tf-idf transformer,
joblib), each family's file and format given by its module (model/registry.py), are listed with their sha256 in manifest.json (`models`), so a missing or altered
file is reported by name before anything is scored.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from vntopics.pipeline.model import TopicModel, counts_matrix, family, normalise_rows
from vntopics.pipeline.text import sha256_of

MODELS_DIR = "models"
DICTIONARY_FILE = "dictionary.gensim"   # each model's file: its family's saved_file


def save_models(folder: Path, dictionary, models: Sequence[TopicModel]) -> dict[str, str]:
    """Write the dictionary and every model's estimator into `folder/models`; returns
    {relative path: sha256} of every file written (gensim may add side files)."""
    target = folder / MODELS_DIR
    target.mkdir(exist_ok=True)
    dictionary.save(str(target / DICTIONARY_FILE))
    for model in models:
        if model.estimator is None:
            raise ValueError(f"{model.name}: no fitted estimator to save")
        saved = family(model.name)
        saved.code().save(model.estimator, target / saved.saved_file)
    return {str(p.relative_to(folder)): sha256_of(p)
            for p in sorted(target.iterdir()) if p.is_file()}


@dataclass
class SavedModels:
    """A version's models loaded back: the gensim Dictionary and the estimator per model."""
    version: Path
    dictionary: object
    estimators: dict[str, object]
    topic_ids: dict[str, list[str]]

    @property
    def vocabulary(self) -> list[str]:
        return [self.dictionary[i] for i in range(len(self.dictionary))]

    def topic_word(self, name: str) -> np.ndarray:
        """K x V topic-word distributions of model `name` (rows sum to 1)."""
        return normalise_rows(family(name).code().topic_word(self.estimators[name]))

    def doc_topics(self, name: str, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Documents x K weights of model `name` for `token_lists` (rows sum to 1)."""
        counts = counts_matrix(token_lists, self.dictionary)
        return normalise_rows(family(name).code().doc_topics(self.estimators[name], counts))


def verify_models(version: Path, manifest: dict) -> dict[str, str]:
    """The manifest's model files, each checked to exist and match its sha256."""
    files = manifest.get("models", {}).get("files")
    if not files:
        raise ValueError(f"{version.name} has no saved models (written before artifact "
                         "contract 2); re-run to get a version that can score documents")
    for relative, digest in files.items():
        path = version / relative
        if not path.is_file():
            raise ValueError(f"saved model file missing: {path}")
        if sha256_of(path) != digest:
            raise ValueError(f"saved model file is corrupt (sha256 differs from the "
                             f"manifest): {path}")
    return files


def load_models(version: Path, manifest: dict) -> SavedModels:
    """Load a version's dictionary and models after checking every file's checksum."""
    from gensim.corpora import Dictionary

    verify_models(version, manifest)
    folder = version / MODELS_DIR
    try:
        dictionary = Dictionary.load(str(folder / DICTIONARY_FILE))
        estimators = {}
        for name in manifest["metrics"]["num_topics"]:
            saved = family(name)
            estimators[name] = saved.code().load(folder / saved.saved_file)
    except Exception as exc:   # a file that passed its checksum but does not load
        raise ValueError(f"cannot load the saved models of {version}: {exc}") from exc
    return SavedModels(version, dictionary, estimators, manifest.get("topic_ids", {}))


def score_table(saved: SavedModels, doc_ids: Sequence[str],
                token_lists: Sequence[Sequence[str]]) -> pd.DataFrame:
    """doc_id, model, topic_id, weight: one row per document and topic (none without
    documents: nothing to score is not an error)."""
    if not len(doc_ids):
        return pd.DataFrame(columns=["doc_id", "model", "topic_id", "weight"])
    frames = []
    for name in saved.estimators:
        weights = saved.doc_topics(name, token_lists)
        ids = saved.topic_ids.get(name) or [str(t) for t in range(weights.shape[1])]
        frames.append(pd.DataFrame({
            "doc_id": np.repeat(np.asarray(doc_ids, dtype=object), len(ids)),
            "model": name, "topic_id": np.tile(np.asarray(ids, dtype=object), len(doc_ids)),
            "weight": weights.ravel()}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["doc_id", "model", "topic_id", "weight"])


APPLY_COLUMNS = ["doc_id", "model", "topic_id", "weight", "status", "reason"]


def apply_version(version: Path, paths: list[Path], config, sidecar: Path | None = None,
                  mapper=None) -> pd.DataFrame:
    """Score new documents with a version's saved models, without refitting: the documents
    are read, cleaned and segmented as in a run (`config`'s input, text and cache settings;
    the segmentation cache is reused), then weighted by every saved model. One row per
    document and topic (doc_id, model, topic_id, weight, status, reason); a rejected document
    gets one row with its reason and no topic."""
    from vntopics.pipeline.config_io import cache_dir, stopword_paths
    from vntopics.pipeline.parallel import ProcessMapper
    from vntopics.pipeline.segment import segment_documents
    from vntopics.pipeline.store.versions import read_manifest
    from vntopics.pipeline.text import prepare_documents

    saved = load_models(version, read_manifest(version))   # fails early, naming the file
    documents = prepare_documents(paths, sidecar, config.input)
    segment_documents(documents, config.text, stopword_files=stopword_paths(config),
                      cache_dir=cache_dir(config), mapper=mapper or ProcessMapper(config.workers),
                      batch_size=config.segment.batch_size)
    known = saved.dictionary.token2id
    candidates = [d for d in documents if d.status == "ok"]
    for document, tokens in zip(candidates, documents.tokens.rows(
            [d.token_row for d in candidates])):
        if not any(t in known for t in tokens):
            document.reject("no word of the version's vocabulary")
    ok = [d for d in documents if d.status == "ok"]
    scores = score_table(saved, [d.doc_id for d in ok],
                         documents.tokens.rows([d.token_row for d in ok]))
    scores = scores.assign(status="ok", reason="")
    rejected = pd.DataFrame({"doc_id": [d.doc_id for d in documents if d.status != "ok"],
                             "status": "rejected",
                             "reason": [d.reason for d in documents if d.status != "ok"]})
    return pd.concat([scores, rejected], ignore_index=True).reindex(columns=APPLY_COLUMNS)


DUPLICATE_REASON = "duplicate of "


def score_texts(version: Path, texts: Sequence[str], config, mapper=None) -> pd.DataFrame:
    """`apply_version` for texts in memory (the Python API's `Version.score`): each text is one
    record of a temporary JSONL file, so it is cleaned and segmented exactly as a run's
    records are; its `doc_id` is its position ("0", "1", ...). Texts are scored whatever they
    repeat: one the run would reject as a duplicate of another is scored in a later round."""
    import json
    import tempfile

    waiting = list(range(len(texts)))
    tables = []
    with tempfile.TemporaryDirectory(prefix="vntopics-score-") as folder:
        while waiting:
            path = Path(folder) / f"texts-{len(tables)}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for position in waiting:
                    handle.write(json.dumps({"id": str(position), "text": texts[position]},
                                            ensure_ascii=False) + "\n")
            table = apply_version(version, [path], config, mapper=mapper)
            # a record rejected unread (too large) is named by file and line, not by id
            lines = {f"{path.name}:{line}": str(p) for line, p in enumerate(waiting, 1)}
            table["doc_id"] = table["doc_id"].replace(lines)
            again = table["reason"].fillna("").str.startswith(DUPLICATE_REASON)
            tables.append(table[~again])
            waiting = [int(doc_id) for doc_id in table.loc[again, "doc_id"]]
    return pd.concat(tables, ignore_index=True)
