"""Input files read in order, each by the reader of its kind (text or HTML, JSONL, WARC)."""

from __future__ import annotations

from collections.abc import Iterator

from corpus_tools.document import Document
from corpus_tools.readers.files import UNREADABLE_FOLDER, InputFile, read_file, read_jsonl, unreadable_folder
from corpus_tools.readers.stream import Limits


def read_inputs(
    files: list[InputFile], *, text_field: str = "text", id_field: str = "id", limits: Limits | None = None
) -> Iterator[Document]:
    limits = limits or Limits()
    for item in files:
        if item.kind == UNREADABLE_FOLDER:
            yield unreadable_folder(item)
        elif item.kind == "jsonl":
            yield from read_jsonl(item, text_field, id_field, limits)
        elif item.kind == "warc":
            from corpus_tools.readers.warc import read_warc  # FastWARC, imported when a WARC comes

            yield from read_warc(item, limits=limits)
        else:
            yield read_file(item, limits)
