"""MinHash signatures of word shingles, computed with numpy in time linear in the shingles.

Classic MinHash applies ``num_perm`` hash functions to every shingle: a 700-shingle
article at 128 permutations is ~90,000 multiply-adds, which is what keeps pure-Python and
numpy ``(a*x+b) mod p`` implementations near a few hundred documents per second (measured
in ``benchmarks/README.md``, "Deduplication"). We use *one permutation hashing* (Li, Owen & Zhang
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
from typing import NamedTuple

import numpy as np

_UNSET = 0xFFFFFFFF  # a signature bin's start value: every 32-bit value is at most this
_SEED = 0x5EED
_DONOR_STEP = 8  # donor candidates tried per round when filling empty bins
_SPACE = 32
_HALF = np.uint64(32)  # numpy scalars made once: each call with a Python int converts it again
_FMIX_SHIFT = np.uint64(33)
_FMIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX_2 = np.uint64(0xC4CEB9FE1A85EC53)


def _fmix64(values: np.ndarray) -> np.ndarray:
    """The murmur3 finaliser, vectorised (in place on a fresh array, one scratch array)."""
    scratch = values >> _FMIX_SHIFT
    values ^= scratch
    values *= _FMIX_1
    np.right_shift(values, _FMIX_SHIFT, out=scratch)
    values ^= scratch
    values *= _FMIX_2
    np.right_shift(values, _FMIX_SHIFT, out=scratch)
    values ^= scratch
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


def shingle_hashes(normalized: bytes | np.ndarray, size: int) -> np.ndarray:
    """64-bit hashes of the word ``size``-grams of a normalised text (one for a shorter text).

    ``normalized`` is words joined by single spaces (:func:`corpus_tools.textnorm.normalized_bytes`, or
    the uint8 array of :func:`corpus_tools.textnorm.normalized_array`).
    The hash of bytes ``[s, e)`` is ``(H[e] - H[s]) * P^-s`` where ``H`` are prefix sums of
    ``byte_i * P^i``: it depends on the shingle's bytes only, not on where it stands.
    """
    text = normalized if isinstance(normalized, np.ndarray) else np.frombuffer(normalized, dtype=np.uint8)
    if not text.size:
        return np.empty(0, dtype=np.uint64)
    starts, ends = _shingle_bounds(text, size)
    return _span_hashes(text, starts, ends)


class Shingles(NamedTuple):
    """The shingle hashes of several texts, end to end, and which text each belongs to."""

    hashes: np.ndarray  # uint64, each text's in its order (as :func:`shingle_hashes` gives them)
    owner: np.ndarray  # intp: the text's position in the list given
    texts: int


def unit_shingles(texts: list[bytes], size: int) -> Shingles:
    """:func:`shingle_hashes` of each of ``texts`` (normalised, none empty), in one pass.

    A unit's texts are hashed joined by single spaces, as one long text whose shingles
    never cross from one text into the next: the numpy calls are per unit, not per
    document, which halves the time on 4 kB articles (per document, numpy's cost is the
    number of calls more than the bytes).
    """
    lengths = np.array([len(text) for text in texts], dtype=np.intp)
    text_starts = np.cumsum(lengths + 1) - (lengths + 1)
    joined = np.frombuffer(b" ".join(texts), dtype=np.uint8)
    # bounds[w] is the space before word w (-1 for the first), bounds[w + 1] the one after it
    # (or the end): one array of the word count, where starts and ends were two; arrays of
    # the word count are what a big document's memory is made of (8 bytes for ~6 of text)
    spaces = np.flatnonzero(joined == _SPACE)
    bounds = np.empty(spaces.size + 2, dtype=np.intp)
    bounds[0], bounds[-1] = -1, joined.size
    bounds[1:-1] = spaces
    del spaces
    spaces = bounds[1:-1]
    # each text's first word and word count, from the spaces before its start and its end
    first_word = np.searchsorted(spaces, text_starts)
    words = np.searchsorted(spaces, text_starts + lengths) - first_word + 1
    # a shingle starts at every word but the last size - 1 of its text; a text shorter than
    # a shingle is one shingle, from its first word to its last
    starts_shingle = np.ones(bounds.size - 1, dtype=bool)
    tails = (first_word + words)[:, None] - np.arange(1, size)
    starts_shingle[tails[tails >= 0]] = False
    short = np.flatnonzero(words < size)
    starts_shingle[first_word[short]] = True
    start_word = np.flatnonzero(starts_shingle)
    del starts_shingle
    end_word = start_word + size  # the bound after the shingle's last word
    end_word[np.searchsorted(start_word, first_word[short])] = (first_word + words)[short]
    starts = bounds[start_word]
    starts += 1
    del start_word
    ends = bounds[end_word]
    del end_word, bounds, spaces
    owner = np.repeat(np.arange(len(texts)), np.maximum(words - (size - 1), 1))
    return Shingles(_span_hashes(joined, starts, ends), owner, len(texts))


def _span_hashes(text: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Mixed polynomial hashes of ``text[s:e]`` for ascending spans (the first ``_BLOCK - 1``
    bytes of a longer span), in blocks of whole spans so the power tables stay small."""
    count = starts.size
    if text.size < _BLOCK:  # a news article: one pass
        return _fmix64(_polynomial(text, starts, ends))
    out = np.empty(count, dtype=np.uint64)
    first = 0
    while first < count:
        origin = starts[first]
        last = max(int(np.searchsorted(ends, origin + _BLOCK - 1, side="right")), first + 1)
        block_ends = np.minimum(ends[first:last], origin + _BLOCK - 1) - origin
        out[first:last] = _polynomial(text[origin:], starts[first:last] - origin, block_ends)
        first = last
    return _fmix64(out)


def _shingle_bounds(text: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each shingle starts, and ends (exclusive): after a space, and at the space after
    its ``size``-th word or the end of the text.

    Filled into two preallocated arrays rather than concatenated: this runs per document,
    where numpy's cost is the number of calls more than the bytes.
    """
    spaces = np.flatnonzero(text == _SPACE)
    count = max(spaces.size + 2 - size, 1)  # words - size + 1, and one for a shorter text
    starts = np.empty(count, dtype=np.intp)
    starts[0] = 0
    np.add(spaces[: count - 1], 1, out=starts[1:])
    ends = np.empty(count, dtype=np.intp)
    last_spaces = spaces[size - 1 :]  # the space after each shingle but the last
    ends[: last_spaces.size] = last_spaces
    ends[last_spaces.size :] = text.size
    return starts, ends


def _polynomial(text: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Position-free polynomial hashes of ``text[s:e]`` for each (s, e); all ends < _BLOCK.

    The products and their prefix sums share one array (``add.accumulate`` in place), and
    the final subtraction and product run in place too: no temporary of the text's size.
    """
    span = int(ends[-1])  # ends ascend
    prefix = np.empty(span + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(text[:span], _POWERS[:span], out=prefix[1:])
    np.add.accumulate(prefix[1:], out=prefix[1:])
    hashes = prefix[ends]
    hashes -= prefix[starts]
    hashes *= _INVERSE_POWERS[starts]
    return hashes


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
        return np.full(num_perm, _UNSET, dtype=np.uint32)
    return signatures(Shingles(hashes, np.zeros(hashes.size, dtype=np.intp), 1), num_perm)[0]


def signatures(shingles: Shingles, num_perm: int) -> np.ndarray:
    """:func:`signature` of each text of ``shingles`` (each with one shingle or more), as rows.

    The rows are one flat array in which text ``t``'s bin ``b`` is ``t * num_perm + b``.
    """
    hashes = shingles.hashes
    bins = _bins(hashes, num_perm)
    if shingles.texts > 1:
        bins += shingles.owner * num_perm
    sig = np.full(shingles.texts * num_perm, _UNSET, dtype=np.uint32)
    np.minimum.at(sig, bins, hashes.astype(np.uint32))  # the cast keeps the low 32 bits
    empty = _empty_bins(sig, bins)
    if empty.size:
        _densify(sig, empty, num_perm)
    return sig.reshape(shingles.texts, num_perm)


def _bins(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """Each hash's bin: multiply-shift of its high 32 bits, so bins are uniform.

    With a power-of-two ``num_perm`` (the default 128) ``(high * 2^k) >> 32`` is the top
    ``k`` bits of the hash: one shift instead of three passes.
    """
    if num_perm & (num_perm - 1) == 0:
        bins = hashes >> np.uint64(64 - (num_perm.bit_length() - 1))
    else:
        bins = ((hashes >> _HALF) * np.uint64(num_perm)) >> _HALF
    return bins.astype(np.intp)


def _empty_bins(sig: np.ndarray, bins: np.ndarray) -> np.ndarray:
    """The bins no shingle fell into, in ascending order.

    A bin still at ``_UNSET`` is empty unless its smallest value was ``0xFFFFFFFF``
    itself (once in four billion): only then are the bins counted.
    """
    unset = np.flatnonzero(sig == _UNSET)
    if unset.size:
        unset = unset[np.bincount(bins, minlength=sig.size)[unset] == 0]
    return unset


def _densify(sig: np.ndarray, empty: np.ndarray, num_perm: int) -> None:
    """Fill each empty bin from the first non-empty bin of its donor sequence (in place).

    ``sig`` holds signatures of ``num_perm`` bins end to end; a bin borrows within its own.
    Donor sequences are walked a few columns at a time: a long text has few empty bins
    found at the first try, a short one many, found after a few tries. A bin filled in one
    round is a donor in the next ones.
    """
    table = _donors(num_perm)
    bins = empty % num_perm
    table_rows = table[bins]
    table_rows += (empty - bins)[:, None]  # donors within the bin's own signature
    filled = np.ones(sig.size, dtype=bool)
    filled[empty] = False
    for column in range(0, num_perm, _DONOR_STEP):
        candidates = table_rows[:, column : column + _DONOR_STEP]
        found = filled[candidates]
        first = found.argmax(axis=1)  # the first filled donor of the round, or 0 if none
        hit = found[np.arange(empty.size), first]
        served = empty[hit]
        sig[served] = sig[candidates[hit, first[hit]]]
        filled[served] = True
        empty = empty[~hit]
        table_rows = table_rows[~hit]
        if not empty.size:
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
    return unit_fingerprints(Shingles(hashes, np.zeros(hashes.size, dtype=np.intp), 1))[0]


def unit_fingerprints(shingles: Shingles) -> tuple[np.ndarray, np.ndarray]:
    """:func:`fingerprints` of each text of ``shingles``, end to end, and how many each has.

    One sort of ``text << 32 | fingerprint`` orders the unit's texts and, within each, its
    fingerprints; the first of each run of equal values is kept (``np.unique`` would sort
    again and build an inverse the caller does not need).
    """
    keys = shingles.hashes >> _HALF
    if shingles.texts > 1:
        keys |= shingles.owner.astype(np.uint64) << _HALF
    keys.sort()
    first = np.empty(keys.size, dtype=bool)  # first of its run of equal values
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    kept = keys[first]
    counts = np.bincount((kept >> _HALF).astype(np.intp), minlength=shingles.texts)
    return kept.astype(np.uint32), counts


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique arrays."""
    if not a.size or not b.size:
        return 1.0 if a.size == b.size else 0.0
    if a.size > b.size:
        a, b = b, a
    positions = np.searchsorted(b, a)
    shared = int(np.count_nonzero(b[np.minimum(positions, b.size - 1)] == a))
    return shared / (a.size + b.size - shared)
