"""Site templates learned from the corpus: lines that recur across a site's documents.

A generic boilerplate filter judges one page at a time; a site's menu, newsletter call or
copyright line looks like that on every page of the site, which is evidence no single page
holds. This corpus pass counts, per site, in how many documents each (normalised) line
occurs, and then removes the lines that occur in at least ``min_docs`` documents *and* in
at least ``min_share`` of the site's documents. Both thresholds matter: the count keeps a
quote or a fact that two articles share (a count of 2) from being taken for a template, and
the share keeps a line that a large site repeats in a handful of articles from being taken
for one. Sites with fewer than ``min_site_docs`` documents learn nothing: too little
evidence.

The site is ``meta["source"]``, else the host of ``meta["url"]``, else the folder the file
came from (``meta["raw_dir"]``). Lines are compared after CCNet normalisation (case, digits,
punctuation; a number of any length counts as one ``0``), so "Published 3 May 2025" and
"Published 14 May 2025" count as one line.

Memory: summaries are sets of 64-bit line hashes; counts are kept per site as sorted numpy
arrays of hashes and counts (12 bytes per distinct line, merged in batches), so memory grows
with the number of distinct lines, not with the text.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import xxhash
from pydantic import Field

from corpus_tools.dedup.normalize import normalized_lines
from corpus_tools.document import Change, Document
from corpus_tools.steps.base import CorpusStep, StepOptions, register

_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_MERGE_EVERY = 1 << 16  # pending hashes per site before they are merged into the counts


def site_of(meta: dict[str, Any]) -> str | None:
    """The site a document belongs to: its source, else its URL's host, else its input folder."""
    if meta.get("source"):
        return str(meta["source"]).lower().removeprefix("www.")
    if meta.get("url"):
        host = urlsplit(str(meta["url"])).hostname or ""
        if host:
            return host.removeprefix("www.")
    raw_dir = meta.get("raw_dir")
    return f"dir:{raw_dir}" if raw_dir else None


def line_hashes(text: str) -> list[int | None]:
    """Hash of each normalised line of ``text``; None for a line with no words (left alone)."""
    return [xxhash.xxh3_64_intdigest(line) if line else None for line in normalized_lines(text)]


def line_set(text: str) -> np.ndarray:
    """The set of the text's line hashes, sorted (a document counts once per line)."""
    return np.array(sorted({h for h in line_hashes(text) if h is not None}), dtype=np.uint64)


class _SiteCounts:
    """Documents per line hash for one site: sorted hashes, their counts, and a pending batch."""

    __slots__ = ("counts", "docs", "hashes", "pending", "pending_size")

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.uint64)
        self.counts = np.empty(0, dtype=np.int32)
        self.pending: list[np.ndarray] = []
        self.pending_size = 0
        self.docs = 0

    def add(self, hashes: np.ndarray) -> None:
        self.docs += 1
        self.pending.append(hashes)
        self.pending_size += hashes.size
        if self.pending_size >= _MERGE_EVERY:
            self.merge()

    def merge(self) -> None:
        if not self.pending:
            return
        new, new_counts = np.unique(np.concatenate(self.pending), return_counts=True)
        merged, inverse = np.unique(np.concatenate((self.hashes, new)), return_inverse=True)
        self.counts = np.bincount(
            inverse, weights=np.concatenate((self.counts, new_counts)), minlength=merged.size
        ).astype(np.int32)
        self.hashes = merged
        self.pending, self.pending_size = [], 0


@register
class SiteTemplates(CorpusStep):
    name = "site_templates"

    class Options(StepOptions):
        min_docs: int = Field(5, ge=2, description="a template line occurs in at least this many documents")
        min_share: float = Field(0.1, gt=0, le=1, description="... and in at least this share of the site's")
        min_site_docs: int = Field(10, ge=1, description="sites with fewer documents learn no template")

    options: Options

    def __init__(self, options: StepOptions | None = None) -> None:
        super().__init__(options)
        self._counts: dict[str, _SiteCounts] = {}
        self._templates: dict[str, frozenset[int]] = {}

    def summarize(self, doc: Document) -> np.ndarray:
        return line_set(doc.text)

    def collect(self, doc_id: str, meta: dict[str, Any], summary: np.ndarray | None) -> None:
        site = site_of(meta)
        if site is None or summary is None:
            return
        self._counts.setdefault(site, _SiteCounts()).add(summary)

    def finish(self) -> dict[str, Any]:
        opts = self.options
        templates: dict[str, frozenset[int]] = {}
        for site, counts in self._counts.items():
            counts.merge()
            if counts.docs < opts.min_site_docs:
                continue
            needed = max(opts.min_docs, math.ceil(opts.min_share * counts.docs))
            lines = counts.hashes[counts.counts >= needed]
            if lines.size:
                templates[site] = frozenset(lines.tolist())  # few per site; a set lookup per line
        figures = {
            "sites": len(self._counts),
            "sites_with_templates": len(templates),
            "template_lines": sum(len(lines) for lines in templates.values()),
            "distinct_lines_counted": int(sum(c.hashes.size for c in self._counts.values())),
        }
        self._counts = {}
        self._templates = templates
        return figures

    def process(self, doc: Document) -> None:
        lines = self._templates.get(site_of(doc.meta) or "")
        if lines is None:
            return
        changes: list[Change] = []
        for match, digest in zip(_LINE.finditer(doc.text), line_hashes(doc.text), strict=False):
            if digest is not None and digest in lines:
                changes.append(Change(match.start(), match.end(), "", "site_template"))
        if changes and changes[-1].end == len(doc.text) and not doc.text.endswith("\n"):
            # the text's last lines go: the first of them takes the line break before it too,
            # so no dangling line break is left behind
            first = len(changes) - 1
            while first > 0 and changes[first - 1].end == changes[first].start:
                first -= 1
            if changes[first].start > 0:
                changes[first] = changes[first]._replace(start=changes[first].start - 1)
        doc.apply(self.name, changes)
