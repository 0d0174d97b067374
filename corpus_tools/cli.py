"""``corpus-tools``: the command line. Each subcommand lives in ``corpus_tools/commands/``.

A command module defines ``register(subparsers)``, adding its parser with a ``handler``
default; every module in that package is loaded, so a new command is one new file.
Exit codes: 0 the run finished (rejected documents included), 2 the run could not start
(bad config, unknown input or id, no input file, an output the tool may not replace, an output
another run is writing), 1 it failed, read 0 documents, found the disk full, or was
interrupted by Ctrl-C or SIGTERM (old output left as it was).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Callable

from corpus_tools import __version__, commands
from corpus_tools.escape import SafeFormatter

QUIET = "only errors on stderr: no progress bar, warnings or summary"
EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, what a shell reports for a tool killed by it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corpus-tools", description="Clean scraped web dumps into corpora.")
    parser.add_argument("--version", action="version", version=f"corpus-tools {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help=QUIET)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
        importlib.import_module(f"{commands.__name__}.{name}").register(subparsers)
    for command in subparsers.choices.values():  # -q after the command name works too
        command.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=QUIET)
    return parser


# Libraries whose warnings and errors would reach the user without saying which input they are
# about (trafilatura's "discarding data: None", "parsed tree length: 1, wrong data type or not valid
# HTML"); the run reports the same page as a rejected row, with a warning naming the file.
THIRD_PARTY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.WARNING,
        format="corpus-tools: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    for library in THIRD_PARTY_LOGGERS:  # their messages name no document; ours say what happened
        logging.getLogger(library).setLevel(logging.CRITICAL)
    for log_handler in logging.getLogger().handlers:  # ids and titles in warnings are scraped text
        if type(log_handler.formatter) is logging.Formatter:
            log_handler.setFormatter(SafeFormatter(log_handler.formatter._fmt))
    handler: Callable[[argparse.Namespace], int] = args.handler
    from corpus_tools.safety.disk import disk_full, disk_full_message
    from corpus_tools.safety.folders import RefusedOutput
    from corpus_tools.safety.processes import Terminated, sigterm_as_interrupt

    try:
        with sigterm_as_interrupt():
            return handler(args)
    except RefusedOutput as exc:
        print(f"corpus-tools: {exc}", file=sys.stderr)
        return 2
    except Terminated:
        return _stopped(args, "stopped by SIGTERM")
    except KeyboardInterrupt:
        return _stopped(args, "interrupted")
    except BrokenPipeError:
        return _reader_gone()
    except OSError as exc:
        full = disk_full(exc)
        if full is None:
            raise
        print(f"corpus-tools: {disk_full_message(full)}", file=sys.stderr)
        return 1


def _stopped(args: argparse.Namespace, how: str) -> int:
    """Say the run stopped, and, for a ``clean`` that keeps its finished units, how to reuse them.

    An update discards its work folder, so only a plain ``clean`` is told about ``--resume``.
    """
    message = f"corpus-tools: {how}; the output folder was left as it was"
    if args.command == "clean" and not args.update:
        message += "; run the same command again with --resume to reuse the units finished so far"
    print(message, file=sys.stderr)
    return 1


def _reader_gone() -> int:
    """The reader of stdout went away (``| head``): stop quietly, as other command-line tools do.

    stdout is pointed at /dev/null so that the interpreter's final flush of what is still
    buffered raises nothing more; the exit code is the shell's for a death by SIGPIPE.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
