"""Local parallelism: the same dataset bytes whatever the number of workers, in input order."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from test_scale_support import SMALL_UNIT_BYTES, dataset_files, write_config, write_corpus

from corpus_tools.cli import main
from corpus_tools.config import load_chain
from corpus_tools.document import Document
from corpus_tools.executors.local import LocalExecutor
from corpus_tools.readers import expand_inputs, read_inputs
from corpus_tools.run import DocumentSink, Reading, Runner
from corpus_tools.run import units as run_units
from corpus_tools.run.spills import Spills
from corpus_tools.run.stages import split_stages
from corpus_tools.run.tasks import PassJob, ReadInput, Spilled, Summarized
from corpus_tools.run.tuning import YOUNG_COLLECTION_THRESHOLD
from corpus_tools.writers.schema import SPLITS, prepare, row_of


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    return write_corpus(tmp_path / "in"), write_config(tmp_path / "chain.yaml")


def _flat(outputs) -> list[Document]:
    return [doc for unit in outputs for doc in unit]


def _rows(docs) -> list[dict]:
    return [row_of(doc) for doc in docs]


def test_one_and_two_workers_write_the_same_bytes(corpus, tmp_path, monkeypatch):
    inputs, config = corpus
    monkeypatch.setattr(run_units, "UNIT_BYTES", SMALL_UNIT_BYTES)
    units = list(run_units.plan_units(expand_inputs([str(inputs)])))
    assert len(units) >= 8 and any(unit.span for unit in units)  # big JSONL split, files grouped
    outputs = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        args = ["clean", str(inputs), "--out", str(out), "--config", str(config), "--workers", str(workers)]
        assert main(args) == 0
        outputs[workers] = dataset_files(out)
        assert not (tmp_path / f".out{workers}.work").exists()  # the work folder goes with success
    assert outputs[1] == outputs[2]
    assert any(name.startswith("data/rejected-") for name in outputs[1])


def test_two_workers_serve_every_stage_from_the_same_two_processes(corpus, tmp_path, monkeypatch):
    """The pool lives for the whole run: each stage runs on the same two warm processes
    (heap, imports, caches), not on new ones forked for it."""
    inputs, _ = corpus
    pids = tmp_path / "pids"
    monkeypatch.setenv("SCALE_TEST_PIDS", str(pids))
    monkeypatch.setattr(run_units, "UNIT_BYTES", SMALL_UNIT_BYTES)
    logged = [{"step": "scale_test_pid"}, {"step": "scale_test_exact_dup"}]
    config = tmp_path / "pids.yaml"
    config.write_text(json.dumps({"steps": [*logged, *logged, {"step": "scale_test_pid"}]}))
    out = tmp_path / "out"
    assert main(["clean", str(inputs), "--out", str(out), "--config", str(config), "--workers", "2"]) == 0
    seen = pids.read_text().split()
    assert len(seen) > 3 * 250  # three stages logged every document
    assert len(set(seen)) == 2
    assert str(os.getpid()) not in seen


def test_a_task_in_another_process_hands_its_partial_state_over_in_its_spill(corpus, tmp_path):
    """The main process reads a worker's partial state from the spill the worker writes anyway,
    instead of receiving it pickled a second time through the pool's pipe."""
    inputs, config = corpus
    stage = split_stages(load_chain(config).steps)[0]
    unit = next(run_units.plan_units(expand_inputs([str(inputs)])))
    spills = Spills(tmp_path / "work")
    spills.prepare(0)
    job = PassJob(stage, 0, "upstream", spills, Reading())
    here = job.run(ReadInput(unit))
    there = pickle.loads(pickle.dumps(job.ship(here)))
    assert isinstance(here, Summarized) and here.partial
    assert isinstance(there, Spilled) and not hasattr(there, "partial")
    assert there.partial_state(spills, 0) == here.partial


def test_rows_reach_the_writer_in_files_not_in_the_pickle(tmp_path):
    """A worker hands its rows over as Arrow files; what is pickled is small, and the
    writer's side gets the same tables back and deletes the files."""
    docs = [Document(f"d{number}", "Words of a document. " * 40) for number in range(400)]
    docs[3].reject("quality_filter", "too_short", "a test")
    prepared = prepare(docs)
    handed = prepared.hand_over(str(tmp_path / "unit"))
    rows_bytes = sum(table.nbytes for table in prepared.tables.values())
    assert len(pickle.dumps(handed)) < rows_bytes / 10
    assert sorted(path.name for path in tmp_path.iterdir()) == ["unit.rejected.arrow", "unit.train.arrow"]
    taken = pickle.loads(pickle.dumps(handed)).take_over()
    assert all(taken.tables[split].equals(prepared.tables[split]) for split in SPLITS)
    assert taken.rows == len(docs)
    assert not any(tmp_path.iterdir())


def test_units_read_exactly_what_a_plain_read_gives(corpus):
    """Spans of a big JSONL file keep ids, line numbers and order; .gz and .zst stream."""
    inputs, _ = corpus
    files = expand_inputs([str(inputs)])
    whole = _rows(read_inputs(files))
    units = list(run_units.plan_units(files, unit_bytes=SMALL_UNIT_BYTES))
    pieces = _rows(doc for unit in units for doc in unit.read(Reading()))
    assert pieces == whole
    assert {row["raw_path"].split(":")[0].rsplit(".", 1)[-1] for row in whole} >= {
        "jsonl",
        "gz",
        "zst",
        "txt",
    }


def test_corpus_passes_keep_the_first_copy_in_input_order(corpus, monkeypatch):
    inputs, config = corpus
    monkeypatch.setattr(run_units, "UNIT_BYTES", SMALL_UNIT_BYTES)
    chain = load_chain(config)
    runner = Runner(chain.steps, LocalExecutor(2), DocumentSink())
    docs = [doc for unit in runner.run_files(expand_inputs([str(inputs)])) for doc in unit]
    position = {doc.id: index for index, doc in enumerate(docs)}
    duplicates = [doc for doc in docs if doc.rejection and doc.rejection.rule == "exact"]
    assert len(duplicates) > 20
    for doc in duplicates:
        assert position[doc.rejection.duplicate_of] < position[doc.id]
    assert runner.figures["scale_test_exact_dup"]["distinct_texts"] > 200


def test_runner_run_on_documents_matches_run_files(corpus):
    """The document-stream interface (``Runner.run``) gives what the file interface gives."""
    inputs, config = corpus
    files = expand_inputs([str(inputs)])
    by_files = _rows(
        _flat(Runner(load_chain(config).steps, LocalExecutor(2), DocumentSink()).run_files(files))
    )
    by_docs = _rows(
        _flat(Runner(load_chain(config).steps, LocalExecutor(2), DocumentSink()).run(read_inputs(files)))
    )
    assert by_docs == by_files


def test_a_run_leaves_the_garbage_collector_as_it_found_it(corpus):
    """The runner freezes long-lived objects and spaces out young collections for each stage;
    a library caller's process gets its own settings back afterwards."""
    import gc

    inputs, config = corpus
    before = gc.get_threshold()
    runner = Runner(load_chain(config).steps, LocalExecutor(1), DocumentSink())
    seen_during: list[tuple[tuple[int, int, int], int]] = []
    for index, _doc in enumerate(runner.run_files(expand_inputs([str(inputs)]))):
        if index == 0:
            seen_during.append((gc.get_threshold(), gc.get_freeze_count()))
    assert seen_during[0][0][0] == YOUNG_COLLECTION_THRESHOLD
    assert seen_during[0][1] > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_starting_the_chain_imports_neither_datasets_nor_wordfreq():
    """Both are slow imports a run does not need (the card is written without datasets; the
    wordfreq index is read from its cache): a fresh process that loads the default chain and
    the writers must not import them."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from corpus_tools.config import load_chain\n"
        "import corpus_tools.writers.card, corpus_tools.writers.dataset, corpus_tools.run\n"
        "load_chain(None)\n"
        "print(sorted(m for m in ('datasets', 'wordfreq') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
