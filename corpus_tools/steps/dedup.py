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
``keep`` policy and drops the members that duplicate *that* document (see ``_assign``);
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

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import xxhash
from pydantic import Field, model_validator

from corpus_tools.dedup import lsh
from corpus_tools.dedup.keep import KeepPolicy, rank
from corpus_tools.dedup.keys import exact_key, url_key
from corpus_tools.dedup.minhash import jaccard, signatures, similarity, unit_fingerprints, unit_shingles
from corpus_tools.dedup.state import FOLDER, SavedDedup, read_texts
from corpus_tools.dedup.store import RaggedStore, RowStore, release_free_memory
from corpus_tools.dedup.unionfind import connected_components
from corpus_tools.document import Document
from corpus_tools.steps.base import CorpusStep, Entry, StepOptions, register
from corpus_tools.textnorm import chunked, normalized_many, translated

_EMPTY_TEXT_KEY = exact_key(b"")
_NO_URL = 0
_VERIFY_BATCH = 1 << 16  # candidate pairs compared per numpy batch

# what happened to a document that sits in a cluster of two or more
_KEPT, _EXACT, _NEAR, _URL = 0, 1, 2, 3
_RULES = {_EXACT: "exact_duplicate", _NEAR: "near_duplicate", _URL: "same_url"}


class Summary(NamedTuple):
    """One document's part of its unit, until ``combine`` hashes the whole unit at once."""

    translated: bytes  # the normalised text before its spaces are collapsed (normalize.translated)
    url: int
    length: int


class _UnitRows(NamedTuple):
    """One unit's summaries as blocks of rows, in input order."""

    ids: list[str]
    keys: np.ndarray  # (n, 3) uint64: id hash, exact key, URL key
    ranks: np.ndarray  # (n,) int64: rank under the keep policy
    bands: np.ndarray  # (n, bands) uint64 (zeros for an empty text)
    evidence: np.ndarray  # shingle fingerprints end to end, or (n, num_perm) signatures
    lengths: np.ndarray  # (n,) int64: fingerprints per document (shingles only)


class _Collected:
    """Corpus state while summaries arrive: fixed-width rows, in memory or on disk."""

    def __init__(self, options: Dedup.Options) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="corpus-tools-dedup-", dir=options.spill_dir))
        budget = options.memory_budget_mb << 20
        # id hash, exact key, url key: 24 bytes; rank: 8 bytes
        self.keys = RowStore(np.uint64, 3, self.directory / "keys.u64", budget)
        self.ranks = RowStore(np.int64, 1, self.directory / "ranks.i64", budget)
        # the ids alone (rows are keyed by id and raw_path): only to count repeated ids
        self.plain_ids = RowStore(np.uint64, 1, self.directory / "plain_ids.u64", budget)
        self.bands = RowStore(np.uint64, options.bands, self.directory / "bands.u64", budget)
        self.evidence: RaggedStore | RowStore
        if options.verify == "shingles":
            self.evidence = RaggedStore(self.directory / "fingerprints.u32")
        else:
            self.evidence = RowStore(np.uint32, options.num_perm, self.directory / "signatures.u32", 0)
        self.ids = (self.directory / "ids.jsonl").open("w", encoding="utf-8")
        self.fixed = 0  # the first rows are an existing dataset's documents (an update): never dropped
        self.dataset: Path | None = None

    def seed(self, saved: SavedDedup, dataset: Path, options: Dedup.Options) -> None:
        """The dataset's kept documents as the first rows, ranked before any new document so
        that a cluster keeps its old member; their evidence is read from ``dataset`` when needed."""
        count = len(saved.ids)
        urls = saved.urls if saved.urls is not None else np.zeros(count, dtype=np.uint64)
        self.keys.extend(np.stack((saved.id_hashes, saved.exact, urls), axis=1))
        self.ranks.extend(np.full(count, np.iinfo(np.int64).min, dtype=np.int64))
        self.plain_ids.extend(np.fromiter((_id_hash(i, None) for i in saved.ids), np.uint64, count))
        self.bands.extend(saved.bands)
        if isinstance(self.evidence, RaggedStore):
            self.evidence.extend(np.empty(0, dtype=np.uint32), np.zeros(count, dtype=np.int64))
        else:
            self.evidence.extend(np.full((count, options.num_perm), 0xFFFFFFFF, dtype=np.uint32))
        self.ids.write("".join(json.dumps(doc_id) + "\n" for doc_id in saved.ids))
        self.fixed, self.dataset = count, dataset

    @property
    def resident_bytes_per_document(self) -> int:
        stores = (self.keys, self.ranks, self.bands, self.plain_ids)
        return sum(store.resident_row_bytes for store in stores)

    def verifier(self, step: Dedup) -> _Verifier:
        inner: _Verifier
        if isinstance(self.evidence, RaggedStore):
            inner = _ShingleVerifier(self.evidence.path, self.evidence.bounds())
        else:
            inner = _SignatureVerifier(self.evidence.array())
        if not self.fixed:
            return inner
        assert self.dataset is not None
        return _SeededVerifier(inner, self.fixed, self.directory / "ids.jsonl", self.dataset, step)

    def close(self) -> None:
        self.ids.close()
        if isinstance(self.evidence, RaggedStore):
            self.evidence.close()
        shutil.rmtree(self.directory, ignore_errors=True)


class _Verifier:
    """Similarity of document pairs, from what was kept on disk."""

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class _SignatureVerifier(_Verifier):
    """MinHash estimate: vectorised, but with a standard deviation of ~0.4/sqrt(num_perm) at 0.8."""

    def __init__(self, signatures: np.ndarray) -> None:
        self.signatures = signatures

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        out = np.empty(left.size, dtype=np.float32)
        for start in range(0, left.size, _VERIFY_BATCH):
            stop = start + _VERIFY_BATCH
            out[start:stop] = similarity(
                self.signatures[left[start:stop]], self.signatures[right[start:stop]]
            )
        return out


class _ShingleVerifier(_Verifier):
    """Exact Jaccard of the shingle fingerprint sets (about 20 microseconds a pair).

    Rows are read with ``pread`` rather than through a memory map, so the file's pages stay
    in the page cache and do not count as this process's memory.
    """

    def __init__(self, path: Path, bounds: np.ndarray) -> None:
        self.path = path
        self.bounds = bounds

    def row(self, file: int, index: int) -> np.ndarray:
        start, stop = int(self.bounds[index]), int(self.bounds[index + 1])
        return np.frombuffer(os.pread(file, 4 * (stop - start), 4 * start), dtype=np.uint32)

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        file = os.open(self.path, os.O_RDONLY)
        try:
            return np.array(
                [
                    jaccard(self.row(file, a), self.row(file, b))
                    for a, b in zip(left.tolist(), right.tolist(), strict=True)
                ],
                dtype=np.float32,
            )
        finally:
            os.close(file)


class _SeededVerifier(_Verifier):
    """Pairs with an existing dataset's document (position < ``fixed``): its evidence is made
    again from its text in the dataset's shards, read for the documents in such pairs only."""

    def __init__(self, inner: _Verifier, fixed: int, ids: Path, dataset: Path, step: Dedup) -> None:
        self.inner, self.fixed, self.ids, self.dataset, self.step = inner, fixed, ids, dataset, step
        self.evidence: dict[int, np.ndarray] = {}

    def _load(self, positions: np.ndarray) -> None:
        needed = np.unique(positions[positions < self.fixed])
        needed = np.array([p for p in needed.tolist() if p not in self.evidence], dtype=np.int64)
        if not needed.size:
            return
        ids = _read_ids(self.ids, needed)
        texts = read_texts(self.dataset, ids)
        entries: list[Entry] = [(i, {}, self.step.summarize(Document(i, texts.get(i, "")))) for i in ids]
        rows = self.step.combine(entries)
        if self.step.options.verify == "shingles":
            bounds = np.concatenate(([0], np.cumsum(rows.lengths)))
            for slot, position in enumerate(needed.tolist()):
                self.evidence[position] = rows.evidence[bounds[slot] : bounds[slot + 1]]
        else:
            for slot, position in enumerate(needed.tolist()):
                self.evidence[position] = rows.evidence[slot]

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        old = (left < self.fixed) | (right < self.fixed)
        out = np.empty(left.size, dtype=np.float32)
        out[~old] = self.inner.similarities(left[~old], right[~old])
        if old.any():
            self._load(np.concatenate((left[old], right[old])))
            out[old] = [
                self._pair(a, b) for a, b in zip(left[old].tolist(), right[old].tolist(), strict=True)
            ]
        return out

    def _pair(self, a: int, b: int) -> float:
        first, second = self._row(a), self._row(b)
        if self.step.options.verify == "shingles":
            return jaccard(first, second)
        return float(similarity(first, second))

    def _row(self, position: int) -> np.ndarray:
        if position < self.fixed:
            return self.evidence[position]
        inner = self.inner
        if isinstance(inner, _ShingleVerifier):
            file = os.open(inner.path, os.O_RDONLY)
            try:
                return inner.row(file, position)
            finally:
                os.close(file)
        assert isinstance(inner, _SignatureVerifier)
        return np.asarray(inner.signatures[position])


class _Decisions(NamedTuple):
    """The outcome for documents in clusters of two or more, looked up by id hash."""

    id_hashes: np.ndarray  # sorted uint64
    outcome: np.ndarray  # _KEPT / _EXACT / _NEAR / _URL, int8
    keeper: np.ndarray  # index into keeper_ids, int32
    size: np.ndarray  # cluster size, int32
    similarity: np.ndarray  # Jaccard similarity to the kept document, float32
    keeper_ids: list[str]


@register
class Dedup(CorpusStep):
    name = "dedup"

    class Options(StepOptions):
        shingle_size: int = Field(5, ge=1, description="words per shingle")
        num_perm: int = Field(128, ge=16, description="MinHash signature length (one-permutation bins)")
        bands: int = Field(16, ge=1, description="LSH bands")
        rows: int = Field(5, ge=1, description="signature values per band")
        threshold: float = Field(
            0.8, gt=0, le=1, description="Jaccard similarity at which a pair is a duplicate"
        )
        verify: Literal["shingles", "signature"] = Field(
            "shingles", description="check candidates on exact shingle sets (on disk) or on MinHash estimates"
        )
        keep: KeepPolicy = "longest"
        by_url: bool = Field(False, description="also treat documents with the same URL as duplicates")
        memory_budget_mb: int = Field(
            0,
            ge=0,
            description="MB of keys and band keys held in memory, the rest on disk (0: all on disk, "
            "as fast: finish reads them back a column at a time)",
        )
        spill_dir: str | None = Field(None, description="where state files go (default: system temp)")

        @model_validator(mode="after")
        def _bands_fit(self) -> Dedup.Options:
            if self.bands * self.rows > self.num_perm:
                raise ValueError(
                    f"bands x rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}"
                )
            return self

    options: Options

    def __init__(self, options: StepOptions | None = None) -> None:
        super().__init__(options)
        self._collected: _Collected | None = None
        self._decisions: _Decisions | None = None

    def _new_state(self) -> _Collected:
        state = _Collected(self.options)
        saved = SavedDedup.load(self.seed_from / FOLDER) if self.seed_from is not None else None
        if saved is not None and saved.ids:
            assert self.seed_from is not None
            state.seed(saved, self.seed_from, self.options)
        return state

    def summarize(self, doc: Document) -> Summary:
        url = doc.meta.get("url") if self.options.by_url else None
        return Summary(translated(doc.text), url_key(url) if url else _NO_URL, len(doc.text))

    def combine(self, entries: list[Entry]) -> _UnitRows:
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
            keys[row] = (_id_hash(doc_id, meta.get("raw_path")), exact_key(text), summary.url)
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
        return _UnitRows([doc_id for doc_id, _, _ in entries], keys, ranks, bands, evidence, lengths)

    def merge(self, partial: _UnitRows) -> None:
        if not partial.ids:
            return
        if self._collected is None:
            self._collected = self._new_state()
        state = self._collected
        state.keys.extend(partial.keys)
        state.ranks.extend(partial.ranks)
        plain = np.fromiter((_id_hash(doc_id, None) for doc_id in partial.ids), np.uint64, len(partial.ids))
        state.plain_ids.extend(plain)
        state.bands.extend(partial.bands)
        if isinstance(state.evidence, RaggedStore):
            state.evidence.extend(partial.evidence, partial.lengths)
        else:
            state.evidence.extend(partial.evidence)
        state.ids.write("".join(json.dumps(doc_id) + "\n" for doc_id in partial.ids))

    def finish(self) -> dict[str, Any]:
        state, self._collected = self._collected, None
        if state is None and self.seed_from is not None:
            state = self._new_state()  # no new document: the saved state still goes on
        if state is None:
            self._decisions = _Decisions._make([*(np.empty(0, dtype=t) for t in _COLUMNS), []])
            return {"documents": 0}
        try:
            resident = state.resident_bytes_per_document
            decisions, figures = _decide(state, self, self.state_out)
        finally:
            state.close()
            release_free_memory()
        self._decisions = decisions
        figures["state_bytes_per_document"] = resident
        return figures

    def process(self, doc: Document) -> None:
        if self._decisions is None:
            raise RuntimeError("dedup: process() before finish()")
        found = _lookup(self._decisions, _id_hash(doc.id, doc.meta.get("raw_path")))
        if found is None:
            doc.meta["cluster_id"] = doc.id
            doc.meta["cluster_size"] = 1
            return
        d = self._decisions
        keeper = d.keeper_ids[d.keeper[found]]
        outcome = int(d.outcome[found])
        if outcome == _KEPT:
            doc.meta["cluster_id"] = doc.id
            doc.meta["cluster_size"] = int(d.size[found])
            return
        sim = round(float(d.similarity[found]), 4)
        doc.reject(
            self.name,
            _RULES[outcome],
            _detail(outcome, keeper, sim, self.options),
            duplicate_of=keeper,
            similarity=sim,
        )


_COLUMNS = (np.uint64, np.int8, np.int32, np.int32, np.float32)


def _id_hash(doc_id: str, raw_path: str | None) -> int:
    """A document's key: its id and where it was read, since two inputs may repeat an id
    (the writer renames the second copy, after this step has told the two apart)."""
    where = f"{doc_id}\0{raw_path}" if raw_path else doc_id
    return xxhash.xxh3_64_intdigest(where.encode("utf-8", "surrogatepass"))


def _lookup(decisions: _Decisions, id_hash: int) -> int | None:
    hashes = decisions.id_hashes
    pos = int(np.searchsorted(hashes, np.uint64(id_hash)))
    if pos < hashes.size and int(hashes[pos]) == id_hash:
        return pos
    return None


def _detail(outcome: int, keeper: str, sim: float, opts: Dedup.Options) -> str:
    if outcome == _EXACT:
        return f"same normalised text as {keeper}"
    measure = "Jaccard" if opts.verify == "shingles" else "estimated Jaccard"
    if outcome == _URL:
        return f"same URL as {keeper} ({measure} {sim:.3f})"
    return (
        f"near copy of {keeper}: {measure} {sim:.3f} over {opts.shingle_size}-word shingles "
        f"(threshold {opts.threshold})"
    )


def _group_pairs(keys: np.ndarray, skip: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (first seen, member) of equal keys, and each document's first-seen equal."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))
    first = order[np.maximum.accumulate(np.where(starts, np.arange(keys.size), 0))]
    first_of = np.empty_like(order)
    first_of[order] = first
    members = np.flatnonzero(first_of != np.arange(keys.size))
    if skip is not None:
        members = members[keys[members] != np.uint64(skip)]
    return np.stack((first_of[members], members), axis=1), first_of


class _Nodes(NamedTuple):
    """What ``_assign`` reads of the documents that have a duplicate edge (ascending ``position``)."""

    position: np.ndarray  # the documents' positions in the corpus
    exact: np.ndarray  # exact keys
    url: np.ndarray | None  # URL keys, under ``by_url``
    rank: np.ndarray  # keep-policy ranks


def _column(path: Path, dtype: type = np.uint64) -> np.ndarray:
    """One per-document column of the state, loaded whole from its file."""
    return np.fromfile(path, dtype=dtype)


def _candidates(band_files: list[Path], active: np.ndarray) -> np.ndarray:
    """Distinct pairs of ``active`` documents that share a band key, one band loaded at a time."""
    if not active.size:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(
        np.concatenate([lsh.bucket_pairs(_column(path)[active], active) for path in band_files]), axis=0
    )


def _decide(state: _Collected, step: Dedup, state_out: Path | None) -> tuple[_Decisions, dict[str, Any]]:
    opts = step.options
    fixed = state.fixed
    # one file per column, the in-memory rows released: from here on memory holds a column or two
    id_file, exact_file, url_file = state.keys.split_columns()
    (rank_file,) = state.ranks.split_columns()
    (plain_file,) = state.plain_ids.split_columns()
    band_files = state.bands.split_columns()
    verifier = state.verifier(step)
    state.ids.close()

    exact = _column(exact_file)
    documents = exact.size
    exact_pairs, exact_first = _group_pairs(exact)
    # near-duplicate search among one representative per exact group, with text to compare
    active = np.flatnonzero((exact_first == np.arange(documents)) & (exact != np.uint64(_EMPTY_TEXT_KEY)))
    del exact, exact_first
    url_pairs = (
        _group_pairs(_column(url_file), skip=_NO_URL)[0] if opts.by_url else np.empty((0, 2), dtype=np.int64)
    )
    candidates = _candidates(band_files, active)
    if fixed:  # the existing documents were decided: pairs of two of them are not looked at again
        exact_pairs, url_pairs, candidates = (
            p[p[:, 1] >= fixed] for p in (exact_pairs, url_pairs, candidates)
        )
    sims = verifier.similarities(candidates[:, 0], candidates[:, 1])
    near_pairs = candidates[sims >= opts.threshold]

    edges = np.concatenate((exact_pairs, url_pairs, near_pairs)).astype(np.int64)
    index = np.unique(edges)
    nodes = _Nodes(
        index,
        _column(exact_file)[index],
        _column(url_file)[index] if opts.by_url else None,
        _column(rank_file, np.int64)[index],
    )
    members, keeper_doc, outcome, sim = _assign(np.searchsorted(index, edges), nodes, verifier, opts, fixed)
    if state_out is not None:
        _save_kept(
            state, state_out, members[outcome != _KEPT], (id_file, exact_file, url_file), band_files, opts
        )
    keepers, keeper_slot = np.unique(keeper_doc, return_inverse=True)
    cluster_size = np.bincount(keeper_slot)[keeper_slot].astype(np.int32)

    duplicate_ids = documents - np.unique(_column(plain_file)).size  # the writer renames them
    id_column = _column(id_file)
    id_hashes = id_column[members]
    del id_column
    decided = np.flatnonzero(members >= fixed)  # an update decides for its new documents only
    by_hash = decided[np.argsort(id_hashes[decided])]
    decisions = _Decisions(
        id_hashes=id_hashes[by_hash],
        outcome=outcome[by_hash],
        keeper=keeper_slot.astype(np.int32)[by_hash],
        size=cluster_size[by_hash],
        similarity=sim[by_hash],
        keeper_ids=_read_ids(state.directory / "ids.jsonl", keepers),
    )
    figures = {
        "documents": documents,
        "exact_duplicates": int(np.count_nonzero(outcome == _EXACT)),
        "near_duplicates": int(np.count_nonzero(outcome == _NEAR)),
        "clusters": int(keepers.size),
        "candidate_pairs": int(candidates.shape[0]),
        "verified_pairs": int(near_pairs.shape[0]),
        "duplicate_ids": int(duplicate_ids),
    }
    if fixed:
        figures["existing_documents"] = fixed
        figures["duplicates_of_existing"] = int(np.count_nonzero((outcome != _KEPT) & (keeper_doc < fixed)))
    if opts.by_url:
        figures["same_url"] = int(np.count_nonzero(outcome == _URL))
    return decisions, figures


def _assign(
    edges: np.ndarray, nodes: _Nodes, verifier: _Verifier, opts: Dedup.Options, fixed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Who is kept and who is whose duplicate, for every document that has a duplicate edge.

    Connected components alone would drop C as a copy of A when A~B and B~C although A and
    C differ. So each component keeps its best-ranked member, drops the members that are
    duplicates *of that keeper* (same normalised text, same URL under ``by_url``, or
    similarity >= threshold), and the rest form components again among themselves, until
    none is left. Hence every dropped document is a verified duplicate of the document it
    names, and no two kept documents are joined by a verified pair.

    ``edges`` index ``nodes`` (the documents with an edge, in input order), so the arrays
    here grow with the duplicates, not with the corpus. Returns parallel arrays: member
    (corpus position), its keeper's position, outcome, similarity.
    """
    size = nodes.position.size
    remaining = np.zeros(size, dtype=bool)
    remaining[edges.ravel()] = True
    out_member: list[np.ndarray] = []
    out_keeper: list[np.ndarray] = []
    out_outcome: list[np.ndarray] = []
    out_sim: list[np.ndarray] = []
    while edges.size:
        labels = connected_components(size, edges)
        members = np.flatnonzero(remaining)
        members = members[np.bincount(labels[members], minlength=size)[labels[members]] > 1]
        if not members.size:
            break
        # keeper of each component: lowest rank, then first seen
        order = members[np.lexsort((members, nodes.rank[members], labels[members]))]
        first = np.concatenate(([True], labels[order][1:] != labels[order][:-1]))
        keeper_of_label = np.zeros(size, dtype=np.int64)
        keeper_of_label[labels[order[first]]] = order[first]
        keeper = keeper_of_label[labels[members]]

        outcome = np.full(members.size, _NEAR, dtype=np.int8)
        if nodes.url is not None:
            same_url = (nodes.url[members] == nodes.url[keeper]) & (nodes.url[members] != np.uint64(_NO_URL))
            outcome[same_url] = _URL
        outcome[nodes.exact[members] == nodes.exact[keeper]] = _EXACT
        outcome[members == keeper] = _KEPT
        sim = np.ones(members.size, dtype=np.float32)
        compare = (outcome == _NEAR) | (outcome == _URL)
        sim[compare] = verifier.similarities(
            nodes.position[members[compare]], nodes.position[keeper[compare]]
        )
        dropped = (outcome != _KEPT) & ((outcome != _NEAR) | (sim >= opts.threshold))
        dropped &= nodes.position[members] >= fixed  # an existing dataset's document stays
        kept = outcome == _KEPT
        has_copies = np.zeros(size, dtype=bool)
        has_copies[keeper[dropped]] = True
        emit = dropped | (kept & has_copies[members])  # a keeper with no copies is a plain document
        for array, values in zip(
            (out_member, out_keeper, out_outcome, out_sim),
            (nodes.position[members], nodes.position[keeper], outcome, sim),
            strict=True,
        ):
            array.append(values[emit])
        remaining[members[dropped | kept]] = False
        edges = edges[remaining[edges[:, 0]] & remaining[edges[:, 1]]]
    if not out_member:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.int8), np.empty(0, dtype=np.float32)
    return (
        np.concatenate(out_member),
        np.concatenate(out_keeper),
        np.concatenate(out_outcome),
        np.concatenate(out_sim),
    )


def _read_ids(path: Path, indices: np.ndarray) -> list[str]:
    """The ids at ``indices`` (in that order), streaming the id file once."""
    wanted = {int(index): slot for slot, index in enumerate(indices.tolist())}
    ids: list[str] = [""] * len(wanted)
    with path.open(encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            slot = wanted.get(index)
            if slot is not None:
                ids[slot] = json.loads(line)
    return ids


def _save_kept(
    state: _Collected,
    folder: Path,
    dropped: np.ndarray,
    key_files: tuple[Path, Path, Path],
    band_files: list[Path],
    opts: Dedup.Options,
) -> None:
    """The rows of the documents this pass kept, for a later update (:mod:`corpus_tools.dedup.state`)."""
    id_file, exact_file, url_file = key_files
    kept = np.ones(_column(exact_file).size, dtype=bool)
    kept[dropped] = False
    positions = np.flatnonzero(kept)
    SavedDedup(
        ids=_read_ids(state.directory / "ids.jsonl", positions),
        id_hashes=_column(id_file)[kept],
        exact=_column(exact_file)[kept],
        urls=_column(url_file)[kept] if opts.by_url else None,
        bands=np.stack([_column(path)[kept] for path in band_files], axis=1),
    ).save(folder)
