"""vntopics: topic models of Vietnamese provincial news by province and year.

From Python (a notebook, a script: no ``__main__`` guard needed), the same runs as the CLI:

    >>> import vntopics
    >>> version = vntopics.run("data/default", overrides={"model.num_topics": 8})
    >>> version.topics("lda")                          # a pandas DataFrame
    >>> version.prevalence("lda", by="province")
    >>> version.score(["Tỉnh ủy An Giang thực hiện Nghị quyết 18-NQ/TW ..."])
    >>> vntopics.label("lda", "L03", "Xây dựng Đảng", artifacts_dir="artifacts")
    >>> vntopics.runs("artifacts"); vntopics.diff("20261122T135529Z-5b045b2d", "latest")

`run`, `open_version`, `runs`, `diff`, `label` (vntopics/api.py) and `Version`
(vntopics/version.py) are the public API. The stages live in `vntopics.pipeline` (plain
functions, no Prefect), the Prefect flow and deployment in `vntopics.flows`, the default
configuration in `vntopics.configs`.
"""
from importlib import metadata as _metadata

from vntopics.api import diff, label, open_version, run, runs
from vntopics.version import Version

try:
    __version__ = _metadata.version("vntopics")
except _metadata.PackageNotFoundError:   # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["run", "open_version", "runs", "diff", "label", "Version", "__version__"]
