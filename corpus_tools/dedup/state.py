"""What the corpus passes leave in a dataset folder so that a later ``clean --update`` can go on.

A dataset folder carries ``state/`` (never listed in the card's ``configs``, so ``load_dataset``
does not read it):

* ``dedup-keys.npy``: per document dedup kept, its id hash and exact key (16 bytes);
  ``dedup-urls.npy`` its URL key, only under ``by_url``;
* ``dedup-bands.npy``: its LSH band keys (8 bytes x ``bands``);
* ``dedup-ids.parquet``: its id (zstd), to name it in ``duplicate_of``;
* ``site-templates.json``, ``site-templates-texts.npy`` and ``site-templates-lines.npy``: the
  sites, the (site, text hash) of each distinct text the pass counted (12 bytes), and the
  (line hash, site, texts) counts of the lines seen in at least ``LASTING_COUNT`` texts of
  a site;
* ``stats.json``: the run's statistics, whole, so the card of an update counts every document.

The shingle fingerprints that verify a near-duplicate pair (kilobytes per article) are not
kept: an update verifies a pair with an old document on that document's text, read back from
the dataset's shards for the few documents in candidate pairs. Every file is read whole with
one call (``np.load``, one parquet column), in time proportional to its size.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus_tools.shards import split_files
from corpus_tools.stats import RunStats

FOLDER = "state"
LASTING_COUNT = 2  # a site's line seen in fewer documents is not kept: most lines occur once
_KEYS, _URLS, _BANDS, _IDS = "dedup-keys.npy", "dedup-urls.npy", "dedup-bands.npy", "dedup-ids.parquet"
_SITES, _TEXTS, _LINES = "site-templates.json", "site-templates-texts.npy", "site-templates-lines.npy"
_STATS = "stats.json"
LINE_COUNT = np.dtype([("line", "<u8"), ("site", "<u4"), ("count", "<u4")])


@dataclass(slots=True)
class SavedDedup:
    """The documents dedup kept: the rows an update deduplicates new documents against."""

    ids: list[str]
    id_hashes: np.ndarray  # (n,) uint64
    exact: np.ndarray  # (n,) uint64
    urls: np.ndarray | None  # (n,) uint64, under by_url
    bands: np.ndarray  # (n, bands) uint64

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / _KEYS, np.stack((self.id_hashes, self.exact), axis=1))
        if self.urls is not None:
            np.save(folder / _URLS, self.urls)
        np.save(folder / _BANDS, self.bands)
        pq.write_table(pa.table({"id": pa.array(self.ids, pa.string())}), folder / _IDS, compression="zstd")

    @classmethod
    def load(cls, folder: Path) -> SavedDedup | None:
        if not (folder / _KEYS).is_file():
            return None
        keys = np.load(folder / _KEYS)
        urls = np.load(folder / _URLS) if (folder / _URLS).is_file() else None
        ids = pq.read_table(folder / _IDS).column("id").to_pylist()
        return cls(ids, keys[:, 0].copy(), keys[:, 1].copy(), urls, np.load(folder / _BANDS))


@dataclass(slots=True)
class SavedTemplates:
    """The sites, distinct texts and lasting (line, site, texts) counts of the site-template pass."""

    sites: list[str]
    texts: np.ndarray  # (site index, text hash) records, distinct
    lines: np.ndarray  # LINE_COUNT records

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / _SITES).write_text(json.dumps({"sites": self.sites}), encoding="utf-8")
        np.save(folder / _TEXTS, self.texts)
        np.save(folder / _LINES, self.lines)

    @classmethod
    def load(cls, folder: Path) -> SavedTemplates | None:
        if not (folder / _SITES).is_file():
            return None
        data = json.loads((folder / _SITES).read_text(encoding="utf-8"))
        return cls(data["sites"], np.load(folder / _TEXTS), np.load(folder / _LINES))


def save_stats(folder: Path, stats: RunStats) -> None:
    """The whole :class:`~corpus_tools.stats.RunStats` (``as_dict`` sums the cluster sizes away)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {name: dict(value) if isinstance(value, Counter) else value for name, value in vars(stats).items()}
    data["clusters"] = {str(size): count for size, count in stats.clusters.items()}
    (folder / _STATS).write_text(json.dumps(data, sort_keys=True, ensure_ascii=False), encoding="utf-8")


def load_stats(folder: Path) -> RunStats:
    stats = RunStats()
    path = folder / _STATS
    if not path.is_file():
        return stats
    for name, value in json.loads(path.read_text(encoding="utf-8")).items():
        current = getattr(stats, name, None)
        if isinstance(current, Counter):
            current.update({int(k) if name == "clusters" else k: v for k, v in value.items()})
        elif isinstance(current, int):
            setattr(stats, name, value)
    return stats


def state_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("*") if path.is_file())


def read_texts(dataset: Path, wanted: Iterable[str]) -> dict[str, str]:
    """The texts of documents ``wanted`` by id, from the dataset's shards (kept split first).

    Reads the id column of each shard and the text of only the row groups holding a wanted id.
    """
    missing = set(wanted)
    found: dict[str, str] = {}
    for split in ("train", "rejected"):
        for path in split_files(dataset, split):
            if not missing:
                return found
            shard = pq.ParquetFile(path)
            start = 0
            for group in range(shard.num_row_groups):
                ids = shard.read_row_group(group, columns=["id"]).column("id")
                start += len(ids)
                hits = pc.is_in(ids, value_set=pa.array(sorted(missing), pa.string()))
                if not pc.any(hits).as_py():
                    continue
                rows = shard.read_row_group(group, columns=["id", "text"]).filter(hits)
                for doc_id, text in zip(
                    rows.column("id").to_pylist(), rows.column("text").to_pylist(), strict=True
                ):
                    if doc_id in missing:
                        found[doc_id] = text
                        missing.discard(doc_id)
    return found
