"""The chain cut into stages: the per-document work between two corpus passes.

The chain as it runs starts with ``extract_html`` (:func:`chain_as_run`), and is cut at
each corpus step (:func:`split_stages`): a stage runs its per-document steps and, when a
corpus step comes next, that step's per-document ``summarize``, whose results it folds into
the unit's partial state (``combine``). Pure: no files, no processes.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from corpus_tools.budget import UNTIMED, DocumentClock, DocumentTimeout
from corpus_tools.document import Document
from corpus_tools.readers.stream import Limits
from corpus_tools.steps import CorpusStep, Step
from corpus_tools.steps.base import Entry
from corpus_tools.steps.extract_html import ExtractHtml, with_extraction

log = logging.getLogger("corpus_tools")


@dataclass(slots=True)
class Stage:
    """Per-document work between two corpus passes; ``summarizer`` is the next pass, if any."""

    steps: list[Step]
    summarizer: CorpusStep | None = None
    seconds_per_document: float | None = None  # time budget of each document (None: unbounded)

    def run(self, doc: Document, clock: DocumentClock = UNTIMED) -> tuple[Document, Any]:
        summary = None
        try:  # the clock may interrupt anything between start and stop (see corpus_tools.budget)
            clock.start(doc)
            if not doc.rejected:
                for step in self.steps:
                    clock.at(step.name, doc)
                    try:
                        step.process(doc)
                    except Exception as exc:  # one bad document must not end the run
                        detail = f"{type(exc).__name__}: {exc} | {traceback.format_exc(limit=-1).strip()}"
                        log.warning("%s: step %s failed: %s", doc.id, step.name, exc)
                        doc.reject(step.name, "step_error", detail)
                    if doc.rejected:
                        break
            if self.summarizer is not None and not doc.rejected:
                clock.at(self.summarizer.name, doc)
                summary = self.summarizer.summarize(doc)
            clock.stop()
        except DocumentTimeout:
            clock.stop()
            clock.reject(doc)
            summary = None
        return doc, summary

    def run_many(self, docs: Iterable[Document]) -> tuple[list[Document], Any]:
        """The documents, and their summaries combined into the corpus step's partial state."""
        out: list[Document] = []
        entries: list[Entry] = []
        clock = DocumentClock(self.seconds_per_document)
        with clock.running():
            for doc in docs:
                doc, summary = self.run(doc, clock)
                out.append(doc)
                if summary is not None:
                    entries.append((doc.id, doc.meta, summary))
        return out, self.summarizer.combine(entries) if self.summarizer is not None else None


def chain_as_run(steps: list[Step], limits: Limits) -> list[Step]:
    """The steps a run runs: ``extract_html`` first (added with its defaults when the chain has
    none: :func:`with_extraction`), with the run's cap on a document's text."""
    first, *rest = with_extraction(steps)
    assert isinstance(first, ExtractHtml)
    return [first.capped(limits.max_document_bytes), *rest]


def split_stages(steps: list[Step], seconds_per_document: float | None = None) -> list[Stage]:
    """The chain cut before each corpus step; the last stage has no ``summarizer``."""
    stages = [Stage([], seconds_per_document=seconds_per_document)]
    for step in steps:
        if isinstance(step, CorpusStep):
            stages[-1].summarizer = step
            stages.append(Stage([step], seconds_per_document=seconds_per_document))
        else:
            stages[-1].steps.append(step)
    return stages
