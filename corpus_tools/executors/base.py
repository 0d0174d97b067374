"""What an executor is: it runs one stage's tasks somewhere and yields their results in order.

The runner (:class:`corpus_tools.run.runner.Runner`) hands an executor one stage at a time:
a :class:`Job` (what all the stage's tasks share) and its tasks. The executor runs
``job.run(task)`` for each task, in this process or in others, and yields the results in
task order. Results that cross to another process go through ``job.ship`` first, which
leaves their bulk in files of the work folder. Executors are chosen by name
(:func:`create`); each module is imported only when its executor is chosen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from corpus_tools.safety.signing import Signer

R = TypeVar("R")

# name -> "module:class"; a module is imported only when its executor is chosen
REGISTRY = {
    "local": "corpus_tools.executors.local:LocalExecutor",
    "ray": "corpus_tools.executors.ray:RayExecutor",
}


class ExecutorError(RuntimeError):
    """The stage's tasks could not all run (a worker process died, the cluster failed); the
    units finished so far are kept in the work folder for ``--resume``."""


class Job(Protocol[R]):
    """One stage's work, as an executor sees it (implemented in :mod:`corpus_tools.run.tasks`)."""

    idle_work: Callable[[], None] | None  # what idle workers may do once the stage's tasks are done

    @property
    def signer(self) -> Signer | None:
        """The run's key: spills and job files are signed with it; it is not pickled with the job."""
        ...

    def attach(self, signer: Signer) -> None:
        """In a worker process, after unpickling: give the job the run's key."""
        ...

    def file(self, name: str, kind: str) -> Path:
        """A path in the stage's work folder, for the executor's own files."""
        ...

    def enter_worker(self) -> None:
        """Called once in each worker process that loads this job."""
        ...

    def run(self, task: Any) -> R: ...

    def ship(self, result: R) -> R:
        """``result`` made ready to cross to another process."""
        ...


class Executor(Protocol):
    """Runs stages' tasks. It starts what it needs on first use and may be used again after
    :meth:`close`."""

    def ordered_map(self, job: Job[R], tasks: Iterable[Any]) -> Iterator[R]:
        """``job.run`` over ``tasks``, results in task order; raises :class:`ExecutorError`."""
        ...

    def close(self) -> None:
        """Stop what the executor started (processes, pools); the run has ended."""
        ...


@dataclass(frozen=True, slots=True)
class ExecutorOptions:
    """What the command line says about where tasks run; each executor reads its part."""

    workers: int = 0  # processes (local) or CPUs (ray, local instance); 0: all cores
    address: str | None = None  # a Ray cluster to join


def names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def create(name: str, options: ExecutorOptions) -> Executor:
    """The executor registered as ``name``, made from ``options``."""
    module, _, attribute = REGISTRY[name].partition(":")
    executor: Executor = getattr(importlib.import_module(module), attribute).from_options(options)
    return executor


_LOADED_JOB: tuple[str, Any] | None = None  # in a worker process: the stage it is running


def loaded_job(token: str, fetch: Callable[[], Job[R]]) -> Job[R]:
    """In a worker process (local or Ray), the job of the stage ``token`` names, fetched on the
    worker's first task of that stage.

    Only the current stage's job is kept: the last one goes before the next is fetched.
    """
    global _LOADED_JOB
    if _LOADED_JOB is None or _LOADED_JOB[0] != token:
        _LOADED_JOB = None
        job = fetch()
        job.enter_worker()
        _LOADED_JOB = (token, job)
    loaded: Job[R] = _LOADED_JOB[1]
    return loaded
