"""What `Version.score` and `Version.apply` need around the store's scoring: the texts checked
and named, the version's own settings, and the scores by the caller's names."""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

SHOWN_REJECTED = 5


def checked_texts(texts) -> tuple[list, list[str]]:
    """(doc names, texts): a list's positions or a Series' index, and the texts, each a str."""
    import pandas as pd

    if isinstance(texts, (str, bytes)):
        raise TypeError("score() takes a list of texts (or a pandas Series); for one text "
                        "pass a list: version.score([text])")
    docs = list(texts.index) if isinstance(texts, pd.Series) else list(range(len(texts)))
    texts = list(texts)
    for doc, text in zip(docs, texts):
        if not isinstance(text, str):
            raise TypeError(f"score() takes texts as str; item {doc!r} is "
                            f"{type(text).__name__}")
    return docs, texts


def run_config(manifest: dict):
    """The settings a version was run with (reading, cleaning, stop-words, cache), so new
    text is prepared the same way; the defaults when they no longer validate."""
    from vntopics.pipeline.config_io import load_config

    try:
        return load_config(manifest.get("config") or {})
    except ValueError:   # a version written by an older vntopics
        return load_config()


def warn_rejected(table: pd.DataFrame, docs: Sequence) -> None:
    """One warning naming the texts that got no scores, and why (the first few)."""
    rejected = table[table["status"] != "ok"]
    if len(rejected):
        named = "; ".join(f"{docs[int(row.doc_id)]!r}: {row.reason}"
                          for row in rejected.head(SHOWN_REJECTED).itertuples())
        more = (f" and {len(rejected) - SHOWN_REJECTED} more"
                if len(rejected) > SHOWN_REJECTED else "")
        warnings.warn(f"{len(rejected)} text(s) not scored ({named}{more})", stacklevel=4)


def scores_by_doc(table: pd.DataFrame, docs: Sequence) -> pd.DataFrame:
    """doc, model, topic_id, weight of the scored texts: each text's rows together, in the
    order given, named as the caller named them."""
    import pandas as pd

    table = table[table["status"] == "ok"]
    table = table.assign(position=table["doc_id"].astype(int)).sort_values(
        "position", kind="stable")
    return pd.DataFrame({"doc": [docs[i] for i in table["position"]],
                         "model": table["model"].to_numpy(),
                         "topic_id": table["topic_id"].to_numpy(),
                         "weight": table["weight"].to_numpy(dtype=float)})
