"""``corpus-tools config init DIR`` / ``config list``: the shipped configs, copied out to be edited.

The configs and rule packs live in the package; ``init`` writes them into a folder of the
user's (the config's pack paths are relative to it, so the copy runs as it is), and never
overwrites: a file already there stops the command before anything is written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from corpus_tools.commands import note


def register(subparsers: argparse._SubParsersAction) -> None:
    config = subparsers.add_parser("config", help="list the shipped configs or copy them out to edit")
    actions = config.add_subparsers(dest="action", required=True)
    init = actions.add_parser(
        "init",
        help="write the shipped configs and rule packs into DIR (never overwrites a file)",
        description="Write the shipped configs (default.yaml, encoding-only.yaml) and their rule "
        "packs (packs/*.yaml) into DIR, to edit and run with --config DIR/default.yaml.",
    )
    init.add_argument("folder", metavar="DIR", type=Path, help="folder to write (made if missing)")
    init.set_defaults(handler=run_init)
    listing = actions.add_parser("list", help="print the shipped configs' names and files")
    listing.set_defaults(handler=run_list)


def shipped_files() -> list[Path]:
    """Every file of the shipped configs folder (configs and packs), relative to it."""
    from corpus_tools.config import CONFIG_DIR

    return sorted(p.relative_to(CONFIG_DIR) for p in CONFIG_DIR.rglob("*.yaml") if p.is_file())


def run_init(args: argparse.Namespace) -> int:
    from corpus_tools.config import CONFIG_DIR

    files = shipped_files()
    existing = [str(args.folder / name) for name in files if (args.folder / name).exists()]
    if existing:
        print(
            f"corpus-tools: {', '.join(existing)} already exist; nothing written "
            "(move them away or choose another folder)",
            file=sys.stderr,
        )
        return 2
    for name in files:
        target = args.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CONFIG_DIR / name, target)
    config = args.folder / "default.yaml"
    note(args, f"wrote {len(files)} files into {args.folder}; edit them, then run with --config {config}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from corpus_tools.config import shipped_configs

    for name, path in shipped_configs().items():
        print(f"{name}\t{path}")
    return 0
