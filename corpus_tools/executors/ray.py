"""The Ray executor: the same chain on Ray Data, on this machine or on a cluster.

The plan is the local one, expressed as a Ray Data pipeline:

* the input is cut into the same units (:func:`~corpus_tools.pipeline.plan_units`), one
  block each; ``flat_map`` reads a unit into documents on whichever node runs it;
* each stage's per-document steps are a ``map_batches`` (a stateless transform: Ray Data
  fuses it with the read and spreads it over the cluster's CPUs); a stage that ends at a
  corpus step also emits each document's summary;
* a corpus pass is an aggregation: the summaries are gathered in input order and folded
  by the step's ``collect`` on the driver (its state is compact by design), the state is
  closed with ``finish``, and the next stage's ``map_batches`` carries it to the workers.
  The stage's output is materialized first (in the object store, which spills to disk),
  so the pass does not recompute it;
* the last stage turns each batch into the writer's rows on the workers
  (:func:`~corpus_tools.writers.schema.prepare`: Arrow tables and statistics), and these come
  back to the driver in input order (``preserve_order``), which only appends them with the
  same :class:`~corpus_tools.writers.dataset.DatasetWriter`.

Documents travel as pickled bytes in a binary column: the edit record and rejections go
through unchanged, and the output is the local executor's, document for document.
Every node must have ``corpus_tools`` installed and see the input paths.
"""

from __future__ import annotations

import logging
import pickle
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from corpus_tools.document import Document
from corpus_tools.pipeline import Reading, Stage, Unit, plan_units, split_stages
from corpus_tools.readers.files import InputFile
from corpus_tools.steps import Step
from corpus_tools.writers.schema import Prepared, finalize, prepare

BATCH_DOCS = 256  # documents per map_batches call

_EMPTY = b""


def _read_unit(row: dict[str, Any], reading: Reading) -> list[dict[str, bytes]]:
    unit: Unit = pickle.loads(row["unit"])
    return [{"doc": pickle.dumps(doc, pickle.HIGHEST_PROTOCOL)} for doc in unit.read(reading)]


_STAGE: dict[str, Stage] = {}  # per Ray worker process: the current stage, unpickled once


def _run_stage(
    batch: dict[str, Any], stage_ref: list[Any], token: str, as_rows: bool
) -> dict[str, list[bytes]]:
    """One stage over a batch of pickled documents.

    Plain tasks, not actors: Ray keeps its worker processes from one stage to the next, so
    the chain's imports are paid once per process, not once per stage. The stage (with the
    corpus state so far) sits in the object store once; each process fetches it on its
    first batch of the stage (the ref is wrapped in a list so Ray does not fetch it per task).
    """
    stage = _STAGE.get(token)
    if stage is None:
        import ray

        _STAGE.clear()
        stage = _STAGE[token] = ray.get(stage_ref[0])
    docs, summaries = [], []
    for blob in batch["doc"]:
        doc, summary = stage.run(pickle.loads(blob))
        docs.append(doc)
        summaries.append(_EMPTY if summary is None else pickle.dumps((doc.id, doc.meta, summary)))
    if stage.summarizer is None and as_rows:  # one row per batch: its rows for the writer, made here
        return {"prepared": [pickle.dumps(prepare(docs), pickle.HIGHEST_PROTOCOL)]}
    if stage.summarizer is None:
        finalize(docs)  # here, on the workers, not on the driver
        return {"doc": [pickle.dumps(doc, pickle.HIGHEST_PROTOCOL) for doc in docs]}
    return {"doc": [pickle.dumps(doc, pickle.HIGHEST_PROTOCOL) for doc in docs], "summary": summaries}


@dataclass
class RayRunner:
    """``Runner.run_files`` on Ray Data. ``address``: a cluster to join (``None``: start a
    local instance with ``num_cpus`` CPUs, 0 meaning all)."""

    steps: list[Step]
    address: str | None = None
    num_cpus: int = 0
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    resumed_units: int = 0  # no resume on Ray: kept for the interface the CLI reads
    unit_bytes: int | None = None
    unit_files: int | None = None

    def run_files(self, files: list[InputFile], reading: Reading | None = None) -> Iterator[Document]:
        for blob in self._run(files, reading or Reading(), as_rows=False):
            yield pickle.loads(blob)

    def prepare_files(self, files: list[InputFile], reading: Reading | None = None) -> Iterator[Prepared]:
        """As :meth:`Runner.prepare_files`: each batch's rows, made on the Ray workers, in input order."""
        for blob in self._run(files, reading or Reading(), as_rows=True):
            yield pickle.loads(blob)

    def _run(self, files: list[InputFile], reading: Reading, as_rows: bool) -> Iterator[bytes]:
        """The last stage's output column, pickled documents or prepared batches, in input order."""
        import ray

        if not ray.is_initialized():
            local = {"num_cpus": self.num_cpus or None, "include_dashboard": False}
            ray.init(address=self.address, logging_level=logging.WARNING, **({} if self.address else local))
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # output order = input order, as locally
        context.enable_progress_bars = False
        units = [{"unit": pickle.dumps(unit)} for unit in plan_units(files, self.unit_bytes, self.unit_files)]
        if not units:
            return
        dataset = ray.data.from_items(units, override_num_blocks=len(units))
        dataset = dataset.flat_map(_read_unit, fn_kwargs={"reading": reading})
        for stage in split_stages(self.steps):
            dataset = dataset.map_batches(
                _run_stage,
                fn_kwargs={"stage_ref": [ray.put(stage)], "token": uuid.uuid4().hex, "as_rows": as_rows},
                batch_size=BATCH_DOCS,
                batch_format="numpy",
                zero_copy_batch=True,
            )
            if stage.summarizer is None:
                break
            dataset = dataset.materialize()
            for batch in dataset.select_columns(["summary"]).iter_batches(batch_format="numpy"):
                for entry in batch["summary"]:
                    if entry:
                        stage.summarizer.collect(*pickle.loads(entry))
            self.figures[stage.summarizer.name] = stage.summarizer.finish()
            dataset = dataset.select_columns(["doc"])
        column = "prepared" if as_rows else "doc"
        for batch in dataset.iter_batches(batch_size=BATCH_DOCS, batch_format="numpy"):
            yield from batch[column]

    def discard_work(self) -> None:
        """Nothing to discard: Ray frees the materialized stages with the dataset."""
