"""From paths on the command line to a stream of :class:`Document`.

Input never stops a run: a file that cannot be read (a dangling link, a named pipe, no
permission), is binary, is not UTF-8, is empty, holds a malformed JSON line, a record over
the size caps, or a compressed stream cut short or damaged becomes a *rejected* document
whose reason names the file and line, and a warning goes to the log; the documents read
before a fault are kept. Only an input path that matches nothing is an error, because that
is a typo the user wants to hear about before anything runs. The byte-level safety (no
blocking open, bounded decompression, capped lines) lives in :mod:`.stream`.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from corpus_tools.dates import normalize_date
from corpus_tools.document import Document
from corpus_tools.read_step import HTML_MARKUP, MARKUP_KEY, READ_STEP
from corpus_tools.readers.charset import decode_page
from corpus_tools.readers.stream import (
    PREFIX_BYTES,
    InputFault,
    Limits,
    Oversized,
    capped_lines,
    decompressed_chunks,
    open_regular,
    over_document_cap,
    over_html_cap,
    path_text,
    raw_chunks,
)
from corpus_tools.sites import fill_source

log = logging.getLogger("corpus_tools")

# crawler archives (corpus_tools.readers.warc); Common Crawl's WET files are *.warc.wet.gz
WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.zst", ".wet", ".wet.gz", ".wet.zst")
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".jsonl.zst", *WARC_SUFFIXES)
UNREADABLE_FOLDER = "unreadable_folder"


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    doc_id: str  # the path relative to the folder given, without its extension
    kind: str  # "txt" | "html" | "jsonl" | "warc" | UNREADABLE_FOLDER
    error: str = ""  # why the OS refused an UNREADABLE_FOLDER


class InputError(Exception):
    """An input argument that matches no file."""


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            if suffix in WARC_SUFFIXES:
                return "warc"
            return {"htm": "html", "jsonl.gz": "jsonl", "jsonl.zst": "jsonl"}.get(suffix[1:], suffix[1:])
    return None


def _strip_suffix(relative: str) -> str:
    lower = relative.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return relative[: -len(suffix)]
    return relative


def expand_inputs(arguments: list[str]) -> list[InputFile]:
    """Files, folders (recursive) and globs, in a stable order; unknown extensions are skipped."""
    found: dict[Path, InputFile] = {}
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            base, candidates = path, _folder_entries(path, found)
        elif _is_entry(path):
            base, candidates = path.parent, [path]
        else:
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True))
            if not matches:
                raise InputError(f"{argument}: no such file, folder or glob match")
            base, candidates = Path(_glob_root(argument)), [p for p in matches if _is_entry(p)]
        for candidate in candidates:
            kind = _kind(candidate)
            if kind is None or candidate in found:
                continue
            relative = path_text(
                candidate.relative_to(base) if candidate.is_relative_to(base) else Path(candidate.name)
            )
            found[candidate] = InputFile(candidate, _strip_suffix(relative), kind)
    return list(found.values())


def _folder_entries(folder: Path, found: dict[Path, InputFile]) -> list[Path]:
    """The entries under ``folder``, sorted. A sub-folder the OS refuses to list (permission
    denied) is recorded in ``found`` as an unreadable entry, so that the reader rejects it by
    name: ``Path.rglob`` would skip it without a word."""
    entries: list[Path] = []

    def refused(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        relative = path_text(where.relative_to(folder) if where != folder else Path(where.name))
        found.setdefault(where, InputFile(where, relative, UNREADABLE_FOLDER, error.strerror or str(error)))

    for root, _dirs, names in os.walk(folder, onerror=refused):
        entries += [path for path in (Path(root) / name for name in names) if _is_entry(path)]
    return sorted(entries)


def _is_entry(path: Path) -> bool:
    """Anything but a folder: a dangling link or a named pipe is listed, so that the reader can
    reject it by name instead of it vanishing from the run."""
    return os.path.lexists(path) and not path.is_dir()


def _glob_root(pattern: str) -> str:
    """The folder part of a glob before its first wildcard: ids are relative to it."""
    parts = Path(pattern).parts
    root: list[str] = []
    for part in parts:
        if any(ch in part for ch in "*?["):
            break
        root.append(part)
    return str(Path(*root)) if root else "."


def unreadable_folder(item: InputFile) -> Document:
    """The rejection of a folder that could not be listed (``kind`` ``UNREADABLE_FOLDER``)."""
    where = path_text(item.path)
    return _rejected(
        item.doc_id, "unreadable", f"{where}: cannot list the folder ({item.error})", raw_path=where
    )


def _rejected(doc_id: str, rule: str, detail: str, text: str = "", **meta: Any) -> Document:
    log.warning("%s", detail)
    doc = Document(doc_id, text, meta)
    doc.reject(READ_STEP, rule, detail)
    return doc


def _base_meta(item: InputFile, data: bytes) -> dict[str, Any]:
    return {
        "raw_path": path_text(item.path),
        "raw_dir": path_text(item.path.parent),
        "raw_sha256": hashlib.sha256(data).hexdigest(),
    }


def _decode(item: InputFile, data: bytes) -> tuple[str | None, Document | None]:
    """UTF-8 text, or a rejected document saying why not (binary, bad bytes, empty).

    An HTML page that is not UTF-8 is read in the charset it declares (``<meta charset>``), or
    else the one detected (:func:`~corpus_tools.readers.charset.decode_page`, as for a WARC
    record): pages saved from older sites are Windows-1252 or ISO-8859-1 and say so."""
    meta = _base_meta(item, data)
    if b"\x00" in data[:8192]:
        return None, _rejected(
            item.doc_id, "binary_file", f"{path_text(item.path)}: binary file (NUL bytes)", **meta
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if item.kind == "html":  # a page says its charset: read as a browser reads it
            return decode_page(data, None, html=True)[0], None
        line = data.count(b"\n", 0, exc.start) + 1
        detail = (
            f"{path_text(item.path)}:{line}: invalid UTF-8 byte 0x{data[exc.start]:02x} at offset {exc.start}"
        )
        return None, _rejected(item.doc_id, "invalid_utf8", detail, data.decode("utf-8", "replace"), **meta)
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():  # strip() would copy the text
        return None, _rejected(item.doc_id, "empty", f"{path_text(item.path)}: empty file", **meta)
    return text, None


def read_file(item: InputFile, limits: Limits) -> Document:
    where = path_text(item.path)
    try:
        with open_regular(item.path) as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > limits.max_record_bytes:
                prefix = stream.read(PREFIX_BYTES)
                return _oversized(item.doc_id, where, Oversized(size, prefix), limits, raw_path=where)
            data = stream.read(limits.max_record_bytes + 1)
    except InputFault as fault:
        return _rejected(item.doc_id, fault.rule, fault.detail, raw_path=where)
    except OSError as exc:
        detail = f"{path_text(item.path)}: cannot read ({exc.strerror or exc})"
        return _rejected(item.doc_id, "unreadable", detail, raw_path=where)
    if len(data) > limits.max_record_bytes:  # the file grew since it was measured
        return _oversized(
            item.doc_id, where, Oversized(len(data), data[:PREFIX_BYTES]), limits, raw_path=where
        )
    text, rejected = _decode(item, data)
    if rejected is not None or text is None:
        assert rejected is not None
        return rejected
    meta = _base_meta(item, data)
    if item.kind == "html":
        return html_page(item.doc_id, text, meta, where, limits)
    fill_source(meta)
    too_large = _too_large(item.doc_id, where, text, limits, meta)
    return too_large or Document(item.doc_id, text, meta)


def _oversized(doc_id: str, where: str, record: Oversized, limits: Limits, **meta: Any) -> Document:
    """A record over ``--max-record-bytes``: rejected with its size and only the start of its text."""
    detail = (
        f"{where}: record of {record.size} bytes is over the limit of {limits.max_record_bytes} bytes "
        f"(--max-record-bytes); its first {len(record.prefix)} bytes are kept as text"
    )
    prefix = record.prefix.decode("utf-8", "ignore")
    return _rejected(doc_id, "record_too_large", detail, prefix, **meta)


def _too_large(doc_id: str, where: str, text: str, limits: Limits, meta: dict[str, Any]) -> Document | None:
    """A text over ``--max-document-bytes`` (UTF-8): rejected, keeping the start of its text."""
    detail = over_document_cap(where, text, limits.max_document_bytes)
    if detail is None:
        return None
    return _rejected(doc_id, "document_too_large", detail, text[:PREFIX_BYTES], **meta)


def html_page(doc_id: str, html: str, meta: dict[str, Any], where: str, limits: Limits) -> Document:
    """An HTML page as read (an ``.html`` file, a WARC response): its markup, marked as such,
    with what the reader knows in ``meta``; the chain's ``extract_html`` step makes it the
    article. A page over ``--max-html-bytes`` is rejected here (``html_too_large``): its
    extraction would take many times its size in memory."""
    detail = over_html_cap(where, html, limits.max_html_bytes)
    if detail is not None:
        return _rejected(doc_id, "html_too_large", detail, html[:PREFIX_BYTES], **meta)
    meta[MARKUP_KEY] = HTML_MARKUP
    return Document(doc_id, html, meta)


def is_compressed(path: Path) -> bool:
    return path.name.lower().endswith((".gz", ".zst"))


def read_jsonl_span(
    item: InputFile,
    start: int,
    end: int,
    first_line: int,
    *,
    text_field: str = "text",
    id_field: str = "id",
    limits: Limits | None = None,
) -> Iterator[Document]:
    """The lines of a plain JSONL file between two line-aligned byte offsets.

    Lets several workers share one big file; ``first_line`` (the number of the line at
    ``start``) keeps ids and ``raw_path`` exactly as a whole-file read would make them.
    """

    def chunks(stream: BinaryIO) -> Iterator[bytes]:
        stream.seek(start)
        return raw_chunks(stream, end - start)

    return _jsonl_records(item, chunks, first_line, text_field, id_field, limits or Limits(), whole=False)


def read_jsonl(item: InputFile, text_field: str, id_field: str, limits: Limits) -> Iterator[Document]:
    return _jsonl_records(
        item,
        lambda stream: decompressed_chunks(item.path, stream),
        1,
        text_field,
        id_field,
        limits,
        whole=True,
    )


def _jsonl_records(
    item: InputFile,
    chunks: Callable[[BinaryIO], Iterator[bytes]],
    first_line: int,
    text_field: str,
    id_field: str,
    limits: Limits,
    *,
    whole: bool,
) -> Iterator[Document]:
    """Documents of the lines ``chunks`` yields; a fault ends the file with a rejected document
    naming the line it happened on, after the documents read before it."""
    where = path_text(item.path)
    try:
        stream = open_regular(item.path)
    except InputFault as fault:
        yield _rejected(item.doc_id, fault.rule, fault.detail, raw_path=where)
        return
    number, records = first_line - 1, 0
    with stream:
        try:
            for number, line in enumerate(capped_lines(chunks(stream), limits.max_record_bytes), first_line):
                records += 1
                if isinstance(line, Oversized):
                    meta = {"raw_path": f"{where}:{number}", "raw_dir": path_text(item.path.parent)}
                    yield _oversized(f"{item.doc_id}:{number}", f"{where}:{number}", line, limits, **meta)
                elif line and not line.isspace():  # strip() would copy the line
                    doc = _jsonl_document(item, number, line, text_field, id_field, limits)
                    del line  # not held while the chain works on the document
                    yield doc
                else:
                    records -= 1
        except (InputFault, OSError) as exc:
            at = number + 1
            rule, said = (
                (exc.rule, exc.detail)
                if isinstance(exc, InputFault)
                else ("unreadable", f"cannot read ({exc})")
            )
            detail = f"{where}:{at}: {said}; the {records} records before it are kept"
            yield _rejected(f"{item.doc_id}:{at}", rule, detail, raw_path=f"{where}:{at}")
            return
    if whole and not records:
        yield _rejected(
            item.doc_id, "empty_input", f"{where}: no records (an empty JSONL file)", raw_path=where
        )


def _has_lone_surrogate(record: dict[str, Any]) -> bool:
    """JSON may escape half a UTF-16 pair; such a string cannot be written as UTF-8."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _jsonl_document(
    item: InputFile, number: int, line: bytes, text_field: str, id_field: str, limits: Limits
) -> Document:
    where = f"{path_text(item.path)}:{number}"
    meta: dict[str, Any] = {
        "raw_path": where,
        "raw_dir": path_text(item.path.parent),
        "raw_sha256": hashlib.sha256(_without_newline(line)).hexdigest(),
    }
    fallback_id = f"{item.doc_id}:{number}"
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        detail = f"{where}: invalid UTF-8 byte 0x{line[exc.start]:02x} at byte {exc.start} of the line"
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        return _rejected(fallback_id, "invalid_utf8", detail, text, **meta)
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return _rejected(fallback_id, "malformed_json", f"{where}: malformed JSON ({exc})", decoded, **meta)
    if not isinstance(record, dict):
        return _rejected(fallback_id, "malformed_json", f"{where}: a line must be a JSON object", **meta)
    if b"\\u" in line and _has_lone_surrogate(record):
        detail = f"{where}: a \\uD800-\\uDFFF escape that pairs with nothing (not Unicode text)"
        return _rejected(fallback_id, "invalid_unicode", detail, **meta)
    doc_id = record.pop(id_field, None)
    doc_id = str(doc_id) if doc_id not in (None, "") else fallback_id
    text = record.pop(text_field, None)
    if not isinstance(text, str):
        detail = f"{where}: no string field '{text_field}' (use --text-field)"
        return _rejected(doc_id, "missing_text", detail, **meta)
    if not text or text.isspace():  # strip() would copy the text
        return _rejected(doc_id, "empty", f"{where}: empty text", **meta)
    for key in ("title", "url", "source", "author", "language"):
        value = _as_text(record.pop(key, None))
        if value:
            meta[key] = value
    date = record.pop("date", None)
    if date not in (None, "", []):
        iso = _first_date(date)
        if iso is None:
            record["date"] = date  # unreadable: kept as given, in extra
        else:
            meta["date"] = iso
    if record:
        meta["extra"] = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)
    fill_source(meta)
    too_large = (
        _too_large(doc_id, where, text, limits, meta) if len(line) > limits.max_document_bytes else None
    )
    return too_large or Document(doc_id, text, meta)


def _without_newline(line: bytes) -> memoryview:
    """The line without its line ending, as a view: ``rstrip`` would copy the whole line."""
    end = len(line)
    while end and line[end - 1] in b"\r\n":
        end -= 1
    return memoryview(line)[:end]


def _as_text(value: Any) -> str | None:
    """A metadata value as one string: a list (several authors) is joined, an object is JSON."""
    if value in (None, ""):
        return None
    if isinstance(value, list):
        return ", ".join(text for item in value if (text := _as_text(item))) or None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _first_date(value: Any) -> str | None:
    """ISO date of a field value; of a list (feeds give several), its first readable date."""
    if isinstance(value, list):
        return next((iso for item in value if (iso := _first_date(item)) is not None), None)
    if isinstance(value, dict):
        return None
    return normalize_date(str(value))
