"""Input read as the chain's first step leaves it: each document through ``extract_html``."""

from __future__ import annotations

from pathlib import Path

from corpus_tools.document import Document
from corpus_tools.readers import expand_inputs, read_inputs
from corpus_tools.steps.extract_html import ExtractHtml


def read_extracted(*paths: Path | str, step: ExtractHtml | None = None) -> list[Document]:
    """The documents of ``paths`` in input order, HTML pages made their article by ``step``."""
    step = step or ExtractHtml()
    docs = []
    for doc in read_inputs(expand_inputs([str(path) for path in paths])):
        if not doc.rejected:
            step.process(doc)
        docs.append(doc)
    return docs
