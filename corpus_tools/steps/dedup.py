"""Corpus-level deduplication: exact copies, near copies, and (optionally) the same URL twice.

News is syndicated: one wire story appears on many sites, lightly edited, truncated, its
paragraphs moved. Once the site boilerplate is stripped, copies become

* **exact duplicates** - equal after CCNet normalisation (case, accents, digits,
  punctuation, spacing), found by a 64-bit key of the normalised text;
* **near duplicates** - MinHash over word shingles and LSH banding propose candidate
  pairs; each candidate is verified against ``threshold`` (by default on the exact
  Jaccard similarity of the two shingle sets, kept on disk as 32-bit fingerprints; with
  ``verify: signature`` on the MinHash estimate);
* with ``by_url``, two fetches of one URL.

Verified pairs join documents into groups; each group keeps its best document under the
``keep`` policy and drops the members that duplicate *that* document (see
:func:`corpus_tools.dedup.clusters.assign`);
a dropped document is rejected with ``duplicate_of`` (the kept document's id) and its
similarity to it, and every kept document carries ``cluster_id`` (its own id) and
``cluster_size`` (itself plus the copies dropped for it).

Memory: ``summarize`` runs where the text is and returns its translated bytes (the first
half of the normalisation); ``combine`` computes the unit's keys, band keys and fingerprints
from them as one block of rows, still in the worker (hashing some 30 documents per numpy
pass instead of one). ``merge`` writes each document's keys, rank and band keys (32 bytes
plus ``8 x bands``) to disk as they arrive, unless ``memory_budget_mb`` lets it hold them,
and fingerprints (or signatures) and ids; ``finish`` reads the keys back a column at a time
and the fingerprints only for the documents in candidate pairs. No text outlives its unit.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np
from pydantic import Field, model_validator

from corpus_tools.dedup import lsh
from corpus_tools.dedup.clusters import (
    EXACT,
    KEPT,
    RULES,
    URL,
    Decisions,
    decide,
    lookup,
    no_decisions,
    verifier_of,
)
from corpus_tools.dedup.keep import KeepPolicy, rank
from corpus_tools.dedup.keys import exact_key, id_hash, url_key
from corpus_tools.dedup.minhash import signatures, unit_fingerprints, unit_shingles
from corpus_tools.dedup.rows import NO_URL, Collected, UnitRows
from corpus_tools.dedup.state import FOLDER, SavedDedup
from corpus_tools.dedup.store import release_free_memory
from corpus_tools.document import Document
from corpus_tools.steps.base import CorpusStep, Entry, StepOptions, register
from corpus_tools.textnorm import chunked, normalized_many, translated


class Summary(NamedTuple):
    """One document's part of its unit, until ``combine`` hashes the whole unit at once."""

    translated: bytes  # the normalised text before its spaces are collapsed (normalize.translated)
    url: int
    length: int


class DedupOptions(StepOptions):
    """Keys of a ``dedup`` step in a chain's YAML; ``bands x rows`` must fit in ``num_perm``."""

    shingle_size: int = Field(5, ge=1, description="words per shingle")
    num_perm: int = Field(128, ge=16, description="MinHash signature length (one-permutation bins)")
    bands: int = Field(16, ge=1, description="LSH bands")
    rows: int = Field(5, ge=1, description="signature values per band")
    threshold: float = Field(0.8, gt=0, le=1, description="Jaccard similarity at which a pair is a duplicate")
    verify: Literal["shingles", "signature"] = Field(
        "shingles", description="check candidates on exact shingle sets (on disk) or on MinHash estimates"
    )
    keep: KeepPolicy = Field("longest", description="which copy of a cluster stays (dedup/keep.py)")
    by_url: bool = Field(False, description="also treat documents with the same URL as duplicates")
    memory_budget_mb: int = Field(
        0,
        ge=0,
        description="MB of keys and band keys held in memory, the rest on disk (0: all on disk, "
        "as fast: finish reads them back a column at a time)",
    )
    spill_dir: str | None = Field(None, description="where state files go (default: system temp)")

    @model_validator(mode="after")
    def _bands_fit(self) -> DedupOptions:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands x rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}")
        return self


@register
class Dedup(CorpusStep):
    name = "dedup"

    Options = DedupOptions
    options: DedupOptions

    def __init__(self, options: StepOptions | None = None) -> None:
        super().__init__(options)
        self._collected: Collected | None = None
        self._decisions: Decisions | None = None

    def _new_state(self) -> Collected:
        state = Collected(self.options)
        saved = SavedDedup.load(self.seed_from / FOLDER) if self.seed_from is not None else None
        if saved is not None and saved.ids:
            assert self.seed_from is not None
            state.seed(saved, self.seed_from, self.options)
        return state

    def _rows_of(self, texts: list[tuple[str, str]]) -> UnitRows:
        """The rows of documents given by (id, text), made as a unit's are (an update's old documents)."""
        return self.combine([(doc_id, {}, self.summarize(Document(doc_id, text))) for doc_id, text in texts])

    def summarize(self, doc: Document) -> Summary:
        url = doc.meta.get("url") if self.options.by_url else None
        return Summary(translated(doc.text), url_key(url) if url else NO_URL, len(doc.text))

    def combine(self, entries: list[Entry]) -> UnitRows:
        """Keys, band keys and evidence of a unit's documents, hashed a chunk at a time (in the worker).

        Per document, numpy's cost is the number of calls more than the bytes: collapsing
        spaces, hashing shingles, binning them and finding fingerprints for some 30 documents
        at once takes half the time of doing it per document, with the same values.
        """
        opts = self.options
        count = len(entries)
        texts = normalized_many([summary.translated for _, _, summary in entries])
        keys = np.empty((count, 3), dtype=np.uint64)
        ranks = np.empty(count, dtype=np.int64)
        for row, ((doc_id, meta, summary), text) in enumerate(zip(entries, texts, strict=True)):
            keys[row] = (id_hash(doc_id, meta.get("raw_path")), exact_key(text), summary.url)
            ranks[row] = rank(opts.keep, summary.length, meta)
        worded = [row for row, text in enumerate(texts) if text]  # an empty text has no shingle
        signatures_ = np.full((count, opts.num_perm), 0xFFFFFFFF, dtype=np.uint32)
        lengths = np.zeros(count, dtype=np.int64)
        found: list[np.ndarray] = []
        for run in chunked([len(texts[row]) for row in worded]):
            rows = [worded[index] for index in run]
            shingles = unit_shingles([texts[row] for row in rows], opts.shingle_size)
            signatures_[rows] = signatures(shingles, opts.num_perm)
            if opts.verify == "shingles":
                values, lengths[rows] = unit_fingerprints(shingles)
                found.append(values)
        bands = np.zeros((count, opts.bands), dtype=np.uint64)  # zeros for an empty text
        bands[worded] = lsh.band_keys(signatures_[worded], opts.bands, opts.rows)
        if opts.verify == "shingles":
            evidence = np.concatenate(found) if found else np.empty(0, dtype=np.uint32)
        else:
            evidence = signatures_
        return UnitRows([doc_id for doc_id, _, _ in entries], keys, ranks, bands, evidence, lengths)

    def merge(self, partial: UnitRows) -> None:
        if not partial.ids:
            return
        if self._collected is None:
            self._collected = self._new_state()
        self._collected.add(partial)

    def finish(self) -> dict[str, Any]:
        state, self._collected = self._collected, None
        if state is None and self.seed_from is not None:
            state = self._new_state()  # no new document: the saved state still goes on
        if state is None:
            self._decisions = no_decisions()
            return {"documents": 0}
        try:
            resident = state.resident_bytes_per_document
            verifier = verifier_of(state, self._rows_of)
            decisions, figures = decide(state, self.options, verifier, self.state_out)
        finally:
            state.close()
            release_free_memory()
        self._decisions = decisions
        figures["state_bytes_per_document"] = resident
        return figures

    def process(self, doc: Document) -> None:
        if self._decisions is None:
            raise RuntimeError("dedup: process() before finish()")
        found = lookup(self._decisions, id_hash(doc.id, doc.meta.get("raw_path")))
        if found is None:
            doc.meta["cluster_id"] = doc.id
            doc.meta["cluster_size"] = 1
            return
        d = self._decisions
        keeper = d.keeper_ids[d.keeper[found]]
        outcome = int(d.outcome[found])
        if outcome == KEPT:
            doc.meta["cluster_id"] = doc.id
            doc.meta["cluster_size"] = int(d.size[found])
            return
        sim = round(float(d.similarity[found]), 4)
        doc.reject(
            self.name,
            RULES[outcome],
            _detail(outcome, keeper, sim, self.options),
            duplicate_of=keeper,
            similarity=sim,
        )


def _detail(outcome: int, keeper: str, sim: float, opts: DedupOptions) -> str:
    if outcome == EXACT:
        return f"same normalised text as {keeper}"
    measure = "Jaccard" if opts.verify == "shingles" else "estimated Jaccard"
    if outcome == URL:
        return f"same URL as {keeper} ({measure} {sim:.3f})"
    return (
        f"near copy of {keeper}: {measure} {sim:.3f} over {opts.shingle_size}-word shingles "
        f"(threshold {opts.threshold})"
    )
