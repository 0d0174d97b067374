"""Cheap, language-independent features of one line of a text dump.

A naive scraper writes one block element per line, so a line is the unit a reader sees:
a paragraph, a heading, a menu entry, a caption. What tells them apart without markup is
shape, not vocabulary: length, whether it ends like a sentence, whether it starts with a
capital, whether links were glued together ("HomeWorld News"), whether it trails off
("[...]") like a teaser. None of these need a stop-word list, so they work on any
language that has punctuation; scripts without spaces are measured in characters.

This runs on every line of every document, so it avoids regexes where a string method
does (``str.split`` is ten times faster than ``\\w+`` here), computes the costlier
features (dates, glued links) only for the short lines that need them, and stores the
verdicts the signals ask for again and again (``prose``, ``dated``).
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from corpus_tools.scripts import unspaced_words

CLOSERS = "\"'”’»)]}*›“ "
SENTENCE_END = frozenset(".!?。！？…")
TEASER_ENDINGS = ("[...]", "[…]", "...", "…", "[ ... ]", "[ … ]")
# Two links glued with no space: "HomeWorld", "SubscribeSign" (lower-lower-Upper-lower).
GLUED = re.compile(r"[^\W\d_A-Z]{2}[A-Z][a-z]")
MENU_UNITS = 5  # the longest a menu entry is; only such lines are checked for glued links
# A line counts as running text when it is long enough to be a sentence and ends like one,
# or long enough that it cannot be a menu entry whatever its ending.
PROSE_UNITS = 8
LONG_UNITS = 25
DATE_UNITS = 9
# A year next to a day or a time: "October 9, 2018", "2019-11-19", "19.11.2019 12:03".
YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
DAY_OR_TIME = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
DIGIT = re.compile(r"\d")
RELATIVE_TIME = re.compile(r"^\d+\s*[a-zA-Z]{1,7}\.?\s+ago$")
LIST_MARKS = ("- ", "* ", "• ")  # a list item as HTML extractors print it
MAX_BODY_SCORE = 80  # units: what one prose line can pay for in a body span at most
# A sentence end followed by a space, inside a line: "... in 2012. The ..."
SENTENCE_END_INSIDE = re.compile(r"[.!?。！？…][\"'”’»)\]]*\s")
NAME_RUN_CAPITALS = 0.4  # share of capitalised words above which an unpunctuated long line is names
# A word that holds two fields glued together: "AboutAna", "News.Sport", "Consult“As" (a lower-case
# letter, then a capital, with at most a stop or a quote between).
GLUED_FIELDS = re.compile(r"[^\W\d_A-Z]{2}[A-Z][a-z]|[a-z][.!?,:;][A-Z][a-z]|[a-z][“\"][A-Z]")
GLUED_WORDS = 3  # distinct glued words that make a long line a box's fields run together, not prose


Shape = tuple[int, bool, bool, bool, bool, bool, bool, bool, str, str, str, bool, bool, float]


class Line:
    """One non-blank line: its span in the text (``end`` excludes the newline) and its shape.

    A plain slotted class that takes the shape as one tuple: a dataclass's keyword-ready
    ``__init__`` cost 40% more, on every line of every pass.
    """

    __slots__ = (
        "index",
        "start",
        "end",
        "text",
        "units",
        "terminal",
        "teaser_end",
        "capitalised",
        "prose",
        "dated",
        "glued",
        "headline",
        "letter",  # the line's shape for pattern matching: see ``signals.shape``
        "key",  # case- and space-insensitive identity, for spotting repeats
        "folded",  # the casefold, which the in-line rules' hints are looked for in
        "listed",  # a list item or table row: see ``shape_of``
        "menu_like",  # a menu entry, tag or button: see ``shape_of``
        "body_score",  # what the line is worth to an article body: see ``signals.body_span``
        "shape",  # all of the above as one tuple, to move the line without recomputing it
    )

    def __init__(self, index: int, start: int, end: int, text: str, shape: Shape) -> None:
        self.index, self.start, self.end, self.text, self.shape = index, start, end, text, shape
        (
            self.units,
            self.terminal,
            self.teaser_end,
            self.capitalised,
            self.prose,
            self.dated,
            self.glued,
            self.headline,
            self.letter,
            self.key,
            self.folded,
            self.listed,
            self.menu_like,
            self.body_score,
        ) = shape

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.text[:40]!r}, {self.letter})"


def single_spaced(text: str) -> bool:
    """A stripped line whose only whitespace is single ASCII spaces (most lines): its words
    are then its spaces plus one, and it is its own space-normalised form. Every other
    character ``str.split`` splits on is unprintable, so one C-level scan tells."""
    return "  " not in text and text.isprintable()


def word_count(text: str, simple: bool | None = None) -> int:
    """Words of a stripped line (``simple``: whether it is :func:`single_spaced`, if known)."""
    if single_spaced(text) if simple is None else simple:
        return text.count(" ") + 1
    return len(text.split())


def fold(text: str) -> str:
    """``text.casefold()``, by ``lower()`` on ASCII (the same there, and faster)."""
    return text.lower() if text.isascii() else text.casefold()


def units_of(text: str, count: int | None = None) -> int:
    """Words, with unspaced scripts counted as one unit per three characters
    (``count``: the number of words, if the caller has it)."""
    if count is None:
        count = word_count(text)
    return count + unspaced_words(text)


def _is_prose(units: int, terminal: bool, teaser_end: bool, capitalised: bool) -> bool:
    """Reads as article text: sentence-length and ending like a sentence, or long whatever
    its ending, or sentence-length and starting in lower case (a hard-wrapped paragraph's
    continuation, or a script without case: menus and headlines are capitalised)."""
    if teaser_end and units < 2 * LONG_UNITS:
        return False
    if units >= LONG_UNITS:
        return True
    return units >= PROSE_UNITS and (terminal or not capitalised)


def is_name_run(text: str) -> bool:
    """A long line that is a run of names, not sentences: a tag cloud, glued menu links, a list
    of headlines or people. It has no sentence end inside, and either most of its words
    (``NAME_RUN_CAPITALS`` of those that start with a letter) are capitalised, or it runs to
    ``2 * LONG_UNITS`` words without a single comma, where a sentence that long has one.
    Scripts without case or spaces never qualify by capitals, and one sentence mark clears it.
    """
    if SENTENCE_END_INSIDE.search(text) is not None:
        return False
    words = [word for word in text.split() if word[0].isalpha()]
    if not words or ("," not in text and len(words) >= 2 * LONG_UNITS):
        return True
    return sum(word[0].isupper() for word in words) >= NAME_RUN_CAPITALS * len(words)


def is_glued_box(text: str) -> bool:
    """A long line whose words run fields together at ``GLUED_WORDS`` or more places: a sidebar
    box (its heading, a name, a blurb, links) printed as one line by a scraper that drops the
    markup's breaks. A brand name is glued too ("YouTube"), but an article repeats its one or
    two, where a box glues a different pair at every boundary."""
    words = {word for word in text.split() if GLUED_FIELDS.search(word) is not None}
    return len(words) >= GLUED_WORDS


def _is_dated(text: str) -> bool:
    """Mostly a date or a time stamp (the caller checks the line is short)."""
    if DIGIT.search(text) is None:  # both kinds start with a digit
        return False
    if RELATIVE_TIME.match(text):
        return True
    return YEAR.search(text) is not None and DAY_OR_TIME.search(text) is not None


def key_of(text: str, simple: bool | None = None) -> str:
    """Case- and space-insensitive identity of a line, for spotting repeats.

    The same as ``" ".join(text.casefold().split())``: casefolding maps every space to
    itself and no other character to a space, so the words can be folded after the split.
    ``simple``: whether the line is :func:`single_spaced`, if the caller knows.
    """
    return fold(text if (single_spaced(text) if simple is None else simple) else " ".join(text.split()))


def _reading(text: str, count: int) -> tuple[int, bool, bool, bool, bool]:
    """Units, terminal, teaser_end, capitalised and prose of a stripped line of ``count`` words."""
    units = units_of(text, count)
    body = text.rstrip(CLOSERS)
    terminal = bool(body) and body[-1] in SENTENCE_END
    teaser_end = text.endswith(TEASER_ENDINGS)
    first = text[0] if text[0].isalpha() else next((c for c in text if c.isalpha()), "")
    capitalised = first.isupper()
    return units, terminal, teaser_end, capitalised, _is_prose(units, terminal, teaser_end, capitalised)


def prose_units(text: str) -> int:
    """The units of a stripped line that reads as prose, else 0 (``shape_of``'s verdict, cheaper)."""
    if len(text) < PROSE_UNITS:  # fewer characters than the words prose needs
        return 0
    units, _, _, _, prose = _reading(text, word_count(text))
    return units if prose else 0


def sentence_units(text: str) -> int:
    """The units of a stripped line that ends as a sentence and does not trail off ("..."),
    else 0."""
    units, terminal, teaser_end, _, _ = _reading(text, word_count(text))
    return units if terminal and not teaser_end else 0


def shape_of(text: str) -> Shape:
    """The position-free features of a stripped line, in :class:`Line` field order.

    Besides the line's own features, the verdicts the signals ask of each line on every
    pass are taken here, once per distinct line (and cached with it):

    - ``listed``: a list item (``- item``) or a table row (``| a | b |``), as HTML
      extractors print them: repeating those is content ("- Buy it: Amazon" per product).
    - ``menu_like``: a menu entry, tag or button: a few words, no sentence ending,
      capitalised or glued.
    - ``body_score``: what the line scores in a body span when kept: prose its units (at
      most ``MAX_BODY_SCORE``), unless it is a long run of names (:func:`is_name_run`: tags,
      glued links, which a sidebar prints as one long line); table rows, list items and short
      sentences 1.0 (article more often than not); 0 for any other line, which costs the
      span its gap cost instead.
    """
    simple = single_spaced(text)
    units, terminal, teaser_end, capitalised, prose = _reading(text, word_count(text, simple))
    dated = glued = False
    if units <= DATE_UNITS or (units <= 2 * DATE_UNITS and text.endswith(":")):  # "X on <date> said:"
        dated = _is_dated(text)
        glued = units <= MENU_UNITS and GLUED.search(text) is not None
    headline = 3 <= units <= 24 and not terminal and capitalised and not teaser_end
    letter = "D" if dated else "P" if prose else "H" if headline else "S"
    listed = text.startswith(LIST_MARKS) or (text[0] == "|" and text[-1] == "|")
    menu_like = units <= MENU_UNITS and not terminal and (capitalised or glued)
    if prose and not (units >= LONG_UNITS and ((not terminal and is_name_run(text)) or is_glued_box(text))):
        body_score: float = min(units, MAX_BODY_SCORE)
    elif prose:
        body_score = 0
    else:
        body_score = 1.0 if listed or (terminal and units >= 3) else 0
    folded = fold(text)
    return (
        units,
        terminal,
        teaser_end,
        capitalised,
        prose,
        dated,
        glued,
        headline,
        letter,
        folded if simple else key_of(text, simple),  # a single-spaced line is its own key, folded
        folded,
        listed,
        menu_like,
        body_score,
    )


# Menus, share bars and footers repeat across the pages of a site (and the step looks at
# a text twice), so the shape of a short line is remembered; bounded, then started afresh.
_SHAPES: dict[str, Shape] = {}
SHAPE_CACHE_SIZE = 100_000
CACHED_LENGTH = 200  # characters: longer lines are article text, rarely seen twice


def forget_shapes() -> None:
    """Empty the shape cache: for measuring the step on pages as if never seen before."""
    _SHAPES.clear()


def split_lines(text: str, memo: dict[str, Shape] | None = None) -> list[Line]:
    """Features of every non-blank line, with spans into ``text`` (only ``\\n`` breaks lines).

    ``memo`` keeps the shapes of the long lines of one document (the caller's dict), for a
    caller that splits the same text again after removing some of its lines.
    """
    lines: list[Line] = []
    shapes = _SHAPES
    long_shapes = {} if memo is None else memo
    position = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            # the first character is not a space unless the line is indented
            start = position if raw[0] == stripped[0] else position + raw.find(stripped)
            length = len(stripped)
            shape = shapes.get(stripped) if length <= CACHED_LENGTH else long_shapes.get(stripped)
            if shape is None:
                shape = shape_of(stripped)
                if length > CACHED_LENGTH:
                    long_shapes[stripped] = shape
                else:
                    if len(shapes) >= SHAPE_CACHE_SIZE:
                        shapes.clear()
                    shapes[stripped] = shape
            lines.append(Line(len(lines), start, start + length, stripped, shape))
        position += len(raw) + 1
    return lines


def lines_left(lines: Sequence[Line], removed: Container[int], text: str) -> list[Line] | None:
    """What :func:`split_lines` gives for ``text``, the text left when the lines of ``removed``
    (indexes) were cut out of the one ``lines`` came from, without recomputing a shape; or
    None when ``text`` is not made of exactly the other lines (a cut inside a line).

    Each kept line is looked for where the previous one ended (first just after a line
    break, as the cuts leave most of them); only whitespace may lie before, between (with a
    line break) and after them, and then splitting ``text`` would find exactly these lines
    at these places: the check proves it, whatever the cuts were.
    """
    left: list[Line] = []
    position = 0
    for line in lines:
        if line.index in removed:
            continue
        if text.startswith(line.text, position + 1):
            found = position + 1
        else:
            found = text.find(line.text, position)
            if found < 0:
                return None
        gap = text[position:found]
        if left:
            if gap != "\n" and not (gap.isspace() and "\n" in gap):  # else glued to the line before
                return None
        elif gap and not gap.isspace():
            return None
        position = found + len(line.text)
        left.append(Line(len(left), found, position, line.text, line.shape))
    if position < len(text) and not text[position:].isspace():
        return None
    return left
