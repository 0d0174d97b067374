"""A page's bytes as text: the charset the HTTP header or the page itself declares, as a browser reads it.

Shared by the WARC reader (which has an HTTP header) and the ``.html`` file reader (which has
only the page): a page saved from a Windows-1252 or ISO-8859-1 site says so in its
``<meta charset>``, and reading it as UTF-8 would lose every accented letter.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

META_PRESCAN_BYTES = 4096  # where a page's <meta charset> is looked for (browsers look at 1024)
_META_CHARSET = re.compile(rb"<meta\b[^>]{0,512}?charset\s*=\s*[\"']?\s*([a-z0-9_.:\-]{1,40})", re.I)
# WHATWG's Encoding Standard: browsers read these labels as windows-1252
_AS_WINDOWS_1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "l1"})


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, as a browser reads the label; None when unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_page(data: bytes, declared: str | None, html: bool) -> tuple[str, str, str]:
    """Text, codec and where the charset came from: a byte order mark, the HTTP header,
    the page's ``<meta charset>``, or detection (UTF-8 first, then trafilatura's guesses).

    A declaration is followed only if the bytes decode under it: a server that says UTF-8
    for a Windows-1252 page is common. Bytes no charset decodes are read as UTF-8 with
    U+FFFD for the bad bytes (``charset_from`` says ``replaced``), for fix_encoding to count.
    Each codec is tried once: the header, the page and detection often name the same one.
    """
    first: tuple[str | None, str] = (declared, "http")
    if data.startswith(codecs.BOM_UTF8):
        first, data = ("utf-8", "bom"), data[len(codecs.BOM_UTF8) :]
    tried: set[str] = set()
    for label, found_in in _candidates(data, first, html):
        codec = _codec(label)
        if codec is None or codec in tried:
            continue
        tried.add(codec)
        text = _decoded(data, codec)
        if text is not None:
            return text, codec, found_in
    return data.decode("utf-8", "replace"), "utf-8", "replaced"


def _candidates(data: bytes, first: tuple[str | None, str], html: bool) -> Iterator[tuple[str | None, str]]:
    """Charset labels in the order a browser trusts them; detection runs only if all fail."""
    yield first
    if html:
        match = _META_CHARSET.search(data[:META_PRESCAN_BYTES])
        yield (match.group(1).decode("ascii") if match else None), "meta"
    yield "utf-8", "detected"
    from trafilatura.utils import detect_encoding

    for guess in detect_encoding(data):
        yield guess, "detected"


def _decoded(data: bytes, codec: str) -> str | None:
    """``data`` in ``codec``, or None when it does not decode. A label may name a codec that
    is no text encoding (``hex``, ``base64``, ``undefined``): a page's word, so not an error."""
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):
        return None
