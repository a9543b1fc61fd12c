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

from vntopics.flows.temporary_server import free_port, wait_until_healthy

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "vntopics"
# The installed console script when there is one (it is what users run), else the module.
VNTOPICS = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m",
                                                                  "vntopics"]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real Prefect server on a free loopback port with its SQLite database in a tmp dir."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home}/prefect.db",
           "PREFECT_UI_ENABLED": "false"}
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
