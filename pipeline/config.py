"""Run configuration: one pydantic model read from YAML, the single source of parameters.

The CLI (`--set key=value`), the Prefect UI form and scheduled runs all end up here, so a typo
in a key or an impossible value is rejected before any work starts, naming the key.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_ROOT / "configs"
DEFAULT_CONFIG = CONFIG_DIR / "default.yaml"


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class InputConfig(StrictModel):
    paths: list[str] = Field(default_factory=lambda: ["data/default"],
                             description="Files or folders to read; relative paths are resolved "
                                         "against the project root when not found in the cwd.")
    sidecar: str | None = Field(None, description="CSV keyed by file name with metadata for txt "
                                                  "folders (default: metadata.csv inside a folder).")
    max_file_mb: float = Field(20.0, gt=0, description="Larger files are rejected, not read.")
    html: Literal["strip", "reject"] = Field("strip", description="Saved web pages: keep their "
                                                                 "visible text, or reject them.")


class TextConfig(StrictModel):
    stopword_files: list[str] = Field(
        default_factory=lambda: ["configs/stopwords/vietnamese-stopwords-dash.txt",
                                 "configs/stopwords/domain.txt"])
    extra_stopwords: list[str] = Field(default_factory=list)
    min_token_chars: int = Field(2, ge=1)
    min_doc_tokens: int = Field(5, ge=1, description="Documents with fewer tokens after "
                                                     "filtering are rejected.")
    phrases: bool = Field(False, description="Join frequent word pairs (gensim Phrases).")
    phrase_min_count: int = Field(5, ge=1)
    phrase_threshold: float = Field(10.0, gt=0)


class SegmentConfig(StrictModel):
    workers: int | None = Field(None, ge=1, description="Segmentation processes "
                                                        "(default: the machine's cores).")
    batch_size: int = Field(64, ge=1, description="Documents per segmentation batch.")
    cache: bool = Field(True, description="Reuse segmented text across runs.")
    cache_dir: str = Field(".cache/vntopics", description="Where the segmentation cache lives.")


class CorpusConfig(StrictModel):
    no_below: int = Field(3, ge=1, description="Keep words in at least this many documents.")
    no_above: float = Field(0.5, gt=0, le=1, description="Drop words in more than this share.")
    keep_n: int = Field(20000, ge=10)


class LdaConfig(StrictModel):
    passes: int = Field(10, ge=1)
    iterations: int = Field(200, ge=1)
    alpha: str | float = "symmetric"
    eta: str | float | None = None
    chunksize: int = Field(2000, ge=1)


class NmfConfig(StrictModel):
    init: Literal["nndsvd", "nndsvda", "nndsvdar", "random"] = "nndsvd"
    beta_loss: Literal["frobenius", "kullback-leibler"] = "frobenius"
    alpha_W: float = Field(0.0, ge=0)
    alpha_H: float | Literal["same"] = "same"
    l1_ratio: float = Field(0.0, ge=0, le=1)
    max_iter: int = Field(400, ge=10)


class ModelConfig(StrictModel):
    num_topics: int = Field(8, ge=2, description="Number of topics K.")
    models: list[Literal["lda", "nmf"]] = Field(default_factory=lambda: ["lda", "nmf"],
                                                min_length=1)
    seed: int = 42
    top_words: int = Field(15, ge=3, le=100)
    lda: LdaConfig = Field(default_factory=LdaConfig)
    nmf: NmfConfig = Field(default_factory=NmfConfig)


class CompareConfig(StrictModel):
    bootstrap: int = Field(200, ge=10, description="Bootstrap resamples for intervals.")
    confidence: float = Field(0.95, gt=0.5, lt=1)
    min_group_docs: int = Field(10, ge=1, description="Groups with fewer documents are "
                                                      "kept but flagged low_support.")
    keyword_top_n: int = Field(300, ge=1, description="Words tracked in keyword_trends.csv.")


class ArtifactsConfig(StrictModel):
    dir: str = "artifacts"
    keep_last: int | None = Field(None, ge=1, description="Prune older versions after a "
                                                            "successful run (default: keep all).")
    compare_to: str | None = Field("latest", description="Version to diff the new one "
                                                          "against ('latest', a name, or null).")


class RunConfig(StrictModel):
    input: InputConfig = Field(default_factory=InputConfig)
    text: TextConfig = Field(default_factory=TextConfig)
    segment: SegmentConfig = Field(default_factory=SegmentConfig)
    corpus: CorpusConfig = Field(default_factory=CorpusConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    compare: CompareConfig = Field(default_factory=CompareConfig)
    artifacts: ArtifactsConfig = Field(default_factory=ArtifactsConfig)

    @field_validator("model")
    @classmethod
    def _models_unique(cls, value: ModelConfig) -> ModelConfig:
        if len(set(value.models)) != len(value.models):
            raise ValueError("model.models lists a model twice")
        return value


def resolve_project_path(path: str | Path) -> Path:
    """Paths in configs are relative to the cwd when they exist there, else to the project."""
    candidate = Path(path).expanduser()
    if candidate.is_absolute() or candidate.exists():
        return candidate.resolve()
    return (PROJECT_ROOT / candidate).resolve()


def parse_override(text: str) -> tuple[list[str], Any]:
    """'model.num_topics=12' -> (['model', 'num_topics'], 12); values are parsed as YAML."""
    if "=" not in text:
        raise ValueError(f"--set expects key=value, got {text!r}")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ValueError(f"--set has an empty key in {text!r}")
    return parts, yaml.safe_load(raw) if raw.strip() else ""


def apply_overrides(data: dict, overrides: list[str]) -> dict:
    data = copy.deepcopy(data)
    for item in overrides:
        parts, value = parse_override(item)
        node = data
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"--set {item!r}: {part!r} is not a section")
            node = child
        node[parts[-1]] = value
    return data


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> RunConfig:
    """Read YAML (default: configs/default.yaml), apply `--set` overrides, validate."""
    config_path = Path(path) if path else DEFAULT_CONFIG
    try:
        data = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ValueError(f"config file not found: {config_path}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"config {config_path} must be a mapping of sections")
    return RunConfig.model_validate(apply_overrides(data, overrides or []))
