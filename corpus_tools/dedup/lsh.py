"""LSH banding: which documents are worth comparing at all.

A signature of ``bands x rows`` values is cut into bands; two documents whose signatures
agree on a whole band land in the same bucket of that band and become a candidate pair.
A pair of Jaccard similarity ``s`` becomes a candidate with probability
``1 - (1 - s^rows)^bands`` (the S-curve), so the banding decides recall, and the
verification of candidates against the full signature decides precision.

Band keys are xxh3 hashes of the band's bytes, one uint64 per band: the corpus-level
state is these keys (``8 x bands`` bytes per document), not the signatures, which wait on
disk until a candidate pair needs them.
"""

from __future__ import annotations

import numpy as np
import xxhash


def band_keys(signature: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per band: the hash of ``signature[b*rows : (b+1)*rows]``.

    ``signature`` may also be a 2-D array of signatures, one per row (a unit's): the keys
    come back as one row of ``bands`` per signature, from one list comprehension.
    """
    raw = np.ascontiguousarray(signature[..., : bands * rows]).tobytes()
    width = rows * signature.itemsize
    # a list comprehension, not a generator into np.fromiter: a sixth faster at 16 bands
    keys = [xxhash.xxh3_64_intdigest(raw[start : start + width]) for start in range(0, len(raw), width)]
    return np.array(keys, dtype=np.uint64).reshape(*signature.shape[:-1], bands)


def probability(similarity: float, bands: int, rows: int) -> float:
    """Chance that a pair of this Jaccard similarity shares at least one band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def bucket_pairs(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Candidate pairs of one band, as ``(n, 2)`` rows ``(smaller id, larger id)``.

    In a bucket of ``k`` documents each member is paired with the bucket's first member and
    with its predecessor: ``2k`` pairs instead of ``k^2/2``, so a bucket of a thousand
    near-identical pages stays cheap, while a member that matches the first only by
    chance still meets the others through its neighbours and the other bands.
    """
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    sorted_ids = ids[order]
    same = sorted_keys[1:] == sorted_keys[:-1]
    if not same.any():
        return np.empty((0, 2), dtype=np.int64)
    # index (in sorted order) of the first member of each position's bucket
    starts = np.concatenate(([True], ~same))
    first = np.maximum.accumulate(np.where(starts, np.arange(keys.size), 0))
    members = np.flatnonzero(~starts)
    left = np.concatenate((sorted_ids[first[members]], sorted_ids[members - 1]))
    right = np.concatenate((sorted_ids[members], sorted_ids[members]))
    pairs = np.stack((np.minimum(left, right), np.maximum(left, right)), axis=1)
    return pairs[pairs[:, 0] != pairs[:, 1]].astype(np.int64, copy=False)
