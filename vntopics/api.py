"""The Python API: run a report and open its versions from a notebook or a script.

`run` and `open_version` take the same config, overrides and folders as the CLI and give
back a `Version`: its path, its tables as pandas DataFrames, its manifest and its saved
models. Nothing heavy is imported until a function is called.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from vntopics.pipeline.store import SavedModels

class Tables(Mapping):
    """A version's `tables/*.csv` (or `.parquet`) by name (``"topics"``, ``"doc_topics"``,
    ...), each read into a DataFrame the first time it is asked for."""

    def __init__(self, version: Path) -> None:
        self.version = version
        self.loaded: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        from vntopics.pipeline.store import read_table

        if name not in self.loaded:
            if name not in list(self):
                raise KeyError(f"{name!r}: no tables/{name}.csv in {self.version} "
                               f"(tables: {', '.join(self)})")
            self.loaded[name] = read_table(self.version, name)
        return self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        from vntopics.pipeline.store import table_names

        return iter(table_names(self.version))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"Tables({', '.join(self)})"


class Version:
    """One published version of a report.

    Parameters
    ----------
    path : str or pathlib.Path
        The version folder (``<artifacts-dir>/<version>``).

    Attributes
    ----------
    path : pathlib.Path
        The version folder, absolute.
    name : str
        The version's name, e.g. ``20261122T135529Z-5b045b2d``.
    tables : Mapping[str, pandas.DataFrame]
        Every table of ``tables/`` by file name without ``.csv``, loaded on first access;
        ``artifacts/README.md`` describes their columns.
    manifest : dict
        ``manifest.json``: config, input checksums, counts, metrics, stage timings.

    Examples
    --------
    >>> version = vntopics.open_version(artifacts_dir="artifacts")
    >>> version.tables["topics"].query("model == 'lda' and rank < 3")
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser().resolve()
        if not (self.path / "manifest.json").is_file():
            raise ValueError(f"{self.path} is not a vntopics version (no manifest.json)")
        self.name = self.path.name
        self.tables = Tables(self.path)

    @cached_property
    def manifest(self) -> dict:
        from vntopics.pipeline.store import read_manifest

        return read_manifest(self.path)

    @cached_property
    def models(self) -> SavedModels:
        """The saved models (``models/``), checked against the manifest's checksums.

        Returns
        -------
        vntopics.pipeline.store.SavedModels
            ``.dictionary`` (gensim), ``.estimators`` (``"lda"``: gensim LdaModel,
            ``"nmf"``: tf-idf + scikit-learn NMF), ``.topic_word(model)`` and
            ``.doc_topics(model, token_lists)`` to score new documents.

        Raises
        ------
        ValueError
            A version written before artifact contract 2 (no ``models/``), or a model file
            missing or altered.
        """
        from vntopics.pipeline.store import load_models

        return load_models(self.path, self.manifest)

    def __repr__(self) -> str:
        counts = self.manifest.get("documents", {})
        return (f"Version({self.name!r}, documents={counts.get('ok')} modelled of "
                f"{counts.get('in')}, tables={list(self.tables)})")


def run(inputs: Sequence[str | Path] | None = None, *, config: str | Path | None = None,
        overrides: Sequence[str] = (), artifacts_dir: str | Path | None = None,
        compare_to: str | None = None) -> Version:
    """Run the report (the Prefect flow ``topic_report``) and publish a new version.

    The same run as ``vntopics run``: without a configured Prefect server (PREFECT_API_URL)
    Prefect starts its temporary one, once per Python session.

    Parameters
    ----------
    inputs : sequence of str or pathlib.Path, optional
        Files or folders to read (``--input``); default: ``input.paths`` of the config.
    config : str or pathlib.Path, optional
        A YAML config (``--config``); default: the shipped ``default.yaml``.
    overrides : sequence of str, optional
        ``"key=value"`` overrides (``--set``), e.g. ``["model.num_topics=12"]``.
    artifacts_dir : str or pathlib.Path, optional
        Where versions are written (``--artifacts-dir``); default: ``artifacts.dir``.
    compare_to : str, optional
        Version to diff against (``--compare-to``): a name, ``"latest"`` or ``"none"``.

    Returns
    -------
    Version
        The new version.

    Raises
    ------
    ValueError
        An unknown config key, an impossible value, or an input that cannot be read, before
        anything runs; too few usable documents for K.

    Examples
    --------
    >>> version = vntopics.run(["data/articles"], overrides=["model.num_topics=12"])
    >>> version.tables["topic_prevalence"].head()
    """
    from vntopics.flows.runtime import set_runtime_defaults
    from vntopics.pipeline.config_io import configure
    from vntopics.pipeline.preflight import check_before_work

    set_runtime_defaults()
    settings = configure(config, list(overrides), list(inputs) if inputs else None,
                         artifacts_dir, compare_to)
    check_before_work(settings)   # before Prefect is imported: one line, no traceback
    from vntopics.flows.topic_report import topic_report

    return Version(topic_report(config=settings))


def open_version(version: str = "latest", *, artifacts_dir: str | Path | None = None,
                 config: str | Path | None = None, overrides: Sequence[str] = ()) -> Version:
    """Open a published version: its tables, manifest and saved models.

    Parameters
    ----------
    version : str, default "latest"
        A version name, a unique prefix of one, or ``"latest"``.
    artifacts_dir : str or pathlib.Path, optional
        The artifacts folder; default: ``artifacts.dir`` of the config.
    config : str or pathlib.Path, optional
        A YAML config whose ``artifacts.dir`` to use (as ``vntopics runs --config``).
    overrides : sequence of str, optional
        ``"key=value"`` overrides, e.g. ``["artifacts.dir=/data/runs"]``.

    Returns
    -------
    Version

    Raises
    ------
    ValueError
        No version of that name (or none at all) in the folder.

    Examples
    --------
    >>> latest = vntopics.open_version(artifacts_dir="/data/vntopics-runs")
    >>> latest.models.doc_topics("lda", [["xây_dựng", "đảng"]])
    """
    from vntopics.pipeline.config_io import configure, resolve_path
    from vntopics.pipeline.store import resolve_version

    settings = configure(config, list(overrides), artifacts_dir=artifacts_dir)
    return Version(resolve_version(resolve_path(settings.artifacts.dir), version))
