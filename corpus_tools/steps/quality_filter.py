"""``quality_filter``: drop what is not an article once cleaned, and say why.

Thresholds are deliberately loose: a short news brief is still news. What this catches
is the page that was all chrome (an index page, an error page, a paywall stub).
"""

from __future__ import annotations

import regex
from pydantic import Field

from corpus_tools.document import Document
from corpus_tools.steps.base import Step, StepOptions, register

_LETTER = regex.compile(r"\p{L}")


class QualityOptions(StepOptions):
    min_words: int = Field(20, ge=0, description="fewer whitespace-separated words: rule too_few_words")
    min_letter_share: float = Field(
        0.5, ge=0, le=1, description="share of non-space characters that are letters: rule too_few_letters"
    )


@register
class QualityFilter(Step):
    name = "quality_filter"
    Options = QualityOptions
    options: QualityOptions

    def process(self, doc: Document) -> None:
        words = len(doc.text.split())
        if words < self.options.min_words:
            doc.reject(self.name, "too_few_words", f"{words} words < {self.options.min_words}")
            return
        visible = sum(1 for ch in doc.text if not ch.isspace())
        letters = len(_LETTER.findall(doc.text))
        share = letters / visible if visible else 0.0
        if share < self.options.min_letter_share:
            doc.reject(self.name, "too_few_letters", f"letters are {share:.0%} of characters")
