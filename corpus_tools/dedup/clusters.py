"""Clusters of duplicates: pairs found, verified, joined, and one document kept per cluster.

Exact keys group equal normalised texts (and URL keys, under ``by_url``, equal URLs); LSH
bands propose near-duplicate candidates among one document per exact group, verified against
the threshold. The pairs join documents into clusters (:mod:`corpus_tools.dedup.unionfind`);
each cluster keeps its best member under the keep policy (:mod:`corpus_tools.dedup.keep`) and
drops the members that duplicate *that* member (see :func:`assign`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from corpus_tools.dedup import lsh
from corpus_tools.dedup.keys import exact_key
from corpus_tools.dedup.rows import NO_URL, Collected, Settings, column, read_ids
from corpus_tools.dedup.state import SavedDedup
from corpus_tools.dedup.store import RaggedStore
from corpus_tools.dedup.unionfind import connected_components
from corpus_tools.dedup.verify import (
    RowsOf,
    SeededVerifier,
    ShingleVerifier,
    SignatureVerifier,
    Verifier,
)

EMPTY_TEXT_KEY = exact_key(b"")

# what happened to a document that sits in a cluster of two or more
KEPT, EXACT, NEAR, URL = 0, 1, 2, 3
RULES = {EXACT: "exact_duplicate", NEAR: "near_duplicate", URL: "same_url"}


class Decisions(NamedTuple):
    """The outcome for documents in clusters of two or more, looked up by id hash."""

    id_hashes: np.ndarray  # sorted uint64
    outcome: np.ndarray  # KEPT / EXACT / NEAR / URL, int8
    keeper: np.ndarray  # index into keeper_ids, int32
    size: np.ndarray  # cluster size, int32
    similarity: np.ndarray  # Jaccard similarity to the kept document, float32
    keeper_ids: list[str]


COLUMNS = (np.uint64, np.int8, np.int32, np.int32, np.float32)


def no_decisions() -> Decisions:
    """The decisions of a pass that saw no document."""
    return Decisions._make([*(np.empty(0, dtype=t) for t in COLUMNS), []])


def verifier_of(state: Collected, rows_of: RowsOf) -> Verifier:
    """The verifier for the evidence ``state`` kept; an update's old documents' evidence is
    made again by ``rows_of`` from their text."""
    inner: Verifier
    if isinstance(state.evidence, RaggedStore):
        inner = ShingleVerifier(state.evidence.path, state.evidence.bounds())
    else:
        inner = SignatureVerifier(state.evidence.array())
    if not state.fixed:
        return inner
    assert state.dataset is not None
    shingles = isinstance(state.evidence, RaggedStore)
    return SeededVerifier(inner, state.fixed, state.directory / "ids.jsonl", state.dataset, rows_of, shingles)


def lookup(decisions: Decisions, id_hash: int) -> int | None:
    hashes = decisions.id_hashes
    pos = int(np.searchsorted(hashes, np.uint64(id_hash)))
    if pos < hashes.size and int(hashes[pos]) == id_hash:
        return pos
    return None


def group_pairs(keys: np.ndarray, skip: int | None = None) -> tuple[np.ndarray, np.ndarray]:
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


class Nodes(NamedTuple):
    """What ``assign`` reads of the documents that have a duplicate edge (ascending ``position``)."""

    position: np.ndarray  # the documents' positions in the corpus
    exact: np.ndarray  # exact keys
    url: np.ndarray | None  # URL keys, under ``by_url``
    rank: np.ndarray  # keep-policy ranks


def candidate_pairs(band_files: list[Path], active: np.ndarray) -> np.ndarray:
    """Distinct pairs of ``active`` documents that share a band key, one band loaded at a time."""
    if not active.size:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(
        np.concatenate([lsh.bucket_pairs(column(path)[active], active) for path in band_files]), axis=0
    )


def decide(
    state: Collected, opts: Settings, verifier: Verifier, state_out: Path | None
) -> tuple[Decisions, dict[str, Any]]:
    """Every document's outcome, and the figures of the pass; saves the kept rows to ``state_out``."""
    fixed = state.fixed
    # one file per column, the in-memory rows released: from here on memory holds a column or two
    id_file, exact_file, url_file = state.keys.split_columns()
    (rank_file,) = state.ranks.split_columns()
    (plain_file,) = state.plain_ids.split_columns()
    band_files = state.bands.split_columns()
    state.ids.close()

    exact = column(exact_file)
    documents = exact.size
    exact_pairs, exact_first = group_pairs(exact)
    # near-duplicate search among one representative per exact group, with text to compare
    active = np.flatnonzero((exact_first == np.arange(documents)) & (exact != np.uint64(EMPTY_TEXT_KEY)))
    del exact, exact_first
    url_pairs = (
        group_pairs(column(url_file), skip=NO_URL)[0] if opts.by_url else np.empty((0, 2), dtype=np.int64)
    )
    candidates = candidate_pairs(band_files, active)
    if fixed:  # the existing documents were decided: pairs of two of them are not looked at again
        exact_pairs, url_pairs, candidates = (
            p[p[:, 1] >= fixed] for p in (exact_pairs, url_pairs, candidates)
        )
    sims = verifier.similarities(candidates[:, 0], candidates[:, 1])
    near_pairs = candidates[sims >= opts.threshold]

    edges = np.concatenate((exact_pairs, url_pairs, near_pairs)).astype(np.int64)
    index = np.unique(edges)
    nodes = Nodes(
        index,
        column(exact_file)[index],
        column(url_file)[index] if opts.by_url else None,
        column(rank_file, np.int64)[index],
    )
    members, keeper_doc, outcome, sim = assign(np.searchsorted(index, edges), nodes, verifier, opts, fixed)
    if state_out is not None:
        save_kept(
            state, state_out, members[outcome != KEPT], (id_file, exact_file, url_file), band_files, opts
        )
    keepers, keeper_slot = np.unique(keeper_doc, return_inverse=True)
    cluster_size = np.bincount(keeper_slot)[keeper_slot].astype(np.int32)

    duplicate_ids = documents - np.unique(column(plain_file)).size  # the writer renames them
    id_column = column(id_file)
    id_hashes = id_column[members]
    del id_column
    decided = np.flatnonzero(members >= fixed)  # an update decides for its new documents only
    by_hash = decided[np.argsort(id_hashes[decided])]
    decisions = Decisions(
        id_hashes=id_hashes[by_hash],
        outcome=outcome[by_hash],
        keeper=keeper_slot.astype(np.int32)[by_hash],
        size=cluster_size[by_hash],
        similarity=sim[by_hash],
        keeper_ids=read_ids(state.directory / "ids.jsonl", keepers),
    )
    figures = {
        "documents": documents,
        "exact_duplicates": int(np.count_nonzero(outcome == EXACT)),
        "near_duplicates": int(np.count_nonzero(outcome == NEAR)),
        "clusters": int(keepers.size),
        "candidate_pairs": int(candidates.shape[0]),
        "verified_pairs": int(near_pairs.shape[0]),
        "duplicate_ids": int(duplicate_ids),
    }
    if fixed:
        figures["existing_documents"] = fixed
        figures["duplicates_of_existing"] = int(np.count_nonzero((outcome != KEPT) & (keeper_doc < fixed)))
    if opts.by_url:
        figures["same_url"] = int(np.count_nonzero(outcome == URL))
    return decisions, figures


def assign(
    edges: np.ndarray, nodes: Nodes, verifier: Verifier, opts: Settings, fixed: int = 0
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

        outcome = np.full(members.size, NEAR, dtype=np.int8)
        if nodes.url is not None:
            same_url = (nodes.url[members] == nodes.url[keeper]) & (nodes.url[members] != np.uint64(NO_URL))
            outcome[same_url] = URL
        outcome[nodes.exact[members] == nodes.exact[keeper]] = EXACT
        outcome[members == keeper] = KEPT
        sim = np.ones(members.size, dtype=np.float32)
        compare = (outcome == NEAR) | (outcome == URL)
        sim[compare] = verifier.similarities(
            nodes.position[members[compare]], nodes.position[keeper[compare]]
        )
        dropped = (outcome != KEPT) & ((outcome != NEAR) | (sim >= opts.threshold))
        dropped &= nodes.position[members] >= fixed  # an existing dataset's document stays
        kept = outcome == KEPT
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


def save_kept(
    state: Collected,
    folder: Path,
    dropped: np.ndarray,
    key_files: tuple[Path, Path, Path],
    band_files: list[Path],
    opts: Settings,
) -> None:
    """The rows of the documents this pass kept, for a later update (:mod:`corpus_tools.dedup.state`)."""
    id_file, exact_file, url_file = key_files
    kept = np.ones(column(exact_file).size, dtype=bool)
    kept[dropped] = False
    positions = np.flatnonzero(kept)
    SavedDedup(
        ids=read_ids(state.directory / "ids.jsonl", positions),
        id_hashes=column(id_file)[kept],
        exact=column(exact_file)[kept],
        urls=column(url_file)[kept] if opts.by_url else None,
        bands=np.stack([column(path)[kept] for path in band_files], axis=1),
    ).save(folder)
