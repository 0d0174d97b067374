"""The per-document fast paths of deduplication give what the plain formulations give.

Signatures, band keys, fingerprints and exact keys decide which documents are dropped, so
a faster implementation must reproduce them bit for bit: the pinned digest below was
computed before the fast paths existed.
"""

from __future__ import annotations

import random
import re

import numpy as np
import xxhash

from corpus_tools import textnorm as normalize
from corpus_tools.dedup import lsh, minhash
from corpus_tools.dedup.keys import exact_key
from corpus_tools.dedup.minhash import fingerprints, shingle_hashes, signature
from corpus_tools.textnorm import normalized_array, normalized_bytes

_VOCAB = ["Café", "owners", "said", "“We’ll", "pay", "1,200", "euros”", "—", "not", "more.", "Über"]
_VOCAB += ["naïve", "the", "END", "東京", "\u00a0"]


def _plain_normalized(text: str) -> bytes:
    """Normalisation as first written: every mark replaced in the text, spaces by a regex."""
    raw = text.encode("utf-8", "surrogatepass")
    for mark in normalize._COMMON_PUNCTUATION:
        raw = raw.replace(mark, b" ")
    raw = normalize._NON_ASCII.sub(normalize._replace_run, raw)
    return re.sub(rb"  +", b" ", raw.translate(normalize._ASCII_TABLE)).strip()


def test_normalisation_fast_paths_match_the_plain_one():
    rng = random.Random(4)
    marks_only = ["a", "B", "9", " ", ".", "\t", "\n", "\u2019", "\u201c", "\u2014", "\u00a0", "\u2026"]
    mixed = marks_only + ["é", "Ü", "ß", "\u2028", "\ud800", "ﬁ", "\u0301", "€", "日本"]
    for _ in range(3000):
        alphabet = rng.choice((marks_only, mixed))
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice((0, 1, 3, 12, 80))))
        assert normalized_bytes(text) == _plain_normalized(text), repr(text)
        assert normalized_array(text).tobytes() == normalized_bytes(text)


def _plain_lines(text: str) -> list[bytes]:
    """Lines as first written: marks replaced in the text, digits dropped, spaces by a regex."""
    raw = text.encode("utf-8", "surrogatepass")
    for mark in normalize._COMMON_PUNCTUATION:
        raw = raw.replace(mark, b" ")
    raw = normalize._NON_ASCII.sub(normalize._replace_run, raw)
    lines = re.sub(rb"  +", b" ", raw.translate(normalize._LINES_TABLE, normalize._DIGITS))
    return [line.strip() for line in lines.split(b"\n")]


def test_line_normalisation_matches_the_plain_one():
    rng = random.Random(6)
    marks_only = ["a", "B", "9", " ", " ", ".", "\t", "\n", "\n", "\u2019", "\u201c", "\u2014", "\u00a0"]
    mixed = marks_only + ["é", "Ü", "ß", "\u2028", "\ud800", "ﬁ", "\u0301", "€", "日本", "٣"]
    for _ in range(3000):
        alphabet = rng.choice((marks_only, mixed))
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice((0, 1, 3, 12, 80))))
        assert normalize.normalized_lines(text) == _plain_lines(text), repr(text)


def test_array_and_bytes_give_the_same_keys_and_shingles():
    text = "Café owners said: “We’ll pay 1,200 euros” — not more.\n\nThe END."
    array = normalized_array(text)
    assert exact_key(array) == exact_key(normalized_bytes(text))
    assert np.array_equal(shingle_hashes(array, 3), shingle_hashes(normalized_bytes(text), 3))


def test_power_of_two_bins_are_the_multiply_shift_bins():
    hashes = np.random.default_rng(5).integers(0, 1 << 64, 5000, dtype=np.uint64)
    for num_perm in (16, 128, 256):
        expected = ((hashes >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)
        assert np.array_equal(minhash._bins(hashes, num_perm), expected.astype(np.intp))


def test_a_bin_whose_minimum_is_all_ones_is_not_empty():
    hashes = np.array([(7 << 32) | 0xFFFFFFFF, (200 << 24 << 32) | 5], dtype=np.uint64)
    sig = signature(hashes, 16)
    bin_of_first = int(minhash._bins(hashes[:1], 16)[0])
    assert sig[bin_of_first] == 0xFFFFFFFF  # kept, not refilled from a donor
    assert sig[int(minhash._bins(hashes[1:], 16)[0])] == 5
    assert set(sig.tolist()) == {5, 0xFFFFFFFF}  # the empty bins borrowed from either


def test_outputs_are_those_of_the_plain_implementation():
    rng = random.Random(7)
    texts = [" ".join(rng.choice(_VOCAB) for _ in range(n)) for n in (0, 1, 3, 5, 40, 700)]
    digest = xxhash.xxh3_64()
    for text in texts:
        normalized = normalized_bytes(text)
        hashes = shingle_hashes(normalized, 5)
        for num_perm in (100, 128):
            sig = signature(hashes, num_perm)
            digest.update(sig.tobytes())
            digest.update(lsh.band_keys(sig, 16, 5).tobytes())
        digest.update(fingerprints(hashes).tobytes())
        digest.update(exact_key(normalized).to_bytes(8, "little"))
    assert digest.intdigest() == 0x121843F49EAA3D30


def test_unit_hashing_matches_hashing_each_text():
    # combine hashes a unit's texts joined: each text's shingles, signature, fingerprints and
    # band keys must be those of the text alone (short texts, one-word texts, long ones)
    rng = random.Random(8)
    words = ["a", "bb", "ccc", "dd", "e", "ffff"]
    for _ in range(500):
        size = rng.choice((1, 2, 3, 5))
        lengths = [rng.choice((1, 2, 3, 4, 5, 6, 9, 30)) for _ in range(rng.choice((1, 2, 3, 7)))]
        texts = [" ".join(rng.choice(words) for _ in range(n)).encode() for n in lengths]
        shingles = minhash.unit_shingles(texts, size)
        alone = [shingle_hashes(text, size) for text in texts]
        assert np.array_equal(shingles.hashes, np.concatenate(alone))
        assert np.array_equal(shingles.owner, np.repeat(np.arange(len(texts)), [a.size for a in alone]))
        sigs = minhash.signatures(shingles, 16)
        assert np.array_equal(sigs, np.stack([signature(a, 16) for a in alone]))
        assert np.array_equal(lsh.band_keys(sigs, 3, 5), np.stack([lsh.band_keys(s, 3, 5) for s in sigs]))
        values, counts = minhash.unit_fingerprints(shingles)
        assert np.array_equal(values, np.concatenate([fingerprints(a) for a in alone]))
        assert counts.tolist() == [fingerprints(a).size for a in alone]


def test_unit_normalisation_matches_normalising_each_text():
    rng = random.Random(9)
    alphabet = ["a", "B", "9", " ", " ", ".", "\n", "\u2019", "\u00a0", "é", "日本", "\ud800"]
    texts = ["", " ", "a"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.choice((0, 1, 5, 40)))) for _ in range(300)
    ]
    assert normalize.normalized_many([normalize.translated(t) for t in texts]) == [
        normalized_bytes(t) for t in texts
    ]
    assert normalize.normalized_many([]) == []


def test_combine_gives_the_same_rows_whatever_the_chunks(monkeypatch):
    from corpus_tools.document import Document
    from corpus_tools.steps import dedup

    rng = random.Random(10)
    texts = ["", "...", "one", "two words"] + [
        " ".join(rng.choice(_VOCAB) for _ in range(n)) for n in range(1, 60)
    ]
    docs = [Document(f"d{i}", text, {}) for i, text in enumerate(texts)]
    for verify in ("shingles", "signature"):
        step = dedup.Dedup(dedup.Dedup.Options(verify=verify, num_perm=128))
        entries = [(doc.id, doc.meta, step.summarize(doc)) for doc in docs]
        whole = step.combine(entries)
        monkeypatch.setattr(normalize, "CHUNK_BYTES", 40)  # a few documents per chunk
        chunked = step.combine(entries)
        monkeypatch.undo()
        assert whole.ids == chunked.ids
        for a, b in zip(whole[1:], chunked[1:], strict=True):
            assert np.array_equal(a, b)
        assert not whole.bands[0].any() and whole.lengths[0] == 0  # the empty text


def test_unit_line_normalisation_matches_each_text_whatever_the_chunks(monkeypatch):
    rng = random.Random(11)
    alphabet = ["a", "B", "9", " ", " ", ".", "\n", "\n", "\u2019", "\u00a0", "é", "日本"]
    texts = ["", "\n", " x "] + [
        "".join(rng.choice(alphabet) for _ in range(rng.choice((0, 1, 5, 40)))) for _ in range(300)
    ]
    alone = [_plain_lines(text) for text in texts]
    for chunk_bytes in (1 << 17, 30):
        monkeypatch.setattr(normalize, "CHUNK_BYTES", chunk_bytes)
        assert normalize.normalized_lines_many([normalize.lines_translated(t) for t in texts]) == alone
        assert normalize.normalized_many([normalize.translated(t) for t in texts]) == [
            normalized_bytes(t) for t in texts
        ]
    assert normalize.normalized_lines_many([]) == []
