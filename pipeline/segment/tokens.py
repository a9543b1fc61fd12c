"""Every document's kept tokens, as uint32 ids on disk: what the later stages read instead of
a Python list of strings per document.

A token list costs 8 bytes a token as a list of (shared) strings plus the list itself, and
the modelling corpus, the coherence windows and the comparisons used to read them all from
memory at once: tens of KB per article on a large corpus (benchmarks/README.md, "Memory
against corpus size"). Here a token is 4 bytes in a file under the run's work folder, read
back a block at a time; the distinct tokens (a few hundred thousand, whatever the corpus
size) are the only strings kept. Ids number tokens in order of first appearance.
Kept by hand (a flat file of ids and an offsets array, not Parquet list columns or a memory
map): any subset of rows is read in order with one seek per block, nothing is decoded per row,
and nothing read stays counted as the process's memory. With this store and the text shards
a run's peak grows 3.5 KB per document (python benchmarks/scale.py --sizes 40000,160000),
against 25-30 KB per article before (full VNTC, token lists in memory).
"""
from __future__ import annotations

import json
import shutil
from array import array
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import numpy as np

from vntopics.pipeline.text import folder_for

FLUSH_TOKENS = 1 << 20          # ids buffered before they are appended to the file (4 MB)
READ_TOKENS = 1 << 22           # ids read back at once (16 MB)


class TokenStore:
    """Rows of token ids: `append` one document's tokens (its row is returned), `flush`,
    then read rows back through `rows(...)` views."""

    def __init__(self, folder: Path | None = None):
        """`folder` None: a temporary one, removed with this object."""
        self.folder = folder_for(self, folder, "vntopics-tokens-")
        self.path = self.folder / "tokens.u32"
        self.path.write_bytes(b"")
        self.words: list[str] = []
        self._index: dict[str, int] | None = {}
        self.offsets = array("q", [0])
        self.pending = array("I")
        self.written = 0
        self.fingerprint: str | None = None   # these rows across runs (segment/kept.py)
        self.frequency: DocumentFrequency | None = None   # counted as rows come, if asked

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def index(self) -> dict[str, int]:
        """word -> id, needed while appending; rebuilt if `seal` dropped it."""
        if self._index is None:
            self._index = {word: i for i, word in enumerate(self.words)}
        return self._index

    def seal(self) -> "TokenStore":
        """Flushed, and without the word -> id index once every row is in: its dictionary is
        ~27 MB on the full VNTC (446,386 words), held through the model fits otherwise."""
        self.flush()
        self._index = None
        return self

    def keep(self, folder: Path) -> None:
        """Copy the rows to `folder` (ids, offsets, words), where `restore` reads them."""
        self.flush()
        shutil.copyfile(self.path, folder / "tokens.u32")
        (folder / "offsets.i64").write_bytes(self.offsets.tobytes())
        (folder / "words.json").write_text(json.dumps(self.words, ensure_ascii=False),
                                           encoding="utf-8")

    def restore(self, folder: Path) -> "TokenStore":
        """This store's rows become those `keep` copied to `folder` (raises ValueError when
        its files do not fit together)."""
        offsets = array("q")
        offsets.frombytes((folder / "offsets.i64").read_bytes())
        words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        written = (folder / "tokens.u32").stat().st_size // 4
        if not offsets or offsets[0] != 0 or offsets[-1] != written or not isinstance(
                words, list):
            raise ValueError(f"{folder / 'offsets.i64'} does not fit {folder / 'tokens.u32'}")
        shutil.copyfile(folder / "tokens.u32", self.path)
        self.words, self._index, self.offsets = words, None, offsets
        self.frequency = None
        self.pending, self.written = array("I"), written
        return self

    def lookup(self, positions: Mapping[str, int]) -> np.ndarray:
        """For every id, the number `positions` gives its word, or -1 (then one extra -1)."""
        table = np.full(len(self.words) + 1, -1, dtype=np.int64)
        for i, position in enumerate(map(positions.get, self.words)):
            if position is not None:
                table[i] = position
        return table

    def id_of(self, word: str) -> int:
        found = self.index.get(word)
        if found is None:
            found = self.index[word] = len(self.words)
            self.words.append(word)
        return found

    def append(self, tokens: Sequence[str]) -> int:
        index = self.index
        if all(map(index.__contains__, tokens)):       # the common case: no new word
            self.pending.extend(map(index.__getitem__, tokens))
        else:
            self.pending.extend(map(self.id_of, tokens))
        self.offsets.append(self.offsets[-1] + len(tokens))
        if len(self.pending) >= FLUSH_TOKENS:
            self.flush()
        return len(self.offsets) - 2

    def flush(self) -> "TokenStore":
        if self.pending:
            with self.path.open("ab") as handle:
                self.pending.tofile(handle)
            self.written += len(self.pending)
            self.pending = array("I")
        return self

    def lengths(self, rows: Sequence[int] | None = None) -> np.ndarray:
        lengths = np.diff(np.frombuffer(self.offsets, dtype=np.int64))
        return lengths if rows is None else lengths[np.asarray(rows, dtype=np.int64)]

    def blocks(self, rows: Sequence[int]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row positions, their ids concatenated) for consecutive pieces of `rows` holding
        about READ_TOKENS ids each; positions index into `rows`."""
        self.flush()
        rows = np.asarray(rows, dtype=np.int64)
        offsets = np.frombuffer(self.offsets, dtype=np.int64)
        starts, ends = offsets[rows], offsets[rows + 1]
        del offsets                      # a view: `append` may resize the array again
        read_before = np.concatenate([[0], np.cumsum(ends - starts)])
        ascending = bool(np.all(np.diff(rows) > 0))
        position = 0
        with self.path.open("rb") as handle:
            while position < len(rows):
                stop = int(np.searchsorted(read_before, read_before[position] + READ_TOKENS,
                                           side="right")) - 1
                if ascending:            # a sparse subset: the span read stays bounded too
                    stop = min(stop, int(np.searchsorted(
                        ends, starts[position] + 2 * READ_TOKENS, side="right")))
                stop = min(max(stop, position + 1), len(rows))
                first, last = int(starts[position:stop].min()), int(ends[position:stop].max())
                handle.seek(first * 4)
                span = np.fromfile(handle, dtype=np.uint32, count=last - first)
                pieces = [span[s - first:e - first] for s, e in
                          zip(starts[position:stop].tolist(), ends[position:stop].tolist())]
                yield (np.arange(position, stop),
                       np.concatenate(pieces) if pieces else np.empty(0, np.uint32))
                position = stop

    def rows(self, rows: Sequence[int]) -> "TokenRows":
        return TokenRows(self, list(rows))

    def __getstate__(self) -> dict:
        """Sent to another process (a Dask worker on this machine): the file's path, the
        distinct words and the offsets, not the ids."""
        self.flush()
        return {**self.__dict__, "_index": None}    # rebuilt there if appended to


class TokenRows(Sequence):
    """Some rows of a TokenStore as a sequence of token lists (decoded as they are read), for
    code written against lists; `blocks`/`ids` give the ids without making strings."""

    def __init__(self, store: TokenStore, rows: list[int]):
        self.store, self.row_numbers = store, rows

    def __len__(self) -> int:
        return len(self.row_numbers)

    def lengths(self) -> np.ndarray:
        return self.store.lengths(self.row_numbers)

    def id_positions(self, positions: np.ndarray) -> np.ndarray:
        """The position (in these rows) of every id of a block (`blocks`)."""
        lengths = self.store.lengths([self.row_numbers[p] for p in positions.tolist()])
        return np.repeat(positions, lengths)

    def blocks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        return self.store.blocks(self.row_numbers)

    def ids(self) -> Iterator[np.ndarray]:
        """Each row's ids, in order."""
        for positions, ids in self.blocks():
            bounds = np.concatenate([[0], np.cumsum(self.store.lengths(
                [self.row_numbers[p] for p in positions.tolist()]))])
            for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
                yield ids[start:end]

    def __iter__(self) -> Iterator[list[str]]:
        words = self.store.words
        for ids in self.ids():
            yield list(map(words.__getitem__, ids.tolist()))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return TokenRows(self.store, self.row_numbers[index])
        return next(iter(TokenRows(self.store, [self.row_numbers[index]])))

    def subset(self, positions: Sequence[int]) -> "TokenRows":
        return TokenRows(self.store, [self.row_numbers[p] for p in positions])


class DocumentFrequency:
    """How many of the rows counted hold each id of a store, and the first of them (its
    position among the rows counted), added to as rows come: the segment stage counts each
    window of documents as it is filtered, while the workers still segment the next ones,
    so the vocabulary does not wait for a pass over every id once the last one is in
    (model/stored_corpus.py reads these when they cover exactly the rows it is given)."""

    def __init__(self):
        self.rows: list[int] = []
        self.frequency = np.zeros(0, dtype=np.int64)
        self.first = np.zeros(0, dtype=np.int64)

    def add(self, rows: TokenRows) -> "DocumentFrequency":
        size = len(rows.store.words)
        self.frequency, self.first = self.arrays(size)
        offset = len(self.rows)
        for positions, ids in rows.blocks():
            pairs = np.unique(rows.id_positions(positions) * size + ids.astype(np.int64))
            documents, words = np.divmod(pairs, size)
            self.frequency += np.bincount(words, minlength=size)
            np.minimum.at(self.first, words, documents + offset)
        self.rows.extend(rows.row_numbers)
        return self

    def arrays(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """(frequency, first) over `size` ids (ids no counted row holds: 0, never)."""
        grow = size - len(self.frequency)
        return (np.concatenate([self.frequency, np.zeros(grow, np.int64)]),
                np.concatenate([self.first, np.full(grow, np.iinfo(np.int64).max)]))
