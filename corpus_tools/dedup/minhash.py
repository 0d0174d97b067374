"""MinHash signatures of word shingles, computed with numpy in time linear in the shingles.

Classic MinHash applies ``num_perm`` hash functions to every shingle: a 700-shingle
article at 128 permutations is ~90,000 multiply-adds, which is what keeps pure-Python and
numpy ``(a*x+b) mod p`` implementations near a few hundred documents per second (measured
in ``benchmarks/README_dedup.md``). We use *one permutation hashing* (Li, Owen & Zhang
2012) with *optimal densification* (Shrivastava 2017) instead: each shingle is hashed once
to 64 bits; the high bits choose one of ``num_perm`` bins, the low 32 bits are the value,
and each bin keeps its minimum. The fraction of bins on which two signatures agree
estimates the Jaccard similarity of the shingle sets as classic MinHash does, with the
same or lower variance, at a cost that no longer grows with ``num_perm`` - so we can
afford more bins and hence a more precise verification.

Empty bins (short texts) are filled by optimal densification: bin ``j`` borrows the value
of the first non-empty bin along a fixed pseudo-random sequence of bins that is the same
for every document, so two similar documents borrow alike and still agree.

Shingles: a shingle is ``size`` consecutive words of the normalised text, hashed as the
polynomial ``sum(byte_i * P^i)`` (mod 2^64) of its bytes, read off prefix sums of the
whole text in a handful of numpy operations (hashing word by word with xxhash costs a
Python call per word and measured twice slower), then finished with the murmur3 mixer so
every bit depends on every byte.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_EMPTY = np.uint64(1 << 32)  # above every 32-bit value: marks a bin no shingle fell into
_MULT = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier for the shingle polynomial
_SEED = 0x5EED
_DONOR_STEP = 8  # donor candidates tried per round when filling empty bins


def _fmix64(values: np.ndarray) -> np.ndarray:
    """The murmur3 finaliser, vectorised (in place on a fresh array)."""
    values ^= values >> np.uint64(33)
    values *= np.uint64(0xFF51AFD7ED558CCD)
    values ^= values >> np.uint64(33)
    values *= np.uint64(0xC4CEB9FE1A85EC53)
    values ^= values >> np.uint64(33)
    return values


_BLOCK = 1 << 16  # bytes hashed per prefix-sum pass: bounds the power tables (2 x 512 KiB)
_BASE = 0x100000001B3  # odd, so invertible mod 2^64


def _power_table(base: int) -> np.ndarray:
    """``base^0 .. base^(_BLOCK-1)`` mod 2^64."""
    powers = np.ones(_BLOCK, dtype=np.uint64)
    np.cumprod(np.full(_BLOCK - 1, base, dtype=np.uint64), out=powers[1:])
    return powers


_POWERS = _power_table(_BASE)
_INVERSE_POWERS = _power_table(pow(_BASE, -1, 1 << 64))


def shingle_hashes(normalized: bytes, size: int) -> np.ndarray:
    """64-bit hashes of the word ``size``-grams of a normalised text (one for a shorter text).

    ``normalized`` is words joined by single spaces (:func:`normalize.normalized_bytes`).
    The hash of bytes ``[s, e)`` is ``(H[e] - H[s]) * P^-s`` where ``H`` are prefix sums of
    ``byte_i * P^i``: it depends on the shingle's bytes only, not on where it stands.
    """
    if not normalized:
        return np.empty(0, dtype=np.uint64)
    text = np.frombuffer(normalized, dtype=np.uint8)
    spaces = np.flatnonzero(text == 32)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [text.size]))
    count = max(starts.size - size + 1, 1)
    starts = starts[:count]
    ends = ends[min(size, ends.size) - 1 :][:count]
    if text.size < _BLOCK:  # a news article: one pass
        return _fmix64(_polynomial(text, starts, ends))
    out = np.empty(count, dtype=np.uint64)
    first = 0
    while first < count:  # a long text: blocks of whole shingles, so the power tables stay small
        origin = starts[first]
        last = max(int(np.searchsorted(ends, origin + _BLOCK - 1, side="right")), first + 1)
        block_ends = np.minimum(ends[first:last], origin + _BLOCK - 1) - origin
        out[first:last] = _polynomial(text[origin:], starts[first:last] - origin, block_ends)
        first = last
    return _fmix64(out)


def _polynomial(text: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Position-free polynomial hashes of ``text[s:e]`` for each (s, e); all ends < _BLOCK."""
    span = int(ends[-1])  # ends ascend
    prefix = np.empty(span + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(text[:span] * _POWERS[:span], out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * _INVERSE_POWERS[starts]


@lru_cache(maxsize=8)
def _donors(num_perm: int) -> np.ndarray:
    """Row ``j``: the order in which an empty bin ``j`` looks for a donor (same for all documents)."""
    rng = np.random.default_rng(_SEED + num_perm)
    return np.stack([rng.permutation(num_perm) for _ in range(num_perm)]).astype(np.intp)


def signature(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """The ``num_perm`` x uint32 MinHash signature of a set of 64-bit shingle hashes.

    An empty set gets the all-``0xFFFFFFFF`` signature; callers keep such documents out of
    near-duplicate search (they have nothing to compare).
    """
    if hashes.size == 0:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    bins = ((hashes >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)  # multiply-shift: uniform
    values = hashes & np.uint64(0xFFFFFFFF)
    sig = np.full(num_perm, _EMPTY, dtype=np.uint64)
    np.minimum.at(sig, bins.astype(np.intp), values)
    empty = np.flatnonzero(sig == _EMPTY)
    if empty.size:
        _densify(sig, empty)
    return sig.astype(np.uint32)


def _densify(sig: np.ndarray, empty: np.ndarray) -> None:
    """Fill each empty bin from the first non-empty bin of its donor sequence (in place).

    Donor sequences are walked a few columns at a time: a long text has few empty bins
    found at the first try, a short one many, found after a few tries.
    """
    donors = _donors(sig.size)[empty]
    pending = np.arange(empty.size)
    for column in range(0, sig.size, _DONOR_STEP):
        candidates = donors[pending, column : column + _DONOR_STEP]
        found = sig[candidates] != _EMPTY
        hit = found.any(axis=1)
        rows = pending[hit]
        sig[empty[rows]] = sig[candidates[hit, np.argmax(found[hit], axis=1)]]
        pending = pending[~hit]
        if not pending.size:
            return


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray | float:
    """Estimated Jaccard similarity: the share of positions where signatures agree.

    Works row-wise on 2-D arrays (one pair per row), which is how candidate pairs are
    verified in bulk.
    """
    return np.mean(sig_a == sig_b, axis=-1)


def fingerprints(hashes: np.ndarray) -> np.ndarray:
    """The shingle set as sorted unique 32-bit fingerprints (the high half of each hash).

    Kept on disk to verify candidate pairs *exactly*: two sets of a few hundred shingles
    share a false 32-bit fingerprint with probability ~1e-4, a negligible error, where a
    256-value signature estimates Jaccard with a standard deviation of 0.025 at 0.8.
    """
    values = np.sort((hashes >> np.uint64(32)).astype(np.uint32))
    if values.size < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]  # 10x faster than np.unique here


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique arrays."""
    if not a.size or not b.size:
        return 1.0 if a.size == b.size else 0.0
    if a.size > b.size:
        a, b = b, a
    positions = np.searchsorted(b, a)
    shared = int(np.count_nonzero(b[np.minimum(positions, b.size - 1)] == a))
    return shared / (a.size + b.size - shared)
