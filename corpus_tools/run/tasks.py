"""The work an executor runs: one type per kind of task, of stage job and of result.

A task is what one worker does alone: :class:`ReadInput` (the first stage reads a unit of
input) or :class:`ReadSpill` (a later stage reads the unit's documents from the previous
stage's spill). A job is what all tasks of one stage share, sent to each worker once:
:class:`PassJob` (the stage ends at a corpus pass: it spills the unit and hands back its
partial state) or :class:`FinalJob` (the last stage: it hands the unit's documents to the
sink). The results: :class:`Summarized` (partial state in hand), :class:`Spilled` (partial
state in the spill only: a resumed unit, or one whose task ran in another process, where the
spill written anyway spares pickling the state a second time) and :class:`Finished` (the
sink's output). Both jobs follow :class:`corpus_tools.executors.base.Job`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from corpus_tools.document import Document
from corpus_tools.run.sinks import Sink
from corpus_tools.run.spills import Spills, sha256
from corpus_tools.run.stages import Stage
from corpus_tools.run.tuning import keep_freed_heap, spare_long_lived_objects
from corpus_tools.run.units import Reading, Unit
from corpus_tools.safety.signing import Signer

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReadInput:
    """The first stage's task: read one unit of input."""

    unit: Unit

    def key(self, upstream: str) -> str:
        return sha256(upstream, self.unit.digest())


@dataclass(frozen=True, slots=True)
class ReadSpill:
    """A later stage's task: read one unit's documents from the previous stage's spill."""

    previous: str  # the unit's key at the previous stage

    def key(self, upstream: str) -> str:
        return sha256(upstream, self.previous)


Task = ReadInput | ReadSpill


@dataclass(frozen=True, slots=True)
class Summarized:
    """A unit through a stage that ends at a corpus pass, its partial state in hand."""

    key: str
    partial: Any
    resumed = False

    def partial_state(self, spills: Spills, stage: int) -> Any:
        return self.partial


@dataclass(frozen=True, slots=True)
class Spilled:
    """A unit through a stage that ends at a corpus pass, its partial state in its spill only."""

    key: str
    resumed: bool

    def partial_state(self, spills: Spills, stage: int) -> Any:
        return spills.read(stage, self.key, "sum")


PassResult = Summarized | Spilled


@dataclass(frozen=True, slots=True)
class Finished(Generic[T]):
    """A unit through the last stage: what the sink made of its documents."""

    key: str
    output: T


@dataclass
class _StageJob:
    """What every task of one stage needs besides itself."""

    stage: Stage
    number: int
    upstream: str  # digest of everything this stage depends on besides its unit
    spills: Spills
    reading: Reading

    @property
    def signer(self) -> Signer | None:
        return self.spills.signer

    def attach(self, signer: Signer) -> None:
        self.spills.attach(signer)

    def file(self, name: str, kind: str) -> Path:
        return self.spills.path(self.number, name, kind)

    def enter_worker(self) -> None:
        """Process settings for this stage, in a worker process that has just loaded it: the
        main process applies the same for each stage (see :mod:`corpus_tools.run.tuning`)."""
        spare_long_lived_objects()
        keep_freed_heap()

    def _documents(self, task: Task) -> Iterable[Document]:
        if isinstance(task, ReadInput):
            return task.unit.read(self.reading)
        docs: list[Document] = self.spills.read(self.number - 1, task.previous, "docs")
        return docs


@dataclass
class PassJob(_StageJob):
    """A stage that ends at a corpus pass: each unit is spilled and its partial state handed back."""

    idle_work: Callable[[], None] | None = None  # for idle workers while the main process closes the pass

    def run(self, task: Task) -> PassResult:
        key = task.key(self.upstream)
        if self.spills.done(self.number, key):
            return Spilled(key, resumed=True)
        docs, partial = self.stage.run_many(self._documents(task))
        self.spills.write(self.number, key, docs, partial)
        if isinstance(task, ReadSpill):
            self.spills.drop_docs(self.number - 1, task.previous)  # superseded: this stage's spill is kept
        return Summarized(key, partial)

    def ship(self, result: PassResult) -> PassResult:
        return Spilled(result.key, result.resumed)  # the main process reads the state from the spill


@dataclass
class FinalJob(_StageJob, Generic[T]):
    """The last stage: each unit's documents go to the sink, in the worker."""

    sink: Sink[T]
    idle_work: Callable[[], None] | None = None  # nothing follows the last stage

    def run(self, task: Task) -> Finished[T]:
        key = task.key(self.upstream)
        docs, _ = self.stage.run_many(self._documents(task))
        return Finished(key, self.sink.make(docs))

    def ship(self, result: Finished[T]) -> Finished[T]:
        stem = str(self.file(result.key, "rows"))
        return Finished(result.key, self.sink.hand_over(result.output, stem))
