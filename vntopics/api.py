"""The Python API: run a report, list and compare its versions, label topics, from a notebook
or a script (no `if __name__ == "__main__":` needed) or a thread.

`run` and `open_version` take the same config, overrides and folders as the CLI and give
back a `Version` (vntopics/version.py): its tables as pandas DataFrames, its topics and
prevalence with ids and labels, and scoring of new text. Nothing heavy is imported until a
function is called.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vntopics.version import Version

if TYPE_CHECKING:
    import pandas as pd

PathLike = str | Path
Overrides = Mapping[str, Any] | Sequence[str]


def run(inputs: PathLike | Sequence[PathLike] | None, *, artifacts_dir: PathLike | None = None,
        config: PathLike | Mapping | None = None, overrides: Overrides | None = None,
        quiet: bool = False, verbose: bool = False) -> Version:
    """Run the report (the Prefect flow ``topic_report``) and publish a new version.

    The same run as ``vntopics run``. Without a configured Prefect server
    (``PREFECT_API_URL``) Prefect starts a temporary one, once per Python session. Worker
    processes never re-run the calling script, so a script needs no ``__main__`` guard.

    Parameters
    ----------
    inputs : str, pathlib.Path or a list of them
        Files or folders to read (``--input``); None: ``input.paths`` of the config.
    artifacts_dir : str or pathlib.Path, optional
        Where versions are written (``--artifacts-dir``); default: ``artifacts.dir``.
    config : str, pathlib.Path or dict, optional
        A YAML config (``--config``), or a dict of the same sections
        (``{"model": {"num_topics": 8}}``); default: the shipped ``default.yaml``.
    overrides : dict, optional
        Dotted keys to values, checked exactly like ``--set``:
        ``{"model.num_topics": 8, "report.language": "vi"}`` (``"key=value"`` strings are
        accepted too).
    quiet : bool, default False
        Show warnings only.
    verbose : bool, default False
        Also show Prefect's own log lines (task and flow runs).

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
    >>> version = vntopics.run("data/default", overrides={"model.num_topics": 8})
    >>> version.topics("lda")
    """
    from vntopics.flows.runtime import set_runtime_defaults
    from vntopics.pipeline.config_io import configure
    from vntopics.pipeline.preflight import check_before_work
    from vntopics.run_output import run_output

    if quiet and verbose:
        raise ValueError("quiet and verbose: choose one")
    paths = [inputs] if isinstance(inputs, (str, Path)) else list(inputs or [])
    set_runtime_defaults()
    settings = configure(config, overrides or [], paths or None, artifacts_dir)
    check_before_work(settings)   # before Prefect is imported: one line, no traceback
    from vntopics.flows.topic_report import topic_report

    with run_output(quiet=quiet, verbose=verbose):
        return Version(topic_report(config=settings))


def _artifacts_folder(artifacts_dir: PathLike | None, config: PathLike | Mapping | None = None,
                     overrides: Overrides | None = None) -> Path:
    """The artifacts folder given, else the config's ``artifacts.dir``, as an absolute path."""
    from vntopics.pipeline.config_io import configure, resolve_path

    return resolve_path(configure(config, overrides or [],
                                  artifacts_dir=artifacts_dir).artifacts.dir)


def open_version(version: str = "latest", *, artifacts_dir: PathLike | None = None,
                 config: PathLike | Mapping | None = None,
                 overrides: Overrides | None = None) -> Version:
    """Open a published version: its tables, topics, manifest and saved models.

    Parameters
    ----------
    version : str, default "latest"
        A version name, a unique prefix of one, ``"latest"``, or a version folder.
    artifacts_dir : str or pathlib.Path, optional
        The artifacts folder; default: ``artifacts.dir`` of the config.
    config : str, pathlib.Path or dict, optional
        A config whose ``artifacts.dir`` to use (as ``vntopics runs --config``).
    overrides : dict, optional
        Dotted keys to values, e.g. ``{"artifacts.dir": "/data/runs"}``.

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
    >>> latest.prevalence("lda", by="year")
    """
    return _as_version(version, _artifacts_folder(artifacts_dir, config, overrides))


def _opened(version: Version | PathLike) -> Version | None:
    """`version` when it is a Version or a version folder; None for a name."""
    if isinstance(version, Version):
        return version
    folder = Path(version).expanduser()
    return Version(folder) if (folder / "manifest.json").is_file() else None


def _as_version(version: Version | PathLike, artifacts_dir: Path) -> Version:
    """A Version, a version folder, or a name (prefix, "latest") in `artifacts_dir`."""
    from vntopics.pipeline.store import resolve_version

    return _opened(version) or Version(resolve_version(artifacts_dir, str(version)))


def runs(artifacts_dir: PathLike | None = None) -> pd.DataFrame:
    """The versions of an artifacts folder, newest first (``vntopics runs``).

    Parameters
    ----------
    artifacts_dir : str or pathlib.Path, optional
        Default: ``artifacts.dir`` of the shipped config (``artifacts/`` in the working
        directory).

    Returns
    -------
    pandas.DataFrame
        ``version, created, ok, rejected, k, npmi``: one row per version (empty when there
        is none).

    Examples
    --------
    >>> vntopics.runs("artifacts").head()
    """
    from vntopics.pipeline.store import runs_table

    return runs_table(_artifacts_folder(artifacts_dir))


def diff(a: Version | PathLike, b: Version | PathLike = "latest", *,
         artifacts_dir: PathLike | None = None) -> pd.DataFrame:
    """What changed from version `a` to version `b` (``vntopics diff``), topic by topic.

    Parameters
    ----------
    a, b : Version, a version folder, or a version name
        Names (``"latest"``, a prefix) are looked up in `artifacts_dir`, or beside the other
        version when that one is a Version or a folder.
    artifacts_dir : str or pathlib.Path, optional
        Where to look names up; default: ``artifacts.dir`` of the shipped config.

    Returns
    -------
    pandas.DataFrame
        One row per topic of either version: ``model, topic_a, topic_b, status`` (kept,
        changed, new, vanished), ``overlap, words_a, words_b, province_shift``, plus the topics'
        ids ``topic_id_a, topic_id_b`` ("" for a topic the version does not have).

    Examples
    --------
    >>> vntopics.diff(older, newer).query("status != 'kept'")
    """
    from vntopics.pipeline.store import diff_versions

    opened = [_opened(a), _opened(b)]
    beside = next((version.path.parent for version in opened if version), None)
    folder = _artifacts_folder(artifacts_dir) if artifacts_dir or beside is None else beside
    version_a, version_b = (version or _as_version(given, folder)
                            for version, given in zip(opened, (a, b)))
    table = diff_versions(version_a.path, version_b.path)
    for side, version in (("a", version_a), ("b", version_b)):
        if f"topic_id_{side}" not in table:   # ids by position, from the version's manifest
            ids = version.manifest.get("topic_ids", {})
            column = [_topic_id_at(ids.get(model, []), position) for model, position
                      in zip(table["model"], table[f"topic_{side}"])]
            table.insert(table.columns.get_loc(f"topic_{side}") + 1, f"topic_id_{side}",
                         column)
    return table


def _topic_id_at(ids: list[str], position) -> str:
    """The id of the topic at `position` ("" for none: a new or vanished topic)."""
    import pandas as pd

    return ids[int(position)] if not pd.isna(position) and int(position) < len(ids) else ""


def label(model: str, topic_id: str, label: str | None, *,
          artifacts_dir: PathLike | None = None) -> Path:
    """Name a topic (``vntopics label``): the label follows its topic id into every later
    version, and shows at once in `Version.topics` and `Version.score`.

    Parameters
    ----------
    model : {"lda", "nmf"}
    topic_id : str
        The topic's id, e.g. ``"L03"`` (``Version.topics``).
    label : str or None
        The name, e.g. ``"Xây dựng Đảng"``; None removes the topic's label.
    artifacts_dir : str or pathlib.Path, optional
        The artifacts folder whose ``labels.yaml`` to change; default: ``artifacts.dir``.

    Returns
    -------
    pathlib.Path
        The ``labels.yaml`` written.

    Raises
    ------
    ValueError
        An unknown model, a topic id of another model, an empty label, or removing a label
        that is not there.

    Examples
    --------
    >>> vntopics.label("lda", "L03", "Xây dựng Đảng", artifacts_dir="artifacts")
    """
    from vntopics.pipeline.store import write_label

    return write_label(_artifacts_folder(artifacts_dir), model, topic_id, label)
