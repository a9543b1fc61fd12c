"""The comparisons that do not depend on the topics, kept between runs: a re-run over the same
corpus with the same comparison settings and watchlist reads distinctive words, keyword
trends, citations and the watchlist back instead of counting them again.

They depend only on the modelled documents (their tokens, metadata, citations and watchlist
counts: all fixed by the corpus entry's key, model/kept_corpus.py), the comparison settings,
the watchlist and the seed. Counting every word of every document for them was ~4.5 of the
~6 s of a full-VNTC compare stage, the rest being the topic prevalence, which is always
computed (benchmarks/README.md, "Warm re-runs"). Entry (pipeline/cache_entries.py: checked
when read, set aside when damaged): one Parquet file per table.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import pandas as pd

from vntopics.pipeline.cache_entries import CacheEntries, code_fingerprint, key_of
from vntopics.pipeline.config import CompareConfig
from vntopics.pipeline.segment import WatchTerm

KEEP_ENTRIES = 6
TABLES = ("distinctive", "keyword_trends", "trend_summary", "citations", "watchlist")


@lru_cache(maxsize=1)
def compare_code() -> str:
    return code_fingerprint(Path(__file__).parent, "pandas", "pyarrow", "scipy", "numpy")


class KeptComparisons:
    """The topic-free tables of one corpus, settings, watchlist and seed under
    `cache_dir/comparisons`."""

    def __init__(self, cache_dir: Path, corpus_key: str, settings: CompareConfig,
                 watchlist: Sequence[WatchTerm], seed: int):
        self.entries = CacheEntries(cache_dir / "comparisons", "comparison cache",
                                    "the comparisons are counted again", keep=KEEP_ENTRIES)
        self.key = key_of({"corpus": corpus_key, "code": compare_code(), "seed": seed,
                           "settings": settings.model_dump(mode="json"),
                           "watchlist": [[t.term, t.kind] for t in watchlist]})

    def load(self) -> dict[str, pd.DataFrame] | None:
        """The kept tables by name; None when there are none or they are damaged (set
        aside)."""
        entry = self.entries.find(self.key)
        if entry is None:
            return None
        try:
            return {name: pd.read_parquet(entry / f"{name}.parquet") for name in TABLES}
        except (OSError, ValueError) as exc:
            self.entries.set_aside(entry, entry, f"unreadable ({exc})")
            return None

    def save(self, tables: dict[str, pd.DataFrame]) -> None:
        """Keep the tables; a cache that cannot be written is a warning."""
        def fill(folder: Path) -> None:
            for name in TABLES:
                tables[name].to_parquet(folder / f"{name}.parquet")

        self.entries.write(self.key, fill, "the next run counts the comparisons again")
