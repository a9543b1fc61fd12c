"""The analysts' topic labels: `labels.yaml` beside the versions, {model: {topic id: label}}.

Read, it is checked whole (file and line named in one line): a labels file that does not
parse fails the pre-flight of a run, not its publish after all the modelling (there a bad
file is a warning, and the labels are left out). `label` changes it read-modify-write under
the artifacts folder's lock, so concurrent calls never lose one another's label, and only
for topic ids the latest version has.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from vntopics.pipeline.config_io import AliasFreeLoader, read_yaml_file
from vntopics.pipeline.model import family, family_names
from vntopics.pipeline.store.artifacts_dir import folder_lock

LABELS_FILE = "labels.yaml"


def topic_id(model: str, number: int) -> str:
    return f"{family(model).id_prefix}{number:02d}"


def labels_error(path: Path, node, problem: str) -> ValueError:
    return ValueError(f"labels {path}, line {node.start_mark.line + 1}: {problem}")


def parse_labels(path: Path, text: str) -> dict[str, dict[str, str]]:
    """{model: {topic_id: label}} from the file's text (already read as YAML without
    aliases: `config_io.read_yaml_file`); ValueError naming the file and the line."""
    root = yaml.compose(text, Loader=AliasFreeLoader)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise labels_error(path, root, "expected a mapping of model -> topic id -> label")
    labels: dict[str, dict[str, str]] = {}
    for model_node, topics_node in root.value:
        model = str(model_node.value)
        if model not in family_names():
            raise labels_error(path, model_node, f"unknown model {model!r} (expected "
                                                 f"{' or '.join(family_names())})")
        if isinstance(topics_node, yaml.ScalarNode) and topics_node.value in ("", "~", "null"):
            continue
        if not isinstance(topics_node, yaml.MappingNode):
            raise labels_error(path, topics_node, f"the labels of {model} must be a mapping "
                                                  f"of topic id -> label, e.g. "
                                                  f"{topic_id(model, 7)}: Xây dựng Đảng")
        for id_node, label_node in topics_node.value:
            if not isinstance(id_node, yaml.ScalarNode) or not isinstance(
                    label_node, yaml.ScalarNode) or not str(label_node.value).strip():
                raise labels_error(path, id_node, f"{model}: expected topic id: label")
            labels.setdefault(model, {})[str(id_node.value)] = str(label_node.value).strip()
    return labels


def read_labels(artifacts_dir: Path) -> dict[str, dict[str, str]]:
    """{model: {topic_id: label}} from the artifacts folder's labels.yaml ({} without one);
    ValueError (one line, the file and the line named) when it is malformed."""
    path = artifacts_dir / LABELS_FILE
    if not path.exists():
        return {}
    read_yaml_file(path, "labels")     # size, UTF-8, YAML syntax, aliases: one line each
    return parse_labels(path, path.read_text(encoding="utf-8"))


def ids_in_folder(artifacts_dir: Path, model: str) -> tuple[list[str], list[str]]:
    """(the latest version's topic ids of `model`, ids it had before and no longer has):
    from every version's manifest and the latest topic history, so pruned versions count."""
    import pandas as pd

    from vntopics.pipeline.store.versions import list_versions, read_manifest

    versions = list_versions(artifacts_dir) if artifacts_dir.is_dir() else []
    ever: dict[str, None] = {}
    current: list[str] = []
    for version in versions:
        try:
            current = list(read_manifest(version).get("topic_ids", {}).get(model, []))
        except (OSError, ValueError):
            continue
        ever.update(dict.fromkeys(current))
    if versions:
        history = versions[-1] / "tables" / "topic_history.csv"
        if history.is_file():
            rows = pd.read_csv(history, keep_default_na=False, dtype=str)
            ever.update(dict.fromkeys(rows.loc[rows["model"] == model, "topic_id"]))
    return current, sorted(set(ever) - set(current))


def check_topic_id(model: str, topic: str) -> None:
    """ValueError for an unknown model or an id of another model's form."""
    if model not in family_names():
        raise ValueError(f"unknown model {model!r}; expected one of {sorted(family_names())}")
    if not topic.startswith(family(model).id_prefix):
        raise ValueError(f"{topic!r} is not a {model} topic id (e.g. {topic_id(model, 7)})")


def write_label(artifacts_dir: Path, model: str, topic: str, label: str | None) -> Path:
    """Set (or with None remove) one label of a topic the folder has had (current or retired); the file is
    read, changed and replaced atomically under the folder's lock."""
    check_topic_id(model, topic)
    if label is not None and not label.strip():
        raise ValueError("a label cannot be empty (use --remove to delete one)")
    read_labels(artifacts_dir)         # a broken file is named first, whatever else is wrong
    if not artifacts_dir.is_dir():
        raise ValueError(f"artifacts folder {artifacts_dir} does not exist")
    current, retired = ids_in_folder(artifacts_dir, model)
    if not current and not retired:
        raise ValueError(f"no versions in {artifacts_dir}: run first, then label its topics")
    path = artifacts_dir / LABELS_FILE
    with folder_lock(artifacts_dir):
        labels = read_labels(artifacts_dir)
        if label is None:
            if topic not in labels.get(model, {}):
                raise ValueError(f"no label for {model} {topic} in {path}")
            del labels[model][topic]
        else:
            if topic not in current and topic not in retired:
                raise ValueError(f"{model} has no topic {topic!r} in {artifacts_dir}; "
                                 f"its topics: {', '.join(current) or 'none'}")
            labels.setdefault(model, {})[topic] = label.strip()
        text = yaml.safe_dump({m: dict(sorted(v.items())) for m, v in labels.items() if v},
                              allow_unicode=True, sort_keys=True)
        replace_file(path, text)
    return path


def replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` atomically; on failure (a full disk) no partial file is left
    and the error is one line naming the folder."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValueError(f"cannot write {path.name} in {path.parent}: "
                         f"{exc.strerror or exc}") from None
