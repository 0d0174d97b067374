"""Run statistics, folded from the documents' edit records and rejections.

Nothing here is counted while cleaning: the writer hands every finished document to
:meth:`RunStats.add`, which reads the record. The closing summary, the card and
``corpus-tools stats`` all print this one object.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from corpus_tools.document import Document
from corpus_tools.edits import edit_counts
from corpus_tools.read_step import READ_STEP, WARC_SKIPPED_KEY, WARC_SKIPPED_RULE

METADATA_KEYS = ("title", "source", "url", "date", "author", "language")


@dataclass
class RunStats:
    documents_in: int = 0
    documents_out: int = 0
    documents_unread: int = 0  # input entries the reader rejected (unreadable, empty, malformed)
    words_out: int = 0
    chars_out: int = 0
    encoding_marks_left: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    edits_by_step: Counter[str] = field(default_factory=Counter)
    chars_removed_by_step: Counter[str] = field(default_factory=Counter)
    chars_added_by_step: Counter[str] = field(default_factory=Counter)
    edits_by_rule: Counter[str] = field(default_factory=Counter)
    chars_removed_by_rule: Counter[str] = field(default_factory=Counter)
    clusters: Counter[int] = field(default_factory=Counter)  # cluster size -> clusters (one kept each)
    corpus_passes: dict[str, dict[str, Any]] = field(default_factory=dict)
    languages: Counter[str] = field(default_factory=Counter)  # kept documents per language ("" = unknown)
    sources: Counter[str] = field(default_factory=Counter)  # kept documents per source site
    filled: Counter[str] = field(default_factory=Counter)  # kept documents with each metadata column set
    warc_records_skipped: Counter[str] = field(default_factory=Counter)  # WARC records not kept, by kind

    def add(self, doc: Document) -> None:
        self.documents_in += 1
        if doc.rejection is not None:
            self.dropped[doc.rejection.reason] += 1
            if doc.rejection.rule == WARC_SKIPPED_RULE:
                self.warc_records_skipped.update(json.loads(doc.meta["extra"])[WARC_SKIPPED_KEY])
            self.documents_unread += doc.rejection.step == READ_STEP
        else:
            self.documents_out += 1
            self.words_out += int(doc.meta.get("n_words") or 0)
            self.chars_out += len(doc.text)
            self.encoding_marks_left += int(doc.meta.get("encoding_marks_left") or 0)
            self.languages[doc.meta.get("language") or ""] += 1
            self.sources[doc.meta.get("source") or ""] += 1
            self.filled.update(key for key in METADATA_KEYS if doc.meta.get(key))
            size = doc.meta.get("cluster_size")
            if size and size > 1:
                self.clusters[int(size)] += 1
        for counts in doc.meta.get("edit_counts") or edit_counts(doc.edits):
            self.edits_by_step[counts["step"]] += counts["edits"]
            self.chars_removed_by_step[counts["step"]] += counts["chars_removed"]
            self.chars_added_by_step[counts["step"]] += counts["chars_added"]
        for edit in doc.edits:
            rule = f"{edit.step}:{edit.rule}"
            self.edits_by_rule[rule] += 1
            self.chars_removed_by_rule[rule] += len(edit.before)

    def merge(self, other: RunStats) -> None:
        """Fold in the statistics of other documents (a worker's batch), as if added one by one."""
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            elif isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)

    @property
    def documents_read(self) -> int:
        """Documents the input held: those the reader could not make one of aside."""
        return self.documents_in - self.documents_unread

    @property
    def documents_dropped(self) -> int:
        return self.documents_in - self.documents_out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view with sorted keys, so the same run always prints the same bytes."""

        def ordered(counter: Counter) -> dict[str, int]:
            return {str(k): v for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))}

        figures = {
            "documents_in": self.documents_in,
            "documents_out": self.documents_out,
            "documents_dropped": self.documents_dropped,
            "words_out": self.words_out,
            "chars_out": self.chars_out,
            "encoding_marks_left": self.encoding_marks_left,
            "dropped_by_reason": ordered(self.dropped),
            "edits_by_step": ordered(self.edits_by_step),
            "chars_removed_by_step": ordered(self.chars_removed_by_step),
            "chars_added_by_step": ordered(self.chars_added_by_step),
            "edits_by_rule": ordered(self.edits_by_rule),
            "chars_removed_by_rule": ordered(self.chars_removed_by_rule),
            "duplicate_clusters": {
                "clusters": sum(self.clusters.values()),
                "documents_in_clusters": sum(size * n for size, n in self.clusters.items()),
            },
            "corpus_passes": self.corpus_passes,
            "languages": ordered(self.languages),
            "sources": ordered(self.sources),
            "metadata_filled": ordered(self.filled),
        }
        if self.warc_records_skipped:  # only runs that read WARC files have the key
            figures["warc_records_skipped"] = ordered(self.warc_records_skipped)
        return figures

    def summary_lines(self) -> list[str]:
        lines = [
            f"documents in {self.documents_in}, out {self.documents_out}, dropped {self.documents_dropped}",
        ]
        for reason, count in sorted(self.dropped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  dropped {count:>6}  {reason}")
        if self.warc_records_skipped:
            counts = sorted(self.warc_records_skipped.items(), key=lambda kv: (-kv[1], kv[0]))
            lines.append(
                f"  WARC records counted, not kept: {sum(self.warc_records_skipped.values())} ("
                + ", ".join(f"{kind} {count}" for kind, count in counts)
                + ")"
            )
        for step, removed in sorted(self.chars_removed_by_step.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(
                f"  {step:<20} {self.edits_by_step[step]:>7} edits  {removed:>9} chars removed  "
                f"{self.chars_added_by_step[step]:>7} added"
            )
        if self.edits_by_step.get("fix_encoding") or self.encoding_marks_left:
            lines.append(
                f"  encoding: {self.edits_by_step.get('fix_encoding', 0)} marks repaired, "
                f"{self.encoding_marks_left} left unrepaired (not enough evidence)"
            )
        return lines
