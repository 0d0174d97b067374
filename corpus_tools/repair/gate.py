"""Cheap tests that decide which text needs the expensive repairs.

ftfy reads about 1 MB/s; clean news text must pass at 10 MB/s or more. Mojibake always
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
PAIRS = frozenset(
    lead + cont for cp in CODE_PAGES for lead in _decode(cp, 0xC2, 0xF4) for cont in _decode(cp, 0x80, 0xBF)
)
# Lead bytes of 2- and 3-byte sequences whose continuation byte was lost or became a space,
# "?" or U+FFFD: "Â " (a no-break space turned into a space), "â€?" (ftfy's lossy sequences).
LOSSY_LEADS = "ÂÃÅÎÐÙâã"
LEAD_CHARS = "".join(sorted({p[0] for p in PAIRS}))
CONTINUATION_CHARS = "".join(sorted({p[1] for p in PAIRS}))
# One pass with two character classes (fast), then the exact pair test on the few hits.
_CANDIDATE = re.compile(
    f"[{re.escape(LEAD_CHARS)}][{re.escape(CONTINUATION_CHARS)}]|[{LOSSY_LEADS}][ ?\ufffd]|[\x80-\x9f]"
)


def mojibake_hints(text: str) -> list[re.Match[str]]:
    """Every lead/continuation pair of one code page, lossy lead, or C1 control in ``text``."""
    return [m for m in _CANDIDATE.finditer(text) if len(m[0]) == 1 or m[0] in PAIRS or m[0][0] in LOSSY_LEADS]


ENTITY_HINT = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[A-Za-z][A-Za-z0-9]{1,31});")
LOSSY_HINT = re.compile("[?\ufffd]")


_ASCII_BYTES = bytes(range(128))
_PREFILTER = re.compile(
    f"[{re.escape(LEAD_CHARS)}][{re.escape(CONTINUATION_CHARS)}]|[{LOSSY_LEADS}\x80-\x9f]"
)


def _has_hint(text: str, pattern: re.Pattern[str]) -> bool:
    return any(len(m[0]) == 1 or m[0] in PAIRS or m[0][0] in LOSSY_LEADS for m in pattern.finditer(text))


def may_be_mojibake(text: str) -> bool:
    """True when ``text`` holds a lead/continuation pair, a lossy lead or a C1 control.

    Speed: regex scanning in Python costs ~100 ns a character, so it first runs on the
    non-ASCII characters alone (dropping ASCII bytes from the UTF-8 form runs at GB/s).
    Dropping characters only creates adjacencies, never removes one, so a text whose
    non-ASCII residue shows no clue has none; only texts with a clue are scanned whole.
    """
    if text.isascii():
        return False
    residue = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    if not _has_hint(residue.decode("utf-8", "surrogatepass"), _PREFILTER):
        return False
    return _has_hint(text, _CANDIDATE)


def may_have_entities(text: str) -> bool:
    return "&" in text and ENTITY_HINT.search(text) is not None


def may_have_lossy_marks(text: str) -> bool:
    return "?" in text or "\ufffd" in text
