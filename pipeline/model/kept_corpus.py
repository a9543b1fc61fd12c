"""The modelling corpus kept between runs: a re-run over the same tokens with the same
corpus settings reads its vocabulary and counts back instead of counting them again.

Counting the vocabulary and the counts matrix from the token ids was 7.6–9.5 s of a warm
full-VNTC re-run, 0.4 s read back from here (benchmarks/README.md, "Warm re-runs"); a re-run
that changes only model or comparison settings has the same tokens (segment/kept.py gives them a fingerprint) and so the
same corpus. The key: the tokens' fingerprint, the corpus settings, the source of this
package with gensim's and scipy's versions. An entry (pipeline/cache_entries.py: checked
when read, set aside when damaged): the dictionary (its words in id order, their document
frequencies), the rows kept, and the counts as SavedCounts files, copied into the run's
work folder for the fit workers.
"""
from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path

import numpy as np
from gensim.corpora import Dictionary

from vntopics.pipeline.cache_entries import CacheEntries, code_fingerprint, key_of
from vntopics.pipeline.config import CorpusConfig
from vntopics.pipeline.model.corpus import Corpus
from vntopics.pipeline.model.saved_counts import PARTS, SavedCounts
from vntopics.pipeline.segment import TokenStore

KEEP_ENTRIES = 3          # each ~12 bytes a document-word pair: ~0.2 GB on the full VNTC


@lru_cache(maxsize=1)
def model_code() -> str:
    return code_fingerprint(Path(__file__).parent, "gensim", "scipy")


def kept_corpus(cache_dir: Path | None, tokens: TokenStore | None, settings: CorpusConfig
                ) -> KeptCorpus | None:
    """The cache entry of the corpus of `tokens` with `settings`; None without a cache or
    for tokens without a fingerprint (not kept by the segment stage)."""
    if cache_dir is None or tokens is None or tokens.fingerprint is None:
        return None
    return KeptCorpus(cache_dir, key_of({"tokens": tokens.fingerprint, "code": model_code(),
                                         "settings": settings.model_dump()}))


class KeptCorpus:
    """The corpus entry `key` under `cache_dir/corpus`."""

    def __init__(self, cache_dir: Path, key: str):
        self.entries = CacheEntries(cache_dir / "corpus", "corpus cache",
                                    "the vocabulary is counted again", keep=KEEP_ENTRIES)
        self.key = key

    def load(self, share_dir: Path | None) -> Corpus | None:
        """The entry's corpus, its counts copied to `share_dir` (None: read into memory);
        None when there is none or it is damaged (then set aside)."""
        entry = self.entries.find(self.key)
        if entry is None:
            return None
        try:
            facts = self.entries.facts(entry)
            shape = tuple(facts["shape"])
            vocabulary = json.loads((entry / "dictionary.json").read_text(encoding="utf-8"))
            dictionary = Dictionary()
            dictionary.token2id = {word: i for i, word in enumerate(vocabulary["words"])}
            dictionary.dfs = dict(enumerate(vocabulary["dfs"]))
            dictionary.num_docs = vocabulary["num_docs"]
            kept = np.load(entry / "kept.npy", allow_pickle=False)
            if len(kept) != shape[0] or len(dictionary.token2id) != shape[1]:
                raise ValueError(f"{shape} counts for {len(kept)} documents and "
                                 f"{len(dictionary.token2id)} words")
            if share_dir is None:
                return Corpus(dictionary, SavedCounts(entry, shape).load(), kept)
            share_dir.mkdir(parents=True, exist_ok=True)
            for part in PARTS:
                shutil.copyfile(entry / f"{part}.npy", share_dir / f"{part}.npy")
            return Corpus(dictionary, None, kept, saved=SavedCounts(share_dir, shape))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            self.entries.set_aside(entry, entry / "dictionary.json", f"unreadable ({exc})")
            return None

    def save(self, corpus: Corpus) -> None:
        """Keep `corpus` (its counts in memory or saved); a cache that cannot be written is a
        warning."""
        def fill(partial: Path) -> None:
            if corpus.counts is not None:
                SavedCounts.save(corpus.counts, partial)
            else:
                for part in PARTS:
                    shutil.copyfile(corpus.saved.folder / f"{part}.npy", partial / f"{part}.npy")
            np.save(partial / "kept.npy", corpus.kept, allow_pickle=False)
            dictionary = corpus.dictionary
            (partial / "dictionary.json").write_text(json.dumps(
                {"words": sorted(dictionary.token2id, key=dictionary.token2id.__getitem__),
                 "dfs": [dictionary.dfs[i] for i in range(len(dictionary))],
                 "num_docs": dictionary.num_docs}, ensure_ascii=False), encoding="utf-8")

        shape = corpus.saved.shape if corpus.counts is None else corpus.counts.shape
        self.entries.write(self.key, fill, "the next run counts the vocabulary again",
                          shape=list(shape))
