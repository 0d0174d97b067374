"""The input cut into units: what one task reads and cleans alone.

A unit is a group of small files, a line-aligned byte span of one big JSONL file, a span of
gzip members of one ``.warc.gz``, or documents handed in directly. A worker reads its unit
itself, so the main process only plans. Units depend on the input alone, never on the number
of workers, so a resumed run with another ``--workers`` finds the same units finished. Pure:
planning reads file sizes and line ends, never writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from corpus_tools.document import Document
from corpus_tools.readers.files import InputFile, is_compressed, read_jsonl_span
from corpus_tools.readers.inputs import read_inputs
from corpus_tools.readers.stream import (
    MAX_DOCUMENT_BYTES,
    MAX_HTML_BYTES,
    MAX_RECORD_BYTES,
    InputFault,
    Limits,
    open_regular,
)

UNIT_BYTES = 4 << 20  # input bytes per unit: big enough to amortise a task, small enough to balance
UNIT_FILES = 512  # files per unit, for corpora of many tiny files
UNIT_DOCS = 512  # documents per unit when documents are handed in (``Runner.run``)
READ_BLOCK = 1 << 20  # bytes read at a time when hashing or scanning a file


@dataclass(frozen=True, slots=True)
class Reading:
    """Reader options: part of what a unit's result depends on."""

    text_field: str = "text"
    id_field: str = "id"
    max_record_bytes: int = MAX_RECORD_BYTES  # see corpus_tools.readers.stream.Limits
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    max_html_bytes: int = MAX_HTML_BYTES

    @property
    def limits(self) -> Limits:
        return Limits(self.max_record_bytes, self.max_document_bytes, self.max_html_bytes)


@dataclass(frozen=True, slots=True)
class Unit:
    """One task's input: whole files, a byte span ``(start, end, first line)`` of one JSONL file
    (or ``(start, end, 0)`` of one ``.warc.gz``), or documents handed in directly (not
    resumable: they have no bytes to key on)."""

    index: int
    files: tuple[InputFile, ...] = ()
    span: tuple[int, int, int] | None = None
    docs: tuple[Document, ...] = ()

    def read(self, reading: Reading) -> Iterator[Document]:
        if self.docs:
            return iter(self.docs)
        if self.span is not None and self.files[0].kind == "warc":
            from corpus_tools.readers.warc import read_warc

            return read_warc(self.files[0], self.span[:2], reading.limits)
        if self.span is not None:
            start, end, first_line = self.span
            return read_jsonl_span(
                self.files[0],
                start,
                end,
                first_line,
                text_field=reading.text_field,
                id_field=reading.id_field,
                limits=reading.limits,
            )
        return read_inputs(
            list(self.files), text_field=reading.text_field, id_field=reading.id_field, limits=reading.limits
        )

    def digest(self) -> str:
        """sha256 over the ids, paths and raw bytes this unit reads."""
        if self.docs:
            return f"documents-{self.index}"
        digest = hashlib.sha256()
        for item in self.files:
            # a file name's bytes that are not UTF-8 are lone surrogates in the str: kept as they are
            name = f"{item.doc_id}\0{item.path.as_posix()}\0{item.kind}\0{self.span}\0"
            digest.update(name.encode("utf-8", "surrogatepass"))
            try:
                with open_regular(item.path) as stream:  # never a named pipe: it would block
                    start, end = (0, None) if self.span is None else self.span[:2]
                    stream.seek(start)
                    while end is None or stream.tell() < end:
                        block = stream.read(
                            READ_BLOCK if end is None else min(READ_BLOCK, end - stream.tell())
                        )
                        if not block:
                            break
                        digest.update(block)
            except (InputFault, OSError) as exc:  # the reader rejects it; key on the error
                digest.update(f"unreadable: {exc}".encode())
        return digest.hexdigest()


def plan_units(
    files: Iterable[InputFile], unit_bytes: int | None = None, unit_files: int | None = None
) -> Iterator[Unit]:
    """Cut the input into units, in input order: small files grouped, big plain JSONL and
    ``.warc.gz`` files split.

    A compressed file cannot be entered in the middle, so it stays one unit; except a
    ``.warc.gz`` of one gzip member per record, which can
    (:func:`~corpus_tools.readers.warc.warc_spans`).
    """
    unit_bytes = unit_bytes or UNIT_BYTES
    unit_files = unit_files or UNIT_FILES
    index = 0
    group: list[InputFile] = []
    size = 0
    for item in files:
        try:
            length = item.path.stat().st_size
        except OSError:
            length = 0
        spans = _spans(item, length, unit_bytes)
        if spans:
            if group:
                yield Unit(index, tuple(group))
                index, group, size = index + 1, [], 0
            for span in spans:
                yield Unit(index, (item,), span)
                index += 1
            continue
        group.append(item)
        size += length
        if size >= unit_bytes or len(group) >= unit_files:
            yield Unit(index, tuple(group))
            index, group, size = index + 1, [], 0
    if group:
        yield Unit(index, tuple(group))


def document_units(docs: Iterable[Document]) -> Iterator[Unit]:
    """Documents handed in directly, ``UNIT_DOCS`` to a unit."""
    batch: list[Document] = []
    index = 0
    for doc in docs:
        batch.append(doc)
        if len(batch) >= UNIT_DOCS:
            yield Unit(index, docs=tuple(batch))
            index, batch = index + 1, []
    if batch:
        yield Unit(index, docs=tuple(batch))


def _spans(item: InputFile, length: int, unit_bytes: int) -> list[tuple[int, int, int]]:
    """Spans of a big file that workers can read apart, or none."""
    if length <= unit_bytes:
        return []
    if item.kind == "jsonl" and not is_compressed(item.path):
        return jsonl_spans(item.path, unit_bytes)
    if item.kind == "warc":
        from corpus_tools.readers.warc import warc_spans

        return warc_spans(item.path, unit_bytes)
    return []


def jsonl_spans(path: Path, unit_bytes: int) -> list[tuple[int, int, int]]:
    """Line-aligned ``(start, end, first line number)`` spans of about ``unit_bytes`` each."""
    spans = []
    size = path.stat().st_size
    with path.open("rb") as stream:
        start, first_line = 0, 1
        while start < size:
            end = _next_line_start(stream, min(start + unit_bytes, size) - 1)
            stream.seek(start)
            remaining, lines = end - start, 0
            while remaining:
                block = stream.read(min(remaining, READ_BLOCK))
                lines += block.count(b"\n")
                remaining -= len(block)
            spans.append((start, end, first_line))
            start, first_line = end, first_line + lines
    return spans


def _next_line_start(stream: BinaryIO, position: int) -> int:
    """Offset just past the first newline at or after ``position`` (or the end), found a block at
    a time: ``readline`` would hold a whole line, and a line may be a gigabyte."""
    stream.seek(position)
    while block := stream.read(READ_BLOCK):
        newline = block.find(b"\n")
        if newline >= 0:
            return position + newline + 1
        position += len(block)
    return position
