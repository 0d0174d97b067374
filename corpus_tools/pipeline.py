"""Run a chain of steps over a stream of documents, locally, one process or a pool.

The chain is cut into *stages* at each corpus step. A stage runs its per-document steps
on the stream; when a corpus step comes next, the same pass also computes that step's
per-document summary, the documents are spilled to a temporary file (so memory holds the
corpus step's compact state, never the corpus), the state is finished, and the next stage
reads the spill back. Order is kept everywhere, so output is deterministic whatever the
number of workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_tools.document import Document
from corpus_tools.steps import CorpusStep, Step

log = logging.getLogger("corpus_tools")

CHUNK = 16  # documents per task sent to a worker: amortises pickling without hurting balance


@dataclass(slots=True)
class Stage:
    """Per-document work between two corpus passes; ``summarizer`` is the next pass, if any."""

    steps: list[Step]
    summarizer: CorpusStep | None = None

    def run(self, doc: Document) -> tuple[Document, Any]:
        if not doc.rejected:
            for step in self.steps:
                try:
                    step.process(doc)
                except Exception as exc:  # one bad document must not end the run
                    detail = f"{type(exc).__name__}: {exc} | {traceback.format_exc(limit=-1).strip()}"
                    log.warning("%s: step %s failed: %s", doc.id, step.name, exc)
                    doc.reject(step.name, "step_error", detail)
                if doc.rejected:
                    break
        summary = None
        if self.summarizer is not None and not doc.rejected:
            summary = self.summarizer.summarize(doc)
        return doc, summary


def split_stages(steps: list[Step]) -> list[Stage]:
    stages = [Stage([])]
    for step in steps:
        if isinstance(step, CorpusStep):
            stages[-1].summarizer = step
            stages.append(Stage([step]))
        else:
            stages[-1].steps.append(step)
    return stages


@dataclass
class Runner:
    """Runs stages in order; ``figures`` collects what each corpus pass reports at its close."""

    steps: list[Step]
    workers: int = 1
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        stages = split_stages(self.steps)
        with tempfile.TemporaryDirectory(prefix="corpus-tools-spill-") as spill_dir:
            stream: Iterable[Document] = docs
            for index, stage in enumerate(stages):
                processed = self._map(stage, stream)
                if stage.summarizer is None:
                    for doc, _ in processed:
                        yield doc
                    return
                spill = Path(spill_dir) / f"stage-{index}.pickle"
                self._spill(processed, stage.summarizer, spill)
                self.figures[stage.summarizer.name] = stage.summarizer.finish()
                stream = _read_spill(spill)

    def _map(self, stage: Stage, docs: Iterable[Document]) -> Iterator[tuple[Document, Any]]:
        if self.workers <= 1:
            return map(stage.run, docs)
        return _pool_map(stage, docs, self.workers)

    @staticmethod
    def _spill(processed: Iterator[tuple[Document, Any]], summarizer: CorpusStep, path: Path) -> None:
        with path.open("wb") as out:
            for doc, summary in processed:
                pickle.dump(doc, out, protocol=pickle.HIGHEST_PROTOCOL)
                if summary is not None:
                    summarizer.collect(doc.id, doc.meta, summary)


def _read_spill(path: Path) -> Iterator[Document]:
    with path.open("rb") as spill:
        while True:
            try:
                yield pickle.load(spill)
            except EOFError:
                return


_WORKER_STAGE: Stage | None = None


def _init_worker(stage: Stage) -> None:
    global _WORKER_STAGE
    _WORKER_STAGE = stage


def _run_in_worker(doc: Document) -> tuple[Document, Any]:
    assert _WORKER_STAGE is not None
    return _WORKER_STAGE.run(doc)


def _pool_map(stage: Stage, docs: Iterable[Document], workers: int) -> Iterator[tuple[Document, Any]]:
    """Ordered parallel map; the stage (with any finished corpus state) is sent once per worker."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with context.Pool(workers, initializer=_init_worker, initargs=(stage,)) as pool:
        yield from pool.imap(_run_in_worker, docs, chunksize=CHUNK)
