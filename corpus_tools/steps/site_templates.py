"""Site templates learned from the corpus: lines that recur across a site's documents.

A generic boilerplate filter judges one page at a time; a site's menu, newsletter call or
copyright line looks like that on every page of the site, which is evidence no single page
holds. This corpus pass counts, per site, in how many distinct texts each (normalised) line
occurs (one article under several URLs, tracking, AMP and print variants, is one text: its
copies are exact duplicates for dedup, not evidence of a template), and then removes the
lines that occur in at least ``min_docs`` texts *and* in at least ``min_share`` of the
site's texts. Both thresholds matter: the count keeps a
quote or a fact that two articles share (a count of 2) from being taken for a template, and
the share keeps a line that a large site repeats in a handful of articles from being taken
for one. Sites with fewer than ``min_site_docs`` documents learn nothing: too little
evidence. A document whose every line is a template line is left whole (the quality filter
judges it): the pass removes a site's chrome from articles, it never empties one.

The site is ``meta["source"]``, else the host of ``meta["url"]``, else the folder the file
came from (``meta["raw_dir"]``). Lines are compared after CCNet normalisation (case, digits,
punctuation; a number of any length counts as one ``0``), so "Published 3 May 2025" and
"Published 14 May 2025" count as one line.

Memory: summaries are the documents' translated bytes (until their unit is combined);
``combine`` normalises the unit's lines in one pass and turns them into one array of
(line hash, site, text hash) triples, each document's distinct lines once, and one
(site, text hash) pair per document, in the worker. Most lines of an article
occur once in the corpus, so the distinct lines grow with the corpus; ``merge`` therefore
writes each pair to one of ``2**_PARTITION_BITS`` files on disk, chosen by the line hash's
top bits, and ``finish`` counts one file at a time. Memory holds a fixed buffer, one
partition and 12 bytes per document (its site and text hash, in numpy arrays), never a
count per distinct line nor a Python object per document.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import xxhash
from pydantic import Field

from corpus_tools.dedup.state import FOLDER, LASTING_COUNT, LINE_COUNT, SavedTemplates
from corpus_tools.dedup.store import release_free_memory
from corpus_tools.document import Change, Document
from corpus_tools.sites import site_of
from corpus_tools.steps.base import CorpusStep, Entry, StepOptions, register
from corpus_tools.textnorm import line_spans, lines_translated, normalized_lines, normalized_lines_many

_BUFFER_LINES = 1 << 16  # (line, site) pairs buffered before they are written to the partitions
_PARTITION_BITS = 6  # 64 partitions: finish holds about 1/64 of the corpus' line pairs at a time
_PAIR = np.dtype([("line", "<u8"), ("site", "<u4"), ("text", "<u8")])
_TEXT = np.dtype([("site", "<u4"), ("text", "<u8")])


def line_hashes(text: str) -> list[int | None]:
    """Hash of each normalised line of ``text``; None for a line with no words (left alone)."""
    return [xxhash.xxh3_64_intdigest(line) if line else None for line in normalized_lines(text)]


class _UnitLines(NamedTuple):
    """One unit's summaries: its sites in first-seen order, documents per site, and pairs."""

    sites: list[str]
    texts: np.ndarray  # (site index, text hash) of every document
    pairs: np.ndarray  # (line hash, index into ``sites``, text hash) of every line of every document


class _LineCounts:
    """Documents per (site, line hash), counted from pairs spilled to disk in hash partitions.

    A document's summary is a set, so the number of times a pair was written is the number
    of documents of that site holding the line. Equal pairs always land in the same
    partition (the line hash's top bits choose it), so each partition is counted alone.
    """

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="corpus-tools-templates-"))
        self.sites: dict[str, int] = {}  # site -> index, in first-seen order
        self.texts: list[np.ndarray] = []  # (site index, text hash) per document: 12 bytes each
        self.buffer = np.empty(_BUFFER_LINES, dtype=_PAIR)
        self.fill = 0
        self.seeded = np.empty(0, dtype=LINE_COUNT)  # line counts saved by an earlier run (an update)
        self.old_texts = np.empty(0, dtype=np.uint64)  # its (site, text) keys, sorted
        self.lasting: list[np.ndarray] = []  # LINE_COUNT records worth saving, filled by ``frequent``

    def seed(self, saved: SavedTemplates) -> None:
        """Start from an earlier run's sites, distinct texts and lasting line counts."""
        self.sites = {site: index for index, site in enumerate(saved.sites)}
        self.texts = [saved.texts]
        self.seeded = saved.lines
        self.old_texts = np.sort(_text_keys(saved.texts))

    def all_texts(self) -> np.ndarray:
        return np.unique(np.concatenate(self.texts)) if self.texts else np.empty(0, dtype=_TEXT)

    def add(self, unit: _UnitLines) -> None:
        """Note a unit's documents per site and buffer its pairs under the corpus' site numbers."""
        numbers = np.array(
            [self.sites.setdefault(site, len(self.sites)) for site in unit.sites], dtype=np.uint32
        )
        texts = unit.texts.copy()
        texts["site"] = numbers[texts["site"]]
        self.texts.append(texts)
        pairs = unit.pairs.copy()
        pairs["site"] = numbers[pairs["site"]]
        if self.fill + pairs.size > self.buffer.size:
            self.flush()
        if pairs.size > self.buffer.size:  # more pairs than the buffer holds: straight out
            self._write(pairs)
            return
        self.buffer[self.fill : self.fill + pairs.size] = pairs
        self.fill += pairs.size

    def flush(self) -> None:
        self._write(self.buffer[: self.fill])
        self.fill = 0

    def _write(self, pairs: np.ndarray) -> None:
        """Append ``pairs`` to their partition files."""
        partition = pairs["line"] >> np.uint64(64 - _PARTITION_BITS)
        order = np.argsort(partition, kind="stable")
        bounds = np.searchsorted(partition[order], np.arange((1 << _PARTITION_BITS) + 1))
        grouped = pairs[order]
        for number in np.flatnonzero(np.diff(bounds)).tolist():
            with (self.directory / str(number)).open("ab") as out:
                out.write(grouped[bounds[number] : bounds[number + 1]].tobytes())

    def documents(self) -> list[int]:
        """Distinct texts per site index: copies of one text (an article under several URLs)
        are one document to the count, as they are one piece of evidence."""
        if not self.texts:
            return [0] * len(self.sites)
        texts = self.all_texts()
        return np.bincount(texts["site"], minlength=len(self.sites)).tolist()

    def frequent(self, needed: np.ndarray) -> tuple[list[list[np.ndarray]], int]:
        """Per site index, the line hashes in at least ``needed[site]`` of its distinct texts; and
        the number of distinct (site, line) pairs counted."""
        self.flush()
        found: list[list[np.ndarray]] = [[] for _ in self.sites]
        distinct = 0
        seeded_partition = self.seeded["line"] >> np.uint64(64 - _PARTITION_BITS)
        for number in range(1 << _PARTITION_BITS):
            path = self.directory / str(number)
            pairs = np.fromfile(path, dtype=_PAIR) if path.exists() else np.empty(0, dtype=_PAIR)
            if self.old_texts.size and pairs.size:  # a copy of an old text is no new evidence
                keys = _text_keys(pairs)
                at = np.minimum(np.searchsorted(self.old_texts, keys), self.old_texts.size - 1)
                pairs = pairs[self.old_texts[at] != keys]
            seeded = self.seeded[seeded_partition == number]
            if not pairs.size and not seeded.size:
                continue
            lines, sites, counts = _count(pairs, seeded)
            distinct += lines.size
            lasting = counts >= LASTING_COUNT
            record = np.empty(int(np.count_nonzero(lasting)), dtype=LINE_COUNT)
            record["line"], record["site"], record["count"] = lines[lasting], sites[lasting], counts[lasting]
            self.lasting.append(record)
            chosen = counts >= needed[sites]
            lines, sites = lines[chosen], sites[chosen]
            for site in np.unique(sites).tolist():
                found[site].append(lines[sites == site])
        return found, distinct

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _count(pairs: np.ndarray, seeded: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (line, site) pairs of ``pairs`` and in how many distinct texts each occurs,
    plus the counts ``seeded`` (LINE_COUNT records) brings from an earlier run."""
    pairs = np.unique(pairs)  # a text's copies give the same (line, site, text) triples: once
    lines, sites = pairs["line"], pairs["site"]
    weights = np.ones(lines.size, dtype=np.int64)
    if seeded is not None and seeded.size:
        lines = np.concatenate((lines, seeded["line"]))
        sites = np.concatenate((sites, seeded["site"]))
        weights = np.concatenate((weights, seeded["count"].astype(np.int64)))
    order = np.lexsort((lines, sites))
    lines, sites, weights = lines[order], sites[order], weights[order]
    starts = np.ones(lines.size, dtype=bool)
    starts[1:] = (lines[1:] != lines[:-1]) | (sites[1:] != sites[:-1])
    first = np.flatnonzero(starts)
    counts = np.add.reduceat(weights, first) if first.size else np.empty(0, dtype=np.int64)
    return lines[first], sites[first], counts


def _text_keys(texts: np.ndarray) -> np.ndarray:
    """One 64-bit key per (site, text hash): text hashes of two sites differ once mixed."""
    return texts["text"] ^ (texts["site"].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))


class SiteTemplatesOptions(StepOptions):
    """Keys of a ``site_templates`` step in a chain's YAML: when a line is a site's template."""

    min_docs: int = Field(5, ge=2, description="a template line occurs in at least this many documents")
    min_share: float = Field(0.1, gt=0, le=1, description="... and in at least this share of the site's")
    min_site_docs: int = Field(10, ge=1, description="sites with fewer documents learn no template")


@register
class SiteTemplates(CorpusStep):
    name = "site_templates"

    Options = SiteTemplatesOptions
    options: SiteTemplatesOptions

    def __init__(self, options: StepOptions | None = None) -> None:
        super().__init__(options)
        self._counts: _LineCounts | None = None
        self._templates: dict[str, frozenset[int]] = {}

    def _new_counts(self) -> _LineCounts:
        counts = _LineCounts()
        saved = SavedTemplates.load(self.seed_from / FOLDER) if self.seed_from is not None else None
        if saved is not None:
            counts.seed(saved)
        return counts

    def summarize(self, doc: Document) -> bytes:
        return lines_translated(doc.text)

    def combine(self, entries: list[Entry]) -> _UnitLines:
        """The unit's (line hash, site) pairs, each document's distinct lines once.

        The documents' spaces are collapsed in one numpy pass for the unit
        (:func:`normalized_lines_many`), not one per document.
        """
        sites: dict[str, int] = {}
        owners: list[int] = []
        translated: list[bytes] = []
        for _, meta, summary in entries:
            site = site_of(meta)
            if site is None or summary is None:
                continue
            owners.append(sites.setdefault(site, len(sites)))
            translated.append(summary)
        hashes: list[int] = []
        counts: list[int] = []
        text_hashes: list[int] = []
        for lines in normalized_lines_many(translated):
            distinct = {xxhash.xxh3_64_intdigest(line) for line in lines if line}
            hashes.extend(distinct)
            counts.append(len(distinct))
            text_hashes.append(xxhash.xxh3_64_intdigest(b"\n".join(lines)))
        texts = np.empty(len(owners), dtype=_TEXT)
        texts["site"] = owners
        texts["text"] = text_hashes
        pairs = np.empty(len(hashes), dtype=_PAIR)
        pairs["line"] = hashes
        pairs["site"] = np.repeat(texts["site"], counts)
        pairs["text"] = np.repeat(texts["text"], counts)
        return _UnitLines(list(sites), texts, pairs)

    def merge(self, partial: _UnitLines) -> None:
        if not partial.sites:
            return
        if self._counts is None:
            self._counts = self._new_counts()
        self._counts.add(partial)

    def finish(self) -> dict[str, Any]:
        counts, self._counts = self._counts, None
        if counts is None and self.seed_from is not None:
            counts = self._new_counts()  # no new document: the saved counts still go on
        if counts is None:
            self._templates = {}
            return {"sites": 0, "sites_with_templates": 0, "template_lines": 0, "distinct_lines_counted": 0}
        try:
            found, distinct = counts.frequent(self._needed(counts.documents()))
            if self.state_out is not None:
                lasting = np.concatenate(counts.lasting) if counts.lasting else np.empty(0, dtype=LINE_COUNT)
                SavedTemplates(list(counts.sites), counts.all_texts(), lasting).save(self.state_out)
        finally:
            counts.close()
            release_free_memory()
        # few lines per site: a set lookup per line in ``process``
        self._templates = {
            site: frozenset(np.concatenate(found[index]).tolist())
            for site, index in counts.sites.items()
            if found[index]
        }
        return {
            "sites": len(counts.sites),
            "sites_with_templates": len(self._templates),
            "template_lines": sum(len(lines) for lines in self._templates.values()),
            "distinct_lines_counted": distinct,
        }

    def _needed(self, docs: list[int]) -> np.ndarray:
        """Per site index, the documents a line needs to be a template; sites too small never get there."""
        opts = self.options
        never = np.iinfo(np.int64).max
        return np.array(
            [
                never if count < opts.min_site_docs else max(opts.min_docs, math.ceil(opts.min_share * count))
                for count in docs
            ],
            dtype=np.int64,
        )

    def process(self, doc: Document) -> None:
        lines = self._templates.get(site_of(doc.meta) or "")
        if lines is None:
            return
        changes: list[Change] = []
        worded = 0  # lines with words: a document whose every such line is a template stays whole
        for (start, end), digest in zip(line_spans(doc.text), line_hashes(doc.text), strict=False):
            worded += digest is not None
            if digest is not None and digest in lines:
                changes.append(Change(start, end, "", "site_template"))
        if changes and len(changes) == worded:
            return  # only template lines: left whole, for the quality filter to judge
        if changes and changes[-1].end == len(doc.text) and not doc.text.endswith("\n"):
            # the text's last lines go: the first of them takes the line break before it too,
            # so no dangling line break is left behind
            first = len(changes) - 1
            while first > 0 and changes[first - 1].end == changes[first].start:
                first -= 1
            if changes[first].start > 0:
                changes[first] = changes[first]._replace(start=changes[first].start - 1)
        doc.apply(self.name, changes)
