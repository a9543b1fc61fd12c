"""A damaged cache never costs a run its articles: after a run, the ingest cache entry is
cut at a line boundary, a text shard and the segmentation SQLite are overwritten; the next run
warns naming each file, rebuilds them and publishes exactly the tables of a clean run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

TABLES = ["documents.csv", "topics.csv", "doc_topics.csv", "topic_prevalence.csv",
          "keyword_trends.csv", "citations.csv"]


def run_args(artifacts: Path, cache: Path) -> list[str]:
    return ["run", "--input", str(FIXTURES / "unc-small.jsonl.gz"), "--input",
            str(FIXTURES / "seeds"), "--artifacts-dir", str(artifacts),
            "--set", "model.num_topics=4", "--set", "model.stability_seeds=1",
            "--set", "compare.bootstrap=20", "--set", f"cache.dir={cache}"]


def published(result) -> Path:
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1])


def damage(cache: Path) -> list[Path]:
    """Cut documents.jsonl at a line boundary, overwrite a shard's middle, make the SQLite
    not a database; returns the damaged files."""
    entry = next(p for p in (cache / "ingest").iterdir() if not p.name.startswith("."))
    documents = entry / "documents.jsonl"
    lines = documents.read_text(encoding="utf-8").splitlines(keepends=True)
    documents.write_text("".join(lines[:len(lines) // 2]), encoding="utf-8")
    shard = sorted(entry.glob("texts-*.parquet"))[0]
    data = bytearray(shard.read_bytes())
    data[len(data) // 3:len(data) // 3 + 256] = b"\x00" * 256
    shard.write_bytes(bytes(data))
    sqlite = cache / "segmentation.sqlite"
    sqlite.write_bytes(b"not a database " * 500)
    return [documents, sqlite]


@pytest.fixture(scope="module")
def runs(cli_env, tmp_path_factory):
    """A clean run, then one on the damaged cache of a first run, in separate folders."""
    root = tmp_path_factory.mktemp("damaged-cache")
    clean = published(run_cli(run_args(root / "clean", root / "clean-cache"), env=cli_env))
    published(run_cli(run_args(root / "first", root / "cache"), env=cli_env))
    damaged = damage(root / "cache")
    result = run_cli(run_args(root / "again", root / "cache"), env=cli_env)
    return clean, published(result), result.stderr, damaged


def test_the_run_on_a_damaged_cache_names_every_damaged_file(runs):
    _, _, stderr, damaged = runs
    for path in damaged:
        assert str(path) in stderr, path
    assert "ingest cache entry damaged" in stderr and "segmentation cache damaged" in stderr


def test_the_run_on_a_damaged_cache_gives_the_tables_of_a_clean_run(runs):
    clean, again, _, _ = runs
    counts = [json.loads((v / "manifest.json").read_text())["documents"] for v in runs[:2]]
    assert counts[0] == counts[1] and counts[0]["in"] > 120
    for name in TABLES:
        assert (again / "tables" / name).read_bytes() == \
            (clean / "tables" / name).read_bytes(), name
