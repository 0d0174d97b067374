"""WARC and WET files (crawlers' archives) as a stream of documents, read with FastWARC.

What becomes a document: a ``response`` record with status 200 whose payload is HTML is
read as every HTML input is (:func:`~corpus_tools.readers.files.html_page`: its markup, which
the chain's ``extract_html`` step makes the article); a WET ``conversion`` record (or a
``resource`` record) of plain text is text as it is. Each gets the record's
``WARC-Target-URI`` as ``url``, its offset in the file in its id and ``raw_path``
(``<file id>:<offset>``: unique, and stable whatever the number of workers), and
``warc_record_id``, ``warc_date`` and the charset it was decoded with in ``extra``. Its
``date`` is the capture date, which ``extract_html`` replaces by the page's publication date
when the page gives one.

What does not: every other record (requests, warcinfo, metadata, revisits, redirects, 404s,
images, PDFs) is counted by kind; one row per file (per span of a split file) in ``rejected``, rule
``warc_records_skipped``, carries the counts, and the run's statistics add them up
(:class:`~corpus_tools.stats.RunStats`). Counting through a row travels with the
documents, so it works across worker processes, Ray and ``--resume`` with no protocol of
its own, and costs one row per file instead of one per image.

Damage: a record whose payload is cut short (the file ends inside it, or the crawler marked
it ``WARC-Truncated``), too large, or whose HTTP part cannot be parsed or decoded is a
rejected document naming its offset. When the archive itself cannot be parsed (a corrupt
gzip member, a broken header), reading restarts at the next place a record can start (a
gzip or zstd frame, or a ``WARC/1.`` line) and the bytes in between are one rejected row.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any

import brotli  # type: ignore[import-untyped]
from fastwarc.stream_io import ChunkedReader
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from corpus_tools.document import Document
from corpus_tools.read_step import READ_STEP, WARC_SKIPPED_KEY, WARC_SKIPPED_RULE
from corpus_tools.readers.charset import decode_page
from corpus_tools.readers.files import InputFile, _rejected, _too_large, html_page
from corpus_tools.readers.stream import Limits, path_text
from corpus_tools.sites import fill_source

log = logging.getLogger("corpus_tools")

SNIFF_BYTES = 512  # start of a payload without Content-Type looked at for an HTML tag
SCAN_BLOCK = 1 << 20  # bytes read at a time while looking for the next record after damage
MEMBER_CHECK_BYTES = 64 << 20  # output of a .warc.gz's first gzip member past which it is one stream
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
OK_STATUS = 200

# Where a record can start, by the file's compression: each record is its own gzip member
# or zstd frame in a compressed WARC (as wget, Heritrix and Common Crawl write them).
_MARKERS = {".gz": b"\x1f\x8b\x08", ".zst": b"\x28\xb5\x2f\xfd"}
_PLAIN_MARKER = b"WARC/1."
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
# zlib's window bits for HTTP's Content-Encoding: gzip header, zlib header (deflate as servers send it)
_WBITS = {"gzip": 31, "x-gzip": 31, "deflate": 15}

HTML, TEXT = "html", "text"  # what a record holds when it becomes a document


class RecordDamaged(Exception):
    """A record that cannot become a document: its rule and what to tell the user."""

    def __init__(self, rule: str, detail: str, *, cut: bool = False) -> None:
        super().__init__(detail)
        self.rule = rule
        self.cut = cut  # the file ends inside the record's claimed length


def read_warc(
    item: InputFile, span: tuple[int, int] | None = None, limits: Limits | None = None
) -> Iterator[Document]:
    """The documents of one WARC or WET file, its damage as rejected rows, then its skipped counts.

    With ``span`` (from :func:`warc_spans`), only the records that start in ``[start, end)``.
    """
    yield from WarcFile(item, span, limits).documents()


def warc_spans(path: Path, unit_bytes: int) -> list[tuple[int, int, int]]:
    """Byte spans ``(start, end, 0)`` of about ``unit_bytes`` that workers can read apart, or
    none when the file must be read whole.

    Only a ``.warc.gz`` of one gzip member per record can be entered in the middle: a reader
    of a span starts at the first gzip member there that opens on a WARC record, and reads
    the records that start before the span's end (the last one past it). A plain WARC may
    hold ``WARC/1.`` inside a payload, and a ``.warc.zst`` may need the dictionary at its
    start, so those stay one unit, as does a gzip file of one stream.
    """
    if not path.name.lower().endswith(".gz") or not _gzip_member_per_record(path):
        return []
    size = path.stat().st_size
    return [(start, min(start + unit_bytes, size), 0) for start in range(0, size, unit_bytes)]


def _gzip_member_per_record(path: Path) -> bool:
    """Whether the file's first gzip member ends before the file, within ``MEMBER_CHECK_BYTES``."""
    inflater = zlib.decompressobj(31)
    seen = 0
    try:
        with path.open("rb") as stream:
            while block := stream.read(SCAN_BLOCK):
                seen += len(inflater.decompress(block))
                if inflater.eof:
                    return bool(inflater.unused_data or stream.read(1))
                if seen > MEMBER_CHECK_BYTES:
                    return False
    except (OSError, zlib.error):  # the reader reports it; one unit is the safe plan
        return False
    return False


class WarcFile:
    """One archive (or one span of it) read from start to end, restarting after damage."""

    def __init__(
        self, item: InputFile, span: tuple[int, int] | None = None, limits: Limits | None = None
    ) -> None:
        self.item = item
        self.limits = limits or Limits()
        self.where = path_text(item.path)
        self.skipped: Counter[str] = Counter()
        self.marker = _marker(item.path)
        # where unreadable bytes began (the failed start, or the record read last), why, and whether
        # the offset is a record read whole, after which they began
        self.damage: tuple[int, str, bool] | None = None
        self.cut_at: int | None = None  # a record the file ends inside: what it claimed may be records
        self.span = span
        self.start: int = span[0] if span is not None else 0
        self.end: int | None = span[1] if span is not None else None

    def documents(self) -> Iterator[Document]:
        try:
            stream = self.item.path.open("rb")
        except OSError as exc:
            detail = f"{self.where}: cannot read ({exc.strerror or exc})"
            yield _rejected(f"{self.item.doc_id}:error", "unreadable", detail, raw_path=self.where)
            return
        with stream:
            start = self._first_record(stream, self.start) if self.start else 0
            while start is not None:
                start = yield from self._read_from(stream, start)
        if self.skipped:
            yield self._skipped_row()

    def _first_record(self, stream: IO[bytes], offset: int) -> int | None:
        """The first record start at or after ``offset`` (a span's start), inside the span.

        What lies before it is the end of the previous span's last record, or damage that
        the previous span's reader met and reports: passed over here without a word.
        """
        end = self.end if self.end is not None else float("inf")
        while (found := self._next_start(stream, offset)) is not None and found < end:
            stream.seek(found)
            try:
                next(iter(ArchiveIterator(stream, parse_http=False)))
            except Exception:  # not a record: a marker's bytes inside compressed data
                offset = found + 1
                continue
            return found
        return None

    def _read_from(self, stream: IO[bytes], start: int) -> Generator[Document, None, int | None]:
        """Documents of the records from ``start`` on; where to try again after damage, or None."""
        stream.seek(start)
        records = iter(ArchiveIterator(stream, parse_http=True, auto_decode="none"))
        last = -1  # offset of the last record read
        while True:
            try:
                record = next(records)
            except StopIteration:
                if self.cut_at is None:
                    return None
                # a record claimed more bytes than the file holds: the records after its header
                # were read as its payload; look for them from there
                cut, self.cut_at = self.cut_at, None
                return self._next_start(stream, cut + 1)
            except Exception as exc:  # the archive cannot be parsed here: the rest is still worth reading
                failed_after = max(last, start)  # the record read last, or the failed start itself
                if self.damage is None:
                    self.damage = (failed_after, f"{type(exc).__name__}: {exc}", last >= start)
                restart = self._next_start(stream, failed_after + 1)
                if restart is None:
                    yield self._damaged_row(None)
                return restart
            last = record.stream_pos
            self.cut_at = None
            if self.damage is not None:
                yield self._damaged_row(last)
            if self.end is not None and last >= self.end:
                return None  # the next span's first record
            doc = self._document(record)
            if doc is not None:
                yield doc

    def _next_start(self, stream: IO[bytes], offset: int) -> int | None:
        """Offset of the next place a record may start at or after ``offset``, or None at the end."""
        stream.seek(offset)
        marker, carry, base = self.marker, b"", offset
        while block := stream.read(SCAN_BLOCK):
            data = carry + block
            found = data.find(marker)
            if found >= 0:
                return base - len(carry) + found
            carry = data[-(len(marker) - 1) :]
            base += len(block)
        return None

    def _damaged_row(self, resumed_at: int | None) -> Document:
        assert self.damage is not None
        offset, error, after_record = self.damage
        self.damage = None
        until = "the end of the file" if resumed_at is None else f"offset {resumed_at}, where reading resumed"
        since = "after the record read here" if after_record else "from here"
        detail = f"{self.where}:{offset}: archive unreadable {since} to {until} ({error})"
        return _rejected(
            f"{self.item.doc_id}:{offset}:damaged", "warc_damaged", detail, raw_path=f"{self.where}:{offset}"
        )

    def _skipped_row(self) -> Document:
        counts = dict(sorted(self.skipped.items()))
        listed = ", ".join(f"{kind} {count}" for kind, count in counts.items())
        detail = f"{self.where}: {sum(counts.values())} records counted, not kept: {listed}"
        log.info("%s", detail)
        meta = {"raw_path": self.where, "extra": json.dumps({WARC_SKIPPED_KEY: counts}, sort_keys=True)}
        where = "" if self.span is None else f":{self.start}"  # one row per span
        doc = Document(f"{self.item.doc_id}{where}:skipped", "", meta)
        doc.reject(READ_STEP, WARC_SKIPPED_RULE, detail)
        return doc

    def _document(self, record: WarcRecord) -> Document | None:
        """The record's document (kept or rejected), or None when it is only counted."""
        holds = _holds(record)
        if holds not in (HTML, TEXT, None):
            self.skipped[holds] += 1
            return None
        offset = record.stream_pos
        doc_id = f"{self.item.doc_id}:{offset}"
        where = f"{self.where}:{offset}"
        url = _target(record)
        meta: dict[str, Any] = {"raw_path": where, "raw_dir": path_text(self.item.path.parent)}
        if url:
            meta["url"] = url
        try:
            raw = _payload(record, self.limits.max_record_bytes)
            body = _content_decoded(record, raw, self.limits.max_record_bytes)
        except RecordDamaged as exc:
            if exc.cut:
                self.cut_at = offset
            return _rejected(doc_id, exc.rule, f"{where}: {exc} ({url or 'no URL'})", **meta)
        meta["raw_sha256"] = hashlib.sha256(raw).hexdigest()
        if holds is None:  # no Content-Type: HTML if it starts like HTML, else not kept
            if not _HTML_START.match(body[:SNIFF_BYTES]):
                self.skipped["non_html"] += 1
                return None
            holds = HTML
        text, charset, found_in = decode_page(body, _charset_of(record), holds == HTML)
        extra = {
            "warc_record_id": record.record_id,
            "warc_date": record.headers.get("WARC-Date"),
            "charset": charset,
            "charset_from": found_in,
        }
        if holds == HTML:
            doc = html_page(doc_id, text, meta, where, self.limits)  # extract_html: the page's date first
        elif text.strip():
            fill_source(meta)
            doc = _too_large(doc_id, where, text, self.limits, meta) or Document(doc_id, text, meta)
        else:
            doc = _rejected(doc_id, "empty", f"{where}: empty text ({url or 'no URL'})", **meta)
        doc.meta["date"] = extra["warc_date"]  # the capture date bounds the publication date
        doc.meta["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True)
        return doc


def _marker(path: Path) -> bytes:
    name = path.name.lower()
    return next((marker for suffix, marker in _MARKERS.items() if name.endswith(suffix)), _PLAIN_MARKER)


def _media_type(value: str | None) -> str | None:
    return value.split(";", 1)[0].strip().lower() or None if value else None


def _holds(record: WarcRecord) -> str | None:
    """HTML, TEXT, None (a 200 response without Content-Type: the payload decides), or the
    kind a skipped record is counted under."""
    kind = record.record_type
    if kind == WarcRecordType.response:
        if not record.is_http:
            return "response_not_http"
        status = record.http_headers.status_code
        if status is None:
            return HTML  # a broken HTTP head: ``_payload`` rejects it with its reason
        if 300 <= status < 400:
            return "redirect"
        if status != OK_STATUS:
            return f"status_{status}"
        media = _media_type(record.http_content_type)
        if media is None:
            return None
        return HTML if media in HTML_TYPES else "non_html"
    if kind == WarcRecordType.resource and not _is_web_address(_target(record)):
        return "resource"  # a crawler's own files (wget's log and arguments: metadata://...)
    if kind in (WarcRecordType.conversion, WarcRecordType.resource):
        media = _media_type(record.headers.get("Content-Type"))
        if media in TEXT_TYPES:
            return TEXT
        if media in HTML_TYPES:
            return HTML
        return "non_text" if kind == WarcRecordType.conversion else "non_html"
    return str(kind)  # request, warcinfo, metadata, revisit, continuation, unknown


def _target(record: WarcRecord) -> str | None:
    """``WARC-Target-URI``; wget writes it in angle brackets (as WARC 1.0's grammar had it)."""
    uri = (record.headers.get("WARC-Target-URI") or "").strip()
    if uri.startswith("<") and uri.endswith(">"):
        uri = uri[1:-1].strip()
    return uri or None


def _is_web_address(uri: str | None) -> bool:
    return uri is not None and uri.lower().startswith(("http://", "https://"))


def _payload(record: WarcRecord, cap: int) -> bytes:
    """The record's payload as stored, or why it cannot be read."""
    if record.is_http and record.http_headers.status_code is None:
        raise RecordDamaged("warc_bad_http", "HTTP status line or headers cannot be parsed")
    truncated = record.headers.get("WARC-Truncated")
    if truncated:
        raise RecordDamaged(
            "warc_truncated", f"the crawler cut this record short (WARC-Truncated: {truncated})"
        )
    declared = record.content_length
    if declared > cap:
        held = _drain(record.reader, declared)
        if held < declared:  # a length no file holds: the records after this header were read as its payload
            raise RecordDamaged("warc_truncated", _cut_short(held, declared), cut=True)
        raise RecordDamaged("record_too_large", _over(f"payload of {declared} bytes", cap))
    raw = record.reader.read()
    if len(raw) < declared:
        raise RecordDamaged("warc_truncated", _cut_short(len(raw), declared), cut=True)
    return raw


def _drain(reader: Any, declared: int) -> int:
    """Read past up to ``declared`` bytes of a payload, a block at a time; how many the file held."""
    held = 0
    while held < declared and (block := reader.read(min(SCAN_BLOCK, declared - held))):
        held += len(block)
    return held


def _cut_short(held: int, declared: int) -> str:
    return f"payload cut short: {held} of {declared} bytes in the file"


def _content_decoded(record: WarcRecord, raw: bytes, cap: int) -> bytes:
    """The HTTP body as the server meant it: chunked transfer and gzip/br content undone.

    Crawlers such as wget store the bytes as received; Common Crawl stores them decoded and
    renames the headers, so this does nothing there. Chunks are undone by FastWARC's reader;
    gzip and deflate by zlib, bounded, which (unlike FastWARC's reader) raises on a cut stream.
    """
    if not record.is_http:
        return raw
    headers = record.http_headers
    body = raw
    try:
        if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
            body = ChunkedReader(io.BytesIO(body)).read()
        coding = (headers.get("Content-Encoding") or "").strip().lower()
        if coding in _WBITS:
            body = _inflate(body, _WBITS[coding], cap)
        elif coding == "br":
            body = _unbrotli(body, cap)
    except (OSError, EOFError, ValueError, zlib.error, brotli.error) as exc:
        raise RecordDamaged("warc_bad_encoding", f"cannot undo the HTTP encoding ({exc})") from exc
    if len(body) > cap:
        raise RecordDamaged("record_too_large", _over("payload decoded", cap))
    return body


def _over(what: str, cap: int) -> str:
    return f"{what} is over the limit of {cap} bytes (--max-record-bytes); not read"


def _inflate(data: bytes, wbits: int, cap: int) -> bytes:
    """gzip or deflate undone, at most ``cap`` + 1 bytes of it; a cut stream is an error."""
    inflater = zlib.decompressobj(wbits)
    try:
        body = inflater.decompress(data, cap + 1)
    except zlib.error:
        if wbits != _WBITS["deflate"]:
            raise
        inflater = zlib.decompressobj(-wbits)  # deflate without its zlib header, as some servers send it
        body = inflater.decompress(data, cap + 1)
    if not inflater.eof and len(body) <= cap:
        raise EOFError("compressed stream ends early")
    return body


def _unbrotli(data: bytes, cap: int) -> bytes:
    """br undone, stopping about ``cap`` bytes past the cap: a few hundred bytes of brotli can
    expand to gigabytes, which ``brotli.decompress`` would hold whole. A cut stream is an error."""
    decompressor = brotli.Decompressor()
    body = decompressor.process(data, output_buffer_limit=cap + 1)
    if len(body) <= cap and not decompressor.is_finished():
        raise EOFError("compressed stream ends early")
    return body


def _charset_of(record: WarcRecord) -> str | None:
    if record.is_http:
        return record.http_charset
    match = re.search(r"charset\s*=\s*[\"']?([\w.:\-]+)", record.headers.get("Content-Type") or "", re.I)
    return match.group(1) if match else None
