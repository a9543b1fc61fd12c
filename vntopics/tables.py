"""`Tables`: a version's tables by name, as pandas DataFrames, from CSV or Parquet alike."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class Tables(Mapping):
    """A version's tables by name (``"topics"``, ``"doc_topics"``, ...), each read into a
    DataFrame the first time it is asked for, from its Parquet file or its CSV.

    Examples
    --------
    >>> version = vntopics.open_version(artifacts_dir="artifacts")
    >>> list(version.tables)
    ['citations', 'distinctive_keywords', 'doc_topics', 'documents', ...]
    >>> version.tables["doc_topics"].head()
    """

    def __init__(self, version: Path) -> None:
        self.version = version
        self.loaded: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        from vntopics.pipeline.store import read_table

        if name not in self.loaded:
            self.loaded[name] = read_table(self.version, name, typed=True)
        return self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        from vntopics.pipeline.store import table_names

        return iter(table_names(self.version))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"Tables({', '.join(self)})"
