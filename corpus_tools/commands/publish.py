"""``corpus-tools publish DIR --repo-id ORG/NAME``: upload a dataset folder to the Hugging Face Hub."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus_tools.commands import note


def register(subparsers: argparse._SubParsersAction) -> None:
    publish = subparsers.add_parser("publish", help="upload a dataset folder to the Hugging Face Hub")
    publish.add_argument(
        "dataset", metavar="DIR", type=Path, help="dataset folder written by 'corpus-tools clean'"
    )
    publish.add_argument(
        "--repo-id", required=True, help="ORG/NAME of the dataset repository (made if missing)"
    )
    publish.add_argument(
        "--private",
        action="store_true",
        help="make a new repository private (an existing one keeps its visibility)",
    )
    publish.add_argument("--revision", default=None, help="branch to commit to (made if missing)")
    publish.add_argument("--message", default=None, help="commit message")
    publish.add_argument(
        "--dry-run", action="store_true", help="check everything and list the files; upload nothing"
    )
    publish.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from corpus_tools.publish import PublishError, check_repo_id, publish, upload_plan

    try:
        if args.dry_run:
            check_repo_id(args.repo_id)
            files = upload_plan(args.dataset)
            target = f"datasets/{args.repo_id}" + (f"@{args.revision}" if args.revision else "")
            print(f"would upload {len(files)} files to {target}:")
            for file in files:
                print(f"  {file.path}\t{file.size}")
            return 0
        url = publish(
            args.dataset, args.repo_id, private=args.private, revision=args.revision, message=args.message
        )
    except PublishError as exc:
        print(f"corpus-tools: {exc}", file=sys.stderr)
        return exc.exit_code
    if url is None:
        note(args, f"datasets/{args.repo_id} already holds every file of {args.dataset}: nothing uploaded")
        return 0
    note(args, f"published {args.dataset} to {url}")
    return 0
