"""Witnesses for a lost currency sign: which of € £ ¥ ... a `?` before or after an amount was.

A mark next to a number ("?20", "20 ?") is a currency sign only when the text says which
one, strongest witness first:

1. ``currency_from_document``: the signs the document itself kept intact, the most used one
   if it is used at least twice as often as the next;
2. ``currency_from_name``: the text around the amount (``NAME_WINDOW`` characters either
   side) names one currency only ("euros", "sterling", "yen");
3. ``currency_from_number_format``: for a sign after the amount only, the amount is written
   with a decimal comma ("2,40 ?"), as continental Europe writes it: "€";
4. ``currency_from_place``: the country or large city named nearest the amount (within
   ``PLACE_WINDOW`` characters): where a price is paid says in which currency;
5. ``currency_from_code_page``: the damage leaves only one of € £ ¥ possible (a text that
   kept "é" and "£" lost a character outside Latin-1: "€"; three marks per character: "€");
6. ``currency_from_grouping``: the amount groups its thousands with a space ("?2 000"),
   as the euro countries do and Britain and Japan never do: "€";
7. ``currency_from_corpus``: the corpus' most used sign, if at least ``MIN_CORPUS_DOCUMENTS``
   documents use it and it dominates the next one 2:1;
8. ``currency_from_language``: a weak prior from the document's function words (German,
   French, Spanish, Italian, Portuguese, Dutch: "€"; kana: "¥").

A mark after the amount ("20 ? pour") may end a question, so it takes only 1-3 and 8.

Without a witness the mark stays and is counted (``encoding_marks_left``): an English
"?4.5m" may be pounds, euros or dollars converted, and a guess would be wrong as often as not.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable

from corpus_tools.repair.language import euro_language, leader

CURRENCIES = "€£¥₹₺₽"  # the signs a lost mark may stand for
NAME_WINDOW = 300  # characters either side of an amount in which a currency's name counts
NUMBER_REACH = 16  # characters before a sign after the amount read for the amount's format
PLACE_WINDOW = 40  # characters either side of an amount in which a place's name counts
MAJOR = "€£¥"  # the signs a code page can tell apart
MIN_CORPUS_DOCUMENTS = 5  # documents a corpus sign needs before it says anything

_NAMES = re.compile(
    r"\b(?:(?i:euros?|eurozone)|EUR|(?i:sterling|pence)|GBP|(?i:yen)|JPY|(?i:rupees?)|INR"
    r"|(?i:lira)|TRY|(?i:roubles?|rubles?)|RUB)\b"
)
_NAME_SIGN = {
    "euro": "€", "euros": "€", "eurozone": "€", "eur": "€",
    "sterling": "£", "pence": "£", "gbp": "£",
    "yen": "¥", "jpy": "¥",
    "rupee": "₹", "rupees": "₹", "inr": "₹",
    "lira": "₺", "try": "₺",
    "rouble": "₽", "roubles": "₽", "ruble": "₽", "rubles": "₽", "rub": "₽",
}  # fmt: skip
# countries and their largest cities, with their adjectives: where a price is paid says in
# which currency (a place named next to the amount: "?980 in Osaka", "?899 in Britain")
_PLACES = {
    "£": "Britain British UK England Scotland Scottish Wales Welsh London Manchester Birmingham "
    "Liverpool Leeds Glasgow Edinburgh Bristol Cardiff",
    "¥": "Japan Japanese Tokyo Osaka Kyoto Yokohama Nagoya Sapporo Kobe Fukuoka",
    "€": "Germany France Spain Italy Ireland Portugal Netherlands Belgium Austria Greece Finland "
    "Berlin Munich Hamburg Frankfurt Paris Lyon Marseille Madrid Barcelona Seville Rome Milan "
    "Naples Dublin Lisbon Porto Amsterdam Rotterdam Brussels Vienna Athens Helsinki eurozone",
}
_PLACE = re.compile(r"\b(?:" + "|".join(w for ws in _PLACES.values() for w in ws.split()) + r")\b")
_PLACE_SIGN = {word: sign for sign, words in _PLACES.items() for word in words.split()}
# an amount written with a decimal comma ("4,20", "1.250,50"): continental Europe, where a
# sign after the amount is the euro's (Britain and Japan write a decimal point)
DECIMAL_COMMA = re.compile(r"(?<![\d,.])\d{1,3}(?:\.\d{3})*,\d{2}[ \u00a0\u202f]?$")
_KANA = re.compile("[\u3040-\u30ff]")
_SIGN = re.compile(f"[{CURRENCIES}]")


def dominant(counts: Counter[str], least: int = 1) -> str:
    """The most used sign if used ``least`` times and twice as often as the next, else ''."""
    return leader(counts, least)


def document_sign(text: str) -> str:
    """The sign the document keeps intact most (dominant), or ''."""
    return dominant(Counter(_SIGN.findall(text)))


def named_sign(text: str) -> str:
    """The sign of the one currency ``text`` names, or '' (none, or several)."""
    signs = {_NAME_SIGN[m[0].lower()] for m in _NAMES.finditer(text)}
    return signs.pop() if len(signs) == 1 else ""


_AMOUNT = re.compile(r"[?\ufffd]*[\d.,]*")  # the mark and the amount after it, if any


def place_sign(text: str, at: int) -> str:
    """The sign of the place named nearest the amount whose mark is at ``at`` (within
    ``PLACE_WINDOW`` characters either side of the mark and amount), or ''."""
    end = _AMOUNT.match(text, at).end()  # type: ignore[union-attr]  # matches everywhere
    best = ""
    distance = PLACE_WINDOW + 1
    for found in _PLACE.finditer(text, max(0, at - PLACE_WINDOW), end + PLACE_WINDOW):
        gap = at - found.end() if found.end() <= at else found.start() - end
        if gap < distance:
            best, distance = _PLACE_SIGN[found[0]], gap
    return best


def language_sign(text: str) -> str:
    """A weak prior from the document's language: € for the euro languages, ¥ for Japanese."""
    if _KANA.search(text):
        return "¥"
    return "€" if euro_language(text) else ""


class CurrencyWitness:
    """Decides a lost currency sign for one document; each witness read once, when first needed."""

    def __init__(self, text: str, corpus_sign: str) -> None:
        self.text = text
        self.corpus_sign = corpus_sign

    @functools.cached_property
    def document(self) -> str:
        """The sign the document keeps intact most (``currency_from_document``)."""
        return document_sign(self.text)

    @functools.cached_property
    def language(self) -> str:
        """The prior of the document's language (``currency_from_language``)."""
        return language_sign(self.text)

    def decide(
        self, allows: Callable[[str], bool], at: int, *, weak_ok: bool = True, grouped: bool = False
    ) -> tuple[str, str] | None:
        """(sign, rule) of the strongest witness whose sign the mark may stand for (``allows``:
        its kind of damage), or None; ``at``: where the mark is.

        ``grouped``: the amount groups its thousands with a space. ``weak_ok=False`` leaves
        out the code page, the grouping and the corpus: they say which sign, not that a mark
        after a number is one ("20?" may end a question).
        """
        sign = self.document
        if sign and allows(sign):
            return sign, "currency_from_document"
        sign = named_sign(self.text[max(0, at - NAME_WINDOW) : at + NAME_WINDOW])
        if sign and allows(sign):
            return sign, "currency_from_name"
        if not weak_ok and DECIMAL_COMMA.search(self.text, max(0, at - NUMBER_REACH), at) and allows("€"):
            return "€", "currency_from_number_format"
        if weak_ok:
            sign = place_sign(self.text, at)
            if sign and allows(sign):
                return sign, "currency_from_place"
            fitting = [c for c in MAJOR if allows(c)]
            if len(fitting) == 1:
                return fitting[0], "currency_from_code_page"
            if grouped and allows("€"):
                return "€", "currency_from_grouping"
            sign = self.corpus_sign
            if sign and allows(sign):
                return sign, "currency_from_corpus"
        sign = self.language
        if sign and allows(sign):
            return sign, "currency_from_language"
        return None
