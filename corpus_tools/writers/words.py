"""Word counts of many texts at once, each equal to ``len(text.split())``.

The writer counts the words of every document; ``str.split`` builds a string per word only
to count them, and was the largest cost of writing. Here a batch of texts becomes one Arrow
UTF-8 buffer, and word starts (a non-space byte after a space byte, or at a text's start)
are counted with numpy. "Space" is exactly what ``str.split()`` splits on: every character
for which ``str.isspace()`` holds, ASCII and the few multi-byte ones (no-break space, the
U+2000 family, ideographic space...), found by their UTF-8 bytes.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

# str.isspace() is true for no code point above U+3000.
_WHITESPACE = [chr(code) for code in range(0x3001) if chr(code).isspace()]
_ASCII_SPACE = np.zeros(256, dtype=bool)
_ASCII_SPACE[[ord(ch) for ch in _WHITESPACE if ord(ch) < 0x80]] = True
_MULTIBYTE = [np.frombuffer(ch.encode("utf-8"), dtype=np.uint8) for ch in _WHITESPACE if ord(ch) >= 0x80]
_LEADS = np.zeros(256, dtype=bool)
_LEADS[[int(seq[0]) for seq in _MULTIBYTE]] = True


def count_words(texts: list[str]) -> tuple[list[int], list[int]]:
    """Words (as ``str.split`` counts them) and UTF-8 bytes of each text."""
    array = pa.array(texts, pa.large_string())
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[: len(texts) + 1]
    sizes = np.diff(offsets)
    if not len(texts) or offsets[-1] == 0:
        return [0] * len(texts), sizes.tolist()
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[: offsets[-1]]
    # one pass for the usual case; the few control bytes and non-ASCII leads are then checked alone
    space = data <= 0x20
    controls = np.flatnonzero(data < 0x20)
    space[controls] = _ASCII_SPACE[data[controls]]
    candidates = np.flatnonzero(data >= 0xC2)
    candidates = candidates[_LEADS[data[candidates]]]
    for sequence in _MULTIBYTE:
        starts = candidates[(data[candidates] == sequence[0]) & (candidates + len(sequence) <= len(data))]
        for k in range(1, len(sequence)):
            starts = starts[data[starts + k] == sequence[k]]
        for k in range(len(sequence)):
            space[starts + k] = True
    word_start = ~space
    word_start[1:] &= space[:-1]
    firsts = offsets[:-1][sizes > 0]
    word_start[firsts] = ~space[firsts]  # a text's first byte starts a word unless it is a space
    positions = np.flatnonzero(word_start)
    counts = np.diff(np.searchsorted(positions, offsets))
    return counts.tolist(), sizes.tolist()
