"""Run one corpus step's two passes over documents held in memory, as the pipeline does."""

from __future__ import annotations

from typing import Any

from corpus_tools.document import Document
from corpus_tools.steps import CorpusStep


def run_corpus_pass(step: CorpusStep, docs: list[Document]) -> dict[str, Any]:
    """summarize, combine and merge the documents (one unit), finish, then process each;
    returns finish's figures."""
    step.collect_documents(docs)
    figures = step.finish()
    for doc in docs:
        step.process(doc)
    return figures
