"""Run configuration: one pydantic model read from YAML, the single source of parameters.

The CLI (`--set key=value`), the Prefect UI form and scheduled runs all end up here, so a typo
in a key or an impossible value is rejected before any work starts, naming the key.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, Field, ValidationInfo,
                      WithJsonSchema, field_validator, model_validator)

from vntopics.pipeline.config_service import (CollectConfig, DaskConfig, ScheduleConfig,
                                              StrictModel)
from vntopics.pipeline.config_values import parse_num_topics
from vntopics.pipeline.model import family_names   # the model registry (light)

# Reading a config (the YAML file, `--set` overrides, paths, `builtin:` lists) and listing its
# keys live in config_io.py: this module is the schema, the list of parameters.


class InputConfig(StrictModel):
    paths: list[str] = Field(default_factory=lambda: ["data/default"],
                             description="Files or folders to read; relative paths are resolved "
                                         "against the working directory.")
    sidecar: str | None = Field(None, description="CSV keyed by file name with metadata for txt "
                                                  "folders (default: metadata.csv inside a folder).")
    max_file_mb: float = Field(20.0, gt=0, description="Larger files are rejected, not read.")
    max_doc_chars: int = Field(
        200_000, ge=1000, description="Larger documents (a .txt file or one record of a "
                                      "JSONL/CSV/Parquet file) are rejected with their size: "
                                      "segmenting one costs ~1.5 kB of memory per character.")
    symlinks: Literal["inside", "all", "none"] = Field(
        "inside", description="Symbolic links in input folders: followed when the target "
                              "stays inside the folder (inside), always (all) or never "
                              "(none); a link not followed is listed as rejected.")
    html: Literal["strip", "reject"] = Field("strip", description="Saved web pages: keep their "
                                                                 "visible text, or reject them.")


class TextConfig(StrictModel):
    stopword_files: list[str] = Field(
        default_factory=lambda: ["builtin:stopwords/vietnamese-stopwords-dash.txt",
                                 "builtin:stopwords/domain.txt"],
        description="Stop-word lists, one word per line; 'builtin:' names a shipped list.")
    extra_stopwords: list[str] = Field(default_factory=list,
                                       description="More stop-words, in the lists' form "
                                                   "(compounds with _), e.g. [tỉnh_ủy].")
    min_token_chars: int = Field(2, ge=1, description="Shorter tokens are dropped.")
    min_doc_tokens: int = Field(5, ge=1, description="Documents with fewer tokens after "
                                                     "filtering are rejected.")
    phrases: bool = Field(False, description="Join frequent word pairs (gensim Phrases).")
    phrase_min_count: int = Field(5, ge=1, description="A pair must occur this often to be "
                                                       "joined (phrases: true).")
    phrase_threshold: float = Field(10.0, gt=0, description="gensim Phrases score threshold; "
                                                            "higher joins fewer pairs.")


class SegmentConfig(StrictModel):
    batch_size: int = Field(64, ge=1, description="Documents per segmentation batch.")
    while_reading: bool = Field(True, description="Segment cleaned texts while the inputs "
                                "are still read and cleaned (local runner, 2+ workers); "
                                "false: only once reading is done.")


class CacheConfig(StrictModel):
    enabled: bool = Field(True, description="Reuse cleaned documents, segmented text, "
                                            "filtered tokens, the vocabulary, stability refits "
                                            "and topic-free comparisons across runs.")
    dir: str = Field(".cache/vntopics", description="Where every cache of vntopics lives.")


class CorpusConfig(StrictModel):
    no_below: int = Field(3, ge=1, description="Keep words in at least this many documents.")
    no_above: float = Field(0.5, gt=0, le=1, description="Drop words in more than this share.")
    keep_n: int = Field(20000, ge=10, description="Keep at most this many words, the most "
                                                  "frequent.")


Positive = Annotated[float, Field(gt=0)]


def _known_model(name: str) -> str:
    if name not in family_names():
        raise ValueError(f"unknown model {name!r}; expected one of {family_names()}")
    return name


# A registered model family (pipeline/model/registry.py); the UI form lists the shipped ones.
ModelName = Annotated[str, AfterValidator(_known_model),
                      WithJsonSchema({"type": "string", "enum": family_names()})]


class LdaConfig(StrictModel):
    init: Literal["nmf", "random"] = Field(
        "nmf", description="Start the topics from a sparse NMF of tf-idf (nmf) or from gensim's "
                           "random draw (random); see pipeline/model/lda.fit_lda.")
    init_nmf_alpha: float = Field(1e-5, ge=0, description="alpha_W of the NMF warm start "
                                                          "(l1_ratio 0.5).")
    passes: int = Field(2, ge=1, description="Passes over the corpus (online VB).")
    iterations: int = Field(50, ge=1, description="Max E-step iterations per document.")
    alpha: Literal["auto", "symmetric", "asymmetric"] | Positive = Field(
        "auto", description="Document-topic prior: 'auto' (learned, asymmetric), 'symmetric', "
                            "'asymmetric' or a number > 0.")
    eta: Literal["auto", "symmetric"] | Positive | None = Field(
        0.03, description="Topic-word prior: a number > 0, 'auto', 'symmetric' or null (1/K).")
    chunksize: int = Field(5000, ge=1, description="Documents per VB update; at least the "
                                                   "corpus size makes each pass one batch "
                                                   "update.")
    decay: float = Field(0.5, ge=0.5, le=1.0, description="Online VB kappa (weight of older "
                                                          "chunks' statistics).")
    offset: float = Field(1.0, ge=1.0, description="Online VB tau_0 (slows early updates).")
    seed_strength: float = Field(
        0.2, gt=0, description="Seeded topics (model.seed_topics): the prior pseudo-counts "
                               "given to a seeded topic's seed words together, as a share of "
                               "an average topic's tokens (corpus tokens / K); see "
                               "pipeline/model/seeds.py.")


class NmfConfig(StrictModel):
    init: Literal["nndsvd", "nndsvda", "nndsvdar", "random"] = Field(
        "nndsvd", description="scikit-learn NMF start (nndsvd: deterministic, sparse).")
    beta_loss: Literal["frobenius", "kullback-leibler"] = Field(
        "frobenius", description="Divergence NMF minimises.")
    alpha_W: float = Field(2e-5, ge=0, description="Regularisation strength (scikit-learn "
                                                   "scales it by the matrix size).")
    alpha_H: float | Literal["same"] = Field("same", description="Regularisation of the "
                                             "topic-word matrix ('same': alpha_W).")
    l1_ratio: float = Field(0.5, ge=0, le=1, description="Share of L1 in the regularisation "
                                                         "(1: sparse, 0: smooth).")
    max_iter: int = Field(400, ge=10, description="Coordinate-descent iterations at most.")


class ModelConfig(StrictModel):
    num_topics: int | list[int] = Field(
        8, description="Number of topics K, or a sweep: a list [6, 8, 10] or a range '6-12' / "
                       "'6-12:2'; for a sweep K is chosen by `k_rule` (pipeline/model/selection.py).")
    k_rule: Literal["npmi", "npmi_diversity"] = Field(
        "npmi", description="npmi: highest mean c_npmi, and the smallest K within k_tolerance "
                            "of it; npmi_diversity: highest mean of z-scored c_npmi and topic "
                            "diversity across the swept Ks (ties to the smaller K).")
    k_tolerance: float = Field(0.005, ge=0,
                               description="c_npmi gap counted as a tie (npmi rule).")
    stability_seeds: int = Field(
        3, ge=1, description="Seeds fitted at the chosen K (the main seed counts as one) to "
                             "measure topic stability; 1 = no extra fits.")
    stability_sample: float = Field(
        0.8, gt=0, le=1, description="Share of documents each extra stability seed is fitted "
                                     "on (a seeded subsample; 1 = all documents).")
    stability_threshold: float = Field(
        0.5, ge=0, le=1, description="A topic is stable when its mean matched top-10-word "
                                     "Jaccard across seeds reaches this.")
    models: list[ModelName] = Field(default_factory=lambda: ["lda", "nmf"],
                                    min_length=1, description="Models to fit.")
    seed: int = Field(42, description="Random seed of the fits and the bootstrap.")
    top_words: int = Field(15, ge=3, le=100, description="Words listed per topic.")
    continue_from: Literal["latest", "none"] = Field(
        "latest", description="latest: start each model from the topics of the artifacts "
                              "folder's latest version (same K), so topics keep their "
                              "identity across scheduled runs; none: fit fresh. Topic ids are "
                              "matched to the latest version either way.")
    drift_threshold: float = Field(
        0.5, ge=0, le=1, description="A topic that keeps its id is 'drifted' (diff: "
                                     "'changed') when 1 - Jensen-Shannon distance to its "
                                     "previous version falls below this, else 'kept' "
                                     "(topic_history.csv, diff_*.csv).")
    seed_topics: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Seeded topics: label -> seed words, e.g. {'Y tế': [bệnh_viện, bác_sĩ, "
                    "y_tế]} ('bệnh viện' and 'bệnh_viện' are the same word). They take the "
                    "first topic positions of every model, in this order, and carry the label; "
                    "the other K - n topics stay free. LDA: a topic-word prior boosting the "
                    "seeds (model.lda.seed_strength); NMF: the topic starts at its seeds.")
    lda: LdaConfig = Field(default_factory=LdaConfig)
    nmf: NmfConfig = Field(default_factory=NmfConfig)

    @model_validator(mode="after")
    def _seed_topics_are_usable(self) -> "ModelConfig":
        """Labels, words and no repeats (in the segmenter's spelling); no more than K; a
        prior they can be written into."""
        from vntopics.pipeline.segment import check_seed_topics

        check_seed_topics(self.seed_topics)
        if not self.seed_topics:
            return self
        if len(self.seed_topics) > min(self.k_values()):
            raise ValueError(f"model.seed_topics has {len(self.seed_topics)} seeded topics, "
                             f"more than K = {min(self.k_values())}")
        if "lda" in self.models and (self.lda.eta == "auto" or self.lda.eta == "asymmetric"):
            raise ValueError(f"model.seed_topics needs model.lda.eta to be a number or null "
                             f"(the seeds are written into it), not {self.lda.eta!r}")
        return self

    @field_validator("num_topics", mode="before")
    @classmethod
    def _parse_num_topics(cls, value: Any) -> int | list[int]:
        return parse_num_topics(value)

    def k_values(self) -> list[int]:
        """The Ks to fit: one for a plain number, several for a sweep (ascending)."""
        return [self.num_topics] if isinstance(self.num_topics, int) else list(self.num_topics)


class CompareConfig(StrictModel):
    bootstrap: int = Field(200, ge=10, description="Bootstrap resamples for intervals.")
    confidence: float = Field(0.95, gt=0.5, lt=1, description="Level of the bootstrap "
                                                              "intervals.")
    min_group_docs: int = Field(10, ge=1, description="Groups with fewer documents are "
                                "kept but flagged low_support: never ranked more/less than "
                                "the rest, listed after the others, drawn hollow with n.")
    keyword_top_n: int = Field(300, ge=1, description="Words tracked in keyword_trends.csv.")
    distinctive_top_n: int = Field(20, ge=1, description="Distinctive words kept per group.")
    distinctive_min_count: int = Field(5, ge=1, description="Only words seen this often in "
                                                            "the corpus can be distinctive.")
    trend_alpha: float = Field(0.05, gt=0, lt=1, description="False discovery rate: a word "
                               "(or watchlist term) trends when its Benjamini–Hochberg q-value "
                               "is below this.")
    trend_min_count: int = Field(20, ge=1, description="Minimum occurrences for a word to be "
                                                       "listed as emerging or declining.")
    trend_top_n: int = Field(20, ge=1, description="Emerging and declining words listed each.")
    trend_min_year_docs: int = Field(30, ge=1, description="Years with fewer documents are "
                                     "shown but left out of every trend test.")
    max_watchlist_terms: int = Field(
        1000, ge=1, description="Most terms compare.watchlist and compare.watchlist_file may "
                                "hold together: each term adds a row per group to "
                                "watchlist.csv and a chart to the report.")
    watchlist: list[str] = Field(
        default_factory=list,
        description="Terms to measure by province and year: words or phrases in ordinary "
                    "spelling ('chuyển đổi số', 'tham nhũng') or Party document codes "
                    "('18-NQ/TW'); written to tables/watchlist.csv.")
    watchlist_file: str | None = Field(
        None, description="A text file of further watchlist terms, one per line ('#' starts "
                          "a comment); relative paths against the working directory.")

    @field_validator("watchlist")
    @classmethod
    def _watchlist_is_usable(cls, value: list[str], info: ValidationInfo) -> list[str]:
        from vntopics.pipeline.segment import parse_watchlist   # the segmenter's spelling

        limit = info.data.get("max_watchlist_terms")
        if limit and len(value) > limit:
            raise ValueError(f"{len(value):,} terms, more than compare.max_watchlist_terms "
                             f"({limit:,})")
        parse_watchlist(value, "compare.watchlist")
        return value


class ArtifactsConfig(StrictModel):
    dir: str = Field("artifacts", description="Where versions are written.")
    keep_last: int | None = Field(None, ge=1, description="Prune older versions after a "
                                                            "successful run (default: keep all).")
    compare_to: str | None = Field("latest", description="Version to diff the new one "
                                                          "against ('latest', a name, or null).")
    csv_max_rows: int = Field(1_000_000, ge=0, description="documents and doc_topics are "
                              "always written as Parquet; above this many rows not also as "
                              "CSV.")


class ReportConfig(StrictModel):
    language: Literal["en", "vi"] = Field(
        "en", description="Language of every heading, note, column, axis and explorer label "
                          "of report.html, report.md and the Prefect UI artifacts (vi: "
                          "Vietnamese, with 28/01/2021 dates and decimal commas); the data "
                          "stays as it is.")


class RunConfig(StrictModel):
    input: InputConfig = Field(default_factory=InputConfig)
    text: TextConfig = Field(default_factory=TextConfig)
    segment: SegmentConfig = Field(default_factory=SegmentConfig)
    corpus: CorpusConfig = Field(default_factory=CorpusConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    compare: CompareConfig = Field(default_factory=CompareConfig)
    artifacts: ArtifactsConfig = Field(default_factory=ArtifactsConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    workers: int | None = Field(None, ge=1, description="Local processes for cleaning, "
                                "segmentation and model fits (default: the machine's cores; "
                                "at most 2 per core: more is capped, with a warning).")
    cache: CacheConfig = Field(default_factory=CacheConfig)
    runner: Literal["local", "dask"] = Field("local", description="local: processes on this "
                                             "machine; dask: segmentation batches and model "
                                             "fits on the dask.address cluster.")
    dask: DaskConfig = Field(default_factory=DaskConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    collect: CollectConfig = Field(default_factory=CollectConfig)

    @field_validator("model")
    @classmethod
    def _models_unique(cls, value: ModelConfig) -> ModelConfig:
        if len(set(value.models)) != len(value.models):
            raise ValueError("model.models lists a model twice")
        return value

    @model_validator(mode="after")
    def _dask_needs_an_address(self) -> "RunConfig":
        if self.runner == "dask" and not self.dask.address:
            raise ValueError("runner: dask needs dask.address (an existing scheduler)")
        return self
