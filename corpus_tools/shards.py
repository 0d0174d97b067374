"""Where a dataset folder's shards are: the card's YAML header lists each config's files.

Every reader of a finished dataset (export, publish, an update, dedup reading old texts
back) finds the shards here, as ``load_dataset`` does, so they all see the same files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SPLITS = ("train", "rejected")
CONFIG_OF_SPLIT = {"train": "default", "rejected": "rejected"}


class ExportError(Exception):
    """The folder is not a dataset this toolkit wrote, or the output cannot be written."""


def split_files(dataset_dir: Path, split: str) -> list[Path]:
    """The parquet shards of ``split``, in order, as the card's ``configs`` list them."""
    if split not in SPLITS:
        raise ExportError(f"unknown split {split!r}; choose from {', '.join(SPLITS)}")
    card = dataset_dir / "README.md"
    if not card.is_file():
        raise ExportError(f"{dataset_dir}: no README.md; is this a folder written by 'corpus-tools clean'?")
    meta = card_metadata(card)
    wanted = CONFIG_OF_SPLIT[split]
    for config in meta.get("configs") or []:
        if config.get("config_name") != wanted:
            continue
        paths: list[str] = []
        for entry in config.get("data_files") or []:
            value = entry["path"] if isinstance(entry, dict) else entry
            paths += [value] if isinstance(value, str) else list(value)
        files = [dataset_dir / path for path in paths]
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise ExportError(f"{dataset_dir}: the card lists shards that are missing: {', '.join(missing)}")
        return files
    if split == "rejected":
        return []  # a folder written before every dataset had both configs
    raise ExportError(f"{dataset_dir}/README.md: no '{wanted}' config in the card's YAML header")


def card_metadata(card: Path) -> dict[str, Any]:
    """The YAML header of a dataset card, read with ``yaml.safe_load``: a header is data from
    anywhere (a download), so a Python tag in it is refused, never built."""
    import yaml

    text = card.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    header = text[3:].split("\n---", 1)[0]
    try:
        meta = yaml.safe_load(header)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ExportError(f"{card}: the YAML header cannot be read safely ({problem})") from None
    if meta is not None and not isinstance(meta, dict):
        raise ExportError(f"{card}: the YAML header is not a mapping")
    return meta or {}
