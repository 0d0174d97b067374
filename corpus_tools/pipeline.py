"""Run a chain of steps over a corpus: stages, units of work, spills that make runs resumable.

The chain is cut into *stages* at each corpus step (:func:`split_stages`): a stage runs its
per-document steps and, when a corpus step comes next, that step's per-document
``summarize``. The input is cut into *units* (:func:`plan_units`): a group of small files,
or a line-aligned byte span of one big JSONL file. A unit is the task a worker does alone:
it reads its input itself, so the main process only plans, merges partial states and writes.

A stage that ends at a corpus step writes each unit's documents to a *spill* file and
hands back the unit's partial state (its summaries folded by the step's ``combine``, in
the worker); the main process merges the partials in input order (``merge``), closes the
corpus state (``finish``) and starts the next stage, whose tasks read the spills back.
Memory therefore holds the tasks in flight and the corpus state, never the corpus.

Spills are keyed by what they depend on: the chain's config, the unit's raw bytes (sha256)
and, after a corpus pass, the keys of every unit before it. Kept in a work folder beside
the output, they are what ``--resume`` reads back instead of recomputing: an interrupted
run started again skips every unit it had finished. Output order is input order
everywhere, so the output is the same whatever the number of workers or interruptions.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import logging
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa

from corpus_tools import __version__
from corpus_tools.budget import DEFAULT_SECONDS_PER_DOCUMENT, UNTIMED, DocumentClock, DocumentTimeout
from corpus_tools.document import Document
from corpus_tools.readers.files import InputFile, is_compressed, read_inputs, read_jsonl_span
from corpus_tools.readers.stream import MAX_DOCUMENT_BYTES, MAX_RECORD_BYTES, InputFault, Limits, open_regular
from corpus_tools.safety.folders import WORK, RefusedOutput
from corpus_tools.safety.signing import SECRET_BYTES, Signer, folder_key
from corpus_tools.steps import CorpusStep, Step
from corpus_tools.steps.base import Entry
from corpus_tools.writers.schema import Prepared, prepare

log = logging.getLogger("corpus_tools")

UNIT_BYTES = 4 << 20  # input bytes per unit: big enough to amortise a task, small enough to balance
UNIT_FILES = 512  # files per unit, for corpora of many tiny files
UNIT_DOCS = 512  # documents per unit when documents are handed in (``Runner.run``)
SPILL_FORMAT = 4  # what a spill holds (4: signed, 3: edits as tuples); older spills are not reused
YOUNG_COLLECTION_THRESHOLD = 10_000  # allocations between young-generation collections (default 700)
KEPT_FREE_HEAP = 256 << 20  # freed heap glibc keeps for reuse instead of returning it to the system


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


def open_work_folder(work_dir: Path, resume: bool) -> Spills:
    """The run's spills in ``work_dir``, made private to the user (mode 0700) and marked as the
    tool's. Without ``resume`` it starts empty. With it, what an earlier run left is reused
    only when every spill carries this user's signature: one that does not, and nothing of
    the folder is trusted (it is cleared, with a warning, and every unit computed again).
    A folder the tool did not make is refused (:class:`~corpus_tools.safety.folders.RefusedOutput`).
    """
    WORK.check(work_dir)
    if work_dir.exists() and work_dir.stat().st_uid != os.getuid():
        raise RefusedOutput(f"{work_dir} belongs to another user; choose another folder with --out")
    spills = Spills(work_dir, Signer(folder_key(work_dir)))
    if work_dir.exists() and resume:
        forged = spills.forged()
        if forged:
            log.warning(
                "%s: %d spill(s) fail their integrity check (not written by this user's corpus-tools), "
                "e.g. %s; nothing in the work folder is reused: every unit is computed again",
                work_dir,
                len(forged),
                forged[0],
            )
            resume = False
    if work_dir.exists() and not resume:
        shutil.rmtree(work_dir)
    work_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    work_dir.chmod(0o700)
    WORK.mark(work_dir)
    return spills


def split_stages(steps: list[Step], seconds_per_document: float | None = None) -> list[Stage]:
    stages = [Stage([], seconds_per_document=seconds_per_document)]
    for step in steps:
        if isinstance(step, CorpusStep):
            stages[-1].summarizer = step
            stages.append(Stage([step], seconds_per_document=seconds_per_document))
        else:
            stages[-1].steps.append(step)
    return stages


@dataclass(frozen=True, slots=True)
class Reading:
    """Reader options: part of what a unit's result depends on."""

    text_field: str = "text"
    id_field: str = "id"
    max_record_bytes: int = MAX_RECORD_BYTES  # see corpus_tools.readers.stream.Limits
    max_document_bytes: int = MAX_DOCUMENT_BYTES

    @property
    def limits(self) -> Limits:
        return Limits(self.max_record_bytes, self.max_document_bytes)


@dataclass(frozen=True, slots=True)
class Unit:
    """One task's input: whole files, a byte span ``(start, end, first line)`` of one JSONL file
    (or ``(start, end, 0)`` of one ``.warc.gz``), or documents handed in directly (not
    resumable: they have no bytes to key on)."""

    index: int
    files: tuple[InputFile, ...] = ()
    span: tuple[int, int, int] | None = None
    docs: tuple[Document, ...] = ()

    def read(self, reading: Reading) -> Iterator[Document]:
        if self.docs:
            return iter(self.docs)
        if self.span is not None and self.files[0].kind == "warc":
            from corpus_tools.readers.warc import read_warc

            return read_warc(self.files[0], self.span[:2], reading.limits)
        if self.span is not None:
            start, end, first_line = self.span
            return read_jsonl_span(
                self.files[0],
                start,
                end,
                first_line,
                text_field=reading.text_field,
                id_field=reading.id_field,
                limits=reading.limits,
            )
        return read_inputs(
            list(self.files), text_field=reading.text_field, id_field=reading.id_field, limits=reading.limits
        )

    def digest(self) -> str:
        """sha256 over the ids, paths and raw bytes this unit reads."""
        if self.docs:
            return f"documents-{self.index}"
        digest = hashlib.sha256()
        for item in self.files:
            digest.update(f"{item.doc_id}\0{item.path.as_posix()}\0{item.kind}\0{self.span}\0".encode())
            try:
                with open_regular(item.path) as stream:  # never a named pipe: it would block
                    start, end = (0, None) if self.span is None else self.span[:2]
                    stream.seek(start)
                    while end is None or stream.tell() < end:
                        block = stream.read(1 << 20 if end is None else min(1 << 20, end - stream.tell()))
                        if not block:
                            break
                        digest.update(block)
            except (InputFault, OSError) as exc:  # the reader rejects it; key on the error
                digest.update(f"unreadable: {exc}".encode())
        return digest.hexdigest()


def plan_units(
    files: Iterable[InputFile], unit_bytes: int | None = None, unit_files: int | None = None
) -> Iterator[Unit]:
    """Cut the input into units, in input order: small files grouped, big plain JSONL and
    ``.warc.gz`` files split.

    Units depend on the input alone (never on the number of workers), so a resumed run with
    another ``--workers`` finds the same units finished. A compressed file cannot be entered
    in the middle, so it stays one unit; except a ``.warc.gz`` of one gzip member per record,
    which can (:func:`~corpus_tools.readers.warc.warc_spans`).
    """
    unit_bytes = unit_bytes or UNIT_BYTES
    unit_files = unit_files or UNIT_FILES
    index = 0
    group: list[InputFile] = []
    size = 0
    for item in files:
        try:
            length = item.path.stat().st_size
        except OSError:
            length = 0
        spans = _spans(item, length, unit_bytes)
        if spans:
            if group:
                yield Unit(index, tuple(group))
                index, group, size = index + 1, [], 0
            for span in spans:
                yield Unit(index, (item,), span)
                index += 1
            continue
        group.append(item)
        size += length
        if size >= unit_bytes or len(group) >= unit_files:
            yield Unit(index, tuple(group))
            index, group, size = index + 1, [], 0
    if group:
        yield Unit(index, tuple(group))


def _spans(item: InputFile, length: int, unit_bytes: int) -> list[tuple[int, int, int]]:
    """Spans of a big file that workers can read apart, or none."""
    if length <= unit_bytes:
        return []
    if item.kind == "jsonl" and not is_compressed(item.path):
        return jsonl_spans(item.path, unit_bytes)
    if item.kind == "warc":
        from corpus_tools.readers.warc import warc_spans

        return warc_spans(item.path, unit_bytes)
    return []


def jsonl_spans(path: Path, unit_bytes: int) -> list[tuple[int, int, int]]:
    """Line-aligned ``(start, end, first line number)`` spans of about ``unit_bytes`` each."""
    spans = []
    size = path.stat().st_size
    with path.open("rb") as stream:
        start, first_line = 0, 1
        while start < size:
            end = _next_line_start(stream, min(start + unit_bytes, size) - 1)
            stream.seek(start)
            remaining, lines = end - start, 0
            while remaining:
                block = stream.read(min(remaining, 1 << 20))
                lines += block.count(b"\n")
                remaining -= len(block)
            spans.append((start, end, first_line))
            start, first_line = end, first_line + lines
    return spans


def _next_line_start(stream: BinaryIO, position: int) -> int:
    """Offset just past the first newline at or after ``position`` (or the end), found a block at
    a time: ``readline`` would hold a whole line, and a line may be a gigabyte."""
    stream.seek(position)
    while block := stream.read(1 << 20):
        newline = block.find(b"\n")
        if newline >= 0:
            return position + newline + 1
        position += len(block)
    return position


def chain_digest(steps: list[Step], reading: Reading) -> str:
    """What every result depends on besides the input: version, reader options, steps and options.

    Files an option points at (rule packs) are keyed by their path, not their content.
    """
    parts = [__version__, str(SPILL_FORMAT), reading.text_field, reading.id_field]
    parts += [str(reading.max_record_bytes), str(reading.max_document_bytes)]
    parts += [f"{step.name}:{step.options.model_dump_json()}" for step in steps]
    return _sha256(*parts)


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class Spills:
    """Per stage and unit: the documents (``.docs``) and partial state (``.sum``) a stage produced.

    Each file is signed (:mod:`corpus_tools.safety.signing`) and written under a temporary
    name and renamed, the partial last, so a ``.sum`` file means the unit is finished, even
    after a kill -9 mid-write. Without a ``signer`` the key is a random one that lives as
    long as the object (spills in a temporary folder of one run). The key is not pickled with
    the spills (a stage's job is written to the work folder): a worker process gets it from
    its parent (:meth:`attach`).
    """

    def __init__(self, root: Path, signer: Signer | None = None) -> None:
        self.root = root
        self.signer: Signer | None = signer or Signer(os.urandom(SECRET_BYTES))

    def __getstate__(self) -> dict[str, Any]:
        return {"root": self.root}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.root, self.signer = state["root"], None

    def attach(self, signer: Signer) -> None:
        self.signer = signer

    def _signer(self) -> Signer:
        if self.signer is None:
            raise RuntimeError("spills used without their key: attach() it in the worker first")
        return self.signer

    def path(self, stage: int, key: str, kind: str) -> Path:
        return self.root / f"stage-{stage}" / f"{key}.{kind}"

    def prepare(self, stage: int) -> None:
        (self.root / f"stage-{stage}").mkdir(mode=0o700, parents=True, exist_ok=True)

    def done(self, stage: int, key: str) -> bool:
        return self.path(stage, key, "sum").exists()

    def write(self, stage: int, key: str, docs: list[Document], partial: Any) -> None:
        for kind, value in (("docs", docs), ("sum", partial)):
            path = self.path(stage, key, kind)
            self._signer().dump(path, self._name(path), value)

    def read(self, stage: int, key: str, kind: str) -> Any:
        path = self.path(stage, key, kind)
        return self._signer().load(path, self._name(path))

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def drop_docs(self, stage: int, key: str) -> None:
        self.path(stage, key, "docs").unlink(missing_ok=True)

    def forged(self) -> list[Path]:
        """The spills a resumed run would read that this key did not sign."""
        signer = self._signer()
        spills = sorted(p for p in self.root.glob("stage-*/*") if p.suffix in (".docs", ".sum"))
        return [path for path in spills if not signer.verify(path, self._name(path))]


@dataclass(frozen=True, slots=True)
class Task:
    unit: Unit | None  # stage 0 reads the unit; later stages read the previous stage's spill
    key: str | None  # the unit's key at the previous stage


@dataclass(slots=True)
class TaskResult:
    key: str
    # the last stage hands its documents back, or, for a dataset writer, their rows
    # (``prepared``); the other stages spill them and hand back the unit's partial state
    # (in its spill only, when the task ran in another process)
    docs: list[Document] | None
    partial: Any = None
    resumed: bool = False
    prepared: Prepared | None = None


@dataclass(slots=True)
class StageJob:
    """What all tasks of one stage share; sent to each worker once, not with every task."""

    stage: Stage
    number: int
    upstream: str  # digest of everything this stage depends on besides its unit
    spills: Spills
    reading: Reading
    as_rows: bool = False  # the last stage returns rows for the writer instead of documents
    # the tasks run in other processes: partial states and rows reach the main process in the
    # files they are written to (spills, Arrow IPC), not pickled again through a pipe
    in_other_processes: bool = False
    rows_next: bool = False  # the stage after this one is the last and makes rows

    @property
    def final(self) -> bool:
        return self.stage.summarizer is None

    def run(self, task: Task) -> TaskResult:
        if task.key is None:
            assert task.unit is not None
            key = _sha256(self.upstream, task.unit.digest())
        else:
            key = _sha256(self.upstream, task.key)
        if not self.final and self.spills.done(self.number, key):
            partial = None if self.in_other_processes else self.spills.read(self.number, key, "sum")
            return TaskResult(key, None, partial, resumed=True)
        if task.unit is not None:
            source: Iterable[Document] = task.unit.read(self.reading)
        else:
            source = self.spills.read(self.number - 1, task.key, "docs")
        docs, partial = self.stage.run_many(source)
        if self.final and self.as_rows:
            prepared = prepare(docs)  # rows made here, in the worker
            if self.in_other_processes:
                prepared = prepared.hand_over(str(self.spills.path(self.number, key, "rows")))
            return TaskResult(key, None, prepared=prepared)
        if self.final:
            return TaskResult(key, docs)
        self.spills.write(self.number, key, docs, partial)
        if task.unit is None:
            self.spills.drop_docs(self.number - 1, task.key)  # superseded: this stage's spill is kept
        return TaskResult(key, None, None if self.in_other_processes else partial)


@dataclass
class Runner:
    """Runs the chain's stages in order; ``figures`` collects what each corpus pass reports.

    ``workers`` > 1 runs the tasks on a local process pool. ``work_dir`` keeps the spills
    between runs (resumable); without it they live in a temporary folder. ``resume``
    reuses what a previous run left there; otherwise it is cleared first. ``map_tasks``
    runs one stage's tasks and yields their results in task order: the run's local process
    pool by default (:class:`~corpus_tools.executors.local.LocalPool`),
    :func:`corpus_tools.executors.ray.ordered_map` on Ray.
    """

    steps: list[Step]
    workers: int = 1
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    work_dir: Path | None = None
    resume: bool = False
    unit_bytes: int | None = None  # default UNIT_BYTES, read when the run starts
    unit_files: int | None = None  # default UNIT_FILES
    resumed_units: int = 0  # units a resumed run read back instead of recomputing
    map_tasks: Callable[[StageJob, Iterable[Task], int], Iterator[TaskResult]] | None = None
    seconds_per_document: float | None = DEFAULT_SECONDS_PER_DOCUMENT  # None: no time budget

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Documents in, documents out (in order); spills go to a temporary folder."""
        with tempfile.TemporaryDirectory(prefix="corpus-tools-spill-") as spill_dir:
            for result in self._run(_document_units(docs), Reading(), Spills(Path(spill_dir)), False):
                yield from result.docs or ()

    def run_files(self, files: list[InputFile], reading: Reading | None = None) -> Iterator[Document]:
        """Read and clean input files; workers read their own units."""
        for result in self._run_files(files, reading or Reading(), as_rows=False):
            yield from result.docs or ()

    def prepare_files(self, files: list[InputFile], reading: Reading | None = None) -> Iterator[Prepared]:
        """``run_files`` for a dataset writer: each unit's documents come back as rows, in input
        order, made by the worker that cleaned them (:func:`~corpus_tools.writers.schema.prepare`)."""
        for result in self._run_files(files, reading or Reading(), as_rows=True):
            assert result.prepared is not None
            yield result.prepared.take_over()

    def _run_files(self, files: list[InputFile], reading: Reading, as_rows: bool) -> Iterator[TaskResult]:
        units = plan_units(files, self.unit_bytes, self.unit_files)
        if self.work_dir is None:
            with tempfile.TemporaryDirectory(prefix="corpus-tools-spill-") as spill_dir:
                yield from self._run(units, reading, Spills(Path(spill_dir)), as_rows)
            return
        yield from self._run(units, reading, open_work_folder(self.work_dir, self.resume), as_rows)

    def discard_work(self) -> None:
        """Delete the work folder (after the output is safely in place)."""
        if self.work_dir is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def _run(
        self, units: Iterable[Unit], reading: Reading, spills: Spills, as_rows: bool
    ) -> Iterator[TaskResult]:
        """The last stage's results, in input order."""
        from corpus_tools.executors.local import LocalPool

        with LocalPool(self.workers, spills.signer) as pool:
            yield from self._run_stages(self.map_tasks or pool.ordered_map, units, reading, spills, as_rows)

    def _run_stages(
        self,
        map_tasks: Callable[[StageJob, Iterable[Task], int], Iterator[TaskResult]],
        units: Iterable[Unit],
        reading: Reading,
        spills: Spills,
        as_rows: bool,
    ) -> Iterator[TaskResult]:
        in_other_processes = self.map_tasks is not None or self.workers > 1
        keep_freed_heap()
        upstream = _sha256(chain_digest(self.steps, reading), f"budget:{self.seconds_per_document}")
        tasks: Iterable[Task] = (Task(unit, None) for unit in units)
        stages = split_stages(self.steps, self.seconds_per_document)
        for number, stage in enumerate(stages):
            rows_next = as_rows and number == len(stages) - 2
            job = StageJob(stage, number, upstream, spills, reading, as_rows, in_other_processes, rows_next)
            spills.prepare(number)
            with collector_spares_long_lived_objects():
                results = map_tasks(job, tasks, self.workers)
                if job.final:
                    yield from results
                    return
                assert stage.summarizer is not None
                keys = []
                for result in results:
                    keys.append(result.key)
                    self.resumed_units += result.resumed
                    partial = spills.read(number, result.key, "sum") if in_other_processes else result.partial
                    stage.summarizer.merge(partial)
            self.figures[stage.summarizer.name] = stage.summarizer.finish()
            upstream = _sha256(upstream, str(number), *keys)
            tasks = [Task(None, key) for key in keys]


_LOADED_JOB: tuple[str, StageJob] | None = None  # in a worker process: the stage it is running


def stage_job(token: str, fetch: Callable[[], StageJob]) -> StageJob:
    """In a worker process (local or Ray), the job of the stage ``token`` names, fetched on the
    worker's first task of that stage.

    Only the current stage's job is kept: the last one goes before the next is fetched. A new
    job gets what the main process gives each stage: its objects frozen out of the garbage
    collector (:func:`spare_long_lived_objects`) and freed heap kept (:func:`keep_freed_heap`).
    """
    global _LOADED_JOB
    if _LOADED_JOB is None or _LOADED_JOB[0] != token:
        _LOADED_JOB = None
        job = fetch()
        spare_long_lived_objects()
        keep_freed_heap()
        _LOADED_JOB = (token, job)
    return _LOADED_JOB[1]


def spare_long_lived_objects() -> tuple[int, int, int]:
    """Keep Python's cyclic garbage collector off what lives for the whole stage; returns the
    collector's previous thresholds.

    The steps, their rule packs and models, and the corpus state of the passes already
    finished are alive from start to end; each full collection walked all of them again,
    and a run allocates millions of short-lived objects (documents, edits, lines), which
    triggers thousands of collections: 1.9 s of an 18 s run on 20,000 documents, 0.3 s once
    these objects are frozen out of it and young collections come every 10,000 allocations
    instead of 700. Workers call it for each stage they load (:func:`stage_job`).
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    return threshold


def keep_freed_heap() -> None:
    """Have glibc's allocator keep freed memory for the next unit instead of handing it back.

    Every unit allocates its documents, lines and arrays and frees them at its end. By
    default glibc returns the heap's free top to the system past 128 kB, and serves blocks
    over 128 kB-32 MB from fresh mappings, so the next unit takes the same memory back a
    page fault at a time: on 20,000 documents that was 100,000 faults in one process and
    310,000 over two workers, 0.5 s of system time; keeping up to 256 MB (``KEPT_FREE_HEAP``)
    and mapping only blocks over 32 MB halved them (the peak RSS is the same: it is reached
    either way). Arrow's tables are allocated there too: its default allocator (mimalloc)
    took fresh huge pages for each unit's rows, which the kernel zeroes 2 MB at a time (a
    quarter of a second of a 2-worker run). Workers call it for each stage they load
    (:func:`stage_job`). The glibc part is a no-op where the C library is not glibc.
    """
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's <malloc.h>
    mallopt(m_trim_threshold, KEPT_FREE_HEAP)
    mallopt(m_mmap_threshold, 32 << 20)


@contextmanager
def collector_spares_long_lived_objects() -> Iterator[None]:
    """:func:`spare_long_lived_objects` for one stage, undone afterwards."""
    threshold = spare_long_lived_objects()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _document_units(docs: Iterable[Document]) -> Iterator[Unit]:
    batch: list[Document] = []
    index = 0
    for doc in docs:
        batch.append(doc)
        if len(batch) >= UNIT_DOCS:
            yield Unit(index, docs=tuple(batch))
            index, batch = index + 1, []
    if batch:
        yield Unit(index, docs=tuple(batch))
