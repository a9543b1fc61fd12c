"""Store stage: a run's `RunResults` in; a published version folder out (tables, manifest,
reports, saved models), `latest` moved, old versions pruned. Topics keep their ids and the
analysts' labels across versions (lineage). Also listing versions, what changed between two
(`vntopics runs`, `vntopics diff`) and loading a version's models to score new documents."""
from vntopics.pipeline.lazy import lazy_exports

EXPORTS = {"diff_versions": "diff", "Lineage": "lineage", "read_labels": "labels",
           "recall_lineage": "lineage", "write_label": "labels", "SavedModels": "models",
           "load_models": "models", "RunResults": "publish", "publish_version": "publish",
           "list_versions": "versions", "previous_version": "versions",
           "resolve_version": "versions", "runs_table": "versions",
           "read_manifest": "versions", "read_table": "versions",
           "table_names": "versions", "apply_version": "models", "score_texts": "models",
           "describe_inputs": "writer", "sha256_of": "writer",
           "check_output_file": "artifacts_dir", "folder_lock": "artifacts_dir",
           "pin_versions": "artifacts_dir", "tidy_artifacts_dir": "artifacts_dir",
           "latest_version": "versions"}
__all__ = list(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
