"""``corpus-tools clean INPUT... --out DIR``: run the chain and write the dataset folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_tools import __version__
from corpus_tools.commands import non_negative_int, note
from corpus_tools.executors import EXECUTORS

if TYPE_CHECKING:
    from corpus_tools.config import Chain
    from corpus_tools.readers.files import InputFile
    from corpus_tools.stats import RunStats
    from corpus_tools.writers.update import Existing, UpdateWriter


def register(subparsers: argparse._SubParsersAction) -> None:
    clean = subparsers.add_parser("clean", help="run the cleaning chain and write a dataset folder")
    clean.add_argument(
        "inputs",
        nargs="+",
        help=".txt, .html/.htm, .jsonl(.gz|.zst), .warc(.gz|.zst), .wet(.gz) files, folders or globs",
    )
    clean.add_argument(
        "--out",
        required=True,
        type=Path,
        help="dataset folder to write; an existing one is replaced (atomically) only if corpus-tools "
        "wrote it (docs/safety.md)",
    )
    clean.add_argument(
        "--config",
        default=None,
        metavar="FILE|NAME",
        help="chain config: a YAML file, or a shipped config's name (default, encoding-only); "
        "default: default. 'corpus-tools config init DIR' copies them out to edit",
    )
    clean.add_argument("--text-field", default="text", help="JSONL field holding the text")
    clean.add_argument("--id-field", default="id", help="JSONL field holding the document id")
    add_limit_flags(clean)
    clean.add_argument(
        "--workers",
        type=non_negative_int,
        default=0,
        help="processes (local) or CPUs (ray, local instance) for the steps; 0 = all cores (default)",
    )
    clean.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="local: a process pool on this machine; ray: Ray Data (pip install 'corpus-tools[ray]')",
    )
    clean.add_argument(
        "--ray-address",
        default=None,
        help="Ray cluster to join (e.g. ray://head:10001 or auto); default: a local instance",
    )
    clean.add_argument(
        "--resume",
        action="store_true",
        help="reuse the finished units of an interrupted run with the same inputs and config",
    )
    clean.add_argument(
        "--max-seconds-per-document",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time budget of one document's steps: past it the document is rejected with reason "
        "timeout and the run goes on (default: the config's max_seconds_per_document, 60; 0 = none)",
    )
    clean.add_argument(
        "--update",
        action="store_true",
        help="add the inputs to the existing dataset --out with its own config: deduplicated against "
        "its documents, appended as new shards (docs/update.md)",
    )
    clean.add_argument(
        "--force-update",
        action="store_true",
        help="with --update: add to a folder written by another corpus-tools version or config",
    )
    clean.set_defaults(handler=run)


def add_limit_flags(parser: argparse.ArgumentParser) -> None:
    """The reading caps (docs/limits.md): a record or a text over them is rejected, not read."""
    from corpus_tools.readers.stream import MAX_DOCUMENT_BYTES, MAX_HTML_BYTES, MAX_RECORD_BYTES

    for flag, default, what in (
        ("--max-record-bytes", MAX_RECORD_BYTES, "one JSONL line or input file, decompressed"),
        ("--max-document-bytes", MAX_DOCUMENT_BYTES, "one document's text (UTF-8) into the chain"),
        ("--max-html-bytes", MAX_HTML_BYTES, "one HTML page's markup (extraction takes 30-150x that)"),
    ):
        parser.add_argument(
            flag,
            type=_size,
            default=default,
            metavar="SIZE",
            help=f"{what}; e.g. 64M (default {default >> 20}M)",
        )


def _size(value: str) -> int:
    from corpus_tools.readers.stream import parse_size

    try:
        return parse_size(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    from corpus_tools.config import ConfigError, load_chain
    from corpus_tools.readers import expand_inputs
    from corpus_tools.readers.files import SUFFIXES, InputError
    from corpus_tools.safety.folders import DATASET, WORK, claim_output
    from corpus_tools.writers.update import UpdateError, open_existing

    updating = args.update or args.force_update
    try:
        if updating:
            if args.resume:
                raise UpdateError("--resume cannot be combined with --update: run the update again")
            chain = open_existing(args.out, args.config, args.force_update).chain  # refused before the lock
        else:
            chain = load_chain(args.config)
        files = expand_inputs(args.inputs)
    except (ConfigError, InputError, UpdateError) as exc:
        print(f"corpus-tools: {exc}", file=sys.stderr)
        return 2
    if not files:
        print(
            f"corpus-tools: {' '.join(args.inputs)}: no input file ({', '.join(SUFFIXES)}), 0 documents "
            f"to clean; {args.out} was left as it was",
            file=sys.stderr,
        )
        return 2
    budget = args.max_seconds_per_document
    if budget is None:
        budget = chain.config.max_seconds_per_document
    if budget < 0:
        print("corpus-tools: --max-seconds-per-document must be 0 (no budget) or more", file=sys.stderr)
        return 2
    inputs = [Path(argument) for argument in args.inputs if Path(argument).exists()]
    inputs += [item.path for item in files]
    with claim_output(args.out, DATASET, inputs) as out:
        work_dir = out.parent / f".{out.name}.work"
        WORK.check(work_dir)  # a foreign folder there is refused before the run starts
        existing = None
        if updating:  # read again under the lock: the folder the update adds to is this one
            try:
                existing = open_existing(out, args.config, args.force_update)
            except UpdateError as exc:
                print(f"corpus-tools: {exc}", file=sys.stderr)
                return 2
            chain = existing.chain
        return _run_chain(args, chain, files, out, work_dir, budget, existing)


def _run_chain(
    args: argparse.Namespace,
    chain: Chain,
    files: list[InputFile],
    out: Path,
    work_dir: Path,
    budget: float,
    existing: Existing | None = None,
) -> int:
    """The run itself, under the output's lock; ``existing`` is the dataset an update adds to."""
    from tqdm import tqdm

    from corpus_tools.dedup.state import FOLDER as STATE_FOLDER
    from corpus_tools.dedup.state import save_stats
    from corpus_tools.escape import printable
    from corpus_tools.executors import ExecutorError, ExecutorOptions, create
    from corpus_tools.run import Reading, Runner
    from corpus_tools.safety.signing import TamperedFile
    from corpus_tools.writers.card import render_card
    from corpus_tools.writers.dataset import DatasetWriter
    from corpus_tools.writers.reproduce import write_bundle
    from corpus_tools.writers.schema import RowSink
    from corpus_tools.writers.update import UpdateWriter, history_section, prepare_steps

    reading = Reading(
        args.text_field, args.id_field, args.max_record_bytes, args.max_document_bytes, args.max_html_bytes
    )
    executor = create(args.executor, ExecutorOptions(args.workers, args.ray_address))
    runner = Runner(
        chain.steps,
        executor,
        RowSink(),  # rows made by the workers
        work_dir=work_dir,
        resume=args.resume,
        seconds_per_document=budget or None,
    )
    shard_rows = chain.config.dataset.shard_rows
    writer = UpdateWriter(existing, shard_rows) if existing else DatasetWriter(out, shard_rows=shard_rows)
    prepare_steps(chain.steps, writer.stage_dir / STATE_FOLDER, out if existing else None)
    progress = tqdm(desc="clean", unit="doc", disable=True if args.quiet else None, file=sys.stderr)
    try:
        for prepared in runner.run_files(files, reading):
            writer.add_prepared(prepared)
            progress.update(prepared.rows)
        if not writer.stats.documents_read:
            writer.abort()
            runner.discard_work()
            print(
                f"corpus-tools: read 0 documents ({writer.stats.documents_unread} input entries could not "
                f"be read: see the warnings above); {args.out} was left as it was",
                file=sys.stderr,
            )
            return 1
        writer.stats.corpus_passes = runner.figures
        run_info = {
            "corpus_tools_version": __version__,
            "config": chain.config.model_dump(mode="json"),
            "inputs": args.inputs,
            "stats": writer.stats.as_dict(),
        }
        sizes = writer.split_sizes()
        stats, inputs = writer.stats, list(args.inputs)
        history: list[dict[str, Any]] = []
        if isinstance(writer, UpdateWriter):
            stats, inputs, history = update_record(writer, run_info, args.inputs)
        save_stats(writer.stage_dir / STATE_FOLDER, stats)

        def make_card(data_files: dict[str, list[str]]) -> str:
            card = render_card(chain, stats, data_files, sizes, writer.samples, inputs)
            return card + "\n" + "\n".join(history_section(history)) if history else card

        if existing is None:
            write_bundle(chain, writer.stage_dir)  # the config and packs, to run the chain again
        writer.commit(make_card, run_info)
        runner.discard_work()
    except (ExecutorError, TamperedFile) as exc:
        writer.abort()
        print(f"corpus-tools: {exc}", file=sys.stderr)
        return 1
    except BaseException:
        writer.abort()
        raise
    finally:
        progress.close()
        if existing is not None:
            runner.discard_work()  # an update is not resumed: its spills are of no further use
    for line in writer.stats.summary_lines():
        note(args, printable(line))
    if runner.resumed_units:
        note(args, f"resumed: {runner.resumed_units} finished units read back, not recomputed")
    note(args, f"wrote {args.out}")
    return 0


def update_record(
    writer: UpdateWriter, run_info: dict[str, Any], new_inputs: list[str]
) -> tuple[RunStats, list[str], list[dict[str, Any]]]:
    """An update's statistics (old and new documents), all inputs, and its history, also put
    into ``run_info`` (which keeps the first run's config and inputs and adds ``updates``)."""
    from corpus_tools.writers.update import update_entry

    old = writer.existing.run
    history = [*old.get("updates", []), update_entry(new_inputs, writer.stats, writer.stats.corpus_passes)]
    stats = writer.whole_stats()
    inputs = [*old.get("inputs", []), *(item for entry in history for item in entry["inputs"])]
    if run_info["config"] != old.get("config"):  # --force-update with another config: said, not hidden
        history[-1]["config"] = run_info["config"]
    run_info.update(
        {
            "config": old.get("config"),
            "inputs": old.get("inputs", []),
            "stats": stats.as_dict(),
            "updates": history,
        }
    )
    return stats, inputs, history
