"""The run's cleaned texts on disk: Parquet shards written as documents are cleaned and read
back a shard at a time, so no stage holds the texts of the whole corpus.

A text is the largest part of a document and is needed only twice after cleaning: by
near-duplicate detection and by segmentation (which keeps the first lines for the report).
Held as Python strings, the texts of one million articles are several GB (two bytes per
character once a string holds a Vietnamese letter); on disk they cost one shard of buffer.
A pre-segmented record's words (`tokens` in the input) are kept beside its text.
"""
from __future__ import annotations

import shutil
from bisect import bisect_right
import tempfile
import weakref
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator, Sequence

SHARD_ROWS = 2048      # ~10 MB of text per shard: one shard buffered, one read back at a time


class ShardWriteError(OSError):
    """A shard could not be written (full disk, read-only folder): the ingest cache then
    goes on without caching; anywhere else it is the OSError it wraps."""


def remove_folder(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


def folder_for(owner: object, folder: Path | None, prefix: str) -> Path:
    """`folder` (created if needed), or a temporary one removed when `owner` is garbage
    collected: a store made in a notebook cleans up after itself."""
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix=prefix))
        weakref.finalize(owner, remove_folder, str(folder))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class TextShards:
    """Row-numbered (text, words) pairs: `append` while cleaning, then `flush` and read.

    `folder` None: a temporary folder, removed when this object is garbage collected (a
    notebook's call cleans up after itself); the flow gives a folder in the run's work
    folder instead, removed when the run ends. `on_shard(path)` is told of every shard file
    as it is written (the segment stage can start on it while cleaning goes on)."""

    def __init__(self, folder: Path | None = None,
                 on_shard: Callable[[Path], None] | None = None):
        self.folder = folder_for(self, folder, "vntopics-texts-")
        self.on_shard = on_shard
        self.files: list[Path] = []
        self.starts: list[int] = []       # first row of each file
        self.rows = 0
        self.pending_texts: list[str] = []
        self.pending_words: list[str] = []
        self.loaded: tuple[int, list[str], list[str]] | None = None

    @classmethod
    def reopen(cls, folder: Path) -> "TextShards":
        """The shards written earlier in `folder` (an ingest cache entry), to read."""
        shards = cls(folder)
        shards.files = sorted(shards.folder.glob("texts-*.parquet"))
        if shards.files:
            import pyarrow.parquet as pq

            for path in shards.files:
                shards.starts.append(shards.rows)
                shards.rows += pq.ParquetFile(path).metadata.num_rows
        return shards

    def moved_to(self, folder: Path) -> None:
        """The folder was renamed (an ingest cache entry published)."""
        self.folder = Path(folder)
        self.files = [self.folder / f.name for f in self.files]

    def __len__(self) -> int:
        return self.rows

    def append(self, text: str, words: str = "") -> int:
        """Store one document's text (and given words); returns its row."""
        self.pending_texts.append(text)
        self.pending_words.append(words)
        self.rows += 1
        if len(self.pending_texts) >= SHARD_ROWS:
            self.flush()
        return self.rows - 1

    def flush(self) -> "TextShards":
        if self.pending_texts:
            import pyarrow as pa
            import pyarrow.parquet as pq

            path = self.folder / f"texts-{len(self.files):05d}.parquet"
            table = pa.table({"text": pa.array(self.pending_texts, pa.large_string()),
                              "words": pa.array(self.pending_words, pa.large_string())})
            try:
                pq.write_table(table, path)
            except OSError as exc:
                raise ShardWriteError(exc.errno, f"cannot write {path}: "
                                      f"{exc.strerror or exc}") from exc
            self.files.append(path)
            self.starts.append(self.rows - len(self.pending_texts))
            self.pending_texts, self.pending_words = [], []
            if self.on_shard is not None:
                self.on_shard(path)
        return self

    def locate(self, row: int) -> tuple[list[str], list[str], int]:
        """The (texts, words) of the shard holding `row`, and the row's place in it."""
        if not 0 <= row < self.rows:
            raise IndexError(f"row {row} of {self.rows}")
        index = bisect_right(self.starts, row) - 1
        if index < 0 or row >= self.rows - len(self.pending_texts):    # not yet written
            return self.pending_texts, self.pending_words, row - (self.rows -
                                                                   len(self.pending_texts))
        if self.loaded is None or self.loaded[0] != index:
            import pyarrow.parquet as pq

            table = pq.read_table(self.files[index])
            self.loaded = (index, table.column("text").to_pylist(),
                           table.column("words").to_pylist())
        return self.loaded[1], self.loaded[2], row - self.starts[index]

    def where(self, rows: Sequence[int]) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """(shard file, places in it) covering `rows` (written ones), in order: what another
        process needs to read those texts itself (`read_texts`)."""
        self.flush()
        parts: list[tuple[str, list[int]]] = []
        for row in rows:
            index = bisect_right(self.starts, row) - 1
            path = str(self.files[index])
            if not parts or parts[-1][0] != path:
                parts.append((path, []))
            parts[-1][1].append(row - self.starts[index])
        return tuple((path, tuple(places)) for path, places in parts)

    def text(self, row: int) -> str:
        texts, _, place = self.locate(row)
        return texts[place]

    def words(self, row: int) -> str:
        _, words, place = self.locate(row)
        return words[place]

    def pairs(self, rows: Sequence[int]) -> Iterator[tuple[str, str]]:
        """(text, words) of `rows` in that order; cheap when rows ascend (one read a shard)."""
        for row in rows:
            texts, words, place = self.locate(row)
            yield texts[place], words[place]

    def __getstate__(self) -> dict:
        """Sent to another process (a Dask worker on this machine): paths, not texts."""
        self.flush()
        return {**self.__dict__, "loaded": None, "on_shard": None}


def read_texts(where: tuple[tuple[str, tuple[int, ...]], ...], threads: int = 1
               ) -> list[str]:
    """The texts `TextShards.where` describes, read from their files, `threads` shards at a
    time (Arrow decompresses without the GIL)."""
    import pyarrow.parquet as pq

    def read(part: tuple[str, tuple[int, ...]]) -> list[str]:
        path, places = part
        column = pq.read_table(path, columns=["text"]).column("text")
        return column.take(list(places)).to_pylist()

    if threads <= 1 or len(where) <= 1:
        return [text for part in where for text in read(part)]
    with ThreadPoolExecutor(threads) as pool:
        return [text for texts in pool.map(read, where) for text in texts]


class TextsOf:
    """The texts of some rows as a sequence, read when asked for (near-duplicate detection
    slices it a chunk at a time). A pre-segmented document without a text stands for its
    words joined back into syllables."""

    def __init__(self, shards: TextShards, rows: Sequence[int]):
        self.shards, self.rows = shards, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [text or words.replace("_", " ")
                    for text, words in self.shards.pairs(self.rows[index])]
        text, words = next(self.shards.pairs([self.rows[index]]))
        return text or words.replace("_", " ")
