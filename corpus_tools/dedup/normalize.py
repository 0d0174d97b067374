"""CCNet-style text normalisation, the key under which two texts count as *the same*.

CCNet (Wenzek et al. 2019) deduplicates on text lower-cased, with accents stripped,
digits replaced by ``0`` and punctuation removed, so that copies differing only in
typography, casing or a changed figure still meet. We do the same, and the MinHash
shingles are built from the same words, so exact and near deduplication agree on what a
word is.

Speed matters (this runs on every document): the work is done on UTF-8 bytes with one
``bytes.translate`` table for ASCII. The commonest non-ASCII punctuation (curly quotes,
dashes, no-break space) is replaced by plain ``bytes.replace`` first; what non-ASCII
remains goes through ``unicodedata`` once per distinct run thanks to a cache (accented
letters repeat).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import xxhash

_NON_ASCII = re.compile(rb"[\x80-\xff]+")
_SPACES = re.compile(rb"  +")
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
_LINES_TABLE = _ASCII_TABLE[:10] + b"\n" + _ASCII_TABLE[11:]  # the same, keeping line breaks
_DIGITS = b"0123456789"


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
    return _SPACES.sub(b" ", _ascii_only(text).translate(_ASCII_TABLE)).strip()


def normalized_lines(text: str) -> list[bytes]:
    """The normalised form of each line of ``text`` (split on ``\\n``, one entry per line),
    with numbers dropped: lines that differ by a date or a count match.

    One pass over the whole text instead of one per line: a page has dozens of lines.
    """
    lines = _SPACES.sub(b" ", _ascii_only(text).translate(_LINES_TABLE, _DIGITS))
    return [line.strip() for line in lines.split(b"\n")]


def _ascii_only(text: str) -> bytes:
    """UTF-8 bytes of ``text``, non-ASCII punctuation, digits and accents already normalised."""
    raw = text.encode("utf-8", "surrogatepass")
    if not raw.isascii():
        for mark in _COMMON_PUNCTUATION:
            if mark in raw:
                raw = raw.replace(mark, b" ")
        if not raw.isascii():
            raw = _NON_ASCII.sub(_replace_run, raw)
    return raw


def normalize(text: str) -> str:
    """The normalised text as str, for display and tests."""
    return normalized_bytes(text).decode("utf-8")


def exact_key(normalized: bytes) -> int:
    """64-bit key of a normalised text: equal keys mean equal normalised texts.

    A 64-bit hash collides by chance with probability ~n²/2⁶⁵: about 3e-8 for a
    million documents.
    """
    return xxhash.xxh3_64_intdigest(normalized)


def url_key(url: str) -> int:
    """Key of a URL with what does not name the page removed (scheme, ``www.``, fragment, final slash)."""
    url = url.strip().lower().split("#", 1)[0]
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url)
    url = url.removeprefix("www.").rstrip("/")
    return xxhash.xxh3_64_intdigest(url.encode("utf-8", "surrogatepass"))
