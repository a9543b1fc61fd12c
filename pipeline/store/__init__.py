"""Store stage: a run's `RunResults` in; a published version folder out (tables, manifest,
reports, saved models), `latest` moved, old versions pruned. Topics keep their ids and the
analysts' labels across versions (lineage). Also listing versions, what changed between two
(`vntopics runs`, `vntopics diff`) and loading a version's models to score new documents."""
from typing import TYPE_CHECKING

from vntopics.pipeline.lazy import lazy_exports

if TYPE_CHECKING:   # the exports, each loaded from its module on first use (pipeline/lazy.py)
    from vntopics.pipeline.store.artifacts_dir import (check_artifacts_dir, check_output_file,
                                                       check_writable, pin_versions,
                                                       tidy_artifacts_dir, work_folder)
    from vntopics.pipeline.store.continuity import label_target
    from vntopics.pipeline.store.diff import diff_versions
    from vntopics.pipeline.store.labels import read_labels, write_label
    from vntopics.pipeline.store.lineage import Lineage, recall_lineage
    from vntopics.pipeline.store.models import (SavedModels, apply_version, load_models,
                                                score_texts)
    from vntopics.pipeline.store.publish import RunResults, publish_version, run_results
    from vntopics.pipeline.store.versions import (VERSION_PATTERN, latest_version,
                                                  list_versions, previous_version,
                                                  read_manifest, read_table, resolve_version,
                                                  runs_table, table_names)

__all__ = ["check_artifacts_dir", "check_output_file", "check_writable", "pin_versions",
           "tidy_artifacts_dir", "work_folder", "label_target", "diff_versions", "Lineage",
           "recall_lineage", "read_labels", "write_label", "SavedModels", "apply_version",
           "load_models", "score_texts", "RunResults", "publish_version", "run_results",
           "VERSION_PATTERN", "latest_version", "list_versions", "previous_version",
           "read_manifest", "read_table", "resolve_version", "runs_table", "table_names"]
__getattr__ = lazy_exports(__name__, __file__)
