"""``quality_filter``: drop what is not an article once cleaned, and say why.

Thresholds are deliberately loose: a short news brief is still news. What this catches
is the page that was all chrome (an index page, an error page, a paywall stub).
"""

from __future__ import annotations

import re

from pydantic import Field

from corpus_tools.document import Document
from corpus_tools.steps.base import Step, StepOptions, register

# Counting by deleting runs keeps the loop in C (a per-character Python loop ran at
# 4.7 MB/s); stdlib ``re`` is faster than ``regex`` here, and ``[^\W\d_]`` is its letters.
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_SPACES = re.compile(r"\s+")


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
        visible = len(_SPACES.sub("", doc.text))
        letters = len(_NOT_LETTERS.sub("", doc.text))
        share = letters / visible if visible else 0.0
        if share < self.options.min_letter_share:
            doc.reject(self.name, "too_few_letters", f"letters are {share:.0%} of characters")
