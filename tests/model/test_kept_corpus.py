"""The modelling corpus kept between runs (pipeline/model/kept_corpus.py): read back for the
same tokens and corpus settings, it is the corpus counting gives (vocabulary, ids, document
frequencies, counts, kept rows, rejections), down to the pickled dictionary; other settings
count again; a damaged entry is named, set aside and made again."""
from __future__ import annotations

import logging
import pickle
from pathlib import Path

import numpy as np
import pytest

from vntopics.pipeline.config import CorpusConfig, InputConfig, TextConfig
from vntopics.pipeline.config_io import resolve_path
from vntopics.pipeline.model.corpus import build_modelling_corpus
from vntopics.pipeline.model.kept_corpus import kept_corpus
from vntopics.pipeline.segment import TokenStore, segment_documents
from vntopics.pipeline.text import prepare_text

FIXTURES = Path(__file__).parent.parent / "fixtures"


def segmented(cache_dir: Path, work: Path):
    """Cleaned (through the ingest cache) and segmented documents of unc-small + the seeds."""
    work.mkdir(parents=True, exist_ok=True)
    documents = prepare_text([FIXTURES / "unc-small.jsonl.gz", FIXTURES / "seeds"],
                             InputConfig(), sidecar=None, cache_dir=cache_dir,
                             work_dir=work).documents
    text = TextConfig()
    segment_documents(documents, text, stopword_files=[resolve_path(p) for p in
                                                       text.stopword_files],
                      cache_dir=cache_dir, mapper=map, tokens=TokenStore(work / "tokens"))
    return documents


def corpus_of(cache_dir: Path, work: Path, settings: CorpusConfig, cached: bool = True):
    """The model stage's first step as the flow calls it, counts shared in `work`."""
    documents = segmented(cache_dir, work)
    kept = kept_corpus(cache_dir if cached else None, documents.tokens, settings)
    corpus, modelled, reused = build_modelling_corpus(documents, settings, largest_k=4,
                                                      kept=kept, share_dir=work / "corpus")
    rejected = [(d.doc_id, d.reason) for d in documents if d.status != "ok"]
    return corpus, [d.doc_id for d in modelled], rejected, reused


def same_corpus(one, other) -> bool:
    (a, a_modelled, a_rejected, _), (b, b_modelled, b_rejected, _) = one, other
    return (pickle.dumps(a.dictionary) == pickle.dumps(b.dictionary)
            and a.dictionary.dfs == b.dictionary.dfs
            and a.dictionary.num_docs == b.dictionary.num_docs
            and np.array_equal(a.kept, b.kept) and a_modelled == b_modelled
            and a_rejected == b_rejected
            and (a.saved.load() != b.saved.load()).nnz == 0
            and a.saved.load().dtype == b.saved.load().dtype)


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    """The corpus counted without any kept entry (the reference), and the cache folder."""
    root = tmp_path_factory.mktemp("kept-corpus")
    cache_dir = root / "cache"
    return cache_dir, corpus_of(cache_dir, root / "reference", CorpusConfig(), cached=False)


def test_a_rerun_reads_the_kept_corpus_and_gets_the_same_one(counted, tmp_path):
    cache_dir, reference = counted
    first = corpus_of(cache_dir, tmp_path / "first", CorpusConfig())
    again = corpus_of(cache_dir, tmp_path / "again", CorpusConfig())
    assert not first[3] and again[3]
    assert same_corpus(first, reference) and same_corpus(again, reference)
    assert len(again[0].dictionary) > 500 and again[0].saved.folder == tmp_path / "again/corpus"


def test_other_corpus_settings_count_again(counted, tmp_path):
    cache_dir, reference = counted
    settings = CorpusConfig(no_below=5, keep_n=300)
    other = corpus_of(cache_dir, tmp_path / "other", settings)
    assert not other[3] and len(other[0].dictionary) == 300
    assert corpus_of(cache_dir, tmp_path / "other-again", settings)[3]


def test_a_damaged_entry_is_named_set_aside_and_made_again(counted, tmp_path, caplog):
    cache_dir, reference = counted
    corpus_of(cache_dir, tmp_path / "fill", CorpusConfig())
    entry = max((p for p in (cache_dir / "corpus").iterdir() if not p.name.startswith(".")),
                key=lambda p: p.stat().st_mtime)
    counts = entry / "data.npy"
    counts.write_bytes(counts.read_bytes()[:-16] + bytes(16))
    with caplog.at_level(logging.WARNING):
        damaged = corpus_of(cache_dir, tmp_path / "damaged", CorpusConfig())
    warning = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "corpus cache entry damaged" in warning and str(counts) in warning
    assert (entry.parent / f".{entry.name}.damaged").is_dir()
    assert not damaged[3] and same_corpus(damaged, reference)
    assert corpus_of(cache_dir, tmp_path / "remade", CorpusConfig())[3]
