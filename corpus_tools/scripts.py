"""Word counts that fit the script: some scripts do not separate their words with spaces.

Chinese, Japanese (kana and kanji), Thai, Lao, Myanmar and Khmer text holds few spaces, so a
count of space-separated words calls a Japanese article of 2,000 characters 18 "words". Every
place that counts words (the quality filter, the boilerplate signals, the dataset's ``n_words``,
its statistics and card) counts a character of these scripts as a third of a word, about a
word's worth, on top of the space-separated words.
"""

from __future__ import annotations

import re

UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
CHARACTERS_PER_WORD = 3  # unspaced-script characters that count as one word


def unspaced_words(text: str) -> int:
    """The words ``text``'s unspaced-script characters count for (0 for ASCII text)."""
    if text.isascii() or UNSPACED.search(text) is None:  # isascii is a flag lookup
        return 0
    return len(UNSPACED.findall(text)) // CHARACTERS_PER_WORD
