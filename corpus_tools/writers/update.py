"""``clean NEW --out DATASET --update``: add documents to a dataset folder without rewriting it.

The new folder version is built beside the old one like any run's (a staging folder swapped
in at the end): the old shards and ``reproduce/`` are hard-linked into it (copied where links
cannot be made), the new documents' shards are added under names of their own, and the card,
``run.json`` and ``state/`` are written again. Until the swap the old folder is untouched and
loadable. The corpus passes start from ``state/`` (:meth:`CorpusStep.seed`), so new documents
are deduplicated against the old ones and the site templates count every document.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from corpus_tools import __version__
from corpus_tools.config import Chain, ConfigError, load_chain
from corpus_tools.dedup.state import FOLDER as STATE_FOLDER
from corpus_tools.dedup.state import load_stats
from corpus_tools.shards import SPLITS, card_metadata, split_files
from corpus_tools.stats import RunStats
from corpus_tools.steps import CorpusStep
from corpus_tools.writers.dataset import DatasetWriter
from corpus_tools.writers.reproduce import CONFIG_NAME
from corpus_tools.writers.reproduce import FOLDER as REPRODUCE

REWRITTEN = ("README.md", "run.json", STATE_FOLDER)  # written again by every update; the rest is linked


class UpdateError(Exception):
    """The folder cannot be updated as asked (the message says what to do)."""


@dataclass
class Existing:
    """The dataset folder an update adds to, as its files describe it."""

    folder: Path
    chain: Chain
    run: dict[str, Any]
    data_files: dict[str, list[str]]
    sizes: dict[str, tuple[int, int]]
    stats: RunStats

    @property
    def number(self) -> int:
        """This update's number (1 for the first), part of its shards' names."""
        return len(self.run.get("updates", [])) + 1


def open_existing(folder: Path, config: str | None, force: bool) -> Existing:
    """Check ``folder`` can be updated with this version and config; refuse with a reason otherwise."""
    needed = [
        folder / "README.md",
        folder / "run.json",
        folder / REPRODUCE / CONFIG_NAME,
        folder / STATE_FOLDER,
    ]
    missing = [str(path) for path in needed if not path.exists()]
    if missing:
        raise UpdateError(
            f"{folder} cannot be updated: {', '.join(missing)} missing (a folder written by "
            "'corpus-tools clean' carries them); run clean without --update to make it"
        )
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    version = run.get("corpus_tools_version")
    if version != __version__ and not force:
        raise UpdateError(
            f"{folder} was written by corpus-tools {version}, this is {__version__}: the new documents "
            "would be cleaned differently from the old ones; clean everything again, or give "
            "--force-update to add them anyway"
        )
    try:
        chain = load_chain(str(folder / REPRODUCE / CONFIG_NAME))
        if config is not None:
            given = load_chain(config)
            if given.config.model_dump(mode="json") != chain.config.model_dump(mode="json"):
                if not force:
                    raise UpdateError(
                        f"--config {config} is not the config {folder} was made with "
                        f"({folder / REPRODUCE / CONFIG_NAME}); leave --config out to use that one, "
                        "or give --force-update to clean the new documents with yours"
                    )
                chain = given
    except ConfigError as exc:
        raise UpdateError(str(exc)) from exc
    data_files = {
        split: [p.relative_to(folder).as_posix() for p in split_files(folder, split)] for split in SPLITS
    }
    return Existing(folder, chain, run, data_files, _sizes(folder), load_stats(folder / STATE_FOLDER))


def _sizes(folder: Path) -> dict[str, tuple[int, int]]:
    """Rows and text bytes per split, as the card's ``dataset_info`` says."""
    meta = card_metadata(folder / "README.md")
    by_config = {info["config_name"]: info["splits"][0] for info in meta.get("dataset_info") or []}
    sizes = {}
    for split, config in (("train", "default"), ("rejected", "rejected")):
        info = by_config.get(config, {})
        sizes[split] = (int(info.get("num_examples", 0)), int(info.get("num_bytes", 0)))
    return sizes


def prepare_steps(steps: list[Any], state_out: Path, seed_from: Path | None) -> None:
    """Every corpus pass saves its state into the new folder, and starts from the old one's."""
    for step in steps:
        if isinstance(step, CorpusStep):
            step.keep_state(state_out)
            if seed_from is not None:
                step.seed(seed_from)


class UpdateWriter(DatasetWriter):
    """A dataset writer whose folder starts as the old one's (linked) and whose card lists both."""

    def __init__(self, existing: Existing, shard_rows: int) -> None:
        super().__init__(existing.folder, shard_rows)
        self.existing = existing
        for path in sorted(existing.folder.rglob("*")):
            relative = path.relative_to(existing.folder)
            if relative.parts[0] in REWRITTEN or any(part.startswith(".") for part in relative.parts):
                continue
            target = self.stage_dir / relative
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif not target.exists():
                _link_or_copy(path, target)
        self._claim_old_ids()

    def _claim_old_ids(self) -> None:
        """A new document whose id the dataset holds already is renamed ``ID~2`` (writers/ids.py)."""
        import pyarrow.parquet as pq

        for names in self.existing.data_files.values():
            for name in names:
                for doc_id in (
                    pq.read_table(self.existing.folder / name, columns=["id"]).column("id").to_pylist()
                ):
                    self._ids.claim(doc_id)

    def _name_shards(self, split: str) -> list[str]:
        old = self.existing.data_files[split]
        if not self._rows[split]:  # nothing new in this split: its empty shard is not added
            for path in self._files[split].paths:
                path.unlink()
            return old
        names = []
        for name in super()._name_shards(split):  # split-00000-of-00002-digest, renamed split-update001-...
            path = self.stage_dir / name
            final = path.with_name(f"{split}-update{self.existing.number:03d}-{path.name[len(split) + 1 :]}")
            path.rename(final)
            names.append(final.relative_to(self.stage_dir).as_posix())
        return [name for name in old if self._has_rows(name)] + names

    def _has_rows(self, name: str) -> bool:
        """An old empty shard (a split with no rows, kept so the config loads) goes once rows come."""
        import pyarrow.parquet as pq

        path = self.stage_dir / name
        if pq.ParquetFile(path).metadata.num_rows:
            return True
        path.unlink()
        return False

    def split_sizes(self) -> dict[str, tuple[int, int]]:
        new = super().split_sizes()
        old = self.existing.sizes
        return {split: (old[split][0] + new[split][0], old[split][1] + new[split][1]) for split in SPLITS}

    def whole_stats(self) -> RunStats:
        """The old folder's statistics with the new documents' folded in."""
        stats = RunStats()
        stats.merge(self.existing.stats)
        stats.merge(self.stats)
        stats.corpus_passes = self.stats.corpus_passes
        return stats


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def update_entry(inputs: list[str], new: RunStats, passes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One line of the folder's update history: when, from what, what it added and refused."""
    dedup = passes.get("dedup", {})
    of_existing = int(dedup.get("duplicates_of_existing", 0))
    found = int(dedup.get("exact_duplicates", 0)) + int(dedup.get("near_duplicates", 0))
    found += int(dedup.get("same_url", 0))
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "inputs": list(inputs),
        "corpus_tools_version": __version__,
        "documents_read": new.documents_in,
        "documents_added": new.documents_out,
        "documents_rejected": new.documents_dropped,
        "duplicates_of_existing": of_existing,
        "duplicates_among_new": found - of_existing,
    }


def history_section(updates: list[dict[str, Any]]) -> list[str]:
    """The card's record of the updates, oldest first (also in ``run.json``'s ``updates``)."""
    lines = [
        "## Updates",
        "",
        "Documents added to this dataset after its first run (`corpus-tools clean --update`); each",
        "update's shards are named `*-updateNNN-*`, and the shards before it were not rewritten.",
        "",
        "| # | date | inputs | read | added | rejected | duplicates of earlier documents "
        "| duplicates among the new |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for number, entry in enumerate(updates, 1):
        inputs = ", ".join(f"`{item}`" for item in entry["inputs"]).replace("|", "\\|")
        figures = [entry[key] for key in ("documents_read", "documents_added", "documents_rejected")]
        figures += [entry["duplicates_of_existing"], entry["duplicates_among_new"]]
        lines.append(f"| {number} | {entry['date']} | {inputs} | " + " | ".join(map(str, figures)) + " |")
    return [*lines, ""]
