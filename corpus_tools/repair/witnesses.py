"""Witnesses for a lost letter: words written intact in the same document or corpus.

"J?rgen" may be "Jürgen" or "Jörgen"; the best evidence is the same name written intact
elsewhere: in the same document (a headline that kept its accents above a body that lost
them), then in the same corpus (other articles of the site), and only then in a general
word list. :func:`undamaged_words` finds the intact words a text offers as witnesses.
"""

from __future__ import annotations

import re

from corpus_tools.repair.gate import CODE_PAGES, may_be_mojibake, non_ascii_runs
from corpus_tools.repair.vocabulary import byte_skeleton, char_skeleton

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_MARK_NEAR = re.compile(r"[?\ufffd]")
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f\W\d_]")
_CHUNK_END = re.compile(r"[ \n]")


def undamaged_words(text: str, runs: str | None = None) -> set[str]:
    """Words with a non-ASCII letter that no mark touches and that show no mojibake.

    Only the space-separated chunks around a non-ASCII letter are tokenised: in a mostly
    ASCII text that skips nearly every word.
    A chunk boundary (space or newline) is never inside a word nor a mark, so the words
    and their neighbours are those of the whole text. Each search for a boundary stops at
    the first one of either kind and never goes back past the previous chunk, so a long
    line (spaces, no line break) is read once, not once per chunk. A text whose non-ASCII characters
    are only punctuation (curly quotes, dashes, ``©``) is answered from those characters
    alone (``runs``, computed here unless given), without the search through the whole
    text for a letter that is not there.
    """
    found: set[str] = set()
    if _NON_ASCII_LETTER.search(non_ascii_runs(text) if runs is None else runs) is None:
        return found
    pos = 0
    while (hit := _NON_ASCII_LETTER.search(text, pos)) is not None:
        # text[pos] ends the previous chunk (a boundary), so the one before this hit is at pos or after
        start = max(text.rfind(" ", pos, hit.start()), text.rfind("\n", pos, hit.start())) + 1
        end = _CHUNK_END.search(text, hit.end())
        pos = len(text) if end is None else end.start()
        for m in _WORD.finditer(text, start, pos):
            word = m[0]
            if word.isascii() or len(word) < 2 or len(word) > 40:
                continue
            before = text[m.start() - 1 : m.start()]
            after = text[m.end() : m.end() + 1]
            if (
                _MARK_NEAR.match(before)
                or _MARK_NEAR.match(after)
                or (may_be_mojibake(word) and _redecodes(word))
            ):
                continue
            for part in re.split("['’]", word):
                if not part.isascii() and len(part) > 1:
                    found.add(part.lower())
    return found


class DocumentWords:
    """The words a text writes intact, by shape (:func:`.vocabulary.char_skeleton` and
    :func:`.vocabulary.byte_skeleton`); read from the text at the first question only, so a
    text whose marks are all punctuation never tokenises its words."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: list[str] | None = None
        self._by_shape: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None

    def words(self) -> list[str]:
        """The intact words, lower case, sorted."""
        if self._words is None:
            self._words = sorted(undamaged_words(self.text))
        return self._words

    def candidates(self, skeleton: str, by_bytes: bool) -> list[str]:
        if self._by_shape is None:
            chars: dict[str, list[str]] = {}
            bytes_: dict[str, list[str]] = {}
            for word in self.words():
                chars.setdefault(char_skeleton(word), []).append(word)
                bytes_.setdefault(byte_skeleton(word), []).append(word)
            self._by_shape = chars, bytes_
        return self._by_shape[1 if by_bytes else 0].get(skeleton, [])


def document_witnesses(text: str) -> DocumentWords | None:
    """The words ``text`` writes intact; None when it cannot hold any (ASCII text)."""
    return None if text.isascii() else DocumentWords(text)


def _redecodes(word: str) -> bool:
    """Is ``word`` UTF-8 read through one of ftfy's code pages? ("Ã©t", not "Tomáš", whose
    "áš" looks like a Windows-1252 lead and continuation but encodes to no UTF-8)."""
    for codec in CODE_PAGES:
        try:
            if word.encode(codec).decode("utf-8") != word:
                return True
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return False
