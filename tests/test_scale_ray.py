"""The Ray Data executor on a local Ray instance gives the local executor's dataset, byte for byte."""

from __future__ import annotations

import json

import pytest
import ray
import ray.cloudpickle
import test_scale_support
from test_scale_support import SMALL_UNIT_BYTES, dataset_files, write_config, write_corpus

from corpus_tools.cli import main
from corpus_tools.executors import local as local_executor
from corpus_tools.executors.ray import units_per_task
from corpus_tools.readers import expand_inputs
from corpus_tools.run import units as run_units


def test_ray_tasks_take_several_units_only_while_every_cpu_keeps_two_tasks():
    assert units_per_task(24, 2) == 3  # 8 tasks on 2 CPUs
    assert units_per_task(9, 2) == 2
    assert units_per_task(5, 2) == 1
    assert units_per_task(24, 64) == 1  # a cluster: one unit per task
    assert units_per_task(10_000, 2) == 3


def _no_local_pool(*args, **kwargs):
    raise AssertionError("a Ray run used the local process pool")


@pytest.fixture(scope="module")
def local_ray():
    """A local instance, left running until the test process exits (Ray's own exit hook stops it).

    Not ``ray.shutdown()`` here: Ray Data (2.60) starts a thread in the driver that polls the
    cluster's usage metrics every 10 s for the life of the process, and the first poll after a
    shutdown ends the process with exit code 1 ("The core worker has already been shutdown ...
    The process will exit", in the driver's log): pytest then stopped, without a summary,
    in about 1 run of 10.
    """
    if not ray.is_initialized():
        ray.init(num_cpus=2, include_dashboard=False)
    ray.cloudpickle.register_pickle_by_value(test_scale_support)  # the test-only steps travel by value


def test_ray_and_local_executors_write_the_same_dataset(local_ray, tmp_path, monkeypatch):
    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml", passes=1)  # one corpus pass keeps Ray start-up short
    monkeypatch.setattr(run_units, "UNIT_BYTES", SMALL_UNIT_BYTES * 2)
    units = len(list(run_units.plan_units(expand_inputs([str(inputs)]))))
    assert units_per_task(units, 2) > 1  # Ray tasks that run several units, results still in order
    common = ["clean", str(inputs), "--config", str(config)]
    assert main([*common, "--out", str(tmp_path / "local"), "--workers", "2"]) == 0
    # the Ray run must not fall back on the local pool
    monkeypatch.setattr(local_executor.LocalExecutor, "ordered_map", _no_local_pool)
    assert main([*common, "--out", str(tmp_path / "ray"), "--executor", "ray"]) == 0
    local, on_ray = dataset_files(tmp_path / "local"), dataset_files(tmp_path / "ray")
    assert on_ray == local
    passes = json.loads(on_ray["run.json"])["stats"]["corpus_passes"]
    assert passes["scale_test_exact_dup"]["distinct_texts"] > 200  # the pass ran on Ray, folded
    assert not (tmp_path / ".ray.work").exists()


def test_every_step_of_the_default_chain_travels_to_ray_workers():
    """Ray pickles each stage (with the corpus state) to its workers: no step may hold an
    unpicklable object, such as a loaded model."""
    from corpus_tools.config import DEFAULT_CONFIG, load_chain
    from corpus_tools.document import Document
    from corpus_tools.steps import CorpusStep

    steps = load_chain(DEFAULT_CONFIG).steps
    doc = Document("d", "The government announced on Monday that the new railway line would open.")
    for step in steps:
        if isinstance(step, CorpusStep):
            step.collect_documents([doc])
            step.finish()
        step.process(doc)
        copy = ray.cloudpickle.loads(ray.cloudpickle.dumps(step))
        assert type(copy) is type(step)
    assert doc.meta["language"] == "en"


def test_an_interrupted_ray_run_resumes_from_its_work_folder(local_ray, tmp_path, monkeypatch, capsys):
    """The Ray executor is the local runner: its spills in ``.<out>.work`` serve ``--resume`` too."""
    from corpus_tools.config import load_chain
    from corpus_tools.executors.ray import RayExecutor
    from corpus_tools.readers import expand_inputs
    from corpus_tools.run import Runner
    from corpus_tools.writers.schema import RowSink

    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml", passes=1)
    monkeypatch.setattr(run_units, "UNIT_BYTES", SMALL_UNIT_BYTES * 8)
    assert main(["clean", str(inputs), "--config", str(config), "--out", str(tmp_path / "local")]) == 0

    work = tmp_path / ".out.work"
    interrupted = Runner(load_chain(config).steps, RayExecutor(), RowSink(), work_dir=work)
    batches = interrupted.run_files(expand_inputs([str(inputs)]))
    next(batches)  # the corpus pass is done and its spills are written; the run stops here
    batches.close()
    assert any(work.glob("stage-0/*.sum"))

    common = ["clean", str(inputs), "--config", str(config), "--out", str(tmp_path / "out")]
    monkeypatch.setattr(local_executor.LocalExecutor, "ordered_map", _no_local_pool)
    capsys.readouterr()
    assert main([*common, "--executor", "ray", "--resume"]) == 0
    assert "finished units read back" in capsys.readouterr().err
    assert dataset_files(tmp_path / "out") == dataset_files(tmp_path / "local")


def test_the_time_budget_holds_in_ray_workers(local_ray, tmp_path):
    """A hostile rule pack on Ray: the document it stalls on is rejected (timeout), the rest kept."""
    from test_safety_bounded import SMALL_BUDGET, _write_hostile_run

    from corpus_tools.inspect.load import iter_documents

    config, raw = _write_hostile_run(tmp_path, "paragraph", "a" * 40 + "!")
    out = tmp_path / "out"
    args = ["clean", str(raw), "--out", str(out), "--config", str(config), "--executor", "ray"]
    assert main([*args, "--max-seconds-per-document", str(SMALL_BUDGET)]) == 0
    reasons = sorted(doc.rejection.reason if doc.rejection else "kept" for _, doc in iter_documents(out))
    assert reasons == ["kept", "strip_boilerplate:timeout"]
