"""``corpus-tools report DIR [--out FILE]``: a static HTML report of a run, with a diff page per document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus_tools.commands import non_negative_int, note


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser(
        "report",
        help="write a static HTML report of a run (figures, rules, removed lines, duplicates, diffs)",
        description="Write a static HTML report of a dataset folder: no server, no network; open the "
        "index file in a browser.",
    )
    report.add_argument("dataset", metavar="DIR", type=Path, help="dataset folder written by 'clean'")
    report.add_argument(
        "--out",
        type=Path,
        default=None,
        help="index file to write; its folder holds the other pages and is replaced "
        "(default: DIR-report/index.html, beside the dataset folder)",
    )
    report.add_argument(
        "--max-diffs",
        type=non_negative_int,
        default=None,
        metavar="N",
        help="diff pages for the first N documents (default 1000), besides those for the documents "
        "the report names and the first rejected ones of each reason",
    )
    report.add_argument("--all-diffs", action="store_true", help="a diff page for every document")
    report.set_defaults(handler=run)


def default_output(dataset: Path) -> Path:
    """Beside the dataset folder, never inside it (``publish`` uploads the folder as it is)."""
    dataset = dataset.resolve()
    return dataset.parent / f"{dataset.name}-report" / "index.html"


def run(args: argparse.Namespace) -> int:
    from corpus_tools.inspect.load import DatasetError, shards
    from corpus_tools.inspect.report import DEFAULT_DIFFS, ReportError, build_report

    out = args.out if args.out is not None else default_output(args.dataset)
    if out.suffix.lower() not in (".html", ".htm"):
        print(f"corpus-tools: --out {out}: give the index file, ending in .html", file=sys.stderr)
        return 2
    try:
        shards(args.dataset)
        max_diffs = (
            None if args.all_diffs else args.max_diffs if args.max_diffs is not None else DEFAULT_DIFFS
        )
        figures = build_report(args.dataset, out.parent, index_name=out.name, max_diffs=max_diffs)
    except (DatasetError, ReportError) as exc:
        print(f"corpus-tools: {exc}", file=sys.stderr)
        return 2
    note(
        args,
        f"wrote {out} ({figures['documents']} documents, {figures['diff_pages']} diff pages, "
        f"{figures['seconds']:.1f} s); open file://{out.resolve()} in a browser",
    )
    return 0
