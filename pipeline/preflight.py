"""Everything a run can check before it reads a single article, so that a wrong path or
setting costs a second and one line, not a run: the inputs and their sidecars, the stop-word
lists and the watchlist file, the artifacts and cache folders, the dask extra for `runner:
dask` (config types and values are checked when the config is loaded). The CLI calls this
before Prefect starts; the flow calls it again first thing (a run from the UI or a schedule
has no CLI)."""
from __future__ import annotations

import logging
from importlib.util import find_spec

from vntopics.pipeline.config import InputConfig, RunConfig
from vntopics.pipeline.config_io import (cache_dir, input_paths, resolve_path, sidecar_path,
                                         stopword_paths)
from vntopics.pipeline.segment import check_stopword_files, load_watchlist
from vntopics.pipeline.store import check_artifacts_dir, check_writable, read_labels
from vntopics.pipeline.text import check_inputs, tag_folder


def check_before_work(config: RunConfig) -> None:
    """Raise ValueError (one line, naming the file or folder) for the first problem."""
    if config.runner == "dask" and find_spec("prefect_dask") is None:   # found, not imported
        raise ValueError("runner: dask needs the dask extra: pip install 'vntopics[dask]'")
    paths = input_paths(config)
    try:
        check_inputs(paths, sidecar_path(config))
    except ValueError as error:
        if config.input.paths != InputConfig().paths or not str(error).endswith("input not found"):
            raise
        raise ValueError(f"{error}: the default input (data/default in the working folder, "
                         "shipped in the vntopics checkout); give your articles with --input "
                         "PATH (repeatable) or input.paths in --config") from None
    check_stopword_files(stopword_paths(config))
    load_watchlist(config.compare)   # a missing or unreadable watchlist file
    check_artifacts_dir(resolve_path(config.artifacts.dir), paths)
    tag_folder(resolve_path(config.artifacts.dir), "artifacts")   # never read as input
    read_labels(resolve_path(config.artifacts.dir))   # a broken labels.yaml: not at publish
    if (cache := cache_dir(config)) is not None:
        try:
            check_writable(cache, "cache folder")
            tag_folder(cache, "cache")
        except ValueError as exc:    # a cache only saves time: the run goes on without it
            logging.getLogger(__name__).warning("%s: the run goes on without a cache", exc)
