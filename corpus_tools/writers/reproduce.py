"""What a dataset folder carries to be made again: the config, the files it read, the version.

``reproduce/config.yaml`` is the config the run loaded, and every file its steps read (rule
packs) sits beside it at the same path relative to the config as at run time, so the config's
own relative paths and globs (``packs/*.yaml``) find exactly the copies. A file the config
reached outside its own folder (``../shared/packs/x.yaml``, an absolute path) cannot keep its
path: it is copied under ``reproduce/external/`` and the config is written again with its
``packs`` pointing there (the YAML then loses its comments; the original text stays in the card).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from corpus_tools import __version__
from corpus_tools.config import Chain

FOLDER = "reproduce"
CONFIG_NAME = "config.yaml"
EXTERNAL = "external"
REQUIREMENTS = "requirements.txt"
PACKAGE = "corpus-tools"


def bundle_files(chain: Chain) -> dict[str, Path]:
    """Path inside ``reproduce/`` -> the file to copy there, for every file the chain read."""
    base = chain.path.resolve().parent
    placed: dict[str, Path] = {}
    for position, step in enumerate(chain.listed_steps, 1):
        for index, path in enumerate(step.files_read()):
            full = path.resolve()
            if full.is_relative_to(base):
                placed[full.relative_to(base).as_posix()] = full
            else:
                placed[f"{EXTERNAL}/{position}-{type(step).name}-{index:03d}-{full.name}"] = full
    return placed


def config_text(chain: Chain, placed: dict[str, Path]) -> str:
    """The config as loaded, or re-written to name the external copies when there are any."""
    external = {path: name for name, path in placed.items() if name.startswith(f"{EXTERNAL}/")}
    if not external:
        return chain.source_text
    data: dict[str, Any] = yaml.safe_load(chain.source_text)
    for entry, step in zip(data["steps"], chain.listed_steps, strict=True):
        if step.files_read():
            entry["packs"] = [_bundle_name(path.resolve(), placed) for path in step.files_read()]
    header = f"# written by corpus-tools {__version__} from {chain.path.name}: its packs copied beside it\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _bundle_name(path: Path, placed: dict[str, Path]) -> str:
    return next(name for name, source in placed.items() if source == path)


def write_bundle(chain: Chain, dataset_dir: Path) -> list[str]:
    """Write ``reproduce/`` into a (staging) dataset folder; returns the paths written, relative."""
    folder = dataset_dir / FOLDER
    folder.mkdir()
    placed = bundle_files(chain)
    (folder / CONFIG_NAME).write_text(config_text(chain, placed), encoding="utf-8")
    (folder / REQUIREMENTS).write_text(f"{PACKAGE}=={__version__}\n", encoding="utf-8")
    for name, source in placed.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return [f"{FOLDER}/{name}" for name in (CONFIG_NAME, REQUIREMENTS, *placed)]
