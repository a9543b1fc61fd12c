"""Shared fixtures: real Vietnamese fixtures shipped in tests/fixtures, and one real Prefect
server for the whole session (started like a user would: `prefect server start`)."""
from __future__ import annotations

import csv
import json
import io
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from vntopics.cli.temporary_server import free_port, wait_until_healthy

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "vntopics"
# The installed console script when there is one (it is what users run), else the module.
VNTOPICS = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m",
                                                                  "vntopics"]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real Prefect server on a free loopback port with its SQLite database in a tmp dir."""
    yield from started_prefect_server(tmp_path_factory.mktemp("prefect-home"), ui=False)


def started_prefect_server(home: Path, ui: bool):
    """`prefect server start` in `home` (with its UI when `ui`), until the generator ends."""
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home}/prefect.db",
           "PREFECT_UI_ENABLED": str(ui).lower(),
           "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api"}
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host",
                                "127.0.0.1", "--port", str(port)], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api"
    try:
        wait_until_healthy(process, url, 180)
    except RuntimeError as exc:
        process.kill()
        raise RuntimeError(f"{exc}: {(home / 'server.log').read_text()[-3000:]}") from None
    yield {"url": url, "home": home}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def cli_env(prefect_server):
    """Environment for `vntopics` subprocesses: talk to the session's Prefect server."""
    return {**os.environ, "PREFECT_API_URL": prefect_server["url"],
            "PREFECT_HOME": str(prefect_server["home"]),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def prefect_api(base: str, method: str, path: str, body: dict | None = None, attempts: int = 8):
    """One REST call, retried like Prefect's own client (and the UI) retry: the server answers
    503 when SQLite is busy ("database is locked"), which it declares safe to retry."""
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(attempts):
        request = urllib.request.Request(f"{base}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or "null")
        except urllib.error.HTTPError as error:
            if error.code not in (429, 503) or attempt == attempts - 1:
                raise
            time.sleep(0.5 * 2 ** attempt)


def latest_artifacts(api_url: str, keys: list[str]) -> dict:
    """{key: the latest Prefect artifact with that key} from the server at `api_url`."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def latest():
        async with get_client() as client:
            return await client.read_latest_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys)))

    with temporary_settings({PREFECT_API_URL: api_url}):
        return {a.key: a for a in asyncio.run(latest())}


def run_cli(args: list[str], env: dict | None = None, timeout: int = 900
            ) -> subprocess.CompletedProcess:
    return subprocess.run([*VNTOPICS, *args], cwd=PROJECT, env=env or dict(os.environ),
                          capture_output=True, text=True, timeout=timeout)


def read_csv(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="session")
def real_corpus():
    """(corpus, token lists, modelled-documents frame) of unc-small: 120 real articles."""
    import gzip

    import pandas as pd

    from vntopics.pipeline.config import RunConfig
    from vntopics.pipeline.config_io import resolve_path
    from vntopics.pipeline.model.corpus import build_corpus
    from vntopics.pipeline.text.normalise import normalise_document
    from vntopics.pipeline.segment.segmenter import segment_texts
    from vntopics.pipeline.segment.words import TokenFilter, load_stopwords

    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    words, _ = segment_texts([normalise_document(r["text"]) for r in rows], None, workers=1)
    text = RunConfig().text
    token_filter = TokenFilter(load_stopwords([resolve_path(p)
                                               for p in text.stopword_files]),
                               text.min_token_chars)
    tokens = [token_filter(w)[0] for w in words]
    corpus = build_corpus(tokens, no_below=3, no_above=0.5, keep_n=20000)
    kept = [rows[i] for i in corpus.kept]
    modelled = pd.DataFrame({"doc_id": [r["id"] for r in kept],
                             "title": [r["title"] for r in kept],
                             "province": [r["province"] for r in kept],
                             "year": [int(r["date"][:4]) for r in kept]})
    return corpus, [tokens[i] for i in corpus.kept], modelled


@pytest.fixture(scope="session")
def real_articles() -> dict[str, dict]:
    """The records of unc-small by id: title, ISO date, province, source, text."""
    import gzip

    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {r["id"]: {**r, "date": f"{r['date'][:4]}-{r['date'][4:6]}-{r['date'][6:8]}"}
            for r in rows}


# Inputs a real run rejects, with the reason it gives ({first}: the first modelled document).
REJECTED = [("trùng-lặp.txt", "duplicate of {first}"),
            ("trang-web.html", "HTML page (input.html = reject)"),
            ("rỗng.txt", "no text after cleaning")]


@pytest.fixture(scope="session")
def real_results(real_corpus, real_articles):
    """A real run's results without the CLI or Prefect, the way the flow assembles them:
    small LDA and NMF fits (K=3) and their comparisons on the 120 real articles of
    unc-small, every document with its real title, date, province, source and first lines,
    plus three rejected inputs."""
    from vntopics.pipeline.compare import compare_groups
    from vntopics.pipeline.config import RunConfig
    from vntopics.pipeline.model import sweep_and_fit
    from vntopics.pipeline.store import RunResults
    from vntopics.pipeline.text import Document, DocumentSet, describe_inputs, document_set

    corpus, tokens, modelled = real_corpus
    config = RunConfig.model_validate({
        "model": {"num_topics": 3, "stability_seeds": 1, "lda": {"passes": 1, "iterations": 20},
                  "nmf": {"max_iter": 200}},
        "compare": {"bootstrap": 20}})
    fitted = sweep_and_fit(corpus, tokens, config.model)
    documents = []
    for row, words in zip(modelled.itertuples(), tokens):
        article = real_articles[row.doc_id]
        documents.append(Document(doc_id=row.doc_id, text=article["text"], title=row.title,
                                  date=article["date"], year=int(row.year),
                                  province=row.province, province_source="given",
                                  source=article["source"], n_tokens=len(words)))
    documents = document_set(documents)      # texts stored away (and first lines read back)
    first = documents[0].doc_id
    rejected = [Document(doc_id=doc_id, text="", status="rejected",
                         reason=reason.format(first=first)) for doc_id, reason in REJECTED]
    comparisons = compare_groups(list(fitted.models.values()), modelled, tokens,
                                 [d.citations for d in documents], config.compare,
                                 seed=config.model.seed)
    return RunResults(config=config.model_dump(mode="json"),
                      inputs=describe_inputs([FIXTURES / "unc-small.jsonl.gz"]),
                      documents=DocumentSet([*documents, *rejected], texts=documents.texts),
                      modelled=list(documents), corpus=corpus,
                      models=list(fitted.models.values()), comparisons=comparisons,
                      k_sweep=fitted.k_sweep, stability=fitted.stability,
                      model_metrics=fitted.metrics, stage_seconds={"models": 1.5},
                      segmentation={"documents": len(documents), "cache_hits": 0})


# An article title that tries every way out of HTML, JSON inside <script>, and Markdown.
EVIL_TITLE = ('</script><script>alert("tiêu đề")</script><!-- \u2028 \u2029 '
              "'Cần Thơ' & <b>Đà Nẵng</b> | [x](y)")


@pytest.fixture(scope="session")
def report_versions(real_results, tmp_path_factory):
    """{language: version folder} of `real_results` published once in English and once in
    Vietnamese, with the title of LDA topic 0's most representative article replaced by
    EVIL_TITLE (so it is in the static report and in the explorer's data)."""
    import dataclasses

    from vntopics.pipeline.model.topics import representative_documents
    from vntopics.pipeline.store import publish_version
    from vntopics.pipeline.text import DocumentSet, documents_table

    lda = next(m for m in real_results.models if m.name == "lda")
    chosen = representative_documents(lda, documents_table(real_results.modelled))
    target = chosen[(chosen["topic"] == 0) & (chosen["rank"] == 1)]["doc_id"].iloc[0]
    replaced = {d.doc_id: dataclasses.replace(d, title=EVIL_TITLE)
                for d in real_results.modelled if d.doc_id == target}
    modelled = [replaced.get(d.doc_id, d) for d in real_results.modelled]
    documents = DocumentSet([replaced.get(d.doc_id, d) for d in real_results.documents],
                            texts=real_results.documents.texts)    # the explorer reads leads
    root = tmp_path_factory.mktemp("reports")
    versions = {}
    for code in ("en", "vi"):
        results = dataclasses.replace(real_results, modelled=modelled, documents=documents,
                                      config={**real_results.config,
                                              "report": {"language": code}})
        versions[code], _ = publish_version(results, root / code, top_words=10)
    return versions


def english_leftovers(text: str) -> list[str]:
    """The English UI strings (pipeline/report/lang/en.yaml, the parts between placeholders)
    found whole in `text`, except words the Vietnamese table itself keeps (seed, bootstrap,
    NPMI …) and the strings that are the same in both languages."""
    import re

    from vntopics.pipeline.report.language import language

    english, vietnamese = language("en").strings, language("vi").strings
    kept = " ".join(vietnamese.values())

    def found(fragment: str, where: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", where) is not None

    leftovers = []
    for key, template in english.items():
        if key.startswith("format.") and key not in ("format.none", "format.yes",
                                                     "format.unknown", "format.unstable"):
            continue                                  # separators and date patterns
        if template == vietnamese[key]:
            continue
        for part in re.split(r"\{\w+\}", template):
            part = part.strip(" \t\n.,:;()[]|·–-“”\"'")
            if re.search(r"[A-Za-z]{3,}", part) and found(part, text) and not found(part, kept):
                leftovers.append(f"{key}: {part}")
    return leftovers
