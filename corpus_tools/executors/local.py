"""The local executor: a run's tasks on one process pool, each stage's results in input order.

The pool is started once per run, on the first stage, and its processes serve every stage:
each stage's job (its steps and the corpus state of the passes already finished) is written
to a file once, and a worker reads it on its first task of the stage. A task carries only a
unit's description, and the worker reads that unit's input itself. Results come back in task
order, and at most ``2 x workers`` tasks are in flight, so memory stays bounded however far
the workers run ahead of the main process (``Pool.imap`` would queue the whole input).

A pool per stage, forked from the main process, would share the job copy-on-write instead;
but each stage's new processes then paid again what a process pays once: filling its heap
page by page (on 20,000 documents, 144,000 page faults over a 2-worker run; 79,000 with one
pool, 50,000 in one process) and the imports the steps make on first use (pyarrow's first
conversion imports pandas: 0.17 s). The jobs are small
(the corpus passes hand over compact state: 150 kB for 20,000 documents' duplicate
decisions), and the Ray executor ships them the same way.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING

from corpus_tools.pipeline import spare_long_lived_objects
from corpus_tools.writers.schema import warm_up

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from corpus_tools.pipeline import StageJob, Task, TaskResult

IN_FLIGHT_PER_WORKER = 2  # one running, one queued: no worker waits for the main process

_JOB: tuple[str, StageJob] | None = None  # per worker process: the current stage's job file and job


def _run_task(job_file: str, task: Task) -> TaskResult:
    global _JOB
    if _JOB is None or _JOB[0] != job_file:
        _JOB = None  # the last stage's job goes before this one is read
        with open(job_file, "rb") as stream:
            _JOB = (job_file, pickle.load(stream))
        spare_long_lived_objects()  # as the main process does for each stage
    return _JOB[1].run(task)


class LocalPool:
    """``map(job.run, tasks)`` per stage, on ``workers`` processes kept for the whole run
    (in this process when ``workers`` is 1); use as a context manager."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Pool | None = None

    def ordered_map(self, job: StageJob, tasks: Iterable[Task], workers: int) -> Iterator[TaskResult]:
        if self.workers <= 1:
            yield from map(job.run, tasks)
            return
        job_file = str(job.spills.path(job.number, "job", "pickle"))
        with open(job_file, "wb") as stream:
            pickle.dump(job, stream, protocol=pickle.HIGHEST_PROTOCOL)
        pool = self._start()
        pending: deque[AsyncResult[TaskResult]] = deque()
        for task in tasks:
            pending.append(pool.apply_async(_run_task, (job_file, task)))
            if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        if job.rows_next:  # the workers are idle while the main process closes the corpus pass
            for _ in range(self.workers):
                pool.apply_async(warm_up)

    def _start(self) -> Pool:
        if self._pool is None:
            # fork: the workers start with the modules the main process imported
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = context.Pool(self.workers)
        return self._pool

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None
