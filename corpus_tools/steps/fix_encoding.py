"""``fix_encoding``: undo mojibake and HTML references, recover characters lost to `?`/U+FFFD.

A corpus step, because the best evidence for a lost letter is the same word written
correctly elsewhere in the corpus: "Sigur?sson" in one article, "Sigurðsson" in the next.

* ``summarize`` (per document, in workers): the document's *undamaged* words holding a
  non-ASCII letter, after the reversible repairs (entities, mojibake), plus the currency
  signs it uses. Only such words can restore a lost letter, so the summary stays small.
* ``combine`` counts, per unit of input, in how many documents each word (and currency
  sign) appears; ``merge`` adds the units' counts up.
* ``process`` repairs each document with :func:`corpus_tools.repair.repair`, the corpus
  counts and wordfreq. Every repaired mark or run is one edit naming its rule; marks left
  for lack of evidence are counted in ``meta["encoding_marks_left"]``.

Used as a plain per-document step (``process`` without the corpus pass), it falls back to
wordfreq alone.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from pydantic import Field

from corpus_tools.document import Document
from corpus_tools.repair import Vocabulary, repair, repair_reversible
from corpus_tools.repair.gate import may_be_mojibake, may_have_entities, non_ascii_runs
from corpus_tools.repair.signs import CURRENCIES, MIN_CORPUS_DOCUMENTS, dominant
from corpus_tools.repair.witnesses import undamaged_words
from corpus_tools.steps.base import CorpusStep, Entry, StepOptions, register


class Summary(NamedTuple):
    words: tuple[str, ...]  # undamaged, lower case, with a non-ASCII letter
    currencies: str  # currency signs the document uses, one each


class FixEncodingOptions(StepOptions):
    """Keys of a ``fix_encoding`` step in a chain's YAML: which repairs it may make."""

    recover_lossy: bool = Field(True, description="decide `?`/U+FFFD marks (off: entities and mojibake only)")
    wordfreq: bool = Field(True, description="recover lost letters from wordfreq's word lists")
    corpus_vocabulary: bool = Field(True, description="... and from words seen undamaged in the corpus")


@register
class FixEncoding(CorpusStep):
    name = "fix_encoding"

    Options = FixEncodingOptions
    options: FixEncodingOptions

    def __init__(self, options: StepOptions | None = None) -> None:
        super().__init__(options)
        self.word_counts: Counter[str] = Counter()
        self.currency_counts: Counter[str] = Counter()
        self.vocabulary: Vocabulary | None = None
        self.corpus_sign = ""  # the corpus' dominant currency sign, if one dominates

    def summarize(self, doc: Document) -> Summary:
        text = doc.text
        if not self.options.corpus_vocabulary:
            return Summary((), "")
        runs = None if text.isascii() else non_ascii_runs(text)  # for both questions below
        if may_have_entities(text) or may_be_mojibake(text, runs):
            text = repair_reversible(text)[0]  # "Se&aacute;n" and "SeÃ¡n" are words too
            runs = None
        if text.isascii():
            return Summary((), "")
        signs = "".join(sign for sign in CURRENCIES if sign in text)
        return Summary(tuple(sorted(undamaged_words(text, runs))), signs)

    def combine(self, entries: list[Entry]) -> tuple[Counter[str], Counter[str]]:
        words: Counter[str] = Counter()
        currencies: Counter[str] = Counter()
        for _, _, summary in entries:
            words.update(summary.words)
            currencies.update(summary.currencies)
        return words, currencies

    def merge(self, partial: tuple[Counter[str], Counter[str]]) -> None:
        # a word's first unit comes first, and within it its first document: the counters
        # keep the order in which the documents first showed each word, as counting one by one does
        words, currencies = partial
        self.word_counts.update(words)
        self.currency_counts.update(currencies)

    def finish(self) -> dict[str, Any]:
        self.vocabulary = Vocabulary(self.word_counts, use_wordfreq=self.options.wordfreq)
        self.corpus_sign = dominant(self.currency_counts, MIN_CORPUS_DOCUMENTS)
        return {"corpus_words": len(self.word_counts), "corpus_currency": self.corpus_sign}

    def process(self, doc: Document) -> None:
        if self.vocabulary is None:
            self.vocabulary = Vocabulary(use_wordfreq=self.options.wordfreq)
        text = doc.text
        if not self.options.recover_lossy:
            doc.apply(self.name, repair_reversible(text)[1])
            doc.meta["encoding_marks_left"] = 0
            return
        result = repair(text, self.vocabulary, self.corpus_sign)
        doc.apply(self.name, result.changes)
        doc.meta["encoding_marks_left"] = result.marks_left
