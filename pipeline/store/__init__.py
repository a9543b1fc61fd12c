"""Store stage: a run's `RunResults` in; a published version folder out (tables, manifest,
reports), `latest` moved, old versions pruned. Also listing versions and what changed
between two (`vntopics runs`, `vntopics diff`)."""
from vntopics.pipeline.store.diff import diff_versions
from vntopics.pipeline.store.publish import RunResults, publish_version
from vntopics.pipeline.store.versions import (list_versions, previous_version, resolve_version,
                                              runs_table)
from vntopics.pipeline.store.writer import describe_inputs, sha256_of

__all__ = ["publish_version", "RunResults", "diff_versions", "list_versions",
           "previous_version", "resolve_version", "runs_table", "describe_inputs", "sha256_of"]
