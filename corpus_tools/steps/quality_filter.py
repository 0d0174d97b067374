"""``quality_filter``: drop what is not an article once cleaned, and say why.

Thresholds are deliberately loose: a short news brief is still news. What this catches
is the page that was all chrome (an index page, an error page, a paywall stub).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from pydantic import Field

from corpus_tools.boilerplate.lines import units_of
from corpus_tools.document import Document
from corpus_tools.steps.base import Step, StepOptions, register

# Letters and spaces are counted without a Python loop per character, a regex over the text or a
# list of its words (``str.split``: one string per word); all three are slower. ASCII letters and
# ASCII spaces: ``bytes.translate`` maps each byte of the UTF-8 text to 1 if it is one, else 0,
# and numpy counts the ones; both passes are branch-free (deleting the other bytes with
# ``translate`` or ``bytes.count`` branch per byte). The rare non-ASCII characters: the ASCII
# bytes are deleted (a predictable branch: nearly all go) and each distinct character left is
# tested with ``str.isalpha`` / ``str.isspace`` (the test of ``str.split``).
_ASCII = bytes(range(128))
_IS_ASCII_LETTER = bytes(int(b < 128 and chr(b).isalpha()) for b in range(256))
_IS_ASCII_SPACE = bytes(int(b < 128 and chr(b).isspace()) for b in range(256))


def _ones(data: bytes, table: bytes) -> int:
    """How many bytes of ``data`` ``table`` maps to 1 (it maps every byte to 0 or 1)."""
    return int(np.count_nonzero(np.frombuffer(data.translate(table), dtype=np.uint8)))


def character_counts(text: str) -> tuple[int, int]:
    """How many characters of ``text`` are letters (``str.isalpha``, any script), and how many
    are not whitespace (``str.isspace``: the characters of ``text.split()``'s words)."""
    data = text.encode("utf-8", "surrogatepass")
    letters = _ones(data, _IS_ASCII_LETTER)
    spaces = _ones(data, _IS_ASCII_SPACE)
    if not text.isascii():
        # Deleting whole ASCII bytes leaves the multi-byte characters intact.
        others = Counter(data.translate(None, _ASCII).decode("utf-8", "surrogatepass"))
        for char, count in others.items():
            if char.isalpha():
                letters += count
            elif char.isspace():
                spaces += count
    return letters, len(text) - spaces


class QualityFilterOptions(StepOptions):
    """Keys of a ``quality_filter`` step in a chain's YAML: the rules' thresholds."""

    min_words: int = Field(
        20, ge=0, description="fewer words: rule too_few_words (unspaced scripts: one word per 3 characters)"
    )
    min_letter_share: float = Field(
        0.5, ge=0, le=1, description="share of non-space characters that are letters: rule too_few_letters"
    )


@register
class QualityFilter(Step):
    name = "quality_filter"
    Options = QualityFilterOptions
    options: QualityFilterOptions

    def process(self, doc: Document) -> None:
        # Splitting off at most min_words words tells whether there are fewer (then it found
        # them all, and their number is exact) without splitting the whole text.
        words = len(doc.text.split(maxsplit=self.options.min_words))
        if words < self.options.min_words and not doc.text.isascii():
            # Chinese, Japanese, Thai, Khmer: words are not separated by spaces; the count the
            # boilerplate signals use (lines.units_of) counts their characters
            words = units_of(doc.text)
        if words < self.options.min_words:
            doc.reject(self.name, "too_few_words", f"{words} words < {self.options.min_words}")
            return
        letters, visible = character_counts(doc.text)
        share = letters / visible if visible else 0.0
        if share < self.options.min_letter_share:
            doc.reject(self.name, "too_few_letters", f"letters are {share:.0%} of characters")
