"""Assemble one version folder from a run's results: the v1 tables, manifest and reports."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.artifacts import ARTIFACT_CONTRACT, VersionWriter, package_versions
from pipeline.corpus import Corpus
from pipeline.documents import DOCUMENT_COLUMNS, Document, documents_table
from pipeline.models import TopicModel, doc_topics_table, topics_table
from pipeline.report import ReportInputs, write_reports


@dataclass
class RunResults:
    config: dict
    inputs: list[dict]
    documents: list[Document]
    modelled: list[Document]
    corpus: Corpus
    models: list[TopicModel]
    prevalence: pd.DataFrame
    keyword_trends: pd.DataFrame
    stage_seconds: dict[str, float] = field(default_factory=dict)


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
        "inputs": results.inputs,
        "documents": document_counts(table),
        "rejected_reasons": table.loc[table["status"] == "rejected", "reason"]
                                 .str.split("(", n=1).str[0].str.strip()
                                 .value_counts().to_dict(),
        "packages": package_versions(),
        "seeds": {"model": seed, "bootstrap": seed},
        "stage_seconds": {k: round(v, 3) for k, v in results.stage_seconds.items()},
        "metrics": {"vocabulary_size": len(results.corpus.dictionary),
                    "modelled_documents": len(results.modelled),
                    "num_topics": {m.name: m.num_topics for m in results.models}},
    }


def write_version(writer: VersionWriter, results: RunResults, top_words: int) -> dict:
    """Write every contract file into the writer's staging folder; returns the manifest."""
    table = documents_table(results.documents, DOCUMENT_COLUMNS)
    doc_ids = [d.doc_id for d in results.modelled]
    vocabulary = results.corpus.vocabulary
    topics = pd.concat([topics_table(m, vocabulary, top_words) for m in results.models],
                       ignore_index=True)
    doc_topics = pd.concat([doc_topics_table(m, doc_ids) for m in results.models],
                           ignore_index=True)
    writer.write_table("documents", table)
    writer.write_table("topics", topics)
    writer.write_table("doc_topics", doc_topics)
    writer.write_table("topic_prevalence", results.prevalence)
    writer.write_table("keyword_trends", results.keyword_trends)
    manifest = build_manifest(writer, results, table)
    writer.write_json("manifest.json", manifest)
    markdown, html = write_reports(ReportInputs(manifest, table, topics, results.prevalence,
                                                results.keyword_trends))
    writer.write_text("report.md", markdown)
    writer.write_text("report.html", html)
    return manifest
