"""Publishing a run: its results assembled into one version folder (tables, manifest, reports),
made visible with one rename, then `latest` moved and old versions pruned, all under the
artifacts folder's lock (one writer at a time): topic ids are assigned there too, so a run
that another finished publishing first continues that one's ids and history.

In: `RunResults` (everything the stages produced). Out: the path of the new version."""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pandas as pd

from vntopics.pipeline.compare import ComparisonTables
from vntopics.pipeline.config import ArtifactsConfig, RunConfig
from vntopics.pipeline.store.writer import (ARTIFACT_CONTRACT, VersionWriter, package_versions,
                                            run_fingerprint)
from vntopics.pipeline.model import (Corpus, Modelling, SeedTopic, TopicModel,
                                     doc_topics_table, representative_documents, topics_table)
from vntopics.pipeline.text import (DOCUMENT_COLUMNS, Document, DocumentSet, PreparedText,
                                    documents_table)
from vntopics.pipeline.report import ReportInputs, build_explorer_inputs, write_reports
from vntopics.pipeline.segment import SegmentationStats, WatchTerm
from vntopics.pipeline.store.artifacts_dir import folder_lock
from vntopics.pipeline.store.continuity import (DRIFT_THRESHOLD, TopicSet,
                                                continued_history, identify_topics)
from vntopics.pipeline.store.diff import diff_versions
from vntopics.pipeline.store.labels import read_labels
from vntopics.pipeline.store.lineage import Lineage, recall_lineage
from vntopics.pipeline.store.models import save_models
from vntopics.pipeline.store.rejections import rejected_reasons
from vntopics.pipeline.store.versions import latest_version, prune_versions, set_latest


CSV_MAX_ROWS = ArtifactsConfig.model_fields["csv_max_rows"].default   # config without it
log = logging.getLogger(__name__)


@dataclass
class RunResults:
    """Everything one run produced, gathered by the flow for the store: the validated config
    and input checksums, every document (ok and rejected) and the modelled ones in corpus
    order, the corpus, the final models, comparison tables, K sweep and stability tables,
    and the per-model metrics, stage timings and cache statistics the manifest records."""
    config: dict
    inputs: list[dict]
    documents: list[Document]
    modelled: list[Document]
    corpus: Corpus
    models: list[TopicModel]
    comparisons: ComparisonTables
    k_sweep: pd.DataFrame | None = None
    stability: pd.DataFrame | None = None
    model_metrics: dict = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    segmentation: dict[str, int] = field(default_factory=dict)
    ingest: dict = field(default_factory=dict)
    vocabulary: dict = field(default_factory=dict)
    fits: dict = field(default_factory=dict)     # {stability_refits_reused}
    compare: dict = field(default_factory=dict)  # {topic_free_tables_reused}
    lineage: Lineage = field(default_factory=Lineage)   # the topics this version continues
    warnings: list[str] = field(default_factory=list)   # e.g. an input folder with nothing
    seed_topics: list[SeedTopic] = field(default_factory=list)   # model.seed_topics, resolved
    watchlist: list[WatchTerm] = field(default_factory=list)     # compare.watchlist (+ file)
    overridden_keys: list[str] = field(default_factory=list)   # changed from the deployment's


def run_results(config: RunConfig, *, text: PreparedText, segmentation: SegmentationStats,
                modelling: Modelling, comparisons: ComparisonTables, lineage: Lineage,
                watchlist: list[WatchTerm], stage_seconds: dict[str, float],
                overridden_keys: list[str] | None = None) -> RunResults:
    """What the stages of one run gave, gathered for `publish_version` (`overridden_keys`:
    what the run changed from its deployment's config)."""
    fitted = modelling.fitted
    return RunResults(config=config.model_dump(mode="json"), inputs=text.inputs,
                      documents=text.documents, modelled=modelling.modelled,
                      corpus=modelling.corpus, models=list(fitted.models.values()),
                      comparisons=comparisons, k_sweep=fitted.k_sweep,
                      stability=fitted.stability, model_metrics=fitted.metrics,
                      stage_seconds=stage_seconds, segmentation=asdict(segmentation),
                      ingest={"cleaned_documents_reused": text.reused},
                      vocabulary={"corpus_reused": modelling.corpus_reused},
                      fits={"stability_refits_reused": fitted.refits_reused},
                      compare={"topic_free_tables_reused": comparisons.reused},
                      lineage=lineage,
                      warnings=text.warnings, seed_topics=fitted.seed_topics,
                      watchlist=watchlist, overridden_keys=list(overridden_keys or []))


def stored_texts(results: RunResults) -> DocumentSet:
    """Where the documents' texts are (documents not in a DocumentSet still hold theirs)."""
    documents = results.documents
    return documents if isinstance(documents, DocumentSet) else DocumentSet()


def document_counts(table: pd.DataFrame) -> dict[str, int]:
    ok = int((table["status"] == "ok").sum())
    return {"in": len(table), "ok": ok, "rejected": len(table) - ok}


def build_manifest(writer: VersionWriter, results: RunResults, table: pd.DataFrame) -> dict:
    seed = results.config["model"]["seed"]
    return {
        "version": writer.version,
        "artifact_contract": ARTIFACT_CONTRACT,
        "created_at": writer.created_at,
        "config": results.config,
        "overridden_keys": results.overridden_keys,
        "inputs": results.inputs,
        "documents": document_counts(table),
        "rejected_reasons": rejected_reasons(table),
        "packages": package_versions(),
        "seeds": {"model": seed, "bootstrap": seed},
        "stage_seconds": {k: round(v, 3) for k, v in results.stage_seconds.items()},
        "segmentation": results.segmentation,
        "ingest": results.ingest,
        "vocabulary": results.vocabulary,
        "fits": results.fits,
        "compare": results.compare,
        "warnings": results.warnings,
        "metrics": {"vocabulary_size": len(results.corpus.dictionary),
                    "modelled_documents": len(results.modelled),
                    "num_topics": {m.name: m.num_topics for m in results.models},
                    "npmi": {m: v["c_npmi"] for m, v in results.model_metrics.items()},
                    "models": results.model_metrics},
    }


def seed_topics_manifest(results: RunResults, identity, topics: pd.DataFrame) -> dict:
    """Per model, each seeded topic: its label, position, id, the seed words used, those not
    in the vocabulary, and how many of the used ones made its top words."""
    found = {}
    for model in results.models:
        entries = []
        for position, seeded in enumerate(results.seed_topics[:len(model.seed_labels)]):
            top = set(topics[(topics["model"] == model.name)
                             & (topics["topic"] == position)]["word"])
            entries.append({**seeded.manifest(position),
                            "topic_id": identity.ids[model.name][position],
                            "seeds_in_top_words": sum(w in top for w in seeded.words)})
        found[model.name] = entries
    return found


def watchlist_manifest(terms: list[WatchTerm], table: pd.DataFrame) -> dict:
    """The terms measured (in order, with their kind) and those found in no document."""
    overall = table[table["dimension"] == "all"]
    return {"terms": [{"term": t.term, "kind": t.kind} for t in terms],
            "never_found": overall.loc[overall["docs"] == 0, "term"].tolist()}


def write_version(writer: VersionWriter, results: RunResults, top_words: int,
                  previous: Path | None = None) -> dict:
    """Write every contract file into the writer's staging folder; returns the manifest.

    With a `previous` version, topics are matched to it and `tables/diff_<previous>.csv` and
    the report's "What changed" section say what moved.
    """
    table = documents_table(results.documents, DOCUMENT_COLUMNS)
    doc_ids = [d.doc_id for d in results.modelled]
    vocabulary = results.corpus.vocabulary
    identity = identify_topics(results.lineage, results.models, vocabulary,
                               labels_or_warning(writer.artifacts_dir, results.warnings))
    drift_threshold = results.config.get("model", {}).get("drift_threshold", DRIFT_THRESHOLD)
    topics = identity.annotate(pd.concat([topics_table(m, vocabulary, top_words)
                                          for m in results.models], ignore_index=True),
                               with_label=True)
    doc_topics = identity.annotate(pd.concat([doc_topics_table(m, doc_ids)
                                              for m in results.models], ignore_index=True))
    tables = results.comparisons
    modelled_table = (tables.documents if tables.documents is not None
                      else documents_table(results.modelled, DOCUMENT_COLUMNS))
    representatives = identity.annotate(pd.concat([representative_documents(m, modelled_table)
                                                   for m in results.models],
                                                  ignore_index=True))
    prevalence = identity.annotate(tables.prevalence)
    stability = identity.annotate(results.stability)
    history = continued_history(results.lineage, identity, results.models, vocabulary,
                                stamp=(writer.version, writer.created_at), threshold=drift_threshold)
    csv_max_rows = results.config.get("artifacts", {}).get("csv_max_rows", CSV_MAX_ROWS)
    writer.write_document_table("documents", table, csv_max_rows)
    writer.write_table("topic_documents", representatives)
    writer.write_table("topics", topics)
    writer.write_document_table("doc_topics", doc_topics, csv_max_rows)
    writer.write_table("topic_history", history)
    writer.write_table("topic_prevalence", prevalence)
    writer.write_table("distinctive_keywords", tables.distinctive)
    writer.write_table("keyword_trends", tables.keyword_trends)
    writer.write_table("keyword_trend_summary", tables.trend_summary)
    writer.write_table("citations", tables.citations)
    writer.write_table("watchlist", tables.watchlist)     # header only without a watchlist
    if results.k_sweep is not None:
        writer.write_table("k_sweep", results.k_sweep)
    if stability is not None:
        writer.write_table("topic_stability", stability)
    changes = None
    if previous is not None and not (previous / "manifest.json").is_file():
        results.warnings.append(f"{previous} was removed during the run: no comparison")
        previous = None
    if previous is not None:
        changes = diff_versions(previous, writer.staging,
                                TopicSet.of_models(results.models, vocabulary, identity.ids),
                                drift_threshold)
        writer.write_table(f"diff_{previous.name}", changes)
    manifest = build_manifest(writer, results, table)
    manifest["compared_to"] = previous.name if previous is not None else None
    manifest["topic_ids"], manifest["topic_id_next"] = identity.ids, identity.next_number
    manifest["seed_topics"] = seed_topics_manifest(results, identity, topics)
    manifest["watchlist"] = watchlist_manifest(results.watchlist, tables.watchlist)
    manifest["models"] = {"files": save_models(writer.staging, results.corpus.dictionary,
                                               results.models)}
    writer.write_json("manifest.json", manifest)
    explorer = build_explorer_inputs(results.models, results.corpus, modelled_table,
                                     lambda rows: stored_texts(results).leads(
                                         [results.modelled[r] for r in rows]))
    markdown, html = write_reports(ReportInputs(
        manifest, table, topics, prevalence, tables.keyword_trends, changes,
        representatives, tables.distinctive, tables.trend_summary, tables.citations,
        results.k_sweep, stability, history,
        tables.watchlist if results.watchlist else None, explorer,
        results.config.get("report", {}).get("language", "en")))
    writer.write_text("report.md", markdown)
    writer.write_text("report.html", html)
    return manifest


def labels_or_warning(artifacts_dir: Path, warnings: list[str]) -> dict:
    """The labels, or none with a warning: a labels file broken during the run must not
    cost the run (the pre-flight refuses one broken before it)."""
    try:
        return read_labels(artifacts_dir)
    except ValueError as exc:
        warnings.append(f"labels left out: {exc}")
        log.warning("labels left out: %s", exc)
        return {}


def current_lineage(results: RunResults, artifacts_dir: Path) -> None:
    """Another run may have published since this one recalled its lineage: then its ids
    continue from that version (hold the folder lock), so no two versions hand out the same
    new id and each history holds the other."""
    latest = latest_version(artifacts_dir)
    if results.lineage.parent is None or (latest.name if latest else "") == \
            results.lineage.parent:
        return
    change = (f"{latest.name} was published during this run" if latest else
              f"{results.lineage.parent} is gone")
    results.lineage, note = recall_lineage(artifacts_dir)
    results.warnings.append(f"{change}: {note}")
    log.warning("%s: %s", change, note)


def publish_version(results: RunResults, artifacts_dir: Path, *, top_words: int,
                    previous: Path | None = None, keep_last: int | None = None
                    ) -> tuple[Path, list[Path]]:
    """The store's entry point: under the folder's lock, write the version in a staging
    folder, publish it with one rename (a failed write leaves nothing behind), point
    `latest` at it, and prune versions beyond `keep_last`. Returns the version's path and the
    pruned ones. A write that fails (a full disk) is a ValueError of one line."""
    results = replace(results, warnings=list(results.warnings))   # the caller's stays as is
    with folder_lock(artifacts_dir):
        current_lineage(results, artifacts_dir)
        try:
            writer = VersionWriter(artifacts_dir,
                                   run_fingerprint(results.config, results.inputs))
            try:
                write_version(writer, results, top_words, previous)
                final = writer.publish()
            except BaseException:
                writer.discard()
                raise
            set_latest(artifacts_dir, final)
        except OSError as exc:
            raise ValueError(f"cannot write a version in {artifacts_dir}: "
                             f"{exc.strerror or exc}") from exc
        return final, prune_versions(artifacts_dir, keep_last, protect=[final])
