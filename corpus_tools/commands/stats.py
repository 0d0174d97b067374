"""``corpus-tools stats DIR [--json]``: the run's figures, folded again from the dataset's edit records."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    stats = subparsers.add_parser(
        "stats",
        help="print a dataset's figures: documents, drops by reason, edits per step and rule",
        description="Fold the figures of a run again from the dataset folder's rows (edit records and "
        "rejections), as text or JSON.",
    )
    stats.add_argument("dataset", metavar="DIR", type=Path, help="dataset folder written by 'clean'")
    stats.add_argument("--json", action="store_true", help="print JSON (the keys of run.json's 'stats')")
    stats.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from corpus_tools.escape import printable
    from corpus_tools.inspect.load import DatasetError
    from corpus_tools.inspect.stats import dataset_stats, text_report

    try:
        stats = dataset_stats(args.dataset)
    except DatasetError as exc:
        print(f"corpus-tools: {exc}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(stats.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(printable(text_report(stats)))
    return 0
