"""Cheap tests that decide which text needs the expensive repairs.

ftfy is slow, and most text is clean: clean text must pass at a fraction of ftfy's cost
(figures: benchmarks/README.md). Mojibake always
leaves a visible trace: a character that a UTF-8 *lead* byte (0xC2-0xF4) becomes in one of
the single-byte code pages ftfy knows, directly followed by one that a *continuation* byte
(0x80-0xBF) becomes ("Ã©", "â€™", "Å›", "Ă©", "вЂ"). ftfy itself only acts on text its
badness measure flags, and that measure needs such pairs too, so gating on them costs
little recall (``benchmarks/bench_encoding.py`` counts the misses). Lone C1 control
characters (Latin-1 mojibake) and ftfy's lossy sequences ("â€?") are caught the same way.
"""

from __future__ import annotations

import re

# The code pages ftfy decodes mojibake from (its "sloppy" variants map undefined bytes to C1).
CODE_PAGES = ("latin-1", "cp1252", "cp1250", "cp1251", "iso-8859-2", "mac_roman")


def _decode(codec: str, lo: int, hi: int) -> str:
    found = []
    for byte in range(lo, hi + 1):
        try:
            found.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            found.append(chr(byte))  # sloppy decoding: the byte becomes the C1 control
    return "".join(found)


# A lead/continuation pair is only a clue when both characters come from the same code page:
# mixing pages would flag clean typography (Mac Roman's "’" is a lead, cp1252's "”" a continuation).
# The Windows code pages of the Latin-script languages (Western, Central European, Turkish,
# Baltic): the letters a European news text can hold when it was stored in a single-byte page.
LATIN_WINDOWS_PAGES = ("cp1252", "cp1250", "cp1254", "cp1257")


def in_latin_page(char: str) -> bool:
    """Does one of :data:`LATIN_WINDOWS_PAGES` write ``char``?"""
    for page in LATIN_WINDOWS_PAGES:
        try:
            char.encode(page)
        except UnicodeEncodeError:
            continue
        return True
    return False


# The gate also knows the DOS code page 437 ("Dvo┼Ö├ík"), which ftfy decodes too: its lead and
# continuation characters (box drawing, Greek and math signs after them) do not pair up in
# clean text. It is left out of the lone-sequence repair, which ftfy's judgement does not guard.
GATE_PAGES = (*CODE_PAGES, "cp437")
LEAD_CHARS = "".join(sorted(set().union(*(_decode(cp, 0xC2, 0xF4) for cp in CODE_PAGES))))
CONTINUATION_CHARS = "".join(sorted(set().union(*(_decode(cp, 0x80, 0xBF) for cp in CODE_PAGES))))
_PAIRS = "|".join(
    f"[{re.escape(_decode(cp, 0xC2, 0xF4))}][{re.escape(_decode(cp, 0x80, 0xBF))}]" for cp in GATE_PAGES
)
# Lead bytes of 2- and 3-byte sequences whose continuation byte was lost or became a space,
# "?" or U+FFFD: "Â " (a no-break space turned into a space), "â€?" (ftfy's lossy sequences).
LOSSY_LEADS = "ÂÃÅÎÐÙâã"
# Any lead followed by U+FFFD: a continuation byte the code page does not define (0x81, 0x8D,
# ... in Windows-1252) became U+FFFD when the bytes were decoded, "SlovenÄ\ufffdina". A space
# or "?" after these other leads is too common in clean text to be a clue; U+FFFD is damage anyway.
_LOST_CONTINUATION = f"[{re.escape(LEAD_CHARS)}]\ufffd"
HINT = re.compile(f"{_PAIRS}|[{LOSSY_LEADS}][ ?\ufffd]|{_LOST_CONTINUATION}|[\x80-\x9f]")
_PAIR_HINT = re.compile(_PAIRS)
_LOST_CONTINUATION_HINT = re.compile(_LOST_CONTINUATION)
# Every ASCII byte a space: what is left of a UTF-8 text is its runs of non-ASCII characters.
_ASCII_TO_SPACE = bytes.maketrans(bytes(range(128)), b" " * 128)

ENTITY_HINT = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[A-Za-z][A-Za-z0-9]{1,31});")


_LOSSY_OR_C1 = re.compile(f"[{LOSSY_LEADS}][ ?\ufffd]|[\x80-\x9f]")
_LOSSY_OR_C1_CHARS = re.compile(f"[{LOSSY_LEADS}\x80-\x9f]")


def non_ascii_runs(text: str) -> str:
    """The runs of adjacent non-ASCII characters of ``text``, joined by single spaces.

    Two characters are adjacent here exactly when they are adjacent in ``text``, and a
    news text holds a few dozen of them: a pattern over non-ASCII characters searches
    this instead of the whole text. Built on the UTF-8 bytes, whose ``translate`` and
    ``split`` run in C over the whole text at once, unlike a regex over its characters.
    """
    raw = text.encode("utf-8", "surrogatepass")
    return b" ".join(raw.translate(_ASCII_TO_SPACE).split()).decode("utf-8", "surrogatepass")


def may_be_mojibake(text: str, runs: str | None = None) -> bool:
    """True when ``text`` holds a lead/continuation pair, a lossy lead, a lead before U+FFFD
    or a C1 control.

    The exact pattern (one alternative per code page) is slow to scan, so the answer comes
    in steps that each rule out most clean text:

    1. ASCII text has no clue.
    2. A pair is two adjacent non-ASCII characters: searched for in the text's runs of
       non-ASCII characters (:func:`non_ascii_runs`), which hold every such pair and no other;
       so is a lead before U+FFFD, looked for only when the runs hold a U+FFFD.
    3. Lossy leads and C1 controls are non-ASCII too: only when the runs hold one is the
       text searched for a lossy lead's following space, "?" or U+FFFD.

    ``runs``: the text's :func:`non_ascii_runs`, when the caller has them already.
    """
    if text.isascii():
        return False
    if runs is None:
        runs = non_ascii_runs(text)
    if _PAIR_HINT.search(runs):
        return True
    if "\ufffd" in runs and _LOST_CONTINUATION_HINT.search(runs):
        return True
    return _LOSSY_OR_C1_CHARS.search(runs) is not None and _LOSSY_OR_C1.search(text) is not None


def may_have_entities(text: str) -> bool:
    return "&" in text and ENTITY_HINT.search(text) is not None


def may_have_lossy_marks(text: str) -> bool:
    return "?" in text or "\ufffd" in text
