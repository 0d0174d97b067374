"""Ids unique in a dataset: a repeated id is renamed ``ID~2``, ``ID~3``… in input order.

Two inputs may give two documents one id (two dumps of one site, a counter restarted, a
``.txt`` and an ``.html`` of one name). Every tool downstream names a document by its id
(``diff ID``, the report's pages, an export's file names), so the dataset cannot hold an id
twice. The second copy is renamed rather than dropped: the two may be different articles,
and an exact copy is still rejected by ``dedup`` (which tells the copies apart by their
``raw_path``). The renamed row keeps its input id in ``extra`` as ``original_id``, and a
warning names both. Renaming runs in the process that writes the dataset, on rows arriving
in input order, so the result is the same whatever the number of workers.

Memory: one 64-bit hash per document (a clash of two different ids on it would only rename
one of them needlessly, still deterministically).
"""

from __future__ import annotations

import json
import logging

import pyarrow as pa
import xxhash

log = logging.getLogger("corpus_tools")

SUFFIX = "~"  # ``ID~2``: what a repeated id becomes


class UniqueIds:
    """The ids seen so far in a dataset; :meth:`table` renames the repeated ones of a row group."""

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def claim(self, doc_id: str) -> bool:
        """Take ``doc_id``; False when it was taken already."""
        key = xxhash.xxh3_64_intdigest(doc_id.encode("utf-8", "surrogatepass"))
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def table(self, table: pa.Table) -> pa.Table:
        """``table`` with every id already seen (here or before) renamed; the rest untouched."""
        ids = table.column("id").to_pylist()
        renamed: dict[int, str] = {}
        for row, doc_id in enumerate(ids):
            if self.claim(doc_id):
                continue
            number = 2
            while not self.claim(new := f"{doc_id}{SUFFIX}{number}"):
                number += 1
            renamed[row] = new
        if not renamed:
            return table
        return self._renamed(table, ids, renamed)

    @staticmethod
    def _renamed(table: pa.Table, ids: list[str], renamed: dict[int, str]) -> pa.Table:
        clusters = table.column("cluster_id").to_pylist()
        extras = table.column("extra").to_pylist()
        paths = table.column("raw_path").to_pylist()
        for row, new in renamed.items():
            old = ids[row]
            log.warning("%s: id %r is taken by an earlier document: stored as %r", paths[row], old, new)
            extra = json.loads(extras[row]) if extras[row] else {}
            extra = extra if isinstance(extra, dict) else {"extra": extra}
            extra["original_id"] = old
            extras[row] = json.dumps(extra, ensure_ascii=False, sort_keys=True)
            if clusters[row] == old:
                clusters[row] = new
            ids[row] = new
        for name, values in (("id", ids), ("cluster_id", clusters), ("extra", extras)):
            index = table.schema.get_field_index(name)
            table = table.set_column(index, name, pa.array(values, table.schema.field(name).type))
        return table
