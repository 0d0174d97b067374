"""Similarity of candidate pairs, verified on what the dedup pass kept of each document.

Shingle fingerprints give the exact Jaccard similarity; MinHash signatures its estimate. An
update's existing documents kept neither: their evidence is made again from their text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from corpus_tools.dedup.minhash import jaccard, similarity
from corpus_tools.dedup.rows import UnitRows, read_ids
from corpus_tools.dedup.state import read_texts

VERIFY_BATCH = 1 << 16  # candidate pairs compared per numpy batch
RowsOf = Callable[[list[tuple[str, str]]], UnitRows]  # (id, text) pairs -> their rows, as a unit's


class Verifier:
    """Similarity of document pairs, from what was kept on disk."""

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class SignatureVerifier(Verifier):
    """MinHash estimate: vectorised, but with a standard deviation of ~0.4/sqrt(num_perm) at 0.8."""

    def __init__(self, signatures: np.ndarray) -> None:
        self.signatures = signatures

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        out = np.empty(left.size, dtype=np.float32)
        for start in range(0, left.size, VERIFY_BATCH):
            stop = start + VERIFY_BATCH
            out[start:stop] = similarity(
                self.signatures[left[start:stop]], self.signatures[right[start:stop]]
            )
        return out


class ShingleVerifier(Verifier):
    """Exact Jaccard of the shingle fingerprint sets (about 20 microseconds a pair).

    Rows are read with ``pread`` rather than through a memory map, so the file's pages stay
    in the page cache and do not count as this process's memory.
    """

    def __init__(self, path: Path, bounds: np.ndarray) -> None:
        self.path = path
        self.bounds = bounds

    def row(self, file: int, index: int) -> np.ndarray:
        start, stop = int(self.bounds[index]), int(self.bounds[index + 1])
        return np.frombuffer(os.pread(file, 4 * (stop - start), 4 * start), dtype=np.uint32)

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        file = os.open(self.path, os.O_RDONLY)
        try:
            return np.array(
                [
                    jaccard(self.row(file, a), self.row(file, b))
                    for a, b in zip(left.tolist(), right.tolist(), strict=True)
                ],
                dtype=np.float32,
            )
        finally:
            os.close(file)


class SeededVerifier(Verifier):
    """Pairs with an existing dataset's document (position < ``fixed``): its evidence is made
    again from its text in the dataset's shards, read for the documents in such pairs only."""

    def __init__(
        self, inner: Verifier, fixed: int, ids: Path, dataset: Path, rows_of: RowsOf, shingles: bool
    ) -> None:
        self.inner, self.fixed, self.ids, self.dataset = inner, fixed, ids, dataset
        self.rows_of, self.shingles = rows_of, shingles
        self.evidence: dict[int, np.ndarray] = {}

    def _load(self, positions: np.ndarray) -> None:
        needed = np.unique(positions[positions < self.fixed])
        needed = np.array([p for p in needed.tolist() if p not in self.evidence], dtype=np.int64)
        if not needed.size:
            return
        ids = read_ids(self.ids, needed)
        texts = read_texts(self.dataset, ids)
        rows = self.rows_of([(i, texts.get(i, "")) for i in ids])
        if self.shingles:
            bounds = np.concatenate(([0], np.cumsum(rows.lengths)))
            for slot, position in enumerate(needed.tolist()):
                self.evidence[position] = rows.evidence[bounds[slot] : bounds[slot + 1]]
        else:
            for slot, position in enumerate(needed.tolist()):
                self.evidence[position] = rows.evidence[slot]

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        old = (left < self.fixed) | (right < self.fixed)
        out = np.empty(left.size, dtype=np.float32)
        out[~old] = self.inner.similarities(left[~old], right[~old])
        if old.any():
            self._load(np.concatenate((left[old], right[old])))
            out[old] = [
                self._pair(a, b) for a, b in zip(left[old].tolist(), right[old].tolist(), strict=True)
            ]
        return out

    def _pair(self, a: int, b: int) -> float:
        first, second = self._row(a), self._row(b)
        if self.shingles:
            return jaccard(first, second)
        return float(similarity(first, second))

    def _row(self, position: int) -> np.ndarray:
        if position < self.fixed:
            return self.evidence[position]
        inner = self.inner
        if isinstance(inner, ShingleVerifier):
            file = os.open(inner.path, os.O_RDONLY)
            try:
                return inner.row(file, position)
            finally:
                os.close(file)
        assert isinstance(inner, SignatureVerifier)
        return np.asarray(inner.signatures[position])
