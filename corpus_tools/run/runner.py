"""The runner: a chain's stages over a corpus, one stage at a time, on an executor, into a sink.

Each stage's tasks (one per unit) run on the executor. A stage that ends at a corpus pass
spills its units and hands back their partial states, which the main process merges in input
order (``merge``) and closes (``finish``) before the next stage starts; the last stage hands
each unit's documents to the sink in the worker, and the runner yields the sink's outputs in
input order. Output order is input order everywhere, so the output is the same whatever the
executor, the number of workers or the interruptions.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from corpus_tools.budget import DEFAULT_SECONDS_PER_DOCUMENT
from corpus_tools.document import Document
from corpus_tools.executors.base import Executor
from corpus_tools.readers.files import InputFile
from corpus_tools.run.sinks import Sink
from corpus_tools.run.spills import Spills, chain_digest, open_work_folder, sha256
from corpus_tools.run.stages import chain_as_run, split_stages
from corpus_tools.run.tasks import FinalJob, PassJob, ReadInput, ReadSpill, Task
from corpus_tools.run.tuning import collector_spares_long_lived_objects, keep_freed_heap
from corpus_tools.run.units import Reading, Unit, document_units, plan_units
from corpus_tools.steps import Step

T = TypeVar("T")

SPILL_PREFIX = "corpus-tools-spill-"  # a run without a work folder spills to a temporary one


@dataclass
class Runner(Generic[T]):
    """Runs ``steps`` on ``executor``; each unit's documents end in ``sink``.

    ``work_dir`` keeps the spills between runs (resumable); without it they live in a
    temporary folder. ``resume`` reuses what a previous run left there; otherwise it is
    cleared first. ``figures`` collects what each corpus pass reports.
    """

    steps: list[Step]
    executor: Executor
    sink: Sink[T]
    work_dir: Path | None = None
    resume: bool = False
    unit_bytes: int | None = None  # default UNIT_BYTES, read when the run starts
    unit_files: int | None = None  # default UNIT_FILES
    seconds_per_document: float | None = DEFAULT_SECONDS_PER_DOCUMENT  # None: no time budget
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    resumed_units: int = 0  # units a resumed run read back instead of recomputing
    work_opened: bool = field(default=False, init=False)  # work_dir passed the folder rule this run

    def run(self, docs: Iterable[Document]) -> Iterator[T]:
        """Documents in, the sink's outputs out (in order); spills go to a temporary folder."""
        with tempfile.TemporaryDirectory(prefix=SPILL_PREFIX) as spill_dir:
            yield from self._run(document_units(docs), Reading(), Spills(Path(spill_dir)))

    def run_files(self, files: list[InputFile], reading: Reading | None = None) -> Iterator[T]:
        """Read and clean input files (workers read their own units); the sink's output per unit."""
        units = plan_units(files, self.unit_bytes, self.unit_files)
        if self.work_dir is None:
            with tempfile.TemporaryDirectory(prefix=SPILL_PREFIX) as spill_dir:
                yield from self._run(units, reading or Reading(), Spills(Path(spill_dir)))
            return
        spills = open_work_folder(self.work_dir, self.resume)
        self.work_opened = True
        yield from self._run(units, reading or Reading(), spills)

    def discard_work(self) -> None:
        """Delete the work folder (after the output is safely in place): only one this run opened,
        so a folder the tool refused (another user's, one it did not make) is never touched."""
        if self.work_dir is not None and self.work_opened:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def _run(self, units: Iterable[Unit], reading: Reading, spills: Spills) -> Iterator[T]:
        try:
            yield from self._run_stages(units, reading, spills)
        finally:
            self.executor.close()

    def _run_stages(self, units: Iterable[Unit], reading: Reading, spills: Spills) -> Iterator[T]:
        """The sink's outputs of the last stage, in input order."""
        keep_freed_heap()
        steps = chain_as_run(self.steps, reading.limits)
        upstream = sha256(chain_digest(steps, reading), f"budget:{self.seconds_per_document}")
        tasks: Iterable[Task] = (ReadInput(unit) for unit in units)
        *passes, last = split_stages(steps, self.seconds_per_document)
        for number, stage in enumerate(passes):
            summarizer = stage.summarizer
            assert summarizer is not None, "every stage but the last ends at a corpus pass"
            idle_work = self.sink.warm_up if number == len(passes) - 1 else None
            job = PassJob(stage, number, upstream, spills, reading, idle_work)
            spills.prepare(number)
            keys = []
            with collector_spares_long_lived_objects():
                for result in self.executor.ordered_map(job, tasks):
                    keys.append(result.key)
                    self.resumed_units += result.resumed
                    summarizer.merge(result.partial_state(spills, number))
            self.figures[summarizer.name] = summarizer.finish()
            upstream = sha256(upstream, str(number), *keys)
            tasks = [ReadSpill(key) for key in keys]
        final = FinalJob(last, len(passes), upstream, spills, reading, self.sink)
        spills.prepare(final.number)
        with collector_spares_long_lived_objects():
            for finished in self.executor.ordered_map(final, tasks):
                yield self.sink.take_over(finished.output)
