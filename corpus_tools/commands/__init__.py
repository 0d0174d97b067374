"""CLI subcommands, one module each (see ``corpus_tools.cli``), and what they share."""

from __future__ import annotations

import argparse
import sys


def note(args: argparse.Namespace, message: str) -> None:
    """A progress or summary line on stderr; ``-q`` silences it (errors are printed regardless)."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


def non_negative_int(value: str) -> int:
    """An argparse type: a count that may be 0 (meaning "all" or "default") but never negative."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative; give 0 or more")
    return number
