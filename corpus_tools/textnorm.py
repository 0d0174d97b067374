"""CCNet-style text normalisation: the form under which two texts or lines count as *the same*.

Shared by deduplication (:mod:`corpus_tools.dedup`) and site templates
(:mod:`corpus_tools.steps.site_templates`).

CCNet (Wenzek et al. 2019) deduplicates on text lower-cased, with accents stripped,
digits replaced by ``0`` and punctuation removed, so that copies differing only in
typography, casing or a changed figure still meet. We do the same, and the MinHash
shingles are built from the same words, so exact and near deduplication agree on what a
word is.

Speed matters (this runs on every document): the work is done on UTF-8 bytes with one
``bytes.translate`` table for ASCII. The commonest non-ASCII punctuation (curly quotes,
dashes, no-break space) is replaced by plain ``bytes.replace`` first, only for the marks
the text holds; what non-ASCII remains goes through ``unicodedata`` once per distinct run
thanks to a cache (accented letters repeat). Runs of spaces are collapsed with numpy,
which also hands the shingle hashing its array without another copy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np

_NON_ASCII = re.compile(rb"[\x80-\xff]+")
# Non-ASCII punctuation frequent in news, removed with C-speed replaces before the slow path.
_COMMON_PUNCTUATION = tuple(
    mark.encode("utf-8")
    for mark in "\u2019\u2018\u201c\u201d\u2014\u2013\u2026\u00a0\u00ab\u00bb\u00a9\u00ae\u2122\u2022\u00b7"
)


def _ascii_table() -> bytes:
    table = bytearray(range(256))
    for code in range(128):
        char = chr(code)
        if char.isdigit():
            table[code] = ord("0")
        elif char.isalpha():
            table[code] = ord(char.lower())
        else:
            table[code] = ord(" ")
    return bytes(table)


_ASCII_TABLE = _ascii_table()
_ASCII = bytes(range(128))  # deleted to leave a text's non-ASCII bytes only
_MARKS_TABLE = _ASCII_TABLE[:128] + b" " * 128  # the same, every non-ASCII byte a space
_SPACE = 32
_LINES_TABLE = _ASCII_TABLE[:10] + b"\n" + _ASCII_TABLE[11:]  # the same, keeping line breaks
_LINE_MARKS_TABLE = _LINES_TABLE[:128] + b" " * 128  # and every non-ASCII byte a space
_DIGITS = b"0123456789"
CHUNK_BYTES = 1 << 17  # text per numpy pass over several documents (see ``chunked``)


@lru_cache(maxsize=1 << 16)
def _normalize_run(run: bytes) -> bytes:
    """Normalise one run of non-ASCII characters (cached: the same few runs recur)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFD", run.decode("utf-8", "replace").lower()):
        category = unicodedata.category(char)
        if category[0] == "M":  # combining accent left by NFD: drop, so "é" -> "e"
            continue
        if category == "Nd":
            out.append("0")
        elif category[0] in "LN":
            out.append(char)
        else:  # punctuation, symbols, separators, controls
            out.append(" ")
    return "".join(out).encode("utf-8")


def _replace_run(match: re.Match[bytes]) -> bytes:
    return _normalize_run(match.group())


def normalized_bytes(text: str) -> bytes:
    """``text`` after CCNet normalisation, as UTF-8 words joined by single spaces.

    Lower case, accents stripped, every digit ``0``, punctuation and symbols turned into
    word breaks. Bytes, not str, because hashing wants bytes and decoding back would cost
    as much as the rest.
    """
    return normalized_array(text).tobytes()


def normalized_array(text: str) -> np.ndarray:
    """:func:`normalized_bytes` as a uint8 array: what the shingle hashing reads."""
    return _collapse_spaces(np.frombuffer(translated(text), dtype=np.uint8))


def normalized_many(translated_texts: list[bytes]) -> list[bytes]:
    """:func:`normalized_bytes` of each text, given as its :func:`translated` bytes.

    The spaces of a unit's texts are collapsed in one numpy pass over the texts joined by
    NUL bytes (which translated text never holds): numpy's cost per call is what the
    per-document collapse paid most.
    """
    return [text.strip() for chunk in _chunks(translated_texts) for text in _collapsed(chunk).split(b"\0")]


def translated(text: str) -> bytes:
    """The text's normalised bytes before runs of spaces are collapsed.

    When its only non-ASCII characters are common punctuation (curly quotes and dashes in
    English news), each byte of them becomes a space in the same ``translate``: once the
    spaces are collapsed that is the same as replacing each mark by one space, without the
    two or three passes of ``bytes.replace`` over the text.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if raw.isascii():
        return raw.translate(_ASCII_TABLE)
    if _only_common_punctuation(raw):
        return raw.translate(_MARKS_TABLE)
    return _replace_non_ascii(raw).translate(_ASCII_TABLE)


def _only_common_punctuation(raw: bytes) -> bool:
    """Whether every non-ASCII character of ``raw`` is one of ``_COMMON_PUNCTUATION``.

    Checked on the few non-ASCII bytes alone: UTF-8 is self-synchronising, so a whole
    character found among them is a character of the text.
    """
    foreign = raw.translate(None, _ASCII)
    for mark in _COMMON_PUNCTUATION:
        if mark in foreign:
            foreign = foreign.replace(mark, b"")
    return not foreign


def _collapse_spaces(chars: np.ndarray) -> np.ndarray:
    """``chars`` with each run of spaces made one space and none at either end.

    The same as ``re.sub(b"  +", b" ", ...).strip()`` on a translated text (whose only
    whitespace is the space), in four numpy passes: twice faster on an article, where
    punctuation followed by a space leaves a hundred double spaces.
    """
    in_word = chars != _SPACE
    keep = in_word.copy()
    keep[1:] |= in_word[:-1]  # a space right after a word character stays, the rest of its run goes
    out = chars[keep]
    if out.size and out[-1] == _SPACE:  # the one space kept after the last word
        out = out[:-1]
    return out


class Lines:
    """The lines of one text, split on ``\\n`` once for every step of a stage that needs them.

    Got through :func:`lines_of`, which keeps the last text's split: the steps of a stage
    run one document at a time, so those that need lines (``site_templates``,
    ``dedupe_lines``, ``normalize``) ask for the same text in a row, until one of them edits
    it (an edit makes a new string, which is split again).
    """

    __slots__ = ("_stripped", "lines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")  # read-only: shared by every step that asks
        self._stripped: list[str] | None = None

    def stripped(self) -> list[str]:
        """Each line's ``strip()`` (the line itself when there is nothing to strip)."""
        if self._stripped is None:
            self._stripped = list(map(str.strip, self.lines))
        return self._stripped

    def spans(self) -> list[tuple[int, int]]:
        """Each line with its newline, as the span an edit removes to remove the line whole;
        a final newline starts no empty line."""
        spans = []
        start = 0
        for line in self.lines:
            end = start + len(line) + 1
            spans.append((start, end))
            start = end
        if spans:
            last = len(self.lines[-1])
            if last:
                spans[-1] = (spans[-1][0], spans[-1][1] - 1)  # the last line has no newline
            else:
                spans.pop()  # the text ends with a newline, or is empty
        return spans


_last_lines: Lines | None = None  # the last text split: one document's lines, never more


def lines_of(text: str) -> Lines:
    """The lines of ``text``, split once however many steps ask in a row.

    Keyed by the string's identity, not its value: the cache holds the string, so no other
    string can take its ``id``, and asking costs no hash of the text.
    """
    global _last_lines
    last = _last_lines
    if last is None or last.text is not text:
        last = _last_lines = Lines(text)
    return last


def line_spans(text: str) -> list[tuple[int, int]]:
    """Each line of ``text`` with its newline, as a ``(start, end)`` an edit can remove whole; a
    final newline starts no empty line. The steps that remove lines share this one splitter."""
    return lines_of(text).spans()


def normalized_lines(text: str) -> list[bytes]:
    """The normalised form of each line of ``text`` (split on ``\\n``, one entry per line),
    with numbers dropped: lines that differ by a date or a count match.

    One pass over the whole text instead of one per line: a page has dozens of lines. Runs
    of spaces are collapsed with numpy (:func:`_collapsed`), where ``re.sub(b"  +", b" ", ...)``
    took 18 microseconds an article.
    """
    return normalized_lines_many([lines_translated(text)])[0]


def normalized_lines_many(translated_texts: list[bytes]) -> list[list[bytes]]:
    """:func:`normalized_lines` of each text, given as its :func:`lines_translated` bytes;
    in one numpy pass over the texts joined by NUL bytes, as :func:`normalized_many`."""
    return [
        [line.strip() for line in text.split(b"\n")]
        for chunk in _chunks(translated_texts)
        for text in _collapsed(chunk).split(b"\0")
    ]


def chunked(sizes: Sequence[int]) -> Iterator[list[int]]:
    """Indexes of consecutive items, in runs of about ``CHUNK_BYTES`` (one item at least), for
    numpy passes over several documents' text at once.

    Per document, numpy's cost is the number of calls more than the bytes; a whole unit
    at once is slower again, as its arrays fall out of the caches and are fresh memory the
    kernel maps and zeroes page by page. ``CHUNK_BYTES`` was fastest, measured from 8 kB to
    the whole unit (``benchmarks/README.md``).
    """
    chunk: list[int] = []
    size = 0
    for index, length in enumerate(sizes):
        if chunk and size + length > CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(index)
        size += length + 1
    if chunk:
        yield chunk


def _chunks(texts: list[bytes]) -> Iterator[np.ndarray]:
    """``texts`` joined by NUL bytes, a :func:`chunked` run at a time."""
    for run in chunked([len(text) for text in texts]):
        yield np.frombuffer(b"\0".join([texts[index] for index in run]), dtype=np.uint8)


def _collapsed(chars: np.ndarray) -> bytes:
    """Translated ``chars`` (word bytes, spaces, and separators: line breaks or NULs, the
    only bytes below the space) with each run of spaces made one space, except at the start
    of a piece between separators, where it goes.

    What :func:`_collapse_spaces` does, piece by piece, but for one trailing space a piece may
    keep (its caller strips it).
    """
    in_word = chars > _SPACE
    keep = in_word.copy()
    keep[1:] |= in_word[:-1]  # a space right after a word character stays, the rest of its run goes
    keep |= chars < _SPACE
    return chars[keep].tobytes()


def lines_translated(text: str) -> bytes:
    """The text's normalised bytes, line breaks kept and digits dropped, before spaces are
    collapsed; common non-ASCII punctuation alone is made spaces in the same ``translate``,
    as in :func:`translated`."""
    raw = text.encode("utf-8", "surrogatepass")
    if raw.isascii():
        return raw.translate(_LINES_TABLE, _DIGITS)
    if _only_common_punctuation(raw):
        return raw.translate(_LINE_MARKS_TABLE, _DIGITS)
    return _replace_non_ascii(raw).translate(_LINES_TABLE, _DIGITS)


def _replace_non_ascii(raw: bytes) -> bytes:
    """``raw`` with its common punctuation made spaces and other non-ASCII runs normalised."""
    # Look for the marks among the text's few non-ASCII bytes, not in the whole text: 15
    # searches of 4 KB took 60 microseconds, twice the rest of the normalisation. UTF-8 is
    # self-synchronising, so a whole character found there is a character of the text.
    foreign = raw.translate(None, _ASCII)
    for mark in _COMMON_PUNCTUATION:
        if mark in foreign:
            raw = raw.replace(mark, b" ")
    if not raw.isascii():
        raw = _NON_ASCII.sub(_replace_run, raw)
    return raw


def normalize(text: str) -> str:
    """The normalised text as str, for display and tests."""
    return normalized_bytes(text).decode("utf-8")
