"""``corpus-tools export DIR --format jsonl|parquet|txt``: the dataset for users without ``datasets``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus_tools.commands import note


def register(subparsers: argparse._SubParsersAction) -> None:
    from corpus_tools.writers.export import FORMATS

    export = subparsers.add_parser("export", help="write a dataset folder's split as JSONL, parquet or text")
    export.add_argument(
        "dataset", metavar="DIR", type=Path, help="dataset folder written by 'corpus-tools clean'"
    )
    export.add_argument("--format", required=True, choices=FORMATS, help="jsonl, one parquet file, or txt")
    export.add_argument(
        "--out",
        default=None,
        help="file (jsonl, parquet) or folder (txt) to write; '-' = stdout (jsonl only) "
        "(default: beside DIR, e.g. DIR-train.jsonl); an existing one is replaced only if an export "
        "wrote it and it is unchanged (docs/safety.md)",
    )
    export.add_argument("--split", default="train", choices=("train", "rejected"), help="default: train")
    export.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from corpus_tools.safety.disk import disk_full
    from corpus_tools.writers.export import ExportError, export

    try:
        result = export(args.dataset, args.format, args.out, args.split)
    except ExportError as exc:
        print(f"corpus-tools: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # `| head`: the command line's quiet stop, not a failure to report
    except OSError as exc:
        if disk_full(exc):
            raise  # the command line says it in one line, as for every command
        print(f"corpus-tools: export failed: {exc}", file=sys.stderr)
        return 1
    if result.path != "-":
        note(args, f"wrote {result.rows} rows of {args.split} to {result.path}")
    return 0
