"""The Ray executor: the same chain on Ray Data, on this machine or on a cluster.

It runs the same runner (:class:`~corpus_tools.run.runner.Runner`) with Ray Data in place of the
process pool: the same units, stages, spills, corpus passes and dataset writer, so the output
is the local executor's, byte for byte, and ``--resume`` works the same way.

* Each stage is one Ray Data pipeline over the stage's tasks (one row per unit of input,
  about 4 MB; a Ray task takes up to 3 units when there are enough to keep every CPU busy,
  see :func:`units_per_task`): ``map_batches`` runs the stage's per-document steps on the
  units' documents on whichever node has a free CPU; a worker reads its units from the
  input, or the previous stage's spill, and spills its own output.
* The results stream back to the driver in input order (``preserve_order``) while the other
  tasks run: for a corpus pass, each unit's partial state (its summaries combined on the
  worker), which the driver merges as they arrive and closes with ``finish`` before the
  next stage starts: a map-side combine and an ordered merge; for the last
  stage, the statistics of the rows the workers made and the Arrow IPC files they wrote the
  rows to in the work folder, which the driver appends to the same
  :class:`~corpus_tools.writers.dataset.DatasetWriter`.
* The stage (its steps and the corpus state so far) goes to the object store once; each Ray
  worker process fetches it on its first task of the stage.

On a cluster every node needs corpus_tools installed (same version) and must see the input
paths and the work folder (``.<out>.work`` beside the output): a shared file system.
"""

from __future__ import annotations

import logging
import pickle
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from corpus_tools.executors.base import ExecutorError, ExecutorOptions, Job, loaded_job
from corpus_tools.safety.signing import Signer

R = TypeVar("R")

MAX_UNITS_PER_TASK = 3
TASKS_PER_CPU = 2


def _run_tasks(
    batch: dict[str, Any], job_ref: list[Any], token: str, signer: Signer
) -> dict[str, list[bytes]]:
    """Run the stage on each task of the batch (one unit each; a batch holds up to
    ``MAX_UNITS_PER_TASK``), results in the batch's order.

    Plain tasks, not actors: Ray keeps its worker processes from one stage to the next, so the
    chain's imports are paid once per process. The ref is wrapped in a list so that Ray does
    not fetch it for every task. The spills' key comes in the task's arguments, not with the
    job (whose spills are pickled without it).
    """
    import ray

    job: Job[Any] = loaded_job(token, lambda: _attached(ray.get(job_ref[0]), signer))
    results = [job.ship(job.run(pickle.loads(task))) for task in batch["task"]]
    return {"result": [pickle.dumps(result, pickle.HIGHEST_PROTOCOL) for result in results]}


def _attached(job: Job[R], signer: Signer) -> Job[R]:
    job.attach(signer)
    return job


def units_per_task(units: int, cpus: int) -> int:
    """How many units one Ray task runs: up to ``MAX_UNITS_PER_TASK``, keeping at least
    ``TASKS_PER_CPU`` tasks per CPU so that every CPU stays busy to the end of the stage.

    Ray Data spends tens of milliseconds starting and collecting each task, so batching units
    pays on a few CPUs (up to 3; more made no difference). On a cluster with more CPUs than
    units it stays 1.
    """
    return max(1, min(MAX_UNITS_PER_TASK, units // max(1, TASKS_PER_CPU * cpus)))


def ordered_map(job: Job[R], tasks: Iterable[Any]) -> Iterator[R]:
    """``map(job.run, tasks)`` on Ray Data, results in task order."""
    import ray

    rows = [{"task": pickle.dumps(task, pickle.HIGHEST_PROTOCOL)} for task in tasks]
    if not rows:
        return
    per_task = units_per_task(len(rows), int(ray.cluster_resources().get("CPU", 1)))
    dataset = ray.data.from_items(rows, override_num_blocks=-(-len(rows) // per_task)).map_batches(
        _run_tasks,  # type: ignore[arg-type]  # its other arguments come in fn_kwargs
        fn_kwargs={"job_ref": [ray.put(job)], "token": uuid.uuid4().hex, "signer": job.signer},
        batch_size=per_task,
        batch_format="numpy",
        zero_copy_batch=True,
    )
    for batch in dataset.iter_batches(batch_size=1, batch_format="numpy"):
        for blob in batch["result"]:
            yield pickle.loads(blob)


def _import_task_code() -> None:
    """What a worker imports before its first stage task: Ray Data's map code, the steps, and
    what making rows imports."""
    import ray.data  # noqa: F401

    import corpus_tools.config  # noqa: F401  (imports every registered step)
    from corpus_tools.writers.schema import warm_up

    warm_up()


def _configure_ray_data() -> None:
    import ray

    logging.getLogger("ray.data").setLevel(logging.WARNING)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # output order = input order, as locally
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    # Ray Data reserves half of the CPUs for each operator by default and lends the rest
    # only as its budget allows: on a small cluster that held one task at a time for the
    # first second of every stage
    context.op_resource_reservation_enabled = False


def start_ray(address: str | None = None, num_cpus: int = 0) -> None:
    """Start a local Ray instance (``num_cpus``, 0 meaning all) or join ``address``, and have
    each CPU's worker import the task code in the background.

    A fresh Ray worker spends about a second importing Ray Data and the chain's steps
    before its first task; begun here, that happens while the driver imports Ray Data itself
    and plans the run instead of after it. Nothing waits for it.
    """
    import ray

    if not ray.is_initialized():
        local: dict[str, Any] = {"num_cpus": num_cpus or None, "include_dashboard": False}
        ray.init(address=address, logging_level=logging.WARNING, **({} if address else local))
    import_task_code = ray.remote(num_cpus=1)(_import_task_code)
    for _ in range(int(ray.cluster_resources().get("CPU", 1))):
        import_task_code.remote()
    _configure_ray_data()  # the driver imports Ray Data meanwhile


class RayExecutor:
    """Stages' tasks on Ray Data. ``address``: a cluster to join (``None``: start a local
    instance with ``num_cpus`` CPUs, 0 meaning all). Ray is started when the executor is
    made, so its workers import the task code while the run is planned."""

    def __init__(self, address: str | None = None, num_cpus: int = 0) -> None:
        self.address = address
        self.num_cpus = num_cpus
        start_ray(address, num_cpus)

    @classmethod
    def from_options(cls, options: ExecutorOptions) -> RayExecutor:
        return cls(options.address, options.workers)

    def ordered_map(self, job: Job[R], tasks: Iterable[Any]) -> Iterator[R]:
        import ray

        if not ray.is_initialized():  # shut down since this executor was made
            start_ray(self.address, self.num_cpus)
        _configure_ray_data()
        try:
            yield from ordered_map(job, tasks)
        except ray.exceptions.RayError as exc:
            raise ExecutorError(
                f"a Ray task failed ({exc}); the units finished so far are kept: "
                "run the same command again with --resume"
            ) from exc

    def close(self) -> None:
        """Ray stays up: the instance (or the cluster) outlives one run, as its workers' imports do."""
