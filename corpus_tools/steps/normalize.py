"""``normalize``: one text layout for every document, whatever the dump looked like.

Unicode NFC (so the same word is the same bytes), no control characters, no trailing or
doubled spaces, and paragraphs separated by exactly one blank line. No-break spaces are
kept: they are typography (``10 km``), not noise. Each fixer is a pure function returning
the changes it wants, and runs as its own sub-pass so its edits carry its own rule name.

Speed: most documents need none of these fixes, so a fixer first checks cheaply that its
pattern (a regex pass, slow next to ``in``) can match before running it over the text: that
a character pair occurs (``in``), or, for the fixers about line edges, that some line is not
its own ``str.strip()``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from itertools import accumulate

import regex

from corpus_tools.document import Change, Document
from corpus_tools.steps.base import Step, register
from corpus_tools.textnorm import lines_of

# C0/C1 controls except tab and newline; zero-width joiners are left alone (emoji, Indic scripts).
_CONTROLS = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")
_CRLF = regex.compile(r"\r\n?")
_SPACE_RUN = regex.compile(r"(?<=\S)[ \t]{2,}(?=\S)|\t")
_TRAILING = regex.compile(r"[ \t\u3000]+(?=\n|\Z)|(?<=\n|\A)[ \t]+")
_BLANK_RUN = regex.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_LINE_BREAK = regex.compile(r"(?<=\S)\n(?=\S)")


def line_endings(text: str) -> list[Change]:
    if "\r" not in text:
        return []
    return [Change(m.start(), m.end(), "\n", "line_endings") for m in _CRLF.finditer(text)]


# The same controls as bytes: every one is below U+0100, so the text's Latin-1 characters
# alone (``encode("latin-1", "ignore")`` drops the others, in C) hold them all, one byte each,
# which ``bytes.translate`` deletes at memory speed. (The UTF-8 bytes and a search for C1's
# two-byte form took a third longer.)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def _may_have_controls(text: str) -> bool:
    data = text.encode("latin-1", "ignore")
    return len(data.translate(None, _CONTROL_BYTES)) < len(data)


def control_chars(text: str) -> list[Change]:
    if not _may_have_controls(text):
        return []
    return [Change(m.start(), m.end(), "", "control_chars") for m in _CONTROLS.finditer(text)]


def nfc(text: str) -> list[Change]:
    """Per line, since NFC never crosses a line break and most lines are already NFC."""
    if unicodedata.is_normalized("NFC", text):
        return []
    changes, start = [], 0
    for line in lines_of(text).lines:
        if not unicodedata.is_normalized("NFC", line):
            changes.append(Change(start, start + len(line), unicodedata.normalize("NFC", line), "nfc"))
        start += len(line) + 1
    return changes


def _lines(text: str) -> tuple[list[str], list[str]]:
    """The lines of ``text`` and each one's ``strip()``, for the fixers that look at line edges.

    The stage's shared split (:func:`~corpus_tools.textnorm.lines_of`): the fixers between
    these leave most texts as they were, so ``edge_spaces``, ``blank_lines`` and
    ``paragraph_breaks`` split the same string once, as the steps before them did (one
    ``strip`` per line, in C, which returns the line itself when there is nothing to strip).
    Lines instead of substring scans such as ``" \\n" in text`` (two-character needles are not
    searched at memchr speed) and ``_LINE_BREAK`` over every text: see ``benchmarks/README.md``.
    """
    lines = lines_of(text)
    return lines.lines, lines.stripped()


def edge_spaces(text: str) -> list[Change]:
    lines, stripped = _lines(text)
    if stripped == lines:  # no line starts or ends with a space, tab or ideographic space
        return []
    return [Change(m.start(), m.end(), "", "edge_spaces") for m in _TRAILING.finditer(text)]


def space_runs(text: str) -> list[Change]:
    if "  " not in text and "\t" not in text:
        return []
    return [Change(m.start(), m.end(), " ", "space_run") for m in _SPACE_RUN.finditer(text)]


def blank_lines(text: str) -> list[Change]:
    """Several blank lines are one paragraph break."""
    if "" not in _lines(text)[1][1:-1]:  # no line between two others is blank
        return []
    return [Change(m.start(), m.end(), "\n\n", "blank_lines") for m in _BLANK_RUN.finditer(text)]


def paragraph_breaks(text: str) -> list[Change]:
    """A dump with no blank line at all has one block per line: each line is a paragraph.

    Where the text already separates paragraphs with blank lines, a single newline is a line
    break inside a paragraph (a list, a verse) and stays.
    """
    lines, stripped = _lines(text)
    if "" in lines[1:-1]:  # an empty line between two: the text has a blank line
        return []
    if all(lines) and stripped == lines:
        # No line is empty or starts or ends with a space (``str.isspace`` covers every ``\s``):
        # every line break is between two non-spaces, so the pattern need not look.
        ends = accumulate(len(line) + 1 for line in lines[:-1])
        return [Change(end - 1, end, "\n\n", "paragraph_breaks") for end in ends]
    return [Change(m.start(), m.end(), "\n\n", "paragraph_breaks") for m in _LINE_BREAK.finditer(text)]


def document_edges(text: str) -> list[Change]:
    changes = []
    stripped = text.lstrip()
    if len(stripped) < len(text):
        changes.append(Change(0, len(text) - len(stripped), "", "document_edges"))
    end = len(text.rstrip())
    if end < len(text) and end > len(text) - len(stripped):
        changes.append(Change(end, len(text), "", "document_edges"))
    return changes


FIXERS: list[Callable[[str], list[Change]]] = [
    line_endings,
    control_chars,
    nfc,
    edge_spaces,
    space_runs,
    blank_lines,
    paragraph_breaks,
    document_edges,
]


@register
class Normalize(Step):
    name = "normalize"

    def process(self, doc: Document) -> None:
        for fixer in FIXERS:
            doc.apply(self.name, fixer(doc.text))
