"""The language a damaged text is written in, from its function words: a cheap, weak prior.

``detect_language`` runs after ``fix_encoding`` (it needs the repaired text), so the lossy
reader reads the language itself, from words no mark touches: the short function words
each language uses and the others do not ("und", "les", "los", "della", "não", "het").
It only says something when one language has at least ``MIN_FUNCTION_WORDS`` of them and
twice as many as any other: the euro as the sign of a price is read only then. French
spacing (a no-break space before ":" ";" "!" "?", guillemets), whose pattern is itself
French, asks for one French function word and none of another language.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

MIN_FUNCTION_WORDS = 3  # function words a language needs before it is believed
LEAD = 2.0  # ... and this many times as many as the next language
SAMPLE = 1500  # characters read: a prior needs no more, and a long text costs no more
EURO_LANGUAGES = frozenset({"de", "fr", "es", "it", "pt", "nl"})

# each word listed under one language only, and none an English word
_FUNCTION_WORDS = {
    "en": "the and of to is that for with was were which from",
    "de": "der und nicht ist ein eine mit für auf dem von zu im das sich auch",
    "fr": "le les une est et pour dans pas qui sur du au aux avec nous vous",
    "es": "el los las del y para por con es se lo muy",
    "it": "gli della che non sono nel degli alla anche",
    "pt": "os dos uma não com da do em ao pelo",
    "nl": "het een van niet voor zijn op ook bij",
}
_LANGUAGE_OF = {word: lang for lang, words in _FUNCTION_WORDS.items() for word in words.split()}
# function words several euro languages share (so no one language's above), none English:
# they tell a euro-language text from an English one, not which euro language it is
_EURO_SHARED = frozenset(["e", "o", "para", "que", "di", "il", "per", "en", "la", "al"])
_WORD = re.compile(r"[^\W\d_]+")


def document_language(text: str, least: int = MIN_FUNCTION_WORDS) -> str:
    """The language whose function words lead clearly ("fr", "de", ...), or ''.

    ``least``: the function words it needs; a pattern only one language's typography explains
    (a space before a colon) asks for fewer.
    """
    counts = _language_counts(text[:SAMPLE])
    return leader(counts, least)


@functools.lru_cache(maxsize=4)  # asked by the currency prior and French spacing of one text
def _language_counts(text: str) -> Counter[str]:
    # findall and map keep the loop over the words in C
    return Counter(filter(None, map(_LANGUAGE_OF.get, _WORD.findall(text.lower()))))


def euro_language(text: str) -> bool:
    """Is ``text`` written in one of the euro languages, whichever? Their function words,
    the shared ones included ("o", "e", "para"), lead the English ones as ``leader`` asks."""
    if document_language(text) in EURO_LANGUAGES:
        return True
    counts = _language_counts(text[:SAMPLE])
    words = _WORD.findall(text[:SAMPLE].lower())
    shared = sum(word in _EURO_SHARED for word in words)
    euro = shared + sum(n for lang, n in counts.items() if lang in EURO_LANGUAGES)
    return leader(Counter({"euro": euro, "en": counts["en"]}), MIN_FUNCTION_WORDS) == "euro"


def leader(counts: Counter[str], least: int = 1) -> str:
    """The most counted key if counted ``least`` times and ``LEAD`` times as often as the next, else ''."""
    top = counts.most_common(2)
    if not top or top[0][1] < least or (len(top) == 2 and top[0][1] < LEAD * top[1][1]):
        return ""
    return top[0][0]
