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
import hmac
import math
import os
import pickle
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from corpus_tools.safety.signing import Signer, TamperedFile, user_secret

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
MAX_CANDIDATES = 6  # per skeleton, by English use and frequency (plus each language's best)
MAX_BYTE_KEYS = 32  # character skeletons tried for one byte skeleton ("????" is one or two characters)
INDEX_FORMAT = 2  # the layout of the cached index (part of its file name)


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
    ``languages``: the word's frequency in each language that lists it (language, frequency),
    read when the document says which languages its words come from (:meth:`frequency_in`).
    """

    word: str  # lower case
    score: float
    english: float = 0.0
    languages: tuple[tuple[str, float], ...] = ()

    def frequency_in(self, languages: Collection[str]) -> float:
        """The word's highest frequency in one of ``languages`` (0 when none lists it)."""
        return max((freq for lang, freq in self.languages if lang in languages), default=0.0)


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


# The shared index keeps, per character skeleton, one string: its candidates separated by
# ";", each "word score english lang:bucket,lang:bucket" with frequencies as wordfreq's
# centibel buckets (frequency 10**(-bucket/100); english "-" when English never uses it).
# Half a million words held as small strings take a fraction of the memory of tuples of
# floats, and only the few skeletons a damaged word asks for are ever parsed.
Index = dict[str, str]


def _bucket(freq: float) -> int:
    return round(-100 * math.log10(freq))


def _frequency(bucket: str) -> float:
    return 10 ** (-int(bucket) / 100)


def _encode(word: str, buckets: dict[str, int], english: int | None) -> str:
    langs = ",".join(f"{lang}:{bucket}" for lang, bucket in sorted(buckets.items()))
    return f"{word} {min(buckets.values())} {'-' if english is None else english} {langs}"


def _decode(entry: str) -> Candidate:
    word, score, english, langs = entry.split(" ")
    split = (pair.split(":") for pair in langs.split(","))
    pairs = tuple((lang, _frequency(bucket)) for lang, bucket in split)
    return Candidate(word, _frequency(score), 0.0 if english == "-" else _frequency(english), pairs)


_Built = tuple[str, dict[str, int], int | None]  # word, bucket per language, English bucket


def _keep(found: list[_Built]) -> list[_Built]:
    """The ``MAX_CANDIDATES`` best by (English use, frequency), and each language's most
    frequent word of the shape, so that a document's own language always finds its word."""
    found.sort(key=lambda e: (e[2] if e[2] is not None else _NEVER, min(e[1].values()), e[0]))
    kept = found[:MAX_CANDIDATES]
    best_in: dict[str, tuple[int, str]] = {}
    for word, buckets, _ in found:
        for lang, bucket in buckets.items():
            if lang not in best_in or (bucket, word) < best_in[lang]:
                best_in[lang] = (bucket, word)
    chosen = {entry[0] for entry in kept}
    wanted = {word for _, word in best_in.values()} - chosen
    return kept + [entry for entry in found if entry[0] in wanted]


_NEVER = 10_000  # the bucket of a spelling English never uses: after every real one


def _build_index() -> Index:
    # imported here, on a cache miss only: importing wordfreq (and langcodes) is a large
    # share of a run's start-up, and the cached index does not need it
    import wordfreq

    buckets: dict[str, dict[str, int]] = {}
    for lang in LATIN_LANGUAGES:
        for bucket, words in enumerate(wordfreq.get_frequency_list(lang, "best")[:_BUCKETS]):
            for word in words:
                if not word.isascii() and word.isalpha():
                    buckets.setdefault(word, {}).setdefault(lang, bucket)
    english: dict[str, int] = {}
    for bucket, words in enumerate(wordfreq.get_frequency_list("en", "best")[:_ENGLISH_BUCKETS]):
        for word in words:
            if word in buckets:
                english.setdefault(word, bucket)
    grouped: dict[str, list[_Built]] = {}
    for word, langs in buckets.items():
        grouped.setdefault(char_skeleton(word), []).append((word, langs, english.get(word)))
    return {key: ";".join(_encode(*entry) for entry in _keep(found)) for key, found in grouped.items()}


def cache_path() -> Path:
    """Where the built index is kept: ``$CORPUS_TOOLS_CACHE`` or ``~/.cache/corpus_tools``."""
    root = Path(os.environ.get("CORPUS_TOOLS_CACHE") or Path.home() / ".cache" / "corpus_tools")
    tag = hashlib.sha256(
        repr(
            (INDEX_FORMAT, version("wordfreq"), LATIN_LANGUAGES, _BUCKETS, _ENGLISH_BUCKETS, MAX_CANDIDATES)
        ).encode()
    ).hexdigest()[:16]
    return root / f"wordfreq-index-{tag}.pickle"


@functools.cache
def wordfreq_index() -> Index:
    """The character-skeleton index over wordfreq's accented words, once per process.

    Building reads 27 word lists, which is slow; the result is cached on disk, keyed by
    the wordfreq version and the settings above, and loads much faster. The cache is a
    pickle, and unpickling runs code, so it is signed with the user's secret (as the work
    folder's spills are, :mod:`corpus_tools.safety.signing`) and loaded only when the
    signature holds: a file someone else put in a shared ``$CORPUS_TOOLS_CACHE`` is rebuilt
    over, never loaded. A cache that cannot be read, checked or written is simply rebuilt.
    """
    path = cache_path()
    signer = _cache_signer()
    if signer is not None:
        try:
            return signer.load(path, path.name)
        except (OSError, TamperedFile, pickle.UnpicklingError, EOFError, ValueError):
            pass
    index = _build_index()
    if signer is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            signer.dump(path, path.name, index)
        except OSError:
            pass
    return index


def _cache_signer() -> Signer | None:
    """The signer of the index cache: a key of its own derived from the user's secret; None
    (no cache) where the user has no private place for one."""
    secret = user_secret()
    if secret is None:
        return None
    return Signer(hmac.new(secret, b"wordfreq index\0", hashlib.sha256).digest())


def char_keys(byte_key: str) -> list[str]:
    """The character skeletons a byte skeleton may come from: a run of n marks is one
    character of n bytes (2 to 4), or several ("????": one 4-byte or two 2-byte characters)."""
    pieces = re.split(r"(\?+)", byte_key)
    options: list[list[str]] = []
    for piece in pieces:
        if piece.startswith("?"):
            counts = [k for k in range(1, len(piece) // 2 + 1) if 2 * k <= len(piece) <= 4 * k]
            options.append(["?" * k for k in counts])
        elif piece:
            options.append([piece])
    keys = [""]
    for choice in options:
        keys = [key + part for key in keys for part in choice][:MAX_BYTE_KEYS]
    return keys


@functools.lru_cache(maxsize=4096)
def shared_candidates(skeleton: str, by_bytes: bool) -> tuple[Candidate, ...]:
    """wordfreq's candidates for a skeleton (one mark per character, or per UTF-8 byte)."""
    index = wordfreq_index()
    if not by_bytes:
        return tuple(_decode(entry) for entry in index[skeleton].split(";")) if skeleton in index else ()
    found = [
        cand
        for key in char_keys(skeleton)
        if key in index
        for cand in map(_decode, index[key].split(";"))
        if byte_skeleton(cand.word) == skeleton
    ]
    return tuple(sorted(found, key=lambda c: (-c.english, -c.score, c.word)))


@functools.cache
def base_frequency(word: str, language: str = "") -> float:
    """How common ``word`` is as it stands (no letter added), in the language the text is
    written in: English's full list by default, the "small" list (down to 1e-6, quick to load)
    of another ``language``. A bare word counts in the text's language, not in every language:
    "sa" is French, but an English text's "?sa" is a name that lost its first letter, and
    "demand" is English, but a French text's "demand?" is "demandé"."""
    import wordfreq  # at the first repair that needs it, not at start-up (see _build_index)

    word = word.lower()
    if language and language != "en":
        return wordfreq.word_frequency(word, language, wordlist="small")
    return wordfreq.word_frequency(word, "en")


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
        shared = shared_candidates(skeleton, by_bytes)
        if not own:
            return list(shared)
        merged: dict[str, Candidate] = {}
        for cand in (*own, *shared):
            old = merged.get(cand.word)
            merged[cand.word] = (
                cand
                if old is None
                else Candidate(
                    cand.word,
                    old.score + cand.score,
                    old.english + cand.english,
                    old.languages or cand.languages,
                )
            )
        return sorted(merged.values(), key=lambda c: (-c.english, -c.score, c.word))

    def entry(self, word: str) -> Candidate | None:
        """wordfreq's entry for ``word`` (lower case, with a non-ASCII letter), or None."""
        if not self.use_wordfreq:
            return None
        for cand in shared_candidates(char_skeleton(word), False):
            if cand.word == word:
                return cand
        return None

    def from_corpus(self, word: str) -> bool:
        """Was ``word`` (lower case) seen intact in the corpus? (the witness of a repair)"""
        return word in self._corpus

    def known(self, word: str, language: str = "") -> float:
        """Frequency of a word as written (ASCII words included), in English and ``language``
        (the text's own, when known); 0 when unknown."""
        if not word.isalpha():  # wordfreq would split "a?r" into "a" and "r" and answer for those
            return 0.0
        own = self._known.get(word.lower(), 0.0)
        return max(own, base_frequency(word, language)) if self.use_wordfreq else own
