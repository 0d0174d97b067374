"""Append-only arrays for corpus state that may not fit in memory.

``collect`` sees one document at a time; these buffers take fixed-width rows into
preallocated chunks (no per-document Python objects) and, past a memory budget, write
the chunks to a file instead, which ``finish`` then memory-maps. Signatures go to disk
from the start (they are read only for candidate pairs); band keys stay in memory until
the budget says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CHUNK_ROWS = 4096


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

    def append(self, row: np.ndarray) -> None:
        self.buffer[self.fill] = row
        self.fill += 1
        self.rows += 1
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

    def column(self, index: int) -> np.ndarray:
        """One column of all rows, without assembling the whole table (the rows stay)."""
        if self.fill:
            self._flush()
        if self.on_disk:
            table = np.memmap(self.path, dtype=self.dtype, mode="r", shape=(self.rows, self.width))
            return np.array(table[:, index])
        if not self.chunks:
            return np.empty(0, dtype=self.dtype)
        return np.concatenate([chunk[:, index] for chunk in self.chunks])

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
        self.offsets = RowStore(np.uint64, 1, path.with_suffix(".offsets"), 0)
        self.size = 0

    def append(self, row: np.ndarray) -> None:
        self.out.write(row.astype(np.uint32, copy=False).tobytes())
        self.size += row.size
        self.offsets.append(self.size)

    def bounds(self) -> np.ndarray:
        """Row boundaries, once all rows are in: row ``i`` is values ``bounds[i]:bounds[i + 1]``."""
        self.out.close()
        return np.concatenate(([0], self.offsets.array()[:, 0])).astype(np.int64)

    def close(self) -> None:
        self.out.close()
