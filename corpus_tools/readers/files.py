"""From paths on the command line to a stream of :class:`Document`.

Input never stops a run: a file that cannot be read, is binary, is not UTF-8 or holds a
malformed JSON line becomes a *rejected* document whose reason names the file and line,
and a warning goes to the log. Only an input path that matches nothing is an error,
because that is a typo the user wants to hear about before anything runs.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from corpus_tools.dates import normalize_date
from corpus_tools.document import Document

log = logging.getLogger("corpus_tools")

READ_STEP = "read"
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".jsonl.zst")


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    doc_id: str  # the path relative to the folder given, without its extension
    kind: str  # "txt" | "html" | "jsonl"


class InputError(Exception):
    """An input argument that matches no file."""


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
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
            base, candidates = path, sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            base, candidates = path.parent, [path]
        else:
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True))
            if not matches:
                raise InputError(f"{argument}: no such file, folder or glob match")
            base, candidates = Path(_glob_root(argument)), [p for p in matches if p.is_file()]
        for candidate in candidates:
            kind = _kind(candidate)
            if kind is None or candidate in found:
                continue
            relative = (
                candidate.relative_to(base).as_posix() if candidate.is_relative_to(base) else candidate.name
            )
            found[candidate] = InputFile(candidate, _strip_suffix(relative), kind)
    return list(found.values())


def _glob_root(pattern: str) -> str:
    """The folder part of a glob before its first wildcard: ids are relative to it."""
    parts = Path(pattern).parts
    root: list[str] = []
    for part in parts:
        if any(ch in part for ch in "*?["):
            break
        root.append(part)
    return str(Path(*root)) if root else "."


def read_inputs(
    files: list[InputFile], *, text_field: str = "text", id_field: str = "id"
) -> Iterator[Document]:
    for item in files:
        if item.kind == "jsonl":
            yield from _read_jsonl(item, text_field, id_field)
        else:
            yield _read_file(item)


def _rejected(doc_id: str, rule: str, detail: str, text: str = "", **meta: Any) -> Document:
    log.warning("%s", detail)
    doc = Document(doc_id, text, meta)
    doc.reject(READ_STEP, rule, detail)
    return doc


def _base_meta(item: InputFile, data: bytes) -> dict[str, Any]:
    return {
        "raw_path": item.path.as_posix(),
        "raw_dir": item.path.parent.as_posix(),
        "raw_sha256": hashlib.sha256(data).hexdigest(),
    }


def _decode(item: InputFile, data: bytes) -> tuple[str | None, Document | None]:
    """UTF-8 text, or a rejected document saying why not (binary, bad bytes, empty)."""
    meta = _base_meta(item, data)
    if b"\x00" in data[:8192]:
        return None, _rejected(item.doc_id, "binary_file", f"{item.path}: binary file (NUL bytes)", **meta)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        detail = f"{item.path}:{line}: invalid UTF-8 byte 0x{data[exc.start]:02x} at offset {exc.start}"
        return None, _rejected(item.doc_id, "invalid_utf8", detail, data.decode("utf-8", "replace"), **meta)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return None, _rejected(item.doc_id, "empty", f"{item.path}: empty file", **meta)
    return text, None


def _read_file(item: InputFile) -> Document:
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        detail = f"{item.path}: cannot read ({exc.strerror or exc})"
        return _rejected(item.doc_id, "unreadable", detail, raw_path=item.path.as_posix())
    text, rejected = _decode(item, data)
    if rejected is not None:
        return rejected
    meta = _base_meta(item, data)
    if item.kind == "html":
        from corpus_tools.boilerplate.html import extract_html

        extracted = extract_html(text, None)
        body = extracted.pop("text", "") or ""
        meta.update({k: v for k, v in extracted.items() if v})
        if "date" in meta:
            meta["date"] = normalize_date(meta["date"])
        if not body.strip():
            return _rejected(item.doc_id, "no_text_in_html", f"{item.path}: no article text found", **meta)
        text = body
    _fill_source(meta)
    return Document(item.doc_id, text, meta)


def _fill_source(meta: dict[str, Any]) -> None:
    if meta.get("url") and not meta.get("source"):
        host = urlsplit(str(meta["url"])).hostname or ""
        meta["source"] = host.removeprefix("www.") or None


def _open_lines(item: InputFile) -> Iterator[bytes]:
    """Lines as bytes, streamed; ``.gz`` and ``.zst`` are decompressed on the fly."""
    name = item.path.name.lower()
    if name.endswith(".zst"):
        import zstandard

        try:
            with item.path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as stream:
                yield from io.BufferedReader(stream)
        except zstandard.ZstdError as exc:  # a truncated or corrupt frame reads like a damaged file
            raise OSError(f"zstd: {exc}") from exc
        return
    opener = gzip.open if name.endswith(".gz") else open
    with opener(item.path, "rb") as stream:
        yield from stream


def is_compressed(path: Path) -> bool:
    return path.name.lower().endswith((".gz", ".zst"))


def read_jsonl_span(
    item: InputFile, start: int, end: int, first_line: int, *, text_field: str = "text", id_field: str = "id"
) -> Iterator[Document]:
    """The lines of a plain JSONL file between two line-aligned byte offsets.

    Lets several workers share one big file; ``first_line`` (the number of the line at
    ``start``) keeps ids and ``raw_path`` exactly as a whole-file read would make them.
    """
    where = item.path.as_posix()
    try:
        with item.path.open("rb") as stream:
            stream.seek(start)
            position, number = start, first_line
            while position < end:
                line = stream.readline()
                if not line:
                    break
                position += len(line)
                if line.strip():
                    yield _jsonl_document(item, number, line, text_field, id_field)
                number += 1
    except OSError as exc:
        detail = f"{where}: cannot read ({exc.strerror or exc})"
        yield _rejected(f"{item.doc_id}:error", "unreadable", detail, raw_path=where)


def _read_jsonl(item: InputFile, text_field: str, id_field: str) -> Iterator[Document]:
    where = item.path.as_posix()
    try:
        for number, line in enumerate(_open_lines(item), 1):
            if not line.strip():
                continue
            yield _jsonl_document(item, number, line, text_field, id_field)
    except (OSError, EOFError) as exc:
        detail = f"{where}: cannot read ({getattr(exc, 'strerror', None) or exc})"
        yield _rejected(f"{item.doc_id}:error", "unreadable", detail, raw_path=where)


def _has_lone_surrogate(record: dict[str, Any]) -> bool:
    """JSON may escape half a UTF-16 pair; such a string cannot be written as UTF-8."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _jsonl_document(item: InputFile, number: int, line: bytes, text_field: str, id_field: str) -> Document:
    where = f"{item.path.as_posix()}:{number}"
    meta: dict[str, Any] = {
        "raw_path": where,
        "raw_dir": item.path.parent.as_posix(),
        "raw_sha256": hashlib.sha256(line.rstrip(b"\r\n")).hexdigest(),
    }
    fallback_id = f"{item.doc_id}:{number}"
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        return _rejected(fallback_id, "malformed_json", f"{where}: malformed JSON ({exc})", text, **meta)
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
    if not text.strip():
        return _rejected(doc_id, "empty", f"{where}: empty text", **meta)
    for key in ("title", "url", "source", "date", "author", "language"):
        value = record.pop(key, None)
        if value not in (None, ""):
            meta[key] = str(value)
    if "date" in meta:
        iso = normalize_date(meta["date"])
        if iso is None:
            record["date"] = meta.pop("date")  # unreadable: kept as given, in extra
        else:
            meta["date"] = iso
    if record:
        meta["extra"] = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)
    _fill_source(meta)
    return Document(doc_id, text, meta)
