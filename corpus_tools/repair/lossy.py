"""Lossy damage: a character became `?` or U+FFFD. One decision per mark, from its context.

ftfy cannot undo this: the character is gone. What is left is the shape of the text around
the mark, and three facts about the document:

* **What survived.** ``str.encode('latin-1', 'replace')`` keeps "é", "£" and no-break
  spaces, so in a text that still holds them a `?` stands for something *outside* Latin-1
  ("€", "’", "ł"). :func:`repertoire` names the smallest code page (ASCII, Latin-1,
  Windows-1252) holding every surviving non-ASCII character; a candidate replacement
  must lie outside it. This one test keeps apostrophes out of Windows-1252 texts (where
  "’" would have survived) and picks "€" over "£" in Latin-1 texts.
* **The unit of loss.** Some tools replace each UTF-8 *byte*: "’" becomes `???`, "é"
  `??`. When every mark run inside a word is two or more marks long, the document is read
  in byte units, and a run must match the UTF-8 length of what replaces it.
* **Whether the document is damaged at all.** A `?` glued between two letters, glued
  before a word after a space, between two spaces or between digits, and any U+FFFD, are
  positions a real question mark never takes. Decisions that could also describe a real
  question mark (a `?` after a word, before a space) are only taken in a document that
  shows such unambiguous damage elsewhere, so correct text with questions stays as it is.

Code, URLs with query strings and SQL placeholders are masked (:data:`PROTECTED`); a `?`
right before a quote, after a no-break space (French) or in a sentence opened by "¿" is
read as a question mark. Where no rule has enough evidence the mark stays and is counted.

Rules (the ``rule`` of each change): ``apostrophe``, ``open_quote``, ``close_quote``,
``dash`` (between spaced clauses), ``range_dash`` (between numbers), ``nbsp`` (number and
unit, "No." and number, thousands groups), ``lost_space`` (between two words),
``degree``, ``minus``, ``currency``, ``ellipsis``, and for a lost letter the witness that
decided it: ``letter_from_document`` (the word intact in the same text),
``letter_from_corpus``, ``letter_from_vocabulary`` (the word lists); see docs/encoding.md.
"""

from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass, field

from corpus_tools.document import Change
from corpus_tools.repair.gate import in_latin_page
from corpus_tools.repair.language import document_language
from corpus_tools.repair.signs import CURRENCIES, CurrencyWitness
from corpus_tools.repair.thresholds import LOSSY
from corpus_tools.repair.vocabulary import Vocabulary, byte_skeleton, char_skeleton
from corpus_tools.repair.witnesses import DocumentWords

MARKS = "?\ufffd"
# A run of one mark character: `???` or U+FFFD U+FFFD, never both. (Written as a mark and
# its repeats, which the regex engine scans for 3-4 times faster than `\?+|\ufffd+`.)
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
# line without trying twelve alternatives at each (twice as fast, same matches).
PROTECTED = re.compile(rf"(?=[/`hfw?]|[\s\S]{{1,2}}\?)(?:{MASKS})", re.VERBOSE)

FFFD_AS_PUNCTUATION = re.compile(
    r"[^\W\d_]\ufffd(?:s|t|ll|re|ve|d|m)\b|\s\ufffd\s|\d\ufffd\d|[^\W\d_][.,?!]\ufffd"
)
CLOSING_QUOTES = '”’"»›“‘„«'  # any quote right after a `?` makes it a question mark
NEXT_OPENER = re.compile(r"(?<=[\s(])[?\ufffd“](?=[^\W\d_])")
# Every PROTECTED pattern needs one of these substrings; lines without any skip the regex.
PROTECTION_CLUES = ("/", "`", "=", ":", "??", "?.", "(", "<", ">", ", ?", "?*", "?+", "?{", "www.")
APOSTROPHE_SUFFIXES = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})
NBSP = "\u00a0"
SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009?\ufffd]+\d{3})+(?!\d)")  # "2 000", "2?000"
YEAR = re.compile(r" ?(?:1[89]|20)\d\d(?!\d)")  # a year after "©"
COPYRIGHT_LINE = re.compile(r"(?i)copyright|rights reserved")
COORDINATE = re.compile(r"\d{1,2}[?\ufffd]\s?[NSEW](?![^\W\d_])")  # "30?N" after "51?"
MINUTES = re.compile(r"[°?\ufffd](\d{1,2})$")  # "51°30" before the mark: minutes of arc
# a capitalised name and the word before it (which must be intact: "J?rgen Wei?" lost a letter)
BRAND_BEFORE = re.compile(r"(\S+)\s+[A-Z][^\W\d_]{2,}$")
NNBSP = "\u202f"
HIGH_PUNCTUATION = set(":;!?")  # French sets a no-break space before these
CLAUSE_END = set(" ,.;:\n")  # what may follow a closing guillemet or a question's "?"
ELISION = re.compile(r"(?i)(?<![^\W\d_])(?:[cdjlmnst]|qu)[?\ufffd][aeiouyhàâéèêîôû]\Z")  # French elision
LONE_CLOSER = re.compile(r" [?\ufffd](?:[\s,.;:]|$)")
# what only French spacing explains: a mark glued between a word and ":" ";" "!" "?", or
# "??" closing a word (" ?" or " »"); a spaced "?" alone is more often a dash
FRENCH_SPOT = re.compile(
    r"(?<=[^\W_])(?:[?\ufffd]+[:;!?]|[?\ufffd]{2}(?:[\s,.;:]|$))"
)  # starts at a mark: fast
SIGN_END = set(" .,;:)\n")  # what may follow a sign written after the amount
OPEN_CONTEXT = set(" \t\n\u00a0([{\"'‘“«—–-/")
# a capitalised word with a lost letter (a mark not before an English ending: "Nobody?s" is no name)
DAMAGED_NAME_NEXT = re.compile(r" [A-Z?\ufffd][^\W\d_]*[?\ufffd]+(?!(?:s|t|d|m|ll|re|ve)(?![^\W\d_]))")


def repertoire(survivors: str) -> str:
    """Smallest code page holding every character of ``survivors`` (non-ASCII, unmarked)."""
    if not survivors:
        return "ascii"
    if all(ord(c) <= 0xFF for c in survivors):
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
                (not char.isascii() and in_latin_page(char))
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


@dataclass(slots=True)
class LossyResult:
    changes: list[Change] = field(default_factory=list)
    left: int = 0


def _internal_runs(text: str, runs: list[re.Match[str]], mark: str) -> list[re.Match[str]]:
    return [
        r
        for r in runs
        if r[0][0] == mark
        and r.start() > 0
        and r.end() < len(text)
        and text[r.start() - 1].isalnum()
        and text[r.end()].isalnum()
    ]


def _question_like(text: str, r: re.Match[str]) -> bool:
    """After a word or number, before a space, punctuation or the end: where "?" and "??" stand."""
    p = text[r.start() - 1] if r.start() else " "
    n = text[r.end()] if r.end() < len(text) else " "
    return p.isalnum() and not n.isalnum()


def read_marks(text: str, runs: list[re.Match[str]], survivors: str) -> dict[str, MarkKind]:
    """Decide, per mark character, its unit (character or UTF-8 byte) and what it may stand for."""
    kinds = {}
    inside_question: list[re.Match[str]] = []
    for mark in MARKS:
        own = [r for r in runs if r[0][0] == mark]
        inside = _internal_runs(text, runs, mark)
        if mark == "?":
            inside_question = inside
        if inside:
            by_bytes = all(len(r[0]) >= 2 for r in inside)
        else:
            # no run between two letters or digits: runs of 2+ marks, not all where "??" may stand
            by_bytes = (
                bool(own)
                and all(len(r[0]) >= 2 for r in own)
                and (any(len(r[0]) == 3 for r in own) or not all(_question_like(text, r) for r in own))
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


DOTTED_CAPITAL_I = "\u0130"  # "İ"
ARTICLES = frozenset({"the", "a", "an", "this", "that", "these", "those"})


def _case_like(char: str, word: str, pos: int, text: str, offset: int, english: bool) -> str:
    """The case of a recovered letter: that of the word's letters; a lost first letter is a capital.

    A lost first letter mostly starts a name ("?ód?" -> "Łódź"). The exception: a word
    English never writes, after an article and before a lower-case word, is a foreign common
    noun ("the ?antier near" -> "șantier").
    """
    letters = [c for c in word if c.isalpha() and c not in MARKS]
    if len(letters) >= LOSSY.all_caps_letters and all(c.isupper() for c in letters):
        return _capital(char)
    if pos != 0:
        return char
    previous = re.search(r"([A-Za-z]+)\s+$", text[max(0, offset - LOSSY.article_reach) : offset])
    following = re.match(
        r"\s+([^\W\d_])", text[offset + len(word) : offset + len(word) + LOSSY.next_letter_reach]
    )
    if (
        not english
        and previous is not None
        and previous[1] in ARTICLES
        and following is not None
        and following[1].islower()
    ):
        return char
    return _capital(char)


def _capital(char: str) -> str:
    """The capital of a lost letter. A lost character was never ASCII, so the Turkish dotless
    "ı" (word lists fold "Izmir" to "ızmir") comes back as "İ", not as the ASCII "I"."""
    capital = char.upper()
    return DOTTED_CAPITAL_I if capital == "I" and char != "i" else capital


def masked_spans(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the :data:`PROTECTED` spans of each line of ``text`` that holds a mark.

    Masks are found line by line (the patterns' ``$`` and ``\\s`` must not cross a line); a
    line without a mark is never asked about, and one without a clue cannot match. Spans
    come out sorted and disjoint, so one bisection answers :meth:`_Reader.is_protected`.
    """
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for line in text.split("\n"):
        if ("?" in line or "\ufffd" in line) and any(clue in line for clue in PROTECTION_CLUES):
            for m in PROTECTED.finditer(line):
                starts.append(offset + m.start())
                ends.append(offset + m.end())
        offset += len(line) + 1
    return starts, ends


def _only_mark(word: str) -> str | None:
    """The one mark character ``word`` holds; None when it holds none or both."""
    question = "?" in word
    if question == ("\ufffd" in word):
        return None
    return "?" if question else "\ufffd"


def _has_mark(text: str) -> bool:
    return "?" in text or "\ufffd" in text


def _letters(text: str) -> int:
    """How many of the characters of ``text`` are letters (all of them, nearly always)."""
    return len(text) if text.isalpha() else sum(c.isalpha() for c in text)


def _word_end(text: str, pos: int) -> int:
    """Where the letters and marks from ``pos`` end (``WORD_CHARS`` matches everywhere, if empty)."""
    found = WORD_CHARS.match(text, pos)
    return pos if found is None else found.end()


def marked_words(text: str, runs: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Spans of the words (letters and marks) of ``text`` that hold a mark run of ``runs``.

    Grown outwards from each run, the few damaged words are found without visiting the
    many intact ones; the text is read backwards (reversed) to find where a word starts.
    """
    spans: list[tuple[int, int]] = []
    reverse = text[::-1]
    size = len(text)
    end = -1
    for r in runs:
        if r.start() < end:
            continue  # a later run of a word already found
        start = size - _word_end(reverse, size - r.start())
        end = _word_end(text, r.end())
        spans.append((start, end))
    return spans


# (start, end, char) fills, score, english, and the witness: "document", "corpus" or "vocabulary"
Reading = tuple[list[tuple[int, int, str]], float, float, str]
_LOOKUPS: weakref.WeakKeyDictionary[Vocabulary, dict[tuple[str, tuple], Reading | None]] = (
    weakref.WeakKeyDictionary()
)


def _lookups(vocab: Vocabulary) -> dict[tuple[str, tuple], Reading | None]:
    """The look-ups kept for ``vocab`` (shared by every document it serves; never changed)."""
    known = _LOOKUPS.get(vocab)
    if known is None or len(known) >= LOSSY.lookup_cache:
        known = _LOOKUPS[vocab] = {}
    return known


class Behind:
    """What the text holds before a position, kept as the reader moves forward.

    Each update searches only the characters passed since the last one, so reading a whole
    text visits each character a fixed number of times, however many marks one line holds.
    The line start is kept at every mark; the quotes and full stops only where a closing
    mark asks for them (:meth:`quotes_to`).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line_start = 0
        self.quotes_at = 0  # how far the facts below are up to date
        self.last_open = -1  # the last "“" of the current line, or -1
        self.last_close = -1  # the last "”" of the current line, or -1
        self.last_stop = -1  # the last "." of the text
        self.last_inverted = -1  # the last "¿" of the text

    def advance(self, to: int) -> None:
        if to <= self.at:
            return
        newline = self.text.rfind("\n", self.at, to)
        if newline >= 0:
            self.line_start = newline + 1
        self.at = to

    def quotes_to(self, to: int) -> None:
        """Bring the quotes and full stops up to ``to`` (the current mark, on the current line)."""
        text, since = self.text, self.quotes_at
        if to <= since:
            return
        if since < self.line_start:  # a new line since: its quotes only
            self.last_open = self.last_close = -1
        line_since = max(since, self.line_start)
        self.last_open = max(self.last_open, text.rfind("“", line_since, to))
        self.last_close = max(self.last_close, text.rfind("”", line_since, to))
        self.last_stop = max(self.last_stop, text.rfind(".", since, to))
        self.last_inverted = max(self.last_inverted, text.rfind("¿", since, to))
        self.quotes_at = to

    def in_spanish_question(self) -> bool:
        """Did this sentence open with "¿"? (since the last full stop)"""
        return self.last_inverted >= max(0, self.last_stop)


STRONGER_CLOSER = re.compile(r"[,.;](?=[?\ufffd])")


class Ahead:
    """Where the lines end, quotations open and marks close a quotation, found once per text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.next_newline = -1
        self._openers: list[int] | None = None
        self._closers: list[int] | None = None

    def line_end(self, pos: int) -> int:
        if self.next_newline < pos:
            found = self.text.find("\n", pos)
            self.next_newline = len(self.text) if found < 0 else found
        return self.next_newline

    def quotation_end(self, pos: int) -> int:
        """The end of the line holding ``pos`` or the next opening mark after it, the first."""
        if self._openers is None:
            self._openers = [m.start() for m in NEXT_OPENER.finditer(self.text)]
        k = bisect.bisect_right(self._openers, pos)
        opener = self._openers[k] if k < len(self._openers) else len(self.text)
        return min(opener, self.line_end(pos))

    def stronger_closer(self, start: int, stop: int) -> bool:
        """Does a mark after ",", "." or ";", or one right at ``stop``, lie in ``start:stop``?"""
        if stop - 1 >= start and self.text[stop - 1] in MARKS:
            return True
        if self._closers is None:
            self._closers = [m.start() for m in STRONGER_CLOSER.finditer(self.text)]
        k = bisect.bisect_left(self._closers, start)
        return k < len(self._closers) and self._closers[k] + 1 < stop


class _Reader:
    def __init__(
        self,
        text: str,
        vocab: Vocabulary | None,
        survivors: str,
        corpus_sign: str,
        document: DocumentWords | None = None,
    ) -> None:
        self.text = text
        self.vocab = vocab
        self.document = document  # the words this text writes intact: the first witness
        self.runs = list(MARK_RUN.finditer(text))
        self._mask_starts, self._mask_ends = masked_spans(text)
        self.kinds = read_marks(text, self.runs, survivors)
        self.vote_unit()
        self.signs = CurrencyWitness(text, corpus_sign)
        self.decided: dict[int, Decision] = {}  # mark start -> decision
        self.last_close_quote = -1  # where the last closing quote decided starts
        self.currency_ends: set[int] = set()  # where the currency signs decided end
        self.cursor = Behind(text)
        self.ahead = Ahead(text)

    def vote_unit(self) -> None:
        """Runs of two marks inside words fit both units ("Dvo??k": "ř" and "á", or one
        two-byte letter); the vocabulary decides: the unit in which more of the text's damaged
        words are real words ("Ji??", "Dvo??k", "Plze?" all are, one mark per character)."""
        for mark, kind in self.kinds.items():
            inside = _internal_runs(self.text, self.runs, mark)
            if self.vocab is None or not kind.by_bytes or any(len(r[0]) != 2 for r in inside):
                continue
            votes = [0, 0]  # words found with one mark per character, per byte
            for start, end in marked_words(self.text, self.runs)[: LOSSY.unit_vote_words]:
                damaged = self.text[start:end]
                word = damaged.replace("\ufffd", "?")
                if mark not in damaged or _letters(word.replace("?", "")) < LOSSY.min_witnessed_letters:
                    continue
                votes[0] += bool(self.vocab.candidates(char_skeleton(word), False))
                votes[1] += bool(self.vocab.candidates(byte_skeleton(word), True))
            if votes[0] > votes[1]:
                kind.by_bytes = False

    # -- helpers ---------------------------------------------------------------------
    def is_protected(self, start: int, end: int) -> bool:
        """Inside a URL, query string or code (a span of :func:`masked_spans`)?

        Spans are disjoint, so only the last one starting at or before ``start`` can hold it.
        """
        k = bisect.bisect_right(self._mask_starts, start) - 1
        return k >= 0 and end <= self._mask_ends[k]

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

    # -- vocabulary --------------------------------------------------------------------
    def fill(self, word: str, cand: str, kind: MarkKind) -> list[tuple[int, int, str]] | None:
        """Align a candidate word with a damaged one; the (start, end, char) fills, or None."""
        fills = []
        i = 0
        for c in cand:
            if i >= len(word):
                return None
            if c.isascii():
                if word[i].lower() != c:
                    return None
                i += 1
                continue
            if word[i].lower() == c:  # a letter that survived
                i += 1
                continue
            need = len(c.encode("utf-8")) if kind.by_bytes else 1
            run = word[i : i + need]
            if len(run) != need or any(ch != kind.char for ch in run) or not kind.allows(c, need):
                return None
            fills.append((i, i + need, c))
            i += need
        return fills if i == len(word) else None

    def lookup(self, word: str) -> Reading | None:
        """The dominant vocabulary reading of ``word`` (marks of one kind), or None.

        Kept per vocabulary, word and reading of its mark: the same damaged word recurs
        across a corpus ("Jos?", "Z??rich"), and a look-up tries every candidate.
        """
        if self.vocab is None or len(word) > LOSSY.longest_word:
            return None
        mark = _only_mark(word)
        if mark is None:
            return None
        known = _lookups(self.vocab)
        key = (word, self.kinds[mark].key())
        if key not in known:
            known[key] = self._lookup(word, mark, self.vocab)
        return known[key]

    def _lookup(self, word: str, mark: str, vocab: Vocabulary) -> Reading | None:
        letters = _letters(word.replace(mark, ""))
        if not letters:
            return None
        kind = self.kinds[mark]
        if kind.never:
            return None
        # the word's shape as the vocabulary indexes it, its marks standing for themselves
        plain = word.replace("\ufffd", "?")
        key = byte_skeleton(plain) if kind.by_bytes else char_skeleton(plain)
        scored = []
        for cand in vocab.candidates(key, kind.by_bytes):
            fills = self.fill(word, cand.word, kind)
            if fills:
                scored.append((cand, fills))
        if not scored:
            return None
        best, fills = scored[0]
        if letters < LOSSY.min_vocabulary_letters and (
            best.english == 0 or word[0] not in MARKS or word[-1] not in MARKS
        ):
            # one surviving letter says little: only "?ó?"-shaped words that English (or this
            # corpus) uses; "?a" is a quote before an article, not "ça"
            return None
        if len(scored) > 1:
            second = scored[1][0]
            if best.english > 0:
                if best.english < LOSSY.dominance * second.english:
                    return None
            elif best.score < LOSSY.dominance * second.score:
                return None
        witness = "corpus" if vocab.from_corpus(best.word) else "vocabulary"
        return fills, best.score, best.english, witness

    def document_lookup(self, word: str) -> Reading | None:
        """The one intact word of this text that ``word`` can be, or None.

        A word written intact in the same text outweighs what the damage elsewhere says
        about the marks: a headline that kept its accents says nothing about which letters
        the body lost (the repertoire), nor whether the body lost characters or bytes. So
        both units are tried, and any character may fill a mark, as long as exactly one
        intact word fits.
        """
        mark = _only_mark(word)
        if self.document is None or mark is None or len(word) > LOSSY.longest_word:
            return None
        if _letters(word.replace(mark, "")) < LOSSY.min_witnessed_letters:
            return None
        plain = word.replace("\ufffd", "?")
        for by_bytes in (self.kinds[mark].by_bytes, not self.kinds[mark].by_bytes):
            any_char = MarkKind(mark, by_bytes=by_bytes)
            key = byte_skeleton(plain) if by_bytes else char_skeleton(plain)
            fitting = [
                fills
                for cand in self.document.candidates(key, by_bytes)
                if (fills := self.fill(word, cand, any_char))
            ]
            if len(fitting) == 1:
                # scored as a word English writes: the text itself writes it
                return fitting[0], LOSSY.witnessed_score, LOSSY.witnessed_score, "document"
            if fitting:
                return None  # two intact spellings of one shape ("Müller", "Möller"): no witness
        return None

    def general_lookup(self, part: str, lead: bool, trail: bool) -> Reading | None:
        """The corpus' and the word lists' reading of ``part``; ``lead``/``trail``: a mark at its edge.

        A mark at a word's edge may be punctuation after (or before) an intact word: a
        common word ("spring?") is that word, and a reading must outscore the bare word.
        """
        edge = lead or trail
        bare = part.strip(MARKS)
        bare_freq = self.frequency(bare) if edge and len(bare) > 1 else 0.0
        if bare_freq > LOSSY.common_word:
            return None
        found = self.lookup(part)
        if found is None or found[1] < LOSSY.edge_ratio * bare_freq:
            return None
        return found

    # -- phase A: words ----------------------------------------------------------------
    def read_words(self) -> None:
        """Each word (letters and marks) that holds a mark and a letter."""
        text = self.text
        for start, end in marked_words(text, self.runs):
            while end > start and end - 1 in self.decided:
                end -= 1  # a space French sets before ":" (decided first) ends the word
            word = text[start:end]
            if word.strip(MARKS) and not self.is_protected(start, end):
                self.read_word(start, word)

    # -- phase 0: French spacing -------------------------------------------------------
    def read_french_spacing(self) -> None:
        """A French text sets a (narrow) no-break space before ":" ";" "!" "?" and inside « »."""
        text = self.text
        if FRENCH_SPOT.search(text) is None or document_language(text, LOSSY.french_pattern_words) != "fr":
            return
        open_at = -1  # where the last « on this line is (intact or decided)
        for r in self.runs:
            start, end, run = r.start(), r.end(), r[0]
            if self.is_protected(start, end) or self.kind(run).by_bytes:
                continue
            line_start = text.rfind("\n", 0, start) + 1
            if open_at < line_start:
                open_at = max(text.rfind("«", line_start, start), -1)
                open_at = open_at if open_at >= line_start else -1
            p = text[start - 1] if start > 0 else "\n"
            n = text[end] if end < len(text) else "\n"
            after = text[end + 1 : end + 2] if end + 1 < len(text) else ""
            if len(run) == 1 and ELISION.search(text, max(0, start - 3), end + 1):
                self.decide_first(start, end, run, "’", "apostrophe")  # "C?est", "qu?il", "l?été"
            elif (
                p in "\n ("
                and n == " "
                and after.isalpha()
                and self.decide_first(start, end, run, "«", "guillemet")
            ):
                open_at = start
            elif p.isalnum() and n in HIGH_PUNCTUATION:
                # "demand??:": the letter, then the space before the colon
                self.decide_first(end - 1, end, run[-1], NNBSP + NBSP, "nbsp")
            elif p.isalnum() and len(run) == 2 and n in CLAUSE_END:
                closer_follows = LONE_CLOSER.match(text, end) is not None  # "maintenant?? ?": " ? »"
                if (
                    open_at >= 0
                    and not closer_follows
                    and self.decide_first(end - 1, end, run[-1], "»", "guillemet")
                ):
                    open_at = -1  # "victoire??," : the space, then the closing guillemet
                self.decide_first(start, start + 1, run[0], NNBSP + NBSP, "nbsp")  # "maintenant??": " ?"
            elif (
                p == " "
                and n in CLAUSE_END
                and open_at >= 0
                and self.decide_first(start, end, run, "»", "guillemet")
            ):
                open_at = -1

    def is_apostrophe(self, offset: int, word: str, runs: list[tuple[int, int]]) -> bool:
        """Is the word's last mark run an apostrophe before "s", "t", "ll"...? Decides it if so."""
        if not runs:
            return False
        start, end = runs[-1]
        if start == 0 or end == len(word):
            return False
        suffix = word[end:]
        if not suffix.isalpha() or suffix.lower() not in APOSTROPHE_SUFFIXES:
            return False
        if self.first_allowed(word[start:end], "’") is None:
            return False
        prefix_start = runs[-2][1] if len(runs) > 1 else 0
        # "Andr?s" is "András" when "Andr" is no word and the vocabulary knows "andrás"
        if (
            self.vocab is not None
            and self.frequency(word[prefix_start:start]) < LOSSY.apostrophe_prefix_word
            and (self.document_lookup(word[prefix_start:]) or self.lookup(word[prefix_start:])) is not None
        ):
            return False
        self.decide(offset + start, offset + end, "’", "apostrophe", sure=True)
        return True

    def read_word(self, offset: int, word: str) -> None:
        runs = [(r.start(), r.end()) for r in MARK_RUN.finditer(word)]
        # 1. an apostrophe splits off the word's ending: "M?ller?s" -> "M?ller" + "’s".
        # Only the last run can: the suffix after any other one holds a mark.
        pieces_end = len(word)
        if self.is_apostrophe(offset, word, runs):
            pieces_end = runs[-1][0]
        core = word[:pieces_end]
        core_runs = [(s, e) for s, e in runs if e <= pieces_end]
        if not core_runs:
            return
        # 2. letters from the vocabulary: whole word, then without the edge marks
        lead = core_runs[0][0] == 0
        trail = core_runs[-1][1] == len(core)
        variants = [(0, len(core))]
        if lead:
            variants.append((core_runs[0][1], len(core)))
        if trail:
            variants.append((0, core_runs[-1][0]))
        if lead and trail and len(core_runs) > 1:
            variants.append((core_runs[0][1], core_runs[-1][0]))
        prev = self.text[offset - 1] if offset > 0 else " "
        # "Tom?? Nov?k": a name going on with a damaged name is no question ("Tom??")
        in_name = (
            trail
            and core[:1].isupper()
            and DAMAGED_NAME_NEXT.match(self.text, offset + len(core)) is not None
        )
        for vs, ve in variants:
            part = core[vs:ve]
            if not _has_mark(part):
                continue
            if vs == 0 and lead and prev.isdigit():
                continue  # "5?a.m.": a mark after a number is spacing, not a letter
            found = self.document_lookup(part) or self.general_lookup(
                part, vs == 0 and lead, ve == len(core) and trail and not in_name
            )
            if found is None:
                continue
            fills, score, english, witness = found
            kind = self.kinds["?" if "?" in part else "\ufffd"]
            sure = (
                witness == "document"
                or any(s > 0 and e < len(part) for s, e, _ in fills)
                or (vs == 0 and lead)
                or kind.by_bytes
            )
            if not sure and ve == len(core) and trail:
                # "Kahramanmara?," and "Pozna? will": a question mark rarely sits there
                nxt = self.text[offset + len(core) : offset + len(core) + 2]
                bare = part.rstrip(MARKS)
                sure = nxt[:1] in (",", ";", ":") or (
                    nxt[:1] == " "
                    and nxt[1:].islower()
                    and self.vocab is not None
                    and self.frequency(bare) < LOSSY.known_word
                )
            for s, e, char in fills:
                cased = _case_like(char, part, s, self.text, offset + vs, english > 0)
                self.decide(offset + vs + s, offset + vs + e, cased, f"letter_from_{witness}", sure)
            break
        # 3. a lost space between two words: "grants?ultra"
        for k, (s, e) in enumerate(core_runs):
            if s == 0 or e == len(core) or offset + s in self.decided:
                continue
            # the letters between this run and its neighbours (none when two runs touch)
            left = core[core_runs[k - 1][1] if k > 0 else 0 : s]
            right = core[e : core_runs[k + 1][0] if k + 1 < len(core_runs) else len(core)]
            run = core[s:e]
            if self.first_allowed(run, f"{NBSP}\u202f\u2009") is None:
                continue
            if self._is_word(left) and self._is_word(right) and not self._is_word(left + right):
                self.decide(offset + s, offset + e, " ", "lost_space", sure=True)

    def frequency(self, word: str) -> float:
        """The vocabulary's frequency of ``word`` as written; 0 for a word longer than any."""
        if self.vocab is None or len(word) > LOSSY.longest_word:
            return 0.0
        return self.vocab.known(word)

    def _is_word(self, word: str) -> bool:
        if len(word) < LOSSY.shortest_word or len(word) > LOSSY.longest_word or self.vocab is None:
            return False
        return self.frequency(word) >= LOSSY.known_word or (
            word[0].isupper() and word[1:].islower() and len(word) > LOSSY.shortest_name
        )

    # -- phase B: punctuation ----------------------------------------------------------
    def read_punctuation(self) -> None:
        text = self.text
        pending_open = False  # an opening quote decided on this line and not closed yet
        line_start = 0
        for r in self.runs:
            start, end, run = r.start(), r.end(), r[0]
            self.cursor.advance(start)
            if self.cursor.line_start != line_start:
                pending_open = False
                line_start = self.cursor.line_start
            if start in self.decided or self.is_protected(start, end):
                continue
            p = text[start - 1] if start > 0 else "\n"
            n = text[end] if end < len(text) else "\n"
            pp = text[start - 2] if start > 1 else "\n"
            after = text[end : end + LOSSY.after_reach]
            if self.is_copyright(start, end, p, n, after) and self.decide_first(
                start, end, run, "©", "copyright"
            ):
                continue
            if (p in OPEN_CONTEXT or start == 0) and (n.isalnum()):
                if n.isdigit():
                    self.read_before_number(start, end, run, p, after)
                elif self.decide_first(start, end, run, "“", "open_quote"):
                    pending_open = True
                continue
            # "20 ? pour", "20? pro Person": the sign after the amount, as the euro languages
            # write it; a question mark does not go on in lower case
            if (
                (p in " " + NBSP and pp.isdigit() or p.isdigit())
                and n in SIGN_END
                and self.decide_currency(start, end, run, weak_ok=False, sure=after[1:2].islower())
            ):
                continue
            if p == " " and n == " " and start > 0:
                # "war ? and": a clause dash. Before a capital it may be a French question
                # typed with a plain space ("c'est ? Non"), so only in a damaged text.
                self.decide_first(start, end, run, "—–", "dash", sure=not text[end + 1 : end + 2].isupper())
                continue
            if p == NBSP and n == " " and pp.isdigit() and after[1:2].islower():
                self.decide_currency(start, end, run)
                continue
            if p.isdigit() and n.isdigit():
                self.read_between_digits(start, end, run)
                continue
            if p.isdigit() and n == "%":
                # "12 %", as French and German set it
                self.decide_first(start, end, run, f"{NBSP}\u202f", "nbsp")
                continue
            if p.isdigit() and n.isalpha():
                self.read_after_number(start, end, run, after)
                continue
            if (
                p == "."
                and n.isdigit()
                and re.search(
                    r"(?:^|[\s(])[A-Za-z]{1,4}\.$", text[max(0, start - LOSSY.abbreviation_reach) : start]
                )
            ):
                self.decide_first(start, end, run, f"{NBSP}\u202f", "nbsp")
                continue
            if p.isalpha() and n.isdigit():
                self.decide_first(start, end, run, f"{NBSP}\u202f", "nbsp", sure=False)
                continue
            if (
                p.isdigit()
                and n == " "
                and after[1:2].islower()
                and self.decide_first(start, end, run, "½", "fraction", sure=False)
            ):
                continue  # "2? hours": a fraction glued to a number, before a unit or noun
            if (p.isalnum() or p in ".,;!?…") and not n.isalnum():
                pending_open = self.read_closing(start, end, run, p, n, pending_open)
                continue

    def decide_currency(
        self, start: int, end: int, run: str, weak_ok: bool = True, sure: bool = True
    ) -> bool:
        """A currency sign, if a witness names one the mark may stand for (see :mod:`.signs`).

        ``weak_ok=False`` for a mark after the amount, which may also end a question."""
        kind = self.kind(run)
        grouped = SPACE_GROUPED.match(self.text, end) is not None
        found = self.signs.decide(lambda c: kind.allows(c, len(run)), start, weak_ok=weak_ok, grouped=grouped)
        if found is not None:
            self.decide(start, end, found[0], found[1], sure=sure)
        return found is not None

    def read_before_number(self, start: int, end: int, run: str, p: str, after: str) -> None:
        # a signed temperature or percentage ("?6°C", "?0.5%"): a minus sign, not money
        if re.match(r"\d+(?:[.,]\d+)?\s?(?:°|[?\ufffd]+[CF]\b|%)", after):
            self.decide_first(start, end, run, "−–", "minus")
            return
        if re.match(r"\d0s\b", after):
            self.decide_first(start, end, run, "’", "apostrophe")
            return
        self.decide_currency(start, end, run)

    def is_copyright(self, start: int, end: int, p: str, n: str, after: str) -> bool:
        """ "? 2024" at a line's start or on a line that says "copyright" / "rights reserved"."""
        if not (p in OPEN_CONTEXT or start == 0) or YEAR.match(after) is None:
            return False
        line_start = self.text.rfind("\n", 0, start) + 1
        if not self.text[line_start:start].strip():
            return True
        line_end = self.text.find("\n", end)
        line = self.text[line_start : len(self.text) if line_end < 0 else line_end]
        return COPYRIGHT_LINE.search(line) is not None

    def after_degrees(self, start: int) -> bool:
        """Do degrees and minutes ("51°30", or "51?30" whose mark was read as "°") end here?"""
        m = MINUTES.search(self.text, max(0, start - LOSSY.degrees_reach), start)
        if m is None:
            return False
        sign = m.start()
        return self.text[sign] == "°" or (sign in self.decided and self.decided[sign].after == "°")

    def read_between_digits(self, start: int, end: int, run: str) -> None:
        if COORDINATE.match(self.text, end) and self.decide_first(start, end, run, "°", "degree"):
            return  # "51?30?N": degrees, then minutes (the next mark)
        if self.after_degrees(start) and self.decide_first(start, end, run, "′", "degree"):
            return  # "51°30?15": minutes of arc
        left = re.search(r"\d+$", self.text[max(0, start - LOSSY.number_reach) : start])
        right = re.match(r"\d+", self.text[end : end + LOSSY.number_reach])
        if left is None or right is None:
            return
        lnum, rnum = left[0], right[0]
        after_right = self.text[end + len(rnum) : end + len(rnum) + 1]
        before_left = self.text[max(0, start - len(lnum) - 1) : start - len(lnum)]
        after_amount = (before_left != "" and before_left in CURRENCIES) or (
            start - len(lnum) in self.currency_ends
        )
        # "2?500" after a currency sign, "12?000", "250?300?000": digit groups, not a range
        thousands = (
            len(rnum) == 3
            and len(lnum) <= 3
            and (
                rnum[0] == "0"
                or int(rnum) <= int(lnum)
                or len(lnum) < len(rnum)  # "1?200 passengers": a range spans like magnitudes
                or after_amount
                or (after_right != "" and after_right in MARKS)
            )
            and not after_right.isdigit()
        )
        # the likelier reading first; a byte run that only fits the other one takes that
        readings = [(f"{NBSP}\u202f\u2009", "nbsp"), ("–—", "range_dash")]
        for chars, rule in readings if thousands else readings[::-1]:
            if self.decide_first(start, end, run, chars, rule):
                return

    def read_after_number(self, start: int, end: int, run: str, after: str) -> None:
        if re.match(r"[CF](?![^\W\d_])", after) and self.decide_first(start, end, run, "°", "degree"):
            return
        if re.match(r"[NSEW](?![^\W\d_])", after) and (
            self.after_degrees(start)
            and self.decide_first(start, end, run, "′", "degree")
            or self.decide_first(start, end, run, "°", "degree")
        ):
            return  # "51?N", "51°30?N"
        if re.match(r"s(?![^\W\d_])", after) and self.decide_first(start, end, run, "’", "apostrophe"):
            return
        self.decide_first(start, end, run, f"{NBSP}\u202f", "nbsp")

    def is_brand(self, start: int) -> bool:
        """Does a capitalised word ("Walkman", "MegaCorp"), not a sentence's first, end here
        after an intact word?"""
        m = BRAND_BEFORE.search(self.text, max(0, start - LOSSY.longest_word), start)
        return m is not None and m[1][-1] not in ".!?" and not _has_mark(m[1])

    def read_closing(self, start: int, end: int, run: str, p: str, n: str, pending_open: bool) -> bool:
        """A mark after a word or punctuation, before a space or punctuation; returns pending_open."""
        kind = self.kind(run)
        text = self.text
        if n in CLOSING_QUOTES:
            return pending_open  # "end?”": the quote survived, so this is a question mark
        # "gone??" (one mark per character) and "gone????" (per byte): the question mark,
        # then the quote
        last = run[-1]
        if kind.by_bytes:
            last = run[1:] if len(run) == 4 else run
        last_start = end - len(last)
        close = self.first_allowed(last, "”")
        if close is None:
            return pending_open
        lower_next = n == " " and text[end + 1 : end + 2].islower()
        if p in ",.;" and run == last:
            self.decide(last_start, end, close, "close_quote", sure=True)
            return False
        cursor = self.cursor
        cursor.quotes_to(start)
        closed = max(
            cursor.last_close, self.last_close_quote if self.last_close_quote >= cursor.line_start else -1
        )
        if cursor.last_open > closed:
            pending_open = True
        if pending_open and n == " " and text[end + 1 : end + 2].isupper() and p.isalpha() and run == last:
            return pending_open  # "holding? Residents": a question ends the sentence
        if pending_open:
            # the rest of the quotation: up to the line's end or the next opening mark
            stop = self.ahead.quotation_end(end)
            second = text[end + 1] if end + 1 < stop else ""
            if n == " " and second.islower() and self.ahead.stronger_closer(end, stop) and p.isalpha():
                # A stronger closer follows and the quote goes on in lower case: a pause
                # inside the quotation ("options… nothing is off the table").
                char = self.first_allowed(run, "…") if run == last else None
                if char:
                    self.decide(start, end, char, "ellipsis", sure=False)
                return pending_open
            self.decide(last_start, end, close, "close_quote", sure=True)
            return False
        certain = kind.by_bytes or run[0] == "\ufffd"  # cannot be a question mark
        if p == "s" and lower_next and run == last:
            char = self.first_allowed(run, "’")
            if char and not cursor.in_spanish_question():
                self.decide(start, end, char, "apostrophe", sure=certain)
            return pending_open
        if run == last and p.isalpha() and (lower_next or n in ",;") and self.is_brand(start):
            # "the Walkman? brand": a question does not go on in lower case after a name
            self.decide_first(start, end, run, "™", "trademark", sure=False)
            return pending_open
        if certain and run == last and lower_next:
            # no quotation open, the sentence goes on: a pause ("on Tuesday… the third")
            self.decide_first(start, end, run, "…", "ellipsis")
        # Before a capital or the line's end with no quotation open, a closing quote would
        # be a guess: the mark stays (and is counted).
        return pending_open

    # -- result ------------------------------------------------------------------------
    def result(self) -> LossyResult:
        decisions = list(self.decided.values())
        damaged = "\ufffd" in self.text or any(d.sure for d in decisions)
        taken = [d for d in decisions if d.sure or damaged]
        taken.sort(key=lambda d: d.start)
        changes = [Change(d.start, d.end, d.after, d.rule) for d in taken]
        starts = sorted(d.start for d in taken)
        left = 0
        for r in self.runs:
            k = bisect.bisect_left(starts, r.start())
            if k < len(starts) and starts[k] < r.end():
                continue  # repaired (at least one decision inside the run)
            if self.is_protected(r.start(), r.end()):
                continue
            if r[0][0] == "\ufffd" or self.looks_lost(r):
                left += 1
        return LossyResult(changes, left)

    def looks_lost(self, r: re.Match[str]) -> bool:
        """A `?` left where a real question mark does not stand (inside a word, before a word)."""
        text = self.text
        n = text[r.end()] if r.end() < len(text) else "\n"
        return n.isalnum()


_SURVIVOR = re.compile("[^\x00-\x7f\ufffd]")
_AFTER_QUESTION = re.compile(r"$|\n|[\s\u00a0\u202f]*[\"”’'»)!?]|\s+[\"“‘'«(]?[A-Z0-9]")


def only_question_marks(text: str) -> bool:
    """Fast path for correct text: every `?` ends a question (after a word, before a capital,
    a closing quote or the end), a place no rule would change anyway."""
    if "\ufffd" in text:
        return False
    i = text.find("?")
    while i >= 0:
        j = i
        while j < len(text) and text[j] == "?":
            j += 1
        if not (i > 0 and text[i - 1].isalnum()) or _AFTER_QUESTION.match(text, j) is None:
            return False
        i = text.find("?", j)
    return True


def fix_lossy(
    text: str,
    vocabulary: Vocabulary | None = None,
    survivors: str | None = None,
    corpus_sign: str = "",
    document: DocumentWords | None = None,
) -> LossyResult:
    """Decide every `?`/U+FFFD run of ``text``; ``survivors``: its non-ASCII characters no repair
    made; ``document``: the words ``text`` writes intact (see :mod:`.witnesses`)."""
    if only_question_marks(text):
        return LossyResult()
    if survivors is None:
        survivors = "".join(sorted(set(_SURVIVOR.findall(text))))
    reader = _Reader(text, vocabulary, survivors, corpus_sign, document)
    reader.read_french_spacing()
    reader.read_words()
    reader.read_punctuation()
    return reader.result()
