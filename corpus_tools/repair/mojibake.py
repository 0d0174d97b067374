"""Reversible damage: UTF-8 read through the wrong code page ("â€™", "Ã©", "Å›"), undone by ftfy.

ftfy is the reference for this job; we call it only on lines the gate flags
(:mod:`corpus_tools.repair.gate`), with the options below, and turn its output back into
small changes by diffing each fixed line against the original (rule ``mojibake``), so the
edit record shows "Ã©" -> "é", not a rewritten paragraph.

Options (``ftfy.TextFixerConfig``), each set for a reason:

* ``fix_encoding``, ``decode_inconsistent_utf8``, ``fix_c1_controls``, ``restore_byte_a0``,
  ``replace_lossy_sequences``: on (the defaults). They are the mojibake repair itself:
  whole-text and partial re-decoding, C1 controls read as Windows-1252, "Â " whose no-break
  space became a space, and "â€?" whose last byte was lost, which becomes U+FFFD so that
  the lossy repair (:mod:`corpus_tools.repair.lossy`) can decide from context what it was.
* ``unescape_html``: off. Entities are decoded before, by :mod:`corpus_tools.repair.entities`,
  one recorded change per reference and through double escaping, which ftfy does not do.
* ``uncurl_quotes``: off. Curly quotes in correct text are correct; ftfy's default turns
  them straight and so rewrites 16% of the correct control texts of the evaluation set.
* ``fix_latin_ligatures``, ``fix_character_width``: off. "ﬁ" and full-width forms are not
  encoding damage, and changing them rewrites correct text (CJK full-width punctuation).
* ``fix_line_breaks``, ``remove_control_chars``, ``remove_terminal_escapes``: off. Line breaks,
  stray controls and whitespace are the ``normalize`` step's business, with its own rules.
* ``normalization``: None. NFC is applied once, by ``normalize``, for the whole text.
* ``explain``: off (the diff gives the record, without ftfy's bookkeeping).

Speed: :func:`plain_redecode` first tries ftfy's own first plan directly (the whole line
re-encoded as Windows-1252 or Latin-1 is valid UTF-8, once or twice), only where ftfy's
badness test calls the line bad; ftfy's full pipeline runs on the other flagged lines.

Two small fixers cover what ftfy leaves on purpose, because it judges whole texts and a
single short sequence rarely looks bad enough to it:

* :func:`lost_third_byte`: "â€" followed by a plain space is a Windows-1252 "”" (E2 80 9D)
  whose undefined last byte was stripped; ftfy's no-break-space restoration would read it
  as "†" (E2 80 A0). It becomes U+FFFD, one lost character, for the lossy repair.
* :func:`lone_sequences`: a two-character sequence in a Latin word ("KahramanmaraÅŸ",
  "ÅŒtani") that decodes to one Latin letter of a fitting case (rule ``mojibake_letter``),
  or a three-character one that decodes to a punctuation or currency sign ("в‚є", rule
  ``mojibake_sequence``); on lines where ftfy changed nothing, and on what ftfy left in the
  lines it repaired.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from itertools import accumulate

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-* codecs)
from ftfy.badness import is_bad

from corpus_tools.document import Change
from corpus_tools.repair.compose import apply_changes
from corpus_tools.repair.gate import (
    CODE_PAGES,
    CONTINUATION_CHARS,
    LEAD_CHARS,
    in_latin_page,
    may_be_mojibake,
)

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

_LOST_THIRD_BYTE = re.compile("â€(?= )")
_SEQUENCE = re.compile(f"[{re.escape(LEAD_CHARS)}][{re.escape(CONTINUATION_CHARS)}]{{1,2}}")
# an apostrophe before an English ending, or "™", closing a word: a sign as written, whose
# byte would otherwise finish a two-character sequence
_SIGN_AFTER_WORD = re.compile(r"’(?:s|t|d|m|ll|re|ve)?(?![^\W\d_])|™(?![^\W\d_])")
_LATIN_LETTERS = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0218-\u021b]")
_PUNCTUATION_OR_CURRENCY = re.compile("[\u2010-\u2027\u2030-\u205e\u20a0-\u20cf]")


_TOKENS = re.compile(r"\s+|[^\s]+")


_ASCII_RUNS = re.compile(r"([\x00-\x7f]+)")  # captured: split() keeps the runs between the gaps


def diff_changes(before: str, after: str, rule: str, offset: int = 0) -> list[Change]:
    """The smallest spans that turn ``before`` into ``after``, as changes at ``offset``.

    Fast path: mojibake lives in the non-ASCII bytes, so when both texts have the same ASCII
    runs in the same order, the non-ASCII runs between them pair up one to one and each
    differing pair is one change. Otherwise (a space eaten by "Â "), a diff: words first,
    then characters inside each run of differing words.
    """
    # [gap, ASCII run, gap, ..., ASCII run, gap]: gaps (possibly empty) at even indexes
    parts_a = _ASCII_RUNS.split(before)
    parts_b = _ASCII_RUNS.split(after)
    if parts_a[1::2] == parts_b[1::2]:
        return _pair_gaps(parts_a, parts_b, rule, offset)
    return _diff(before, after, rule, offset)


def _pair_gaps(parts_a: list[str], parts_b: list[str], rule: str, offset: int) -> list[Change]:
    """One change per non-ASCII gap of ``before`` that differs from its pair in ``after``."""
    edges = list(accumulate(map(len, parts_a), initial=offset))  # where each part of ``before`` starts
    return [
        Change(edges[k], edges[k + 1], parts_b[k], rule)
        for k in range(0, len(parts_a), 2)
        if parts_a[k] != parts_b[k]
    ]


def _diff(before: str, after: str, rule: str, offset: int) -> list[Change]:
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    a_pos = [0]
    for tok in a:
        a_pos.append(a_pos[-1] + len(tok))
    b_pos = [0]
    for tok in b:
        b_pos.append(b_pos[-1] + len(tok))
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old, new = before[a_pos[i1] : a_pos[i2]], after[b_pos[j1] : b_pos[j2]]
        base = offset + a_pos[i1]
        for ctag, c1, c2, d1, d2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if ctag != "equal":
                changes.append(Change(base + c1, base + c2, new[d1:d2], rule))
    return changes


def lost_third_byte(line: str) -> str:
    return _LOST_THIRD_BYTE.sub("\ufffd", line)


def _decodes_through(seq: str, page: str) -> bool:
    """Does ``seq`` (a lead and one or two continuations) start with one UTF-8 character read
    through ``page``?"""
    for length in (2, 3):
        try:
            if len(seq[:length].encode(page).decode("utf-8")) == 1:
                return True
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return False


# "à" (UTF-8 C3 A0) is a word of its own in French, Portuguese, Catalan and Italian. Where a
# cleaner turned the byte A0 (a no-break space in these code pages, not in Mac Roman) into a
# space, or dropped it, the lead is left alone before the next word: "Ã", "Ă", "Г".
_WORD_LETTER = "à"
_NBSP_PAGES = tuple(page for page in CODE_PAGES if b"\xa0".decode(page) == "\u00a0")
_A_GRAVE_LEAD = {page: b"\xc3".decode(page) for page in _NBSP_PAGES}
_A_GRAVE_ALONE = re.compile(
    f"(?<![^\\W_])[{''.join(sorted(set(_A_GRAVE_LEAD.values())))}](?= [^\\W\\d_]{{2}})"
)


def restore_lost_a0(line: str) -> str:
    """ "attention Г bien": a lead standing alone before a word, in a line that holds mojibake of
    the same code page ("mГ©dicament", UTF-8 read as Windows-1251), is "à" whose A0 byte was lost.

    Only for lines ftfy leaves: where ftfy reads a line it applies its own rule, which knows
    where the space is the lost byte inside a Portuguese word ("Ã quele" is "àquele"). A lead
    glued to a letter before the space ("voilÃ le", "hĂ i") is left: "à" ends French words and
    sits inside Vietnamese ones, so the space may be the lost byte or a word break.
    """
    if _A_GRAVE_ALONE.search(line) is None:
        return line
    sequences = [m[0] for m in _SEQUENCE.finditer(line)]
    witnessed = {
        lead
        for page, lead in _A_GRAVE_LEAD.items()
        if lead in line and any(_decodes_through(seq, page) for seq in sequences)
    }
    if not witnessed:
        return line
    return _A_GRAVE_ALONE.sub(lambda m: _WORD_LETTER if m[0] in witnessed else m[0], line)


# A control character between two ASCII letters, not after a lead: one byte of a single-byte
# page read as Latin-1. Windows-1252 reads it as punctuation ("tur’stico"), Mac Roman as a
# letter ("turístico"); the page is unknown, so the letter is lost in effect.
_C1_IN_WORD = re.compile("(?<=[A-Za-z])[\x80-\x9f](?=[A-Za-z])")


def lost_in_word(line: str) -> str:
    """A control character inside a word that Windows-1252 reads as no letter becomes U+FFFD,
    for the lossy repair to decide from the word ("Espa\x96a": "–" there, Mac Roman's "ñ").
    Windows-1252's letters ("Ko\x9aice": "š") stay ftfy's reading."""
    if _C1_IN_WORD.search(line) is None:
        return line
    return _C1_IN_WORD.sub(_c1_or_lost, line)


def _c1_or_lost(m: re.Match[str]) -> str:
    try:
        read = m[0].encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffd"  # a byte Windows-1252 leaves undefined
    return m[0] if read.isalpha() else "\ufffd"


def _decode_sequence(seq: str) -> str | None:
    """The one character that ``seq`` was, read back through one of ftfy's code pages."""
    for codec in CODE_PAGES:
        try:
            char = seq.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(char) == 1:
            return char
    return None


def _is_latin_letter(char: str) -> bool:
    """Latin script only: a Cyrillic "ДІ" (bytes C4 B2) must not become "Ĳ"."""
    return char.isalpha() and ord(char) < 0x250


def lone_sequences(text: str) -> list[Change]:
    """Sequences ftfy left because one short sequence rarely looks bad enough to it.

    Taken only where the reading is unambiguous in context (never where the sequence ends in
    an apostrophe before an English ending or in "™" at a word's end): a Latin letter of the same case
    as the letter it is glued to ("KahramanmaraÅŸ") that a Latin-script Windows code page
    writes (not the Maltese "Ġ" that a Finnish "Ä" and a no-break space decode to), or a
    punctuation or currency sign from the three-byte block of general punctuation ("в‚є32",
    UTF-8 read as Windows-1251).
    """
    changes = []
    for m in _SEQUENCE.finditer(text):
        char = _decode_sequence(m[0])
        if char is None:
            continue
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if _SIGN_AFTER_WORD.match(text, m.end() - 1):
            continue  # "Ã’s", "DATĂ™": a letter, then an apostrophe or "™" as written
        glued = _is_latin_letter(before) and char.islower() == before.islower()
        starts_word = not before.isalpha() and _is_latin_letter(after) and (char.isupper() or after.islower())
        if _LATIN_LETTERS.fullmatch(char) and (glued or starts_word) and in_latin_page(char):
            changes.append(Change(m.start(), m.end(), char, "mojibake_letter"))
        elif len(m[0]) == 3 and _PUNCTUATION_OR_CURRENCY.fullmatch(char):
            changes.append(Change(m.start(), m.end(), char, "mojibake_sequence"))
    return changes


def plain_redecode(line: str) -> str | None:
    """The common case, done the quick way: the whole line is UTF-8 read as Windows-1252 (or
    Latin-1), once or twice, and re-encoding it gives valid UTF-8 with no clue left.

    This is ftfy's own first plan; taking it directly skips ftfy's other passes. It is
    only taken where ftfy's badness test says the line is bad, which keeps correct lines
    such as "NESTLÉ®" (whose bytes happen to be valid UTF-8) out. Anything else (mixed
    lines, lost bytes, other code pages) goes to ftfy.
    """
    if not is_bad(line):
        return None
    current = line
    for _ in range(3):
        for codec in ("sloppy-windows-1252", "latin-1"):
            try:
                decoded = current.encode(codec).decode("utf-8")
                break
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
        else:
            return None
        if decoded == current:
            return None
        current = decoded
        if not may_be_mojibake(current):  # no clue left (same answer as searching HINT)
            return current
    return None


def _hinted_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``text`` holding a hint, in order.

    Each line is asked :func:`.gate.may_be_mojibake`, which answers exactly as a search for
    :data:`.gate.HINT` would, at less cost (ASCII lines cost next to nothing).
    """
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if may_be_mojibake(line):
            yield start, end
        start = end + 1


def fix_mojibake(text: str, lossy_follows: bool = False) -> list[Change]:
    """Changes that undo mojibake, on the lines that hold a clue (see :mod:`.gate`).

    ``lossy_follows``: the lossy repair decides U+FFFD afterwards, so a control character
    inside a word may be handed to it as a lost letter (:func:`lost_in_word`).
    """
    if not may_be_mojibake(text):
        return []
    changes: list[Change] = []
    for start, end in _hinted_lines(text):
        line = text[start:end]
        fixed = repair_line(line, lossy_follows)
        if fixed is None:  # ftfy left the line: the sequences it judges too short to be bad
            changes.extend(
                Change(c.start + start, c.end + start, c.after, c.rule) for c in lone_sequences(line)
            )
        elif fixed != line:
            changes.extend(diff_changes(line, fixed, "mojibake", start))
    return changes


def repair_line(line: str, lossy_follows: bool = False) -> str | None:
    """One hinted line repaired: ftfy's reading, then the small fixers for what it leaves;
    None where ftfy leaves the line as it is and does not judge it bad."""
    fixed = plain_redecode(line)
    if fixed is not None:
        return fixed
    prepared = lost_third_byte(line)
    if lossy_follows:
        prepared = lost_in_word(prepared)
    fixed = ftfy.fix_text(prepared, FTFY_CONFIG)
    if fixed == prepared:
        if is_bad(prepared):
            # ftfy's badness flags the line, yet ftfy finds no consistent reading of it: garble
            # of several layers, or one sequence beside text no code page misread ("DrÃ¥ber"
            # after an intact "–"). The small fixers, which need less evidence, leave it too.
            return line
        fixed = restore_lost_a0(prepared)
        if fixed == line:
            return None
    leftover = lone_sequences(fixed)  # what ftfy left in a line it repaired ("GdaÅ„sk" ...)
    if leftover:
        fixed = apply_changes(fixed, leftover)
    return fixed
