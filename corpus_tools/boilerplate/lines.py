"""Cheap, language-independent features of one line of a text dump.

A naive scraper writes one block element per line, so a line is the unit a reader sees:
a paragraph, a heading, a menu entry, a caption. What tells them apart without markup is
shape, not vocabulary: length, whether it ends like a sentence, whether it starts with a
capital, whether links were glued together ("HomeWorld News"), whether it trails off
("[...]") like a teaser. None of these need a stop-word list, so they work on any
language that has punctuation; scripts without spaces are measured in characters.

This runs on every line of every document, so it avoids regexes where a string method
does (``str.split`` is ten times faster than ``\\w+`` here) and computes the costlier
features (capitalisation ratio, glued links) only for the short lines that need them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Scripts written without spaces between words (CJK, kana, Thai, Lao, Myanmar, Khmer):
# there a line's length is counted as one unit per three characters, about a word's worth.
UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
CLOSERS = "\"'”’»)]}*›“ "
SENTENCE_END = frozenset(".!?。！？…")
TEASER_ENDINGS = ("[...]", "[…]", "...", "…", "[ ... ]", "[ … ]")
# Two links glued with no space: "HomeWorld", "SubscribeSign" (lower-lower-Upper-lower).
GLUED = re.compile(r"[^\W\d_A-Z]{2}[A-Z][a-z]")
SHORT_UNITS = 24  # lines up to this long get the costlier shape features


@dataclass(slots=True)
class Line:
    """One non-blank line: its span in the text (``end`` excludes the newline) and its shape."""

    index: int
    start: int
    end: int
    text: str
    units: int
    terminal: bool
    teaser_end: bool
    capitalised: bool
    title_ratio: float = 0.0
    glued: bool = False

    @property
    def key(self) -> str:
        """Case- and space-insensitive identity, for spotting repeats."""
        return " ".join(self.text.casefold().split())


def units_of(text: str) -> int:
    """Words, with unspaced scripts counted as one unit per three characters."""
    words = len(text.split())
    if UNSPACED.search(text) is None:
        return words
    return words + len(UNSPACED.findall(text)) // 3


def line_features(index: int, start: int, end: int, text: str) -> Line:
    """Shape of one stripped, non-empty line."""
    units = units_of(text)
    body = text.rstrip(CLOSERS)
    first = next((c for c in text if c.isalpha()), "")
    line = Line(
        index=index,
        start=start,
        end=end,
        text=text,
        units=units,
        terminal=bool(body) and body[-1] in SENTENCE_END,
        teaser_end=text.endswith(TEASER_ENDINGS),
        capitalised=first.isupper(),
    )
    if units <= SHORT_UNITS:
        words = [w for w in text.split() if w[0].isalpha()]
        if words:
            line.title_ratio = sum(1 for w in words if w[0].isupper()) / len(words)
        line.glued = GLUED.search(text) is not None
    return line


def split_lines(text: str) -> list[Line]:
    """Features of every non-blank line, with spans into ``text`` (only ``\\n`` breaks lines)."""
    lines: list[Line] = []
    position = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = position + lead
            lines.append(line_features(len(lines), start, start + len(stripped), stripped))
        position += len(raw) + 1
    return lines
