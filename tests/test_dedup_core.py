"""The pure parts of deduplication: normalisation, MinHash, banding, clustering, stores."""

from __future__ import annotations

import random

import numpy as np
import pytest

from corpus_tools.dedup import lsh, minhash
from corpus_tools.dedup.keep import metadata_count, rank
from corpus_tools.dedup.keys import exact_key, url_key
from corpus_tools.dedup.minhash import fingerprints, jaccard, shingle_hashes, signature, similarity
from corpus_tools.dedup.store import RaggedStore, RowStore
from corpus_tools.dedup.unionfind import connected_components
from corpus_tools.textnorm import normalize, normalized_bytes


def words(rng: random.Random, count: int) -> list[str]:
    return [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(count)
    ]


def test_normalisation_ignores_case_punctuation_digits_accents_and_spacing():
    a = "Café owners said: “We’ll pay 1,200 euros” — not more.\n\nThe END."
    b = 'cafe OWNERS said  "we\'ll pay 3.400 euros" - not more. the end'
    assert normalize(a) == normalize(b) == "cafe owners said we ll pay 0 000 euros not more the end"
    assert exact_key(normalized_bytes(a)) == exact_key(normalized_bytes(b))
    assert exact_key(normalized_bytes(a)) != exact_key(normalized_bytes(a + " extra"))


def test_normalisation_keeps_non_latin_letters():
    assert normalize("Привет, МИР! 東京 ２０２５") == "привет мир 東京 0000"


def test_url_key_ignores_scheme_www_fragment_and_final_slash():
    assert url_key("https://www.Example.com/a/b/#top") == url_key("http://example.com/a/b")
    assert url_key("https://example.com/a/b") != url_key("https://example.com/a/c")


def test_shingle_hashes_depend_on_the_words_not_their_position():
    hashes = shingle_hashes(b"the cat sat on the mat and the cat sat on", 3)
    assert hashes.size == 9
    assert hashes[0] == hashes[7]  # "the cat sat" twice
    assert len(set(hashes.tolist())) == 7
    assert shingle_hashes(b"two words", 5).size == 1  # a text shorter than a shingle is one shingle
    assert shingle_hashes(b"", 5).size == 0


def test_long_texts_hashed_in_blocks_give_the_same_hashes(monkeypatch):
    text = " ".join(words(random.Random(1), 400)).encode()
    whole = shingle_hashes(text, 5)
    monkeypatch.setattr(minhash, "_BLOCK", 64)
    assert np.array_equal(shingle_hashes(text, 5), whole)


def test_signature_estimates_jaccard_without_bias():
    rng = random.Random(2)
    errors = []
    for _ in range(40):
        base = words(rng, 1200)
        other = base[:800] + words(rng, 400)
        a, b = (fingerprints(shingle_hashes(" ".join(t).encode(), 1)) for t in (base, other))
        true = jaccard(a, b)
        estimate = similarity(
            signature(shingle_hashes(" ".join(base).encode(), 1), 256),
            signature(shingle_hashes(" ".join(other).encode(), 1), 256),
        )
        errors.append(estimate - true)
    assert abs(np.mean(errors)) < 0.02
    assert np.std(errors) < 0.05


def test_short_texts_fill_every_bin_and_still_match():
    text = " ".join(words(random.Random(3), 30))
    sig = signature(shingle_hashes(text.encode(), 5), 256)
    assert sig.max() < 0xFFFFFFFF  # no bin left empty
    same = signature(shingle_hashes(text.encode(), 5), 256)
    assert np.array_equal(sig, same)


def test_exact_jaccard_of_fingerprints():
    a = fingerprints(shingle_hashes(b"a b c d e f", 1))
    b = fingerprints(shingle_hashes(b"d e f g h i j k l", 1))
    assert jaccard(a, b) == pytest.approx(3 / 12)
    assert jaccard(a, a) == 1.0
    assert jaccard(a, np.empty(0, dtype=np.uint32)) == 0.0


def test_bucket_pairs_pair_every_member_of_a_bucket():
    keys = np.array([5, 7, 5, 9, 5, 7], dtype=np.uint64)
    ids = np.array([10, 11, 12, 13, 14, 15])
    pairs = {tuple(p) for p in lsh.bucket_pairs(keys, ids).tolist()}
    assert pairs == {(10, 12), (10, 14), (12, 14), (11, 15)}
    assert lsh.bucket_pairs(np.array([1, 2, 3], dtype=np.uint64), np.arange(3)).shape == (0, 2)


def test_band_keys_agree_exactly_where_bands_agree():
    sig = np.arange(20, dtype=np.uint32)
    other = sig.copy()
    other[7] += 1  # inside band 1 (rows 5..9)
    a, b = lsh.band_keys(sig, 4, 5), lsh.band_keys(other, 4, 5)
    assert (a == b).tolist() == [True, False, True, True]
    assert lsh.probability(0.8, 20, 5) > 0.999 > lsh.probability(0.3, 20, 5)


def test_connected_components_label_by_smallest_member():
    pairs = np.array([[4, 2], [2, 7], [1, 3], [9, 9]])
    labels = connected_components(10, pairs)
    assert labels.tolist() == [0, 1, 2, 1, 2, 5, 6, 2, 8, 9]
    rng = np.random.default_rng(0)
    random_pairs = rng.integers(0, 300, (200, 2))
    labels = connected_components(300, random_pairs)
    assert all(labels[a] == labels[b] for a, b in random_pairs)
    assert all(labels[i] <= i and labels[labels[i]] == labels[i] for i in range(300))


def test_keep_ranks():
    assert rank("longest", 500, {}) < rank("longest", 100, {})
    assert rank("earliest_date", 0, {"date": "2024-01-02"}) < rank(
        "earliest_date", 0, {"date": "2024-03-01T10:00:00Z"}
    )
    assert rank("earliest_date", 0, {"date": "Jan 2, 2024 (see 2024-01-02)"}) < rank("earliest_date", 0, {})
    rich = {"title": "T", "author": "A", "date": "2024-01-01", "raw_path": "x", "raw_sha256": "y"}
    assert metadata_count(rich) == 3
    assert rank("most_metadata", 0, rich) < rank("most_metadata", 0, {"title": "T", "author": ""})
    assert rank("first_seen", 10, rich) == rank("first_seen", 99, {})


def test_row_store_spills_to_disk_past_its_budget(tmp_path):
    rows = np.arange(10000 * 3, dtype=np.uint64).reshape(10000, 3)
    in_memory = RowStore(np.uint64, 3, tmp_path / "a", memory_budget=1 << 30)
    on_disk = RowStore(np.uint64, 3, tmp_path / "b", memory_budget=1000)
    for start in range(0, len(rows), 999):  # blocks that straddle the chunks
        in_memory.extend(rows[start : start + 999])
        on_disk.extend(rows[start : start + 999])
    assert not in_memory.on_disk and on_disk.on_disk and (tmp_path / "b").exists()
    assert on_disk.resident_row_bytes == 0 and in_memory.resident_row_bytes == 24
    assert np.array_equal(in_memory.array(), rows)
    assert np.array_equal(on_disk.array(), rows)


def test_row_store_splits_into_column_files(tmp_path):
    rows = np.arange(10000 * 3, dtype=np.uint64).reshape(10000, 3)
    for budget in (1 << 30, 1000):  # in memory, and spilled to disk part way
        store = RowStore(np.uint64, 3, tmp_path / f"store-{budget}", memory_budget=budget)
        store.extend(rows[:1])
        store.extend(rows[1:])
        paths = store.split_columns()
        assert [np.fromfile(path, dtype=np.uint64).tolist() for path in paths] == rows.T.tolist()
        assert not store.chunks and not (tmp_path / f"store-{budget}").exists()  # the rows are released


def test_ragged_store_round_trip(tmp_path):
    store = RaggedStore(tmp_path / "r")
    rows = [
        np.array([3, 1, 2], dtype=np.uint32),
        np.empty(0, dtype=np.uint32),
        np.array([7], dtype=np.uint32),
    ]
    store.extend(np.concatenate(rows[:2]), np.array([3, 0]))
    store.extend(rows[2], np.array([1]))
    bounds = store.bounds()
    values = np.fromfile(tmp_path / "r", dtype=np.uint32)
    assert [values[bounds[i] : bounds[i + 1]].tolist() for i in range(3)] == [r.tolist() for r in rows]
