"""Where a lost letter comes back from: words with non-ASCII letters, indexed by their damaged shape.

A `?` or U+FFFD inside ``M?ller`` says "some character stood here", never which. The only
honest source for that character is a list of real words: we look the damaged word up by
its *skeleton* (every non-ASCII letter replaced by ``?``) and take the candidate only when
it clearly dominates the others. Two sources feed the list:

* wordfreq (real frequencies from many corpora, offline data shipped in the package): the
  Latin-script languages, words with a frequency of at least :data:`MIN_FREQUENCY`.
  Vietnamese is left out: its short diacritic syllables (``tô``, ``tố``, ``tổ``) match the
  skeleton of almost any short English word and would turn real question marks into letters.
* the corpus itself: words seen undamaged in other documents (names, places) that wordfreq
  does not know. :class:`Vocabulary` adds them with a score per document seen.

Two index shapes exist because two kinds of damage exist: one mark per character
(``str.encode('ascii', 'replace')``) and one mark per UTF-8 byte (``Z??rich``).
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

LATIN_LANGUAGES = (
    *("ca", "cs", "da", "de", "en", "es", "fi", "fil", "fr", "hu", "id", "is", "it"),
    *("lt", "lv", "ms", "nb", "nl", "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr"),
)
MIN_FREQUENCY = 1e-7  # about 570k accented words over these languages
ENGLISH_MIN_FREQUENCY = 1e-8  # English use of a foreign spelling counts down to this
# wordfreq's frequency lists are bucketed by centibel: bucket i holds words of 10**(-i/100)
_BUCKETS = round(-100 * math.log10(MIN_FREQUENCY))
_ENGLISH_BUCKETS = round(-100 * math.log10(ENGLISH_MIN_FREQUENCY))
CORPUS_WEIGHT = 1e-6  # one document of this corpus using the word, as English frequency
BASE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")
MAX_CANDIDATES = 6


_NON_ASCII = re.compile("[^\x00-\x7f]")
_TWO_BYTES = re.compile("[\u0080-\u07ff]")
_THREE_BYTES = re.compile("[\u0800-\uffff]")
_FOUR_BYTES = re.compile("[\U00010000-\U0010ffff]")


def char_skeleton(word: str) -> str:
    """``"Müller"`` -> ``"m?ller"``: one ``?`` per non-ASCII character."""
    lower = word.lower()
    return lower if lower.isascii() else _NON_ASCII.sub("?", lower)


def byte_skeleton(word: str) -> str:
    """``"Müller"`` -> ``"m??ller"``: one ``?`` per UTF-8 byte of each non-ASCII character."""
    word = word.lower()
    if word.isascii():  # a damaged word's marks are "?" already: nothing to expand
        return word
    word = _TWO_BYTES.sub("??", word)
    return _FOUR_BYTES.sub("????", _THREE_BYTES.sub("???", word))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A word and its evidence, compared as (``english``, ``score``).

    ``english``: how often English text (wordfreq's English list, plus this corpus) writes
    the word. The texts are English news, and which of "müller", "møller" and "möller" an
    English article means is best told by which one English articles use. ``score``: the
    highest frequency in any one language, the fallback when English never uses any.
    """

    word: str  # lower case
    score: float
    english: float = 0.0


def _insert(index: dict[str, list[Candidate]], key: str, cand: Candidate) -> None:
    found = index.setdefault(key, [])
    for i, old in enumerate(found):
        if old.word == cand.word:
            found[i] = Candidate(cand.word, max(cand.score, old.score), max(cand.english, old.english))
            break
    else:
        found.append(cand)
    found.sort(key=lambda c: (-c.english, -c.score, c.word))
    del found[MAX_CANDIDATES:]


Entry = tuple[str, float, float]  # (word, score, english), as stored in the shared index


def _index(entries: list[Entry], skeleton: Callable[[str], str]) -> dict[str, tuple[Entry, ...]]:
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(skeleton(entry[0]), []).append(entry)
    return {
        key: tuple(sorted(found, key=lambda e: (-e[2], -e[1], e[0]))[:MAX_CANDIDATES])
        for key, found in grouped.items()
    }


def _build_indexes() -> tuple[dict[str, tuple[Entry, ...]], dict[str, tuple[Entry, ...]]]:
    # imported here, on a cache miss only: importing wordfreq (and langcodes) is a large
    # share of a run's start-up, and the cached index does not need it
    import wordfreq

    best: dict[str, float] = {}
    for lang in LATIN_LANGUAGES:
        for bucket, words in enumerate(wordfreq.get_frequency_list(lang, "best")[:_BUCKETS]):
            freq = 10 ** (-bucket / 100)
            for word in words:
                if not word.isascii() and freq > best.get(word, 0.0) and word.isalpha():
                    best[word] = freq
    english: dict[str, float] = {}
    for bucket, words in enumerate(wordfreq.get_frequency_list("en", "best")[:_ENGLISH_BUCKETS]):
        freq = 10 ** (-bucket / 100)
        for word in words:
            if word in best:
                english[word] = freq
    entries = [(word, freq, english.get(word, 0.0)) for word, freq in best.items()]
    return _index(entries, char_skeleton), _index(entries, byte_skeleton)


def cache_path() -> Path:
    """Where the built index is kept: ``$CORPUS_TOOLS_CACHE`` or ``~/.cache/corpus_tools``."""
    root = Path(os.environ.get("CORPUS_TOOLS_CACHE") or Path.home() / ".cache" / "corpus_tools")
    tag = hashlib.sha256(
        repr((version("wordfreq"), LATIN_LANGUAGES, _BUCKETS, _ENGLISH_BUCKETS, MAX_CANDIDATES)).encode()
    ).hexdigest()[:16]
    return root / f"wordfreq-index-{tag}.pickle"


@functools.cache
def wordfreq_indexes() -> tuple[dict[str, tuple[Entry, ...]], dict[str, tuple[Entry, ...]]]:
    """(char index, byte index) over wordfreq's accented words, once per process.

    Building reads 27 word lists, which is slow; the result is cached on disk, keyed by
    the wordfreq version and the settings above, and loads much faster. A cache that cannot
    be read or written is simply rebuilt.
    """
    path = cache_path()
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        pass
    indexes = _build_indexes()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as partial:
            pickle.dump(indexes, partial, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial.name, path)
    except OSError:
        pass
    return indexes


@functools.cache
def base_frequency(word: str) -> float:
    """How common ``word`` is as it stands (no letter added): English's full list, the
    "small" lists (down to 1e-6, quick to load) of a few other large languages."""
    import wordfreq  # at the first repair that needs it, not at start-up (see _build_indexes)

    word = word.lower()
    other = max(wordfreq.word_frequency(word, lang, wordlist="small") for lang in BASE_LANGUAGES[1:])
    return max(wordfreq.word_frequency(word, "en"), other)


class Vocabulary:
    """Accented words to recover lost letters from: wordfreq plus words seen in the corpus."""

    def __init__(
        self,
        corpus_counts: Mapping[str, int] | None = None,
        use_wordfreq: bool = True,
        words: Mapping[str, float] | None = None,
    ) -> None:
        """``corpus_counts``: documents per undamaged word of this corpus; ``words``: more word
        frequencies (a domain list; small lists in tests), used like wordfreq's."""
        self.use_wordfreq = use_wordfreq
        self._chars: dict[str, list[Candidate]] = {}
        self._bytes: dict[str, list[Candidate]] = {}
        self._known = {w.lower(): f for w, f in (words or {}).items()}
        for word, freq in self._known.items():
            if not word.isascii():
                cand = Candidate(word, freq, 0.0)
                _insert(self._chars, char_skeleton(word), cand)
                _insert(self._bytes, byte_skeleton(word), cand)
        self._corpus = frozenset(word.lower() for word in corpus_counts or {})
        for word, count in (corpus_counts or {}).items():
            cand = Candidate(word.lower(), count * CORPUS_WEIGHT, count * CORPUS_WEIGHT)
            _insert(self._chars, char_skeleton(word), cand)
            _insert(self._bytes, byte_skeleton(word), cand)

    def candidates(self, skeleton: str, by_bytes: bool) -> list[Candidate]:
        """Words whose skeleton is ``skeleton``, best first; corpus and wordfreq scores add up."""
        own = (self._bytes if by_bytes else self._chars).get(skeleton, [])
        if not self.use_wordfreq:
            return list(own)
        chars, bytes_ = wordfreq_indexes()
        shared = [Candidate(*e) for e in (bytes_ if by_bytes else chars).get(skeleton, ())]
        if not own:
            return shared
        merged: dict[str, Candidate] = {}
        for cand in (*own, *shared):
            old = merged.get(cand.word)
            merged[cand.word] = (
                cand
                if old is None
                else Candidate(cand.word, old.score + cand.score, old.english + cand.english)
            )
        return sorted(merged.values(), key=lambda c: (-c.english, -c.score, c.word))

    def from_corpus(self, word: str) -> bool:
        """Was ``word`` (lower case) seen intact in the corpus? (the witness of a repair)"""
        return word in self._corpus

    def known(self, word: str) -> float:
        """Frequency of a word as written (ASCII words included); 0 when unknown."""
        if not word.isalpha():  # wordfreq would split "a?r" into "a" and "r" and answer for those
            return 0.0
        own = self._known.get(word.lower(), 0.0)
        return max(own, base_frequency(word)) if self.use_wordfreq else own
