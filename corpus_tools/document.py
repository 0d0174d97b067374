"""The document and its edit record: the one bookkeeping every other part reads.

A step never assigns ``doc.text`` directly. It hands :meth:`Document.apply` a list of
:class:`Change` (a span of the text it received, the replacement, the rule), and the
document records each as an :class:`Edit`. Because an edit keeps the span *and* the text
it replaced, the record is non-destructive (as dolma's attribute spans are): the raw text
can be rebuilt from the clean text (:func:`corpus_tools.edits.revert`), the diff can show
every removal with its reason, and the statistics and the dataset card count edits
instead of keeping a tally of their own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple


class Change(NamedTuple):
    """What a step wants done: replace ``text[start:end]`` by ``after``, because of ``rule``."""

    start: int
    end: int
    after: str
    rule: str


class Edit(NamedTuple):
    """One recorded change.

    ``start``/``end`` index the text as it stood just before this edit (edits are replayed
    one after the other), so each edit can be undone alone: ``revert`` walks them backwards.

    A named tuple rather than a frozen dataclass: every document carries a dozen edits
    through each spill between stages, and a tuple is built from its fields without a
    Python ``__init__`` (3x cheaper) and is handed to Arrow's edit struct as it is.
    """

    step: str
    rule: str
    start: int
    end: int
    before: str
    after: str

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


_SPAN = itemgetter(0, 1)  # a Change's (start, end), read in C: steps hand over ~10 changes a document


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a document left the corpus; ``detail`` holds what a reader needs to check it."""

    step: str
    rule: str
    detail: str = ""
    duplicate_of: str | None = None
    similarity: float | None = None

    def __reduce__(self) -> tuple[type, tuple]:
        return (Rejection, (self.step, self.rule, self.detail, self.duplicate_of, self.similarity))

    @property
    def reason(self) -> str:
        return f"{self.step}:{self.rule}"


@dataclass(slots=True)
class Document:
    """A document in flight. ``meta`` holds every column that is not text or record."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    rejection: Rejection | None = None

    # Spills and worker results pickle every document between stages. Its edits go as plain
    # tuples, which pickle entirely in C; a named tuple would cost a Python-level reduce
    # call each, and spills hold millions of edits (figures: benchmarks/README.md).
    def __reduce__(self) -> tuple[Any, tuple]:
        edits = [tuple(edit) for edit in self.edits]
        return (_unpickle_document, (self.id, self.text, self.meta, edits, self.rejection))

    @classmethod
    def from_raw(cls, doc_id: str, text: str, **meta: Any) -> Document:
        meta.setdefault("raw_sha256", hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
        return cls(id=doc_id, text=text, meta=meta)

    def apply(self, step: str, changes: list[Change]) -> int:
        """Apply non-overlapping changes in one go and record them; returns how many applied."""
        if not changes:
            return 0
        changes = sorted(changes, key=_SPAN)
        pieces: list[str] = []
        cursor = 0
        shift = 0  # how much earlier edits of this batch moved the text after them
        applied = 0
        text = self.text
        for start, end, after, rule in changes:
            if start < cursor or end < start or end > len(text):
                raise ValueError(
                    f"{step}: change {Change(start, end, after, rule)!r} overlaps another or leaves the text"
                )
            before = text[start:end]
            if before == after:
                continue
            pieces.append(text[cursor:start])
            pieces.append(after)
            cursor = end
            self.edits.append(Edit(step, rule, start + shift, end + shift, before, after))
            shift += len(after) - len(before)
            applied += 1
        pieces.append(text[cursor:])
        self.text = "".join(pieces)
        return applied

    def start_from(self, text: str) -> None:
        """Make ``text`` the text the edit record starts from: an HTML page's article in place
        of its markup (``extract_html``). The record's raw text is this text, so the diff
        starts from the article, and the markup (kept by the input, keyed by ``raw_sha256``)
        is no text to diff; hence only before the first edit."""
        if self.edits:
            raise ValueError(f"{self.id}: a document's starting text is set before its first edit")
        self.text = text

    def reject(self, step: str, rule: str, detail: str = "", **extra: Any) -> None:
        """Drop the document from the corpus, keeping it (and why) for the rejected split."""
        if self.rejection is None:
            self.rejection = Rejection(step, rule, detail, **extra)

    @property
    def rejected(self) -> bool:
        return self.rejection is not None


def _unpickle_document(
    doc_id: str, text: str, meta: dict[str, Any], edits: list[tuple], rejection: Rejection | None
) -> Document:
    make = tuple.__new__  # what Edit(*fields) does, without its Python-level __new__
    return Document(doc_id, text, meta, [make(Edit, fields) for fields in edits], rejection)
