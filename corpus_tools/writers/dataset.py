"""Write the Hub-layout dataset folder: parquet shards, the card, all-or-nothing.

Everything goes into a hidden sibling folder first and is moved into place at the end, so
an interrupted run leaves the previous dataset as it was. Shard names carry a digest of
their bytes: the card's ``data_files`` list them one by one, so when the content changes
the card's YAML changes too and ``datasets`` cannot serve a stale cache for the folder
(it keys local folders on their name and card YAML alone).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.document import Document
from corpus_tools.stats import RunStats
from corpus_tools.writers.schema import SPLITS, row_of, schema_for

ROW_GROUP = 2_000  # rows per parquet row group: small enough for streaming readers


class DatasetWriter:
    """Collects documents into parquet shards per split; ``commit`` moves the folder into place."""

    def __init__(self, out_dir: str | Path, shard_rows: int = 50_000) -> None:
        self.out_dir = Path(out_dir)
        self.shard_rows = shard_rows
        self.stage_dir = self.out_dir.parent / f".{self.out_dir.name}.partial-{os.getpid()}"
        if self.stage_dir.exists():
            shutil.rmtree(self.stage_dir)
        (self.stage_dir / "data").mkdir(parents=True)
        self.stats = RunStats()
        self._buffers: dict[str, list[dict[str, Any]]] = {split: [] for split in SPLITS}
        self._shards: dict[str, list[Path]] = {split: [] for split in SPLITS}
        self._rows: dict[str, int] = dict.fromkeys(SPLITS, 0)
        self._bytes: dict[str, int] = dict.fromkeys(SPLITS, 0)
        self.samples: list[Document] = []

    def add(self, doc: Document) -> None:
        doc.meta["n_words"] = len(doc.text.split())
        doc.meta["n_chars"] = len(doc.text)
        self.stats.add(doc)
        split = "rejected" if doc.rejected else "train"
        if split == "train" and len(self.samples) < 3:
            self.samples.append(doc)
        buffer = self._buffers[split]
        buffer.append(row_of(doc))
        self._rows[split] += 1
        self._bytes[split] += len(doc.text.encode("utf-8", "surrogatepass"))
        if len(buffer) >= self.shard_rows:
            self._flush(split)

    def _flush(self, split: str) -> None:
        rows = self._buffers[split]
        path = self.stage_dir / "data" / f"{split}-{len(self._shards[split]):05d}.parquet"
        table = pa.Table.from_pylist(rows, schema=schema_for(split))
        pq.write_table(table, path, row_group_size=ROW_GROUP, compression="zstd")
        self._shards[split].append(path)
        rows.clear()

    def commit(self, make_card: Callable[[dict[str, list[str]]], str], run_info: dict[str, Any]) -> None:
        """Finish shards, write card and run record, swap the folder in.

        ``make_card`` receives the final shard names per split, which the card lists.
        """
        data_files: dict[str, list[str]] = {}
        for split in SPLITS:
            if self._buffers[split] or not self._shards[split]:
                self._flush(split)  # an empty split still gets one (empty) shard so it loads
            data_files[split] = self._name_shards(split)
        (self.stage_dir / "run.json").write_text(
            json.dumps(run_info, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (self.stage_dir / "README.md").write_text(make_card(data_files), encoding="utf-8")
        self._swap_in()

    def _name_shards(self, split: str) -> list[str]:
        shards = self._shards[split]
        names = []
        for index, path in enumerate(shards):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            final = path.with_name(f"{split}-{index:05d}-of-{len(shards):05d}-{digest}.parquet")
            path.rename(final)
            names.append(final.relative_to(self.stage_dir).as_posix())
        return names

    def split_sizes(self) -> dict[str, tuple[int, int]]:
        """Rows and text bytes per split, for the card's ``dataset_info``."""
        return {split: (self._rows[split], self._bytes[split]) for split in SPLITS}

    def _swap_in(self) -> None:
        old = self.out_dir.parent / f".{self.out_dir.name}.old-{os.getpid()}"
        if self.out_dir.exists():
            self.out_dir.rename(old)
        self.stage_dir.rename(self.out_dir)
        if old.exists():
            shutil.rmtree(old)

    def abort(self) -> None:
        shutil.rmtree(self.stage_dir, ignore_errors=True)
