"""The local executor: one stage's tasks on a process pool, results in input order.

Each worker receives the stage (steps, and the corpus state of the passes already
finished) once, when it starts; a task carries only a unit's description, and the worker
reads that unit's input itself. Results come back in task order, and at most ``2 x
workers`` tasks are in flight, so memory stays bounded however far the workers run ahead
of the main process (``Pool.imap`` would queue the whole input).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from corpus_tools.pipeline import StageJob, Task, TaskResult

IN_FLIGHT_PER_WORKER = 2  # one running, one queued: no worker waits for the main process

_JOB: StageJob | None = None


def _start_worker(job: StageJob) -> None:
    global _JOB
    _JOB = job


def _run_task(task: Task) -> TaskResult:
    assert _JOB is not None
    return _JOB.run(task)


def ordered_map(job: StageJob, tasks: Iterable[Task], workers: int) -> Iterator[TaskResult]:
    """``map(job.run, tasks)``, on ``workers`` processes when more than one."""
    if workers <= 1:
        yield from map(job.run, tasks)
        return
    # fork shares the stage (and a big corpus state) copy-on-write instead of pickling it
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(workers, initializer=_start_worker, initargs=(job,)) as pool:
        pending: deque[AsyncResult[TaskResult]] = deque()
        for task in tasks:
            pending.append(pool.apply_async(_run_task, (task,)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
