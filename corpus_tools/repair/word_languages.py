"""Which languages a damaged text's words come from: the vocabulary to rank lost letters by.

"?tefan" is "Štefan" in Slovak and "Ștefan" in Romanian; an English article about Brașov
means the Romanian one. The text says which languages its names come from in two ways:
the words it writes intact ("Bălan") and the damaged words that only one real word fits
("Bra?ov" can only be "brașov"). Each such word votes for its *home* languages, those whose
lists give it at least a tenth of its highest frequency (so "zürich", listed by seventeen
languages, votes German only). The languages that collect enough votes, plus the language the
text itself is written in, rank the candidates of the ambiguous words (:mod:`.lossy_words`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from corpus_tools.repair.thresholds import LOSSY
from corpus_tools.repair.vocabulary import Candidate


def home_languages(candidate: Candidate) -> list[str]:
    """The languages whose lists give ``candidate`` at least 1/``home_ratio`` of its best frequency."""
    floor = candidate.score / LOSSY.home_ratio
    return [lang for lang, freq in candidate.languages if freq >= floor]


class LanguageVotes:
    """Votes of a text's words for the languages they come from."""

    def __init__(self, written_in: str = "") -> None:
        self.written_in = written_in  # the text's own language (function words), if known
        self.votes: Counter[str] = Counter()

    def add(self, languages: Iterable[str]) -> None:
        self.votes.update(languages)

    def preferred(self) -> frozenset[str]:
        """The languages with at least ``LOSSY.language_votes`` votes and half the leader's,
        and the text's own language (English is the default ranking already)."""
        chosen = set()
        if self.written_in and self.written_in != "en":
            chosen.add(self.written_in)
        top = max(self.votes.values(), default=0)
        if top >= LOSSY.language_votes:
            least = max(LOSSY.language_votes, top / 2)
            chosen.update(lang for lang, n in self.votes.items() if n >= least)
        return frozenset(chosen)
