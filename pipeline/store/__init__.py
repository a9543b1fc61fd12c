"""Store stage: a run's `RunResults` in; a published version folder out (tables, manifest,
reports, saved models), `latest` moved, old versions pruned. Topics keep their ids and the
analysts' labels across versions (lineage). Also listing versions, what changed between two
(`vntopics runs`, `vntopics diff`) and loading a version's models to score new documents."""
from vntopics.pipeline.store.diff import diff_versions
from vntopics.pipeline.store.lineage import Lineage, read_labels, recall_lineage, write_label
from vntopics.pipeline.store.models import SavedModels, load_models
from vntopics.pipeline.store.publish import RunResults, publish_version
from vntopics.pipeline.store.versions import (list_versions, previous_version, resolve_version,
                                              runs_table)
from vntopics.pipeline.store.writer import describe_inputs, sha256_of

__all__ = ["publish_version", "RunResults", "diff_versions", "list_versions",
           "previous_version", "resolve_version", "runs_table", "describe_inputs", "sha256_of",
           "Lineage", "recall_lineage", "read_labels", "write_label", "SavedModels",
           "load_models"]
