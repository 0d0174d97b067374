"""Exports of a dataset folder for people who do not use ``datasets``: JSONL, one parquet, text files.

An export reads the shards the card lists (so it sees exactly what ``load_dataset`` sees),
streams them batch by batch (memory holds one batch, never the corpus), and writes to a
temporary name moved into place at the end: an interrupted export leaves no half file, and
the dataset folder itself is only ever read. An existing output is replaced only when an
export wrote it (:mod:`corpus_tools.safety.folders`: a marker in a text folder, a sidecar
with the file's sha256 beside a JSONL or parquet file), under the output's lock.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.safety.disk import writing
from corpus_tools.safety.folders import EXPORT_FILE, EXPORT_TEXT, claim_output, staging, swap_in
from corpus_tools.shards import ExportError, split_files
from corpus_tools.writers.names import safe_relative_path
from corpus_tools.writers.schema import schema_for

FORMATS = ("jsonl", "parquet", "txt")
BATCH = 1_000  # rows per batch read from a shard


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: str  # "-" for standard output
    rows: int


def _batches(files: list[Path]) -> Iterator[pa.RecordBatch]:
    for path in files:
        yield from pq.ParquetFile(path).iter_batches(batch_size=BATCH)


def default_output(dataset_dir: Path, fmt: str, split: str) -> Path:
    """Beside the dataset folder, never inside it (``publish`` uploads the folder as it is)."""
    suffix = "" if fmt == "txt" else f".{fmt}"
    return dataset_dir.parent / f"{dataset_dir.name}-{split}{suffix}"


def export(
    dataset_dir: str | Path, fmt: str, out: str | Path | None = None, split: str = "train"
) -> ExportResult:
    dataset_dir = Path(dataset_dir)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    files = split_files(dataset_dir, split)
    if out is not None and str(out) == "-":
        if fmt != "jsonl":
            where = "--out FILE" if fmt == "parquet" else "--out DIR (one .txt file per document)"
            raise ExportError(f"{fmt} cannot go to standard output; give {where}, or use --format jsonl")
        return ExportResult("-", _write_stream(files, fmt, sys.stdout))
    wanted = Path(out) if out is not None else default_output(dataset_dir, fmt, split)
    with claim_output(wanted, EXPORT_TEXT if fmt == "txt" else EXPORT_FILE, [dataset_dir]) as target:
        rows = _write(files, fmt, split, target)
    return ExportResult(str(wanted), rows)


def _write(files: list[Path], fmt: str, split: str, target: Path) -> int:
    """Write beside ``target`` under a temporary name, mark it as the tool's, move it in."""
    temp = staging(target)
    try:
        with writing(temp):
            if fmt == "parquet":
                rows = _write_parquet(files, temp, split)
            elif fmt == "txt":
                rows = _write_txt(files, temp)
            else:
                with temp.open("w", encoding="utf-8", newline="\n") as stream:
                    rows = _write_stream(files, fmt, stream)
            if fmt == "txt":
                EXPORT_TEXT.mark(temp)
            else:
                EXPORT_FILE.mark(temp, target)
        if fmt == "txt":
            swap_in(temp, target)
        else:
            os.replace(temp, target)
    except BaseException:
        if temp.is_dir():
            shutil.rmtree(temp, ignore_errors=True)
        else:
            temp.unlink(missing_ok=True)
        raise
    return rows


def _write_stream(files: list[Path], fmt: str, stream: Any) -> int:
    """JSONL: one row per line, every column, the edit record as a list of objects."""
    rows = 0
    for batch in _batches(files):
        for row in batch.to_pylist():
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            rows += 1
    return rows


def _write_parquet(files: list[Path], path: Path, split: str) -> int:
    """All shards of the split as one parquet file, same schema."""
    schema = pq.read_schema(files[0]) if files else schema_for(split)
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in _batches(files):
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def text_file_name(doc_id: str) -> str:
    """A relative ``.txt`` path from a document id: ids are input paths, so the layout mirrors the input.

    Any id gives a path that stays inside the export folder and that every common file system
    accepts (see :mod:`corpus_tools.writers.names`); the mapping is deterministic, and the
    exporter numbers the rare clash of two ids on one name.
    """
    return safe_relative_path(doc_id, ".txt")


def _write_txt(files: list[Path], folder: Path) -> int:
    """One UTF-8 file per document, named after its id; a clash gets ``~2``, ``~3``… in row order."""
    folder.mkdir()
    used: set[str] = set()
    rows = 0
    for batch in _batches(files):
        ids = batch.column("id").to_pylist()
        texts = batch.column("text").to_pylist()
        for doc_id, text in zip(ids, texts, strict=True):
            name = text_file_name(doc_id)
            stem, number = name[: -len(".txt")], 1
            while name.lower() in used:
                number += 1
                name = f"{stem}~{number}.txt"
            used.add(name.lower())
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\n", encoding="utf-8", newline="\n")
            rows += 1
    return rows
