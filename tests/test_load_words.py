"""Word counts taken a batch at a time equal ``len(text.split())`` for every text."""

from __future__ import annotations

import random

from corpus_tools.writers.words import count_words


def test_counts_equal_str_split_on_every_kind_of_space():
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    look_alikes = ["\u200b", "\u180e", "\ufeff", "\x00", "\x08", "\x7f", "\u00ad"]  # not spaces for split
    letters = list("abcXYZ019-.é漢字ж") + ["\U0001f600", "\u0301"]
    rng = random.Random(7)
    alphabet = spaces + look_alikes + letters
    for _ in range(2000):
        texts = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(rng.randint(0, 6))
        ]
        words, sizes = count_words(texts)
        assert words == [len(text.split()) for text in texts], texts
        assert sizes == [len(text.encode("utf-8")) for text in texts]


def test_edges():
    assert count_words([]) == ([], [])
    assert count_words(["", "", ""]) == ([0, 0, 0], [0, 0, 0])
    assert count_words(["a", "", " b c ", "\u3000d\xa0e\u2009"])[0] == [1, 0, 2, 2]
    # a word never runs from one text into the next
    assert count_words(["end", "start"])[0] == [1, 1]
