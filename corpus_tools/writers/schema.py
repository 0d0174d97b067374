"""The dataset's columns: one typed schema, shared by the writer, the card and the readers of it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from corpus_tools.dates import normalize_date
from corpus_tools.document import Document, Edit, Rejection
from corpus_tools.edits import edit_counts
from corpus_tools.safety.disk import writing
from corpus_tools.scripts import unspaced_words
from corpus_tools.shards import SPLITS
from corpus_tools.stats import RunStats
from corpus_tools.writers.words import count_words

EDIT = pa.struct(
    [
        ("step", pa.string()),
        ("rule", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("before", pa.string()),
        ("after", pa.string()),
    ]
)
EDIT_COUNT = pa.struct(
    [
        ("step", pa.string()),
        ("edits", pa.int32()),
        ("chars_removed", pa.int32()),
        ("chars_added", pa.int32()),
    ]
)

# (column, type, what it holds): the card's column table is made from this list.
COLUMNS: list[tuple[str, pa.DataType, str]] = [
    ("id", pa.string(), "document id: input path without extension, or the JSONL id field"),
    ("text", pa.string(), "the clean article text, paragraphs separated by one blank line"),
    ("title", pa.string(), "headline (HTML title or first headline-like line)"),
    ("source", pa.string(), "site the document came from (the input's source field, else the host of url)"),
    ("url", pa.string(), "address of the page, where the input gives it"),
    ("date", pa.string(), "publication date, ISO 8601 (2024-03-20, or with time and UTC offset)"),
    ("author", pa.string(), "byline, where found"),
    ("language", pa.string(), "code of the text's language: ISO 639-1 where one exists, else ISO 639-3"),
    ("n_words", pa.int32(), "words in text (unspaced scripts: one per 3 characters)"),
    ("n_chars", pa.int32(), "characters in text"),
    ("raw_path", pa.string(), "input file (and :line for JSONL) the document was read from"),
    ("raw_sha256", pa.string(), "sha256 of the raw input bytes (file, or JSONL line)"),
    ("cluster_id", pa.string(), "near-duplicate cluster id (the kept document's id)"),
    ("cluster_size", pa.int32(), "documents in the duplicate cluster (1 = unique)"),
    ("edit_counts", pa.list_(EDIT_COUNT), "edits, characters removed and added, per step"),
    ("edits", pa.list_(EDIT), "the edit record: step, rule, span, text before and after, in order"),
    ("encoding_marks_left", pa.int32(), "lost-character marks (? or U+FFFD) fix_encoding could not settle"),
    ("extra", pa.string(), "other input fields (JSONL), or which extractor read an HTML page, as JSON"),
]
REJECTION_COLUMNS: list[tuple[str, pa.DataType, str]] = [
    ("reject_step", pa.string(), "step that dropped the document"),
    ("reject_rule", pa.string(), "rule of that step"),
    ("reject_detail", pa.string(), "why, in words (file and line for bad input)"),
    ("duplicate_of", pa.string(), "id of the kept copy, for duplicates"),
    ("similarity", pa.float32(), "estimated Jaccard similarity to that copy"),
]


def columns_for(split: str) -> list[tuple[str, pa.DataType, str]]:
    return COLUMNS + REJECTION_COLUMNS if split == "rejected" else COLUMNS


def schema_for(split: str) -> pa.Schema:
    return pa.schema([(name, kind) for name, kind, _ in columns_for(split)])


def finalize(docs: list[Document]) -> None:
    """Fill what the writer needs of finished documents: words, characters, ISO date, edit counts.

    Called where the last stage ran (a worker, a Ray task), so that this per-document work is
    spread over the workers instead of queuing in the one process that writes the dataset;
    the writer finalizes whatever arrives without it. Words are counted a batch at a time.
    """
    todo = [doc for doc in docs if "edit_counts" not in doc.meta]
    if not todo:
        return
    words, _ = count_words([doc.text for doc in todo])
    for doc, n_words in zip(todo, words, strict=True):
        doc.meta["n_words"] = n_words + unspaced_words(doc.text)
        doc.meta["n_chars"] = len(doc.text)
        doc.meta["date"] = normalize_date(doc.meta.get("date"))  # steps may fill it in any shape
        doc.meta["edit_counts"] = edit_counts(doc.edits)


@dataclass
class Prepared:
    """Finished documents made ready for the writer: Arrow rows per split, their statistics,
    their text bytes per split, and the first kept documents (the card shows one).

    Made where the last stage ran (:func:`prepare`), so that the process that writes the
    dataset only appends row groups and adds counters, whatever the number of documents.
    """

    tables: dict[str, pa.Table]
    stats: RunStats
    text_bytes: dict[str, int]
    samples: list[Document] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # split -> Arrow IPC file holding its rows

    @property
    def rows(self) -> int:
        return sum(table.num_rows for table in self.tables.values())

    def hand_over(self, stem: str) -> Prepared:
        """This, with its rows written to Arrow IPC files ``<stem>.<split>.arrow`` instead of
        carried along: how a worker passes rows to the process that writes the dataset.

        Pickled through the process pool's pipe, the rows would cost the receiving process as
        much CPU as writing the dataset itself; files in the page cache cost a tenth of that
        (``benchmarks/README.md``, "Runner changes"). Only the counters, the samples and the
        file names are pickled. On a cluster the files are in the
        shared work folder, beside the spills.
        """
        tables, files = {}, {}
        for split, table in self.tables.items():
            if table.num_rows:
                files[split] = path = f"{stem}.{split}.arrow"
                with (
                    writing(path),
                    pa.OSFile(path, "wb") as sink,
                    pa.ipc.new_file(sink, table.schema) as writer,
                ):
                    writer.write_table(table)
                table = table.schema.empty_table()
            tables[split] = table
        return Prepared(tables, self.stats, self.text_bytes, self.samples, files)

    def take_over(self) -> Prepared:
        """The rows of :meth:`hand_over` read back (memory-mapped: no copy), their files deleted."""
        if not self.files:
            return self
        tables = dict(self.tables)
        for split, path in self.files.items():
            with pa.memory_map(path) as source:  # the tables keep the mapping alive
                tables[split] = pa.ipc.open_file(source).read_all()
            os.unlink(path)
        return Prepared(tables, self.stats, self.text_bytes, self.samples)


SAMPLES = 3  # kept documents the card may show


def warm_up() -> None:
    """Import now what making rows imports on first use: pyarrow's first conversion of Python
    objects imports pandas, which each worker would otherwise do in its first task."""
    pa.array([""])


def prepare(docs: list[Document]) -> Prepared:
    """Finalize ``docs`` and turn them into :class:`Prepared` (input order kept within each split)."""
    finalize(docs)
    stats = RunStats()
    rows: dict[str, list[dict[str, Any]]] = {split: [] for split in SPLITS}
    text_bytes = dict.fromkeys(SPLITS, 0)
    samples: list[Document] = []
    for doc in docs:
        split = "rejected" if doc.rejected else "train"
        rows[split].append(row_of(doc))
        stats.add(doc)
        text_bytes[split] += len(doc.text.encode("utf-8", "surrogatepass"))
        if split == "train" and len(samples) < SAMPLES:
            samples.append(doc)
    tables = {split: pa.Table.from_pylist(rows[split], schema=schema_for(split)) for split in SPLITS}
    return Prepared(tables, stats, text_bytes, samples)


def row_of(doc: Document) -> dict[str, Any]:
    finalize([doc])
    meta = doc.meta
    row: dict[str, Any] = {name: meta.get(name) for name, _, _ in COLUMNS}
    row.update(
        id=doc.id,
        text=doc.text,
        # edits are named tuples in the EDIT struct's field order: Arrow reads them by
        # position, and a dict per edit was the writer's largest cost after the statistics
        edits=doc.edits,
        cluster_size=meta.get("cluster_size", 1),
        cluster_id=meta.get("cluster_id", doc.id),
        date=normalize_date(meta.get("date")),  # as finalized, unless meta changed since
    )
    rejection = doc.rejection
    if rejection is not None:
        row.update(
            reject_step=rejection.step,
            reject_rule=rejection.rule,
            reject_detail=rejection.detail,
            duplicate_of=rejection.duplicate_of,
            similarity=rejection.similarity,
        )
    return row


def document_of(row: dict[str, Any]) -> Document:
    """The inverse of :func:`row_of`, for tools that read the dataset back (diff, report)."""
    meta = {name: row.get(name) for name, _, _ in COLUMNS if name not in ("id", "text", "edits")}
    doc = Document(row["id"], row["text"], meta, [Edit(**e) for e in row.get("edits") or []])
    if row.get("reject_step"):
        doc.rejection = Rejection(
            row["reject_step"],
            row["reject_rule"],
            row.get("reject_detail") or "",
            row.get("duplicate_of"),
            row.get("similarity"),
        )
    return doc


@dataclass(frozen=True, slots=True)
class RowSink:
    """The dataset writer's sink (:class:`corpus_tools.run.sinks.Sink`): each unit's documents
    made into rows where they were cleaned, handed over to the writer in Arrow files."""

    def make(self, docs: list[Document]) -> Prepared:
        return prepare(docs)

    def hand_over(self, made: Prepared, stem: str) -> Prepared:
        return made.hand_over(stem)

    def take_over(self, made: Prepared) -> Prepared:
        return made.take_over()

    def warm_up(self) -> None:
        warm_up()
