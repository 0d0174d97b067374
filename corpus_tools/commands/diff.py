"""``corpus-tools diff ID|RAW_PATH --dataset DIR``: one document, raw against clean, every edit named."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus_tools.commands import note


def register(subparsers: argparse._SubParsersAction) -> None:
    diff = subparsers.add_parser(
        "diff",
        help="show what the chain removed or repaired in one document, and which rule did it",
        description="Rebuild one document's raw text from the dataset's edit record and show it "
        "against the clean text. Works from the dataset folder alone.",
    )
    diff.add_argument("key", metavar="ID|RAW_PATH", help="document id, or the input path it was read from")
    diff.add_argument(
        "--dataset", required=True, type=Path, metavar="DIR", help="dataset folder written by 'clean'"
    )
    diff.add_argument(
        "--format",
        choices=("term", "unified", "html"),
        default="term",
        help="term: raw text with removals struck and tagged (plain markup when not a terminal); "
        "unified: a unified diff raw -> clean; html: a side-by-side page (default: term)",
    )
    diff.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE", help="write to this file instead of stdout"
    )
    diff.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from corpus_tools.escape import printable
    from corpus_tools.inspect.diff import render_html, render_plain, render_term, render_unified
    from corpus_tools.inspect.load import DatasetError, find_document

    try:
        found = find_document(args.dataset, args.key)
    except DatasetError as exc:
        print(f"corpus-tools: {exc}", file=sys.stderr)
        return 2
    if args.format == "unified":
        text = render_unified(found.doc)
    elif args.format == "html":
        text = render_html(found)
    elif args.output is None:
        render_term(found, Console(highlight=False))
        return 0
    else:
        text = render_plain(found)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        note(args, f"wrote {args.output}")
    elif args.format == "unified" and not sys.stdout.isatty():
        sys.stdout.write(text)  # exact, for patch: only a terminal gets the escaped form
    else:
        sys.stdout.write(printable(text))
    return 0
