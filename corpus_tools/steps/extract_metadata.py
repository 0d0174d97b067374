"""``extract_metadata``: fill the columns the text itself can tell, where the input did not.

The title is the first headline-like paragraph once boilerplate is gone: short, not ending
like a sentence. It stays in the text (it is part of what was published); only the column
is filled. HTML inputs already carry the page's title, which wins.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from corpus_tools.document import Document
from corpus_tools.steps.base import Step, StepOptions, register

_SENTENCE_END = (".", ",", ";", ":", "!")


class ExtractMetadataOptions(StepOptions):
    """Keys of an ``extract_metadata`` step in a chain's YAML."""

    max_title_words: int = Field(30, gt=0, description="a longer first paragraph is not a headline")


def headline(text: str, max_words: int) -> str | None:
    """The first non-blank paragraph of ``text`` if it looks like a headline, else ``None``."""
    for paragraph in _paragraphs(text):
        line = paragraph.strip()
        if not line:
            continue
        if "\n" in line or len(line.split(maxsplit=max_words)) > max_words or line.endswith(_SENTENCE_END):
            return None
        return line
    return None


def _paragraphs(text: str) -> Iterator[str]:
    """``text.split("\\n\\n")``, one at a time: the headline is in the first paragraph or two,
    and splitting the whole text was most of the step's time."""
    start = 0
    while (end := text.find("\n\n", start)) >= 0:
        yield text[start:end]
        start = end + 2
    yield text[start:]


@register
class ExtractMetadata(Step):
    name = "extract_metadata"
    Options = ExtractMetadataOptions
    options: ExtractMetadataOptions

    def process(self, doc: Document) -> None:
        if not doc.meta.get("title"):
            doc.meta["title"] = headline(doc.text, self.options.max_title_words)
