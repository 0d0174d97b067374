"""The local executor: a run's tasks on one process pool, each stage's results in input order.

The pool is started once per run, on the first stage, and its processes serve every stage:
each stage's job (its steps and the corpus state of the passes already finished) is written
to a file once, and a worker reads it on its first task of the stage. A task carries only a
unit's description, and the worker reads that unit's input itself. Results come back in task
order, and at most ``2 x workers`` tasks are in flight, so memory stays bounded however far
the workers run ahead of the main process (``Pool.imap`` would queue the whole input).

The pool is the standard library's ``ProcessPoolExecutor`` rather than ``multiprocessing.Pool``:
when a worker dies (the kernel's out-of-memory killer, a crash in a C extension, a kill -9)
the executor says so, where ``Pool`` starts a new worker and waits for the lost task forever.
The run then stops with :class:`~corpus_tools.executors.base.ExecutorError`; the finished
units stay in the work folder for ``--resume``. Workers die with the main process
(:func:`~corpus_tools.safety.processes.start_worker`), and when a run stops on an error,
Ctrl-C or SIGTERM the pool's workers are stopped with it.
The stage's job file is signed with the run's key, which each worker receives from the
main process when it starts (:mod:`corpus_tools.safety.signing`): nothing unsigned is unpickled.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from corpus_tools.executors.base import ExecutorError, ExecutorOptions, Job, loaded_job
from corpus_tools.safety.processes import start_worker
from corpus_tools.safety.signing import Signer

R = TypeVar("R")

IN_FLIGHT_PER_WORKER = 2  # one running, one queued: no worker waits for the main process
STOP_SECONDS = 5.0  # how long a stopped worker may take to go before the run moves on
JOB_NAME = "job"  # a stage's job file: stage-N/job.pickle in the work folder

_SIGNER: Signer | None = None  # in a worker process: the run's key, from the main process


def _start_worker(parent: int, signer: Signer) -> None:
    global _SIGNER
    start_worker(parent)
    _SIGNER = signer


def _signed_name(job_path: Path) -> str:
    """What a job file is signed under: its place in the work folder, so that one stage's
    job cannot stand in for another's."""
    return f"{job_path.parent.name}/{job_path.name}"


def _run_task(job_file: str, task: Any) -> Any:
    job: Job[Any] = loaded_job(job_file, lambda: _read_job(job_file))
    return job.ship(job.run(task))


def _read_job(job_file: str) -> Job[Any]:
    assert _SIGNER is not None, "the worker was started without the run's key"
    path = Path(job_file)
    job: Job[Any] = _SIGNER.load(path, _signed_name(path))
    job.attach(_SIGNER)
    return job


class LocalExecutor:
    """``map(job.run, tasks)`` per stage, on ``workers`` processes kept for the whole run
    (in this process when ``workers`` is 1). The pool starts on the first stage that needs
    it, with the run's key; :meth:`close` ends it."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._signer: Signer | None = None

    @classmethod
    def from_options(cls, options: ExecutorOptions) -> LocalExecutor:
        return cls(options.workers or os.cpu_count() or 1)

    def ordered_map(self, job: Job[R], tasks: Iterable[Any]) -> Iterator[R]:
        if self.workers <= 1:
            yield from map(job.run, tasks)
            return
        signer = job.signer
        assert signer is not None, "the job's spills have the run's key in the main process"
        job_path = job.file(JOB_NAME, "pickle")
        signer.dump(job_path, _signed_name(job_path), job)
        job_file = str(job_path)
        pool = self._start(signer)
        pending: deque[Future[R]] = deque()
        try:
            for task in tasks:
                pending.append(pool.submit(_run_task, job_file, task))
                if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        except BaseException:
            self._stop()
            raise
        if job.idle_work is not None:  # the workers are idle while the main process closes the pass
            for _ in range(self.workers):
                pool.submit(job.idle_work)

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True)

    def _start(self, signer: Signer) -> ProcessPoolExecutor:
        if self._pool is not None and self._signer is not signer:
            self.close()  # another run's key: its workers cannot read this run's files
        if self._pool is None:
            # fork: the workers start with the modules the main process imported
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._signer = signer
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(), signer),
            )
        return self._pool

    def _stop(self) -> None:
        """After an error, Ctrl-C or SIGTERM: tasks not started are dropped and the workers
        stopped mid-task; their finished units are in the work folder, their open ones are lost."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(STOP_SECONDS)


def _result(future: Future[R]) -> R:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise ExecutorError(
            "a worker process died (killed, out of memory, or crashed in a C extension); "
            "the output folder was left as it was, and the units finished so far are kept: "
            "run the same command again with --resume"
        ) from exc
