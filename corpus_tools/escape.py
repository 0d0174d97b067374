"""Make untrusted text safe to print: scraped titles, ids, urls and texts may hold control
characters that drive a terminal (``ESC ]0;…`` retitles it, ``ESC [2J`` clears it) or bidi
controls that reorder what it shows. Every command prints them as visible escapes instead.

C0 controls (except the line break and tab, where the layout needs them), DEL and C1
controls print as ``\\x1b``; the bidi embeddings, overrides, isolates and marks print as
``\\u202e``. Everything else, letters of any script included, prints as it is.
"""

from __future__ import annotations

import html
import logging
import re

# the bidi controls: LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM
BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI}]")
_UNSAFE_IN_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI}]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, layout: bool = True) -> str:
    """``text`` with every terminal-driving character escaped; ``layout`` keeps line breaks
    and tabs (a text body), otherwise they are escaped too (a one-line value: id, title)."""
    pattern = _UNSAFE if layout else _UNSAFE_IN_LINE
    return pattern.sub(_escaped, text) if pattern.search(text) else text


def html_text(value: object) -> str:
    """``value`` for an HTML page: markup escaped, and the controls escaped as the terminal
    views show them (a bidi override reorders what a browser shows as well; `cat page.html`
    reaches the terminal)."""
    return html.escape(printable(str(value)), quote=True)


class SafeFormatter(logging.Formatter):
    """Log records printed through :func:`printable`: warnings name documents by their
    (scraped) ids."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))
