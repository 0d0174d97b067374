"""Read a dataset folder back: find one document, or stream them all.

A lookup reads the small ``id`` (then ``raw_path``) column of each row group and decodes the
full row group only where the key is, so finding one document in a large run costs one
column scan, not the corpus text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus_tools.document import Document
from corpus_tools.writers.schema import SPLITS, document_of

BATCH = 2_000  # rows decoded at a time when streaming a split
SHOWN = 5  # documents named when a key matches several


class DatasetError(Exception):
    """The folder is not a dataset, or the key names no (or more than one) document in it."""


@dataclass(slots=True)
class Found:
    split: str
    doc: Document


def shards(dataset: Path) -> dict[str, list[Path]]:
    """The parquet shards of each split, in order."""
    data = Path(dataset) / "data"
    if not data.is_dir():
        raise DatasetError(f"{dataset}: not a dataset folder (no data/ folder of parquet shards)")
    found = {split: sorted(data.glob(f"{split}-*.parquet")) for split in SPLITS}
    if not any(found.values()):
        raise DatasetError(f"{dataset}: data/ holds no train-*.parquet or rejected-*.parquet shard")
    return found


def run_info(dataset: Path) -> dict[str, Any]:
    """The run record ``clean`` wrote next to the shards (empty when absent)."""
    path = Path(dataset) / "run.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def count_rows(dataset: Path) -> dict[str, int]:
    return {
        split: sum(pq.ParquetFile(path).metadata.num_rows for path in paths)
        for split, paths in shards(dataset).items()
    }


def iter_documents(dataset: Path) -> Iterator[tuple[str, Document]]:
    """Every document of the folder (train, then rejected) with its split, a batch at a time."""
    for split, paths in shards(dataset).items():
        for path in paths:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
                for row in batch.to_pylist():
                    yield split, document_of(row)


def find_document(dataset: Path, key: str) -> Found:
    """The document whose id is ``key``, or else whose ``raw_path`` is ``key``.

    A raw path matches as written at clean time or as any longer or shorter form of the same
    path (``raw/a.txt``, ``./raw/a.txt``, ``/abs/project/raw/a.txt``); a JSONL document is
    ``FILE:LINE``. A key matching several documents (a JSONL file without its ``:LINE``) is an
    error listing some of them.
    """
    all_shards = shards(dataset)
    count, hits = _lookup(all_shards, "id", lambda column: pc.equal(column, key))
    if not count:
        forms = _path_forms(key)
        count, hits = _lookup(
            all_shards,
            "raw_path",
            lambda column: pc.or_(
                pc.is_in(column, value_set=pa.array(forms)), pc.ends_with(column, "/" + forms[0])
            ),
        )
    if not count:  # a JSONL file: its documents are FILE:LINE
        alternatives = "|".join(re.escape(form) for form in forms)
        pattern = f"(?:^(?:{alternatives})|/{re.escape(forms[0])}):[0-9]+$"
        count, hits = _lookup(
            all_shards, "raw_path", lambda column: pc.match_substring_regex(column, pattern)
        )
    if not count:
        total = sum(count_rows(dataset).values())
        raise DatasetError(
            f"no document with id or raw_path {key!r} in {dataset} "
            f"(searched {total} documents in {' and '.join(SPLITS)})"
        )
    if count > 1:
        names = ", ".join(repr(doc.id) for _, doc in hits)
        more = f" and {count - len(hits)} more" if count > len(hits) else ""
        raise DatasetError(f"{key!r} matches {count} documents in {dataset}: {names}{more}; give one id")
    split, doc = hits[0]
    return Found(split, doc)


def _path_forms(key: str) -> list[str]:
    """The key normalised, then every tail of it (``/a/raw/x.txt`` -> ``raw/x.txt``, ``x.txt``)."""
    norm = os.path.normpath(key).replace(os.sep, "/")
    parts = norm.lstrip("/").split("/")
    forms = [norm] + ["/".join(parts[i:]) for i in range(len(parts))]
    return list(dict.fromkeys(forms))


def _lookup(
    all_shards: dict[str, list[Path]], column: str, match: Any
) -> tuple[int, list[tuple[str, Document]]]:
    """How many rows match, and the first :data:`SHOWN` of them decoded (the others never are)."""
    count = 0
    hits: list[tuple[str, Document]] = []
    for split, paths in all_shards.items():
        for path in paths:
            parquet = pq.ParquetFile(path)
            for group in range(parquet.num_row_groups):
                keys = parquet.read_row_group(group, columns=[column]).column(column)
                rows = pc.indices_nonzero(match(keys).fill_null(False)).to_pylist()
                count += len(rows)
                wanted = rows[: SHOWN - len(hits)]
                if wanted:
                    table = parquet.read_row_group(group).take(wanted)
                    hits.extend((split, document_of(row)) for row in table.to_pylist())
    return count, hits
