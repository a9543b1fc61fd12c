"""vntopics: topic models of Vietnamese provincial news by province and year.

The stages live in `vntopics.pipeline` (plain functions, no Prefect), the Prefect flow,
deployment and CLI in `vntopics.flows`, the default configuration in `vntopics.configs`.
"""
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("vntopics")
except _metadata.PackageNotFoundError:   # running from a source tree that is not installed
    __version__ = "0+unknown"
