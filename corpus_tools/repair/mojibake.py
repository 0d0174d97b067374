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
* ``explain``: off (faster; the diff gives the record).

Two small fixers cover what ftfy leaves on purpose, because it judges whole texts and a
single short sequence rarely looks bad enough to it:

* :func:`lost_third_byte`: "â€" followed by a plain space is a Windows-1252 "”" (E2 80 9D)
  whose undefined last byte was stripped; ftfy's no-break-space restoration would read it
  as "†" (E2 80 A0). It becomes U+FFFD, one lost character, for the lossy repair.
* :func:`lone_letter_sequences`: a two-character sequence glued to a word ("KahramanmaraÅŸ")
  that decodes from Windows-1252 or Latin-1 bytes to one Latin letter of the same case as
  the letter before it (rule ``mojibake_letter``).
"""

from __future__ import annotations

import difflib
import re

import ftfy

from corpus_tools.document import Change
from corpus_tools.repair.gate import may_be_mojibake

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
# A letter, then a lead and a continuation character of Windows-1252 / Latin-1.
_LONE = re.compile(
    "(?<=[^\\W\\d_])([\u00c2-\u00df])([\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122])"
)
_LATIN_LETTERS = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0218-\u021b]")


def diff_changes(before: str, after: str, rule: str, offset: int = 0) -> list[Change]:
    """The smallest spans that turn ``before`` into ``after``, as changes at ``offset``."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        Change(offset + i1, offset + i2, after[j1:j2], rule)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def lost_third_byte(line: str) -> str:
    return _LOST_THIRD_BYTE.sub("\ufffd", line)


def _sequence_to_letter(lead: str, cont: str) -> str | None:
    for codec in ("cp1252", "latin-1"):
        try:
            char = (lead + cont).encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if _LATIN_LETTERS.fullmatch(char):
            return char
    return None


def lone_letter_sequences(text: str) -> list[Change]:
    changes = []
    for m in _LONE.finditer(text):
        char = _sequence_to_letter(m[1], m[2])
        if char is not None and char.islower() == text[m.start() - 1].islower():
            changes.append(Change(m.start(), m.end(), char, "mojibake_letter"))
    return changes


def fix_mojibake(text: str) -> list[Change]:
    """Changes that undo mojibake, line by line, on the lines the gate flags."""
    if not may_be_mojibake(text):
        return []
    changes: list[Change] = []
    offset = 0
    for line in text.split("\n"):
        if may_be_mojibake(line):
            fixed = ftfy.fix_text(lost_third_byte(line), FTFY_CONFIG)
            line_changes = diff_changes(line, fixed, "mojibake", offset) if fixed != line else []
            if not line_changes:
                line_changes = [
                    Change(c.start + offset, c.end + offset, c.after, c.rule)
                    for c in lone_letter_sequences(line)
                ]
            changes.extend(line_changes)
        offset += len(line) + 1
    return changes
