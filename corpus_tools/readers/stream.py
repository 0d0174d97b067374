"""Input bytes, read safely: regular files only, decompressed in bounded chunks, lines under a cap.

A folder of scraped dumps holds whatever the crawl left: dangling links, named pipes,
files the user may not read, gzip and zstd streams cut short or damaged, and records far
larger than any article. None of them may stop, stall or exhaust the run:

* :func:`open_regular` opens without blocking and refuses anything that is not a regular
  file (opening a FIFO for reading would wait for a writer forever);
* :func:`decompressed_chunks` yields the decompressed bytes a chunk at a time and checks that
  the stream ends where its format says it ends, so a truncated ``.zst`` is reported instead
  of ending quietly where the cut is;
* :func:`capped_lines` splits the chunks into lines and never holds more than
  ``max_record_bytes`` of one: a longer line is streamed past, counted, and handed on as an
  :class:`Oversized` record holding only its first :data:`PREFIX_BYTES`.

A fault is an :class:`InputFault` carrying the reject rule the reader records.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_RECORD_BYTES = 64 << 20  # one line of JSONL or one text/HTML file, decompressed
MAX_DOCUMENT_BYTES = 32 << 20  # one document's text (UTF-8) handed to the chain
# one HTML page's markup (UTF-8) handed to extract_html: parsing and extraction take 30x (prose)
# to 150x (tables) its size in memory, so this cap, not the record cap, bounds a worker on HTML
MAX_HTML_BYTES = 8 << 20
PREFIX_BYTES = 1024  # what a rejected oversized record keeps of its text
CHUNK_BYTES = 1 << 20  # bytes read (or decompressed) at a time
# zstd input fed per call: its decompressor has no output bound, and a block can expand
# ~32,000 times, so 1 kB in gives at most ~32 MB out
ZSTD_FEED_BYTES = 1024

NOT_REGULAR = "not_a_regular_file"
DANGLING = "dangling_symlink"
UNREADABLE = "unreadable"
TRUNCATED = "truncated_stream"
CORRUPT = "corrupt_stream"


class InputFault(Exception):
    """An input entry (or the rest of it) cannot be read; ``rule`` is the reject rule."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Limits:
    """Size caps while reading: records over ``max_record_bytes``, texts over ``max_document_bytes``
    are rejected, so memory depends on the caps and never on the input."""

    max_record_bytes: int = MAX_RECORD_BYTES
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    max_html_bytes: int = MAX_HTML_BYTES


def over_html_cap(where: str, html: str, cap: int) -> str | None:
    """Why an HTML page's markup is over ``cap`` (``--max-html-bytes``), or None when it fits."""
    flag = "--max-html-bytes: its extraction would take many times that"
    return _over_cap(where, html, cap, "HTML page", flag)


def over_document_cap(where: str, text: str, cap: int) -> str | None:
    """Why ``text`` (a document's text, as UTF-8) is over ``cap`` (``--max-document-bytes``),
    or None when it fits: the one check a reader's text and an extracted article both pass."""
    return _over_cap(where, text, cap, "text", "--max-document-bytes")


def _over_cap(where: str, text: str, cap: int, what: str, flag: str) -> str | None:
    """The reject detail of ``text`` over ``cap`` UTF-8 bytes, or None when it fits."""
    if len(text) <= cap // 4:  # at most 4 bytes a character: no need to encode it to know
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= cap:
        return None
    return (
        f"{where}: {what} of {size} bytes is over the limit of {cap} bytes ({flag}); "
        f"its first {PREFIX_BYTES} characters are kept"
    )


@dataclass(slots=True)
class Oversized:
    """A line longer than the cap: its size in bytes and its first :data:`PREFIX_BYTES`."""

    size: int
    prefix: bytes


_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def _kind_of(mode: int) -> str:
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def path_text(path: Path) -> str:
    """``path`` as text any UTF-8 column or line can hold: a byte of a file name that is not
    UTF-8 (which Python keeps as a lone surrogate, and which parquet cannot store) is written as
    ``\\xff``, so an id, a ``raw_path`` or a message names the file without stopping the run."""
    return os.fsencode(path.as_posix()).decode("utf-8", "backslashreplace")


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for binary reading, or :class:`InputFault` if it is not a readable regular file.

    The file is opened non-blocking and checked with ``fstat`` on the open descriptor, so
    neither a named pipe nor a file swapped for one after a check can make the read wait.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        if path.is_symlink():
            target = os.readlink(path)
            detail = f"{path_text(path)}: dangling symbolic link (to {path_text(Path(target))})"
            raise InputFault(DANGLING, detail) from exc
        raise InputFault(UNREADABLE, f"{path_text(path)}: cannot read (no such file)") from exc
    except OSError as exc:
        raise InputFault(UNREADABLE, f"{path_text(path)}: cannot read ({exc.strerror or exc})") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputFault(NOT_REGULAR, f"{path_text(path)}: not a regular file ({_kind_of(mode)}); not read")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def is_regular(path: Path) -> bool:
    """True for a regular file (or a link to one); never opens it."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def raw_chunks(stream: BinaryIO, length: int | None = None) -> Iterator[bytes]:
    """The stream's bytes from where it stands, ``length`` of them (all when ``None``)."""
    left = length
    while left is None or left > 0:
        chunk = stream.read(CHUNK_BYTES if left is None else min(CHUNK_BYTES, left))
        if not chunk:
            return
        if left is not None:
            left -= len(chunk)
        yield chunk


def decompressed_chunks(path: Path, stream: BinaryIO) -> Iterator[bytes]:
    """The file's content, decompressed by its suffix (``.gz``, ``.zst``), a bounded chunk at a time."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return _gzip_chunks(path, stream)
    if name.endswith(".zst"):
        return _zstd_chunks(path, stream)
    return raw_chunks(stream)


def _gzip_chunks(path: Path, stream: BinaryIO) -> Iterator[bytes]:
    done = 0
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as unzipped:
            while chunk := unzipped.read1(CHUNK_BYTES):
                done += len(chunk)
                yield chunk
    except EOFError as exc:
        raise InputFault(TRUNCATED, f"truncated gzip stream: it ends after {done} bytes ({exc})") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise InputFault(CORRUPT, f"corrupt gzip stream after {done} bytes ({exc})") from exc


def _zstd_chunks(path: Path, stream: BinaryIO) -> Iterator[bytes]:
    """Frame after frame; a frame the input ends inside of is a truncated stream.

    ``zstandard``'s stream reader ends quietly at a cut, so frames are followed here with
    one decompressor each, whose ``eof`` says whether the frame was complete.
    """
    import zstandard

    make = zstandard.ZstdDecompressor().decompressobj
    frame, fed, done = make(), 0, 0  # fed: input bytes given to the current frame
    try:
        for block in raw_chunks(stream):
            view = memoryview(block)
            for offset in range(0, len(view), ZSTD_FEED_BYTES):
                data: bytes | memoryview = view[offset : offset + ZSTD_FEED_BYTES]
                while data:
                    fed += len(data)
                    out = frame.decompress(data)
                    if out:
                        done += len(out)
                        yield out
                    data = b""
                    if frame.eof:  # the frame ended: what follows belongs to the next one
                        data, frame, fed = frame.unused_data, make(), 0
    except zstandard.ZstdError as exc:
        raise InputFault(CORRUPT, f"corrupt zstd stream after {done} bytes ({exc})") from exc
    if fed:
        raise InputFault(TRUNCATED, f"truncated zstd stream: its last frame ends after {done} bytes")


def capped_lines(chunks: Iterator[bytes], max_bytes: int) -> Iterator[bytes | Oversized]:
    """Lines (with their newline) of the chunks' bytes; a line over ``max_bytes`` is an
    :class:`Oversized`, streamed past without being held."""
    parts: list[bytes] = []
    held = 0
    over: Oversized | None = None
    for chunk in chunks:
        start = 0
        while start < len(chunk):
            newline = chunk.find(b"\n", start)
            stop = len(chunk) if newline < 0 else newline + 1
            if over is not None:
                over.size += stop - start
            elif held + stop - start > max_bytes:
                prefix = b"".join(parts)[:PREFIX_BYTES]
                over = Oversized(held + stop - start, (prefix + chunk[start:stop])[:PREFIX_BYTES])
                parts, held = [], 0
            else:
                parts.append(chunk[start:stop] if start or stop < len(chunk) else chunk)
                held += stop - start
            start = stop
            if newline >= 0:  # the pieces go before the line is handed on: one copy alive, not two
                line, parts, held, over = over if over is not None else _joined(parts), [], 0, None
                yield line
    if over is not None:
        yield over
    elif parts:
        yield _joined(parts)


def _joined(parts: list[bytes]) -> bytes:
    return parts[0] if len(parts) == 1 else b"".join(parts)


_SIZE = re.compile(r"^\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_size(value: str) -> int:
    """A byte count from ``65536``, ``64k``, ``64MiB`` or ``1G`` (binary multiples); positive."""
    match = _SIZE.match(value)
    if match is None or int(match.group(1)) <= 0:
        raise ValueError(f"{value!r}: give a positive size in bytes, e.g. 1048576, 512k, 64M or 1G")
    return int(match.group(1)) << (10 * "kmgt".find(match.group(2).lower()) + 10 if match.group(2) else 0)
