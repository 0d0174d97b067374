"""The shared scanning of the lossy repair: where the marks are, what each kind may stand for,
which spans are code, and the decisions taken so far.

The word reader (:mod:`.lossy_words`) and the punctuation reader (:mod:`.lossy_punctuation`)
both read one :class:`MarkScan`; :mod:`.lossy` runs them and turns the decisions into changes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from corpus_tools.repair.gate import in_latin_page

MARKS = "?\ufffd"
# A run of one mark character: `???` or U+FFFD U+FFFD, never both. (Written as a mark and
# its repeats, which the regex engine scans for faster than `\?+|\ufffd+`.)
MARK_RUN = re.compile(r"([?\ufffd])\1*")
# Letters and marks: the span of a damaged word around a mark run ("M?ller", "Z??rich").
WORD_CHARS = re.compile(r"(?:[^\W\d_]|[?\ufffd])*")

MASKS = r"""
      \b(?:https?|ftp)://[^\s<>"]+          # URLs
    | \bwww\.[^\s<>"]+
    | (?<![\w/])/[\w.~%-]+(?:/[\w.~%-]*)*\?\S*   # paths with a query: /api/users?id=1
    | \?[A-Za-z_][\w.\[\]-]*=\S*            # query strings: ?utm_source=x&y=z
    | `[^`\n]+`                             # inline code
    | \w\?\.\w                              # optional chaining: name?.length
    | (?<=\s)\?\?(?=\s)                     # null coalescing: x ?? y
    | \?:                                   # elvis, (?:...), https?://
    | \(\?[A-Za-z=!<:#]                     # regex groups and flags: (?:, (?=, (?i), (?P<n>
    | \s\?\s[^\s?]+\s:\s                    # ternary: cond ? a : b
    | (?:[=<>]\s?|\(\s?|,\s)\?(?=[\s,)]|$)   # SQL placeholders: id = ?, (?, ?)
    | [\w\])]\?[*+{]                        # regex quantifiers
"""
# Each alternative of MASKS starts with "/", "`", "h", "f", "w" or "?", or has its "?" one or
# two characters on; the look-ahead says so first, which skips the other positions of a
# line without trying twelve alternatives at each (same matches).
PROTECTED = re.compile(rf"(?=[/`hfw?]|[\s\S]{{1,2}}\?)(?:{MASKS})", re.VERBOSE)

FFFD_AS_PUNCTUATION = re.compile(
    r"[^\W\d_]\ufffd(?:s|t|ll|re|ve|d|m)\b|\s\ufffd\s|\d\ufffd\d|[^\W\d_][.,?!]\ufffd"
)
# Every PROTECTED pattern needs one of these substrings; lines without any skip the regex.
PROTECTION_CLUES = ("/", "`", "=", ":", "??", "?.", "(", "<", ">", ", ?", "?*", "?+", "?{", "www.")
NBSP = "\u00a0"
NNBSP = "\u202f"
# where a quotation may close: a mark or a straight or closing double quote after a word or
# punctuation, before anything but a letter or digit
CLOSER = re.compile(r"(?<=[^\W_]|[.,;:!?…])[?\ufffd”\"](?![^\W_])")
CLOSERS_ASKED = 8  # places a quote may close looked at after an opening mark (bounds the work)
# the Romanian letters with a comma below, and their cedilla forms, which the Windows code
# pages hold (Romanian text in cp1250 writes "ş" for "ș")
CEDILLA_TWIN = {"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"}


def repertoire(survivors: str) -> str:
    """Smallest code page holding every character of ``survivors`` (non-ASCII, unmarked)."""
    if not survivors:
        return "ascii"
    if all(ord(character) <= 0xFF for character in survivors):
        return "latin-1"
    try:
        survivors.encode("cp1252")
    except UnicodeEncodeError:
        return "unicode"
    return "cp1252"


def _outside(char: str, rep: str) -> bool:
    if rep == "ascii":
        return not char.isascii()
    if rep == "latin-1":
        return ord(char) > 0xFF
    if rep == "cp1252":
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            return True
        return False
    return not char.isascii()


@dataclass(slots=True)
class MarkKind:
    """How to read one kind of mark (`?` or U+FFFD) in this document."""

    char: str
    by_bytes: bool = False
    rep: str = "ascii"  # for `?`: the code page the text was squeezed into
    code_page_bytes: bool = False  # for U+FFFD: one byte of a Windows code page read as UTF-8
    never: bool = False  # `?` in a text whose damage is all U+FFFD per byte: real punctuation

    def key(self) -> tuple[str, bool, str, bool, bool]:
        """Everything that decides what the mark may stand for (a look-up's cache key)."""
        return (self.char, self.by_bytes, self.rep, self.code_page_bytes, self.never)

    def allows(self, char: str, run_length: int) -> bool:
        if self.never:
            return False
        if self.by_bytes:
            return len(char.encode("utf-8")) == run_length
        if run_length != 1:
            return False
        if self.char == "\ufffd":
            return (
                (not char.isascii() and in_latin_page(CEDILLA_TWIN.get(char, char)))
                or "\u2000" <= char <= "\u206f"
                or not self.code_page_bytes
            )
        return _outside(char, self.rep)


@dataclass(slots=True)
class Decision:
    start: int
    end: int
    after: str
    rule: str
    sure: bool  # taken from a position a real question mark never takes


def internal_runs(text: str, runs: list[re.Match[str]], mark: str) -> list[re.Match[str]]:
    return [
        mark_run
        for mark_run in runs
        if mark_run[0][0] == mark
        and mark_run.start() > 0
        and mark_run.end() < len(text)
        and text[mark_run.start() - 1].isalnum()
        and text[mark_run.end()].isalnum()
    ]


def _question_like(text: str, mark_run: re.Match[str]) -> bool:
    """After a word or number, before a space, punctuation or the end: where "?" and "??" stand."""
    prev_char = text[mark_run.start() - 1] if mark_run.start() else " "
    next_char = text[mark_run.end()] if mark_run.end() < len(text) else " "
    return prev_char.isalnum() and not next_char.isalnum()


def read_marks(text: str, runs: list[re.Match[str]], survivors: str) -> dict[str, MarkKind]:
    """Decide, per mark character, its unit (character or UTF-8 byte) and what it may stand for."""
    kinds = {}
    inside_question: list[re.Match[str]] = []
    for mark in MARKS:
        own = [mark_run for mark_run in runs if mark_run[0][0] == mark]
        inside = internal_runs(text, runs, mark)
        if mark == "?":
            inside_question = inside
        if inside:
            by_bytes = all(len(mark_run[0]) >= 2 for mark_run in inside)
        else:
            # no run between two letters or digits: runs of 2+ marks, not all where "??" may stand
            by_bytes = (
                bool(own)
                and all(len(mark_run[0]) >= 2 for mark_run in own)
                and (
                    any(len(mark_run[0]) == 3 for mark_run in own)
                    or not all(_question_like(text, mark_run) for mark_run in own)
                )
            )
        kinds[mark] = MarkKind(mark, by_bytes=by_bytes)
    fffd = kinds["\ufffd"]
    question = kinds["?"]
    has_fffd = "\ufffd" in text
    question.rep = repertoire(survivors)
    if has_fffd and not fffd.by_bytes:
        # Single-byte text read as UTF-8: the code page's characters became U+FFFD, the
        # characters outside it had already become `?`. When U+FFFD stands where quotes,
        # apostrophes and dashes stand, the code page was Windows-1252 and `?` cannot be
        # one of those; otherwise it may have been Latin-1, and `?` may be "’".
        fffd.code_page_bytes = True
        floor = "cp1252" if FFFD_AS_PUNCTUATION.search(text) else "latin-1"
        if question.rep == "ascii" or (question.rep == "latin-1" and floor == "cp1252"):
            question.rep = floor
    if has_fffd and fffd.by_bytes and not inside_question:
        question.never = True
    return kinds


def masked_spans(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the :data:`PROTECTED` spans of each line of ``text`` that holds a mark.

    Masks are found line by line (the patterns' ``$`` and ``\\s`` must not cross a line); a
    line without a mark is never asked about, and one without a clue cannot match. Spans
    come out sorted and disjoint, so one bisection answers :meth:`MarkScan.is_protected`.
    """
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for line in text.split("\n"):
        if ("?" in line or "\ufffd" in line) and any(clue in line for clue in PROTECTION_CLUES):
            for found in PROTECTED.finditer(line):
                starts.append(offset + found.start())
                ends.append(offset + found.end())
        offset += len(line) + 1
    return starts, ends


class MarkScan:
    """The mark runs of one text, the kind of each mark, the masked spans and the decisions."""

    def __init__(self, text: str, survivors: str) -> None:
        self.text = text
        self.runs = list(MARK_RUN.finditer(text))
        self._mask_starts, self._mask_ends = masked_spans(text)
        self.kinds = read_marks(text, self.runs, survivors)
        self.decided: dict[int, Decision] = {}  # mark start -> decision
        self.last_close_quote = -1  # where the last closing quote decided starts
        self.currency_ends: set[int] = set()  # where the currency signs decided end
        self._closers: list[int] | None = None
        self._newlines: list[int] | None = None

    def may_close_quote(self, pos: int) -> bool:
        """Does the line go on, after ``pos``, with a place a quotation may close? An opening
        quote has its closer on the same line; "Grzegorz ?muda, a teacher" has none."""
        if self._closers is None:
            self._closers = [found.start() for found in CLOSER.finditer(self.text)]
            self._newlines = [found.start() for found in re.finditer("\n", self.text)]
        assert self._newlines is not None
        index = bisect.bisect_left(self._newlines, pos)
        line_end = self._newlines[index] if index < len(self._newlines) else len(self.text)
        index = bisect.bisect_left(self._closers, pos)
        # a mark read as a letter ("Malm?" is "Malmö") closes nothing; a few are passed over
        for closer in self._closers[index : index + CLOSERS_ASKED]:
            if closer >= line_end:
                return False
            decided = self.decided.get(closer)
            if decided is None or not decided.rule.startswith("letter"):
                return True
        return False

    def is_protected(self, start: int, end: int) -> bool:
        """Inside a URL, query string or code (a span of :func:`masked_spans`)?

        Spans are disjoint, so only the last one starting at or before ``start`` can hold it.
        """
        index = bisect.bisect_right(self._mask_starts, start) - 1
        return index >= 0 and end <= self._mask_ends[index]

    def kind(self, run: str) -> MarkKind:
        return self.kinds[run[0]]

    def decide(self, start: int, end: int, after: str, rule: str, sure: bool) -> None:
        self.decided[start] = Decision(start, end, after, rule, sure)
        if rule == "close_quote":
            self.last_close_quote = max(self.last_close_quote, start)
        elif rule.startswith("currency"):
            self.currency_ends.add(end)

    def decide_first(
        self, start: int, end: int, run: str, options: str, rule: str, sure: bool = True
    ) -> bool:
        """Decide the mark as the first of ``options`` its kind of damage allows; False if none is."""
        char = self.first_allowed(run, options)
        if char is not None:
            self.decide(start, end, char, rule, sure)
        return char is not None

    def first_allowed(self, run: str, options: str) -> str | None:
        kind = self.kind(run)
        for char in options:
            if kind.allows(char, len(run)):
                return char
        return None
