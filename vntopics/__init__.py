"""vntopics: topic models of Vietnamese provincial news by province and year.

From Python (a notebook, a script), the same runs as the CLI:

    >>> import vntopics
    >>> version = vntopics.run(["data/articles"], overrides=["model.num_topics=12"])
    >>> version.tables["topics"]                       # a pandas DataFrame
    >>> latest = vntopics.open_version(artifacts_dir="artifacts")

`run`, `open_version` and `Version` are the public API (vntopics/api.py). The stages live in
`vntopics.pipeline` (plain functions, no Prefect), the Prefect flow, deployment and CLI in
`vntopics.flows`, the default configuration in `vntopics.configs`.
"""
from importlib import metadata as _metadata

from vntopics.api import Version, open_version, run

try:
    __version__ = _metadata.version("vntopics")
except _metadata.PackageNotFoundError:   # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["run", "open_version", "Version", "__version__"]
