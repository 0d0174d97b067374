"""The corpus state of the dedup pass while unit partials arrive, and its columns on disk.

Each unit's documents come as one block of fixed-width rows (:class:`UnitRows`), made in the
worker; :class:`Collected` appends them in input order to stores held in memory up to the
budget and on disk past it, so the main process never holds a text or a Python object per
document.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Literal, NamedTuple, Protocol

import numpy as np

from corpus_tools.dedup.keys import id_hash
from corpus_tools.dedup.state import SavedDedup
from corpus_tools.dedup.store import RaggedStore, RowStore

NO_URL = 0  # the URL key of a document without a URL, or when URLs are not compared


class Settings(Protocol):
    """What the dedup pass reads of its step's options (the step's pydantic ``Options``)."""

    @property
    def num_perm(self) -> int: ...
    @property
    def bands(self) -> int: ...
    @property
    def threshold(self) -> float: ...
    @property
    def verify(self) -> Literal["shingles", "signature"]: ...
    @property
    def by_url(self) -> bool: ...
    @property
    def memory_budget_mb(self) -> int: ...
    @property
    def spill_dir(self) -> str | None: ...


class UnitRows(NamedTuple):
    """One unit's summaries as blocks of rows, in input order."""

    ids: list[str]
    keys: np.ndarray  # (n, 3) uint64: id hash, exact key, URL key
    ranks: np.ndarray  # (n,) int64: rank under the keep policy
    bands: np.ndarray  # (n, bands) uint64 (zeros for an empty text)
    evidence: np.ndarray  # shingle fingerprints end to end, or (n, num_perm) signatures
    lengths: np.ndarray  # (n,) int64: fingerprints per document (shingles only)


class Collected:
    """Corpus state while summaries arrive: fixed-width rows, in memory or on disk."""

    def __init__(self, options: Settings) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="corpus-tools-dedup-", dir=options.spill_dir))
        budget = options.memory_budget_mb << 20
        # id hash, exact key, url key: 24 bytes; rank: 8 bytes
        self.keys = RowStore(np.uint64, 3, self.directory / "keys.u64", budget)
        self.ranks = RowStore(np.int64, 1, self.directory / "ranks.i64", budget)
        # the ids alone (rows are keyed by id and raw_path): only to count repeated ids
        self.plain_ids = RowStore(np.uint64, 1, self.directory / "plain_ids.u64", budget)
        self.bands = RowStore(np.uint64, options.bands, self.directory / "bands.u64", budget)
        self.evidence: RaggedStore | RowStore
        if options.verify == "shingles":
            self.evidence = RaggedStore(self.directory / "fingerprints.u32")
        else:
            self.evidence = RowStore(np.uint32, options.num_perm, self.directory / "signatures.u32", 0)
        self.ids = (self.directory / "ids.jsonl").open("w", encoding="utf-8")
        self.fixed = 0  # the first rows are an existing dataset's documents (an update): never dropped
        self.dataset: Path | None = None

    def seed(self, saved: SavedDedup, dataset: Path, options: Settings) -> None:
        """The dataset's kept documents as the first rows, ranked before any new document so
        that a cluster keeps its old member; their evidence is read from ``dataset`` when needed."""
        count = len(saved.ids)
        urls = saved.urls if saved.urls is not None else np.zeros(count, dtype=np.uint64)
        self.keys.extend(np.stack((saved.id_hashes, saved.exact, urls), axis=1))
        self.ranks.extend(np.full(count, np.iinfo(np.int64).min, dtype=np.int64))
        self.plain_ids.extend(np.fromiter((id_hash(i, None) for i in saved.ids), np.uint64, count))
        self.bands.extend(saved.bands)
        if isinstance(self.evidence, RaggedStore):
            self.evidence.extend(np.empty(0, dtype=np.uint32), np.zeros(count, dtype=np.int64))
        else:
            self.evidence.extend(np.full((count, options.num_perm), 0xFFFFFFFF, dtype=np.uint32))
        self.ids.write("".join(json.dumps(doc_id) + "\n" for doc_id in saved.ids))
        self.fixed, self.dataset = count, dataset

    def add(self, rows: UnitRows) -> None:
        """One unit's rows, after the rows of the units before it."""
        self.keys.extend(rows.keys)
        self.ranks.extend(rows.ranks)
        plain = np.fromiter((id_hash(doc_id, None) for doc_id in rows.ids), np.uint64, len(rows.ids))
        self.plain_ids.extend(plain)
        self.bands.extend(rows.bands)
        if isinstance(self.evidence, RaggedStore):
            self.evidence.extend(rows.evidence, rows.lengths)
        else:
            self.evidence.extend(rows.evidence)
        self.ids.write("".join(json.dumps(doc_id) + "\n" for doc_id in rows.ids))

    @property
    def resident_bytes_per_document(self) -> int:
        stores = (self.keys, self.ranks, self.bands, self.plain_ids)
        return sum(store.resident_row_bytes for store in stores)

    def close(self) -> None:
        self.ids.close()
        if isinstance(self.evidence, RaggedStore):
            self.evidence.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def column(path: Path, dtype: type = np.uint64) -> np.ndarray:
    """One per-document column of the state, loaded whole from its file."""
    return np.fromfile(path, dtype=dtype)


def read_ids(path: Path, indices: np.ndarray) -> list[str]:
    """The ids at ``indices`` (in that order), streaming the id file once."""
    wanted = {int(index): slot for slot, index in enumerate(indices.tolist())}
    ids: list[str] = [""] * len(wanted)
    with path.open(encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            slot = wanted.get(index)
            if slot is not None:
                ids[slot] = json.loads(line)
    return ids
