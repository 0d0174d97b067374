"""The Python API: load a dataset folder, rebuild a document's raw text, walk its edits.

Every function takes rows exactly as ``datasets`` (or pyarrow's ``to_pylist``) returns them:
plain dicts whose ``edits`` is a list of dicts (or, for a ``Sequence`` feature, a dict of
lists). Nothing here needs the objects the chain works with internally.

    from corpus_tools import api
    train = api.load("clean/")                 # a datasets.Dataset
    row = train[0]
    raw = api.raw_text(row)                    # the text before the chain touched it
    for edit in api.edits(row):                # step, rule, start, end, before, after
        print(edit.step, edit.rule, repr(edit.before))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_tools.document import Edit
from corpus_tools.edits import as_edits, revert

if TYPE_CHECKING:
    from datasets import Dataset

CONFIGS = ("default", "rejected")
SPLIT_OF_CONFIG = {"default": "train", "rejected": "rejected"}


def load(folder: str | Path, config: str = "default", **kwargs: Any) -> Dataset:
    """One config of a dataset folder as a ``datasets.Dataset`` (``split="train"`` of it).

    ``datasets`` cannot load a split with no rows (it raises "corresponds to no data"); a run
    that dropped nothing has an empty ``rejected`` split, which this returns as an empty
    Dataset with the full schema instead. ``kwargs`` go to ``load_dataset`` (``cache_dir``).
    """
    from datasets import Dataset, load_dataset

    from corpus_tools.shards import split_files
    from corpus_tools.writers.schema import schema_for

    if config not in CONFIGS:
        raise ValueError(f"config {config!r}: choose from {', '.join(CONFIGS)}")
    split = SPLIT_OF_CONFIG[config]
    if not _has_rows(split_files(Path(folder), split)):
        return Dataset(schema_for(split).empty_table())
    return load_dataset(str(folder), config, split="train", **kwargs)


def _has_rows(files: list[Path]) -> bool:
    import pyarrow.parquet as pq

    return any(pq.ParquetFile(path).metadata.num_rows for path in files)


def edits(row: Mapping[str, Any]) -> Iterator[Edit]:
    """The row's edits in the order the chain made them (each indexes the text as it stood then)."""
    yield from as_edits(row.get("edits"))


def raw_text(row: Mapping[str, Any]) -> str:
    """The text as read from the input, rebuilt from the clean text by undoing the edits."""
    return revert(row["text"], as_edits(row.get("edits")))


def removed(row: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """``(step:rule, text)`` for every edit that took text out, in chain order."""
    for edit in edits(row):
        if edit.before and not edit.after:
            yield f"{edit.step}:{edit.rule}", edit.before


__all__ = ["load", "edits", "raw_text", "removed", "Edit"]
