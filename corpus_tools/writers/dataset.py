"""Write the Hub-layout dataset folder: parquet shards, the card, all-or-nothing.

Everything goes into a hidden sibling folder first and is moved into place at the end, so
an interrupted run leaves the previous dataset as it was; the folder gets the marker that
lets a later run replace it (:mod:`corpus_tools.safety.folders`: the command checks the rule
and holds the output's lock before it makes a writer). Shard names carry a digest of
their bytes: the card's ``data_files`` list them one by one, so when the content changes
the card's YAML changes too and ``datasets`` cannot serve a stale cache for the folder
(it keys local folders on their name and card YAML alone).

Writing must never be what a run waits for (``benchmarks/bench_write.py``). Documents arrive
finalized by the worker that cleaned them (:func:`~corpus_tools.writers.schema.finalize`:
words, characters, ISO date, edit counts), else are finalized here a row group at a time;
then their statistics and rows are made, and the row group is converted and compressed on
one background thread while the main thread goes on (parquet encoding and zstd release the
GIL). One thread and in-order jobs keep the bytes those of a sequential write, and memory
holds a few row groups, never a shard. ``stats`` and ``split_sizes`` count the waiting batch
first, so they are always whole.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.document import Document
from corpus_tools.safety.disk import writing
from corpus_tools.safety.folders import DATASET, file_sha256, staging, swap_in
from corpus_tools.stats import RunStats
from corpus_tools.writers.ids import UniqueIds
from corpus_tools.writers.schema import SAMPLES, SPLITS, Prepared, prepare, schema_for

ROW_GROUP = 2_000  # rows per parquet row group: small enough for streaming readers
PENDING = 4  # row groups queued for the writing thread before ``add`` waits: bounds memory
# Dictionary encoding pays only for the few-valued columns; on text it is tried and dropped, at a cost.
DICTIONARY_COLUMNS = [
    "source",
    "date",
    "language",
    "author",
    "reject_step",
    "reject_rule",
    "edits.list.element.step",
    "edits.list.element.rule",
    "edit_counts.list.element.step",
]


class _SplitFiles:
    """The shards of one split, written on the background thread only."""

    def __init__(self, folder: Path, split: str, shard_rows: int) -> None:
        self.folder = folder
        self.split = split
        self.shard_rows = shard_rows
        self.schema = schema_for(split)
        self.paths: list[Path] = []
        self._writer: pq.ParquetWriter | None = None
        self._rows_in_shard = 0

    def write(self, rows: pa.Table) -> None:
        if self._writer is None:
            path = self.folder / f"{self.split}-{len(self.paths):05d}.parquet"
            self.paths.append(path)
            with writing(path):
                self._writer = pq.ParquetWriter(
                    path, self.schema, compression="zstd", use_dictionary=DICTIONARY_COLUMNS
                )
        if not rows.num_rows:  # an empty split: schema only, no row group (``datasets`` fails on one)
            return
        with writing(self.paths[-1]):
            self._writer.write_table(rows, row_group_size=ROW_GROUP)
        self._rows_in_shard += rows.num_rows
        if self._rows_in_shard >= self.shard_rows:
            self.close()

    def close(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            self._rows_in_shard = 0
            with writing(self.paths[-1]):
                writer.close()


class DatasetWriter:
    """Collects documents into parquet shards per split; ``commit`` moves the folder into place.

    The caller holds the output (:func:`~corpus_tools.safety.folders.claim_output`), which
    has already cleared what killed runs left beside it.
    """

    def __init__(self, out_dir: str | Path, shard_rows: int = 50_000) -> None:
        self.out_dir = Path(out_dir)
        self.shard_rows = shard_rows
        self.stage_dir = staging(self.out_dir)
        (self.stage_dir / "data").mkdir(parents=True)
        self._stats = RunStats()
        self._waiting: list[Document] = []  # added one by one, prepared a row group at a time
        self._files = {split: _SplitFiles(self.stage_dir / "data", split, shard_rows) for split in SPLITS}
        self._buffers: dict[str, list[pa.Table]] = {split: [] for split in SPLITS}
        self._buffered: dict[str, int] = dict.fromkeys(SPLITS, 0)
        self._shard_fill: dict[str, int] = dict.fromkeys(SPLITS, 0)  # rows sent to the current shard
        self._rows: dict[str, int] = dict.fromkeys(SPLITS, 0)
        self._bytes: dict[str, int] = dict.fromkeys(SPLITS, 0)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet")
        self._pending: list[Future[None]] = []
        self.samples: list[Document] = []
        self._ids = UniqueIds()  # a repeated id is renamed ID~2 (writers/ids.py)

    def add(self, doc: Document) -> None:
        self._waiting.append(doc)
        if len(self._waiting) >= ROW_GROUP:
            self._drain()

    def add_prepared(self, prepared: Prepared) -> None:
        """Take documents a worker already made into rows (:func:`~.schema.prepare`), in input order."""
        self._drain()
        self._stats.merge(prepared.stats)
        self.samples.extend(prepared.samples[: SAMPLES - len(self.samples)])
        for split in SPLITS:
            table = prepared.tables[split]
            if not table.num_rows:
                continue
            table = self._ids.table(table)
            self._rows[split] += table.num_rows
            self._bytes[split] += prepared.text_bytes[split]
            self._buffers[split].append(table)
            self._buffered[split] += table.num_rows
            # a row group never straddles two shards: it is cut where the shard ends
            while self._buffered[split] >= (size := self._group_size(split)):
                self._flush(split, size)

    def _group_size(self, split: str) -> int:
        return min(ROW_GROUP, self.shard_rows - self._shard_fill[split])

    @property
    def stats(self) -> RunStats:
        """The run's statistics, with every document added so far folded in."""
        self._drain()
        return self._stats

    def _drain(self) -> None:
        """Prepare the documents added one by one, as a worker would have."""
        docs, self._waiting = self._waiting, []
        if docs:
            self.add_prepared(prepare(docs))

    def _flush(self, split: str, size: int) -> None:
        """Send the first ``size`` buffered rows of ``split`` (all, when fewer) to the writing thread."""
        tables = self._buffers[split] or [schema_for(split).empty_table()]
        buffered = pa.concat_tables(tables)
        rows, rest = buffered.slice(0, size), buffered.slice(size)
        self._buffers[split] = [rest] if rest.num_rows else []
        self._buffered[split] = rest.num_rows
        self._shard_fill[split] = (self._shard_fill[split] + rows.num_rows) % self.shard_rows
        while self._pending and (self._pending[0].done() or len(self._pending) >= PENDING):
            self._pending.pop(0).result()  # waits when too many are queued; raises what the thread raised
        self._pending.append(self._thread.submit(self._files[split].write, rows.combine_chunks()))

    def _finish_files(self) -> None:
        self._drain()
        for split in SPLITS:
            # an empty split still gets a shard (the schema, no row group), so both configs always load
            if self._buffered[split] or not self._rows[split]:
                self._flush(split, self._buffered[split])
            self._pending.append(self._thread.submit(self._files[split].close))
        for future in self._pending:
            future.result()
        self._pending.clear()
        self._thread.shutdown()

    def commit(self, make_card: Callable[[dict[str, list[str]]], str], run_info: dict[str, Any]) -> None:
        """Finish shards, write card and run record, swap the folder in.

        ``make_card`` receives the final shard names per split, which the card lists.
        """
        self._finish_files()
        data_files = {split: self._name_shards(split) for split in SPLITS}
        with writing(self.stage_dir):
            (self.stage_dir / "run.json").write_text(
                json.dumps(run_info, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            (self.stage_dir / "README.md").write_text(make_card(data_files), encoding="utf-8")
            DATASET.mark(self.stage_dir)
        swap_in(self.stage_dir, self.out_dir)

    def _name_shards(self, split: str) -> list[str]:
        shards = self._files[split].paths
        names = []
        for index, path in enumerate(shards):
            digest = file_sha256(path)[:12]
            final = path.with_name(f"{split}-{index:05d}-of-{len(shards):05d}-{digest}.parquet")
            path.rename(final)
            names.append(final.relative_to(self.stage_dir).as_posix())
        return names

    def split_sizes(self) -> dict[str, tuple[int, int]]:
        """Rows and text bytes per split, for the card's ``dataset_info``."""
        self._drain()
        return {split: (self._rows[split], self._bytes[split]) for split in SPLITS}

    def abort(self) -> None:
        self._thread.shutdown(cancel_futures=True)
        for files in self._files.values():
            with contextlib.suppress(OSError):  # the folder goes anyway
                files.close()
        shutil.rmtree(self.stage_dir, ignore_errors=True)
