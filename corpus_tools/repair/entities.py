"""HTML character references left in the text: ``&rsquo;``, ``&#8217;``, ``&#x2019;``, ``&amp;#8217;``.

Scrapers that copy ``innerHTML`` or templates that escape twice leave references that no
reader should see. Each reference becomes the character it names, one change per
reference (rule ``html_entity``; ``html_entity_double`` when it had been escaped again,
``&amp;rsquo;``). Only well-formed references are decoded: a name from the HTML5 list
*with* its semicolon, or a number naming a valid character. "AT&T", "R&D" and "Q&A" have
no semicolon and stay. Numeric references 128-159 name Windows-1252 characters, as HTML5
says (``&#146;`` is "’"); the undefined ones (``&#157;``) stay C1 controls so that the
mojibake fixer can read them as the bytes they were.
"""

from __future__ import annotations

import html
import re
from html.entities import html5

from corpus_tools.document import Change

REFERENCE = re.compile(r"&((?:amp;)*)(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_C1_UNDEFINED_IN_CP1252 = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def decode_reference(ref: str) -> str | None:
    """The text a reference body (``#8217``, ``#x2019``, ``rsquo``) stands for, or None if invalid."""
    if ref[0] == "#":
        number = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
        if number in _C1_UNDEFINED_IN_CP1252:
            return chr(number)
        if number == 0 or number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
            return None
        return html.unescape(f"&#{number};")
    return html5.get(ref + ";")


def fix_entities(text: str) -> list[Change]:
    """One change per character reference in ``text`` (decoded through every ``&amp;`` layer)."""
    if "&" not in text:
        return []
    changes: list[Change] = []
    for m in REFERENCE.finditer(text):
        decoded = decode_reference(m[2])
        if decoded is None:
            continue
        rule = "html_entity_double" if m[1] else "html_entity"
        changes.append(Change(m.start(), m.end(), decoded, rule))
    return changes
