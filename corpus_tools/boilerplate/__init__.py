"""Boilerplate removal: text-only signals, YAML rule packs, and one decision per line.

``decide(text, rules)`` (:mod:`.combine`) is the whole thing as a pure function; the
``strip_boilerplate`` step wraps it for documents, and :mod:`.html` holds the HTML front end (trafilatura with
the settings measured best for this chain).
"""

from corpus_tools.boilerplate.combine import SIGNALS, Decisions, decide
from corpus_tools.boilerplate.packs import Pack, PackError, RuleSet, load_pack, parse_pack, select_rules

__all__ = [
    "SIGNALS",
    "Decisions",
    "Pack",
    "PackError",
    "RuleSet",
    "decide",
    "load_pack",
    "parse_pack",
    "select_rules",
]
