"""Append-only arrays for corpus state that may not fit in memory.

``merge`` sees one unit of documents at a time; these buffers take its fixed-width rows
into preallocated chunks (no per-document Python objects) and, past a memory budget, write
the chunks to a file instead. ``finish`` splits a table into one file per column and loads
one column at a time, so it never holds the whole table at once. Signatures go to disk
from the start (memory-mapped, they are read only for candidate pairs); band keys stay in
memory until the budget says otherwise.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
from collections.abc import Iterator
from pathlib import Path

import numpy as np

CHUNK_ROWS = 4096


def release_free_memory() -> None:
    """Give the heap memory a corpus pass freed back to the OS (glibc's ``malloc_trim``; else nothing).

    glibc keeps freed blocks for reuse and raises its mmap threshold each time a large
    array is freed, so the temporaries of ``merge`` and ``finish``, freed, would still
    count in the process's memory for the rest of the run (11 of the 17 MiB left after
    dedup's ``finish`` on 100,000 documents).
    """
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)


class RowStore:
    """Rows of ``width`` values of ``dtype``; ``array()`` returns them as one (n, width) array."""

    def __init__(self, dtype: np.dtype | type, width: int, path: Path, memory_budget: int) -> None:
        self.dtype = np.dtype(dtype)
        self.width = width
        self.path = path
        self.memory_budget = memory_budget
        self.chunks: list[np.ndarray] = []
        self.buffer = np.empty((CHUNK_ROWS, width), dtype=self.dtype)
        self.fill = 0
        self.rows = 0
        self.on_disk = memory_budget <= 0  # a zero budget: straight to disk

    def extend(self, rows: np.ndarray) -> None:
        """Append rows (an array of shape ``(n, width)``, or ``(n,)`` for width 1)."""
        rows = rows.reshape(-1, self.width)
        start = 0
        while start < len(rows):
            take = min(CHUNK_ROWS - self.fill, len(rows) - start)
            self.buffer[self.fill : self.fill + take] = rows[start : start + take]
            self.fill += take
            self.rows += take
            start += take
            if self.fill == CHUNK_ROWS:
                self._flush()

    @property
    def memory_bytes(self) -> int:
        return sum(chunk.nbytes for chunk in self.chunks) + self.buffer.nbytes

    @property
    def resident_row_bytes(self) -> int:
        """Bytes per row held in memory: the row width, or 0 once spilled to disk."""
        return 0 if self.on_disk else self.width * self.dtype.itemsize

    def _flush(self) -> None:
        chunk = self.buffer[: self.fill].copy()
        self.fill = 0
        if not self.on_disk and self.memory_bytes + chunk.nbytes > self.memory_budget:
            self.on_disk = True
            with self.path.open("ab") as out:
                for old in self.chunks:
                    out.write(old.tobytes())
            self.chunks = []
        if self.on_disk:
            with self.path.open("ab") as out:
                out.write(chunk.tobytes())
        else:
            self.chunks.append(chunk)

    def split_columns(self) -> list[Path]:
        """Write each column to a file of its own (read back with ``np.fromfile``) and release the
        rows: the store is empty afterwards.

        ``finish`` needs one column at a time: loading just that one keeps its peak to a column,
        where the whole table (or a memory map of it, whose pages count as this process's
        memory once read) would cost every column at once.
        """
        paths = [self.path.with_name(f"{self.path.name}.{index}") for index in range(self.width)]
        with contextlib.ExitStack() as stack:
            outs = [stack.enter_context(path.open("wb")) for path in paths]
            for block in self._release_blocks():
                for index, out in enumerate(outs):
                    out.write(block[:, index].tobytes())
        return paths

    def _release_blocks(self) -> Iterator[np.ndarray]:
        """All rows, a chunk at a time, each chunk released once handed out."""
        if self.fill:
            self._flush()
        self.buffer = np.empty((0, self.width), dtype=self.dtype)
        while self.chunks:
            yield self.chunks.pop(0)
        if self.on_disk and self.path.exists():
            with self.path.open("rb") as rows:
                while (block := np.fromfile(rows, dtype=self.dtype, count=CHUNK_ROWS * self.width)).size:
                    yield block.reshape(-1, self.width)
            self.path.unlink()

    def array(self) -> np.ndarray:
        """All rows: a memory map when spilled, else one array (the chunks are released)."""
        if self.fill:
            self._flush()
        self.buffer = np.empty((0, self.width), dtype=self.dtype)
        if self.on_disk:
            return np.memmap(self.path, dtype=self.dtype, mode="r", shape=(self.rows, self.width))
        if not self.chunks:
            return np.empty((0, self.width), dtype=self.dtype)
        whole = np.concatenate(self.chunks)
        self.chunks = []
        return whole


class RaggedStore:
    """Variable-length uint32 rows, written straight to disk; ``bounds()`` says where each is.

    Holds the shingle fingerprints used to verify candidate pairs exactly: a few KB per
    article, read back only for the documents that take part in a candidate pair.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.out = path.open("wb")
        self.offsets = RowStore(np.int64, 1, path.with_suffix(".offsets"), 0)
        self.size = 0

    def extend(self, values: np.ndarray, lengths: np.ndarray) -> None:
        """Append rows given as their values end to end and each row's length."""
        self.out.write(values.astype(np.uint32, copy=False).tobytes())
        self.offsets.extend(self.size + np.cumsum(lengths, dtype=np.int64))
        self.size += int(values.size)

    def bounds(self) -> np.ndarray:
        """Row boundaries, once all rows are in: row ``i`` is values ``bounds[i]:bounds[i + 1]``."""
        self.out.close()
        (ends,) = self.offsets.split_columns()
        return np.concatenate((np.zeros(1, dtype=np.int64), np.fromfile(ends, dtype=np.int64)))

    def close(self) -> None:
        self.out.close()
