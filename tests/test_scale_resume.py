"""Resumable runs: kill -9 mid-run, start again with --resume, get the uninterrupted output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_scale_support import (
    SMALL_UNIT_BYTES,
    dataset_files,
    write_config,
    write_corpus,
    write_previous_dataset,
)

from corpus_tools.cli import main
from corpus_tools.run import units

SCRIPT = Path(__file__).with_name("test_scale_support.py")


def _clean(inputs: Path, out: Path, config: Path, *extra: str, env: dict[str, str] | None = None):
    command = [sys.executable, str(SCRIPT), "clean", str(inputs), "--out", str(out), "--config", str(config)]
    environment = {**os.environ, **(env or {})}
    return subprocess.Popen(
        [*command, *extra],
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill reaches the workers too
    )


def _kill_at(process: subprocess.Popen, marker: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "the run never reached the tripwire"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize(("stage", "workers"), [(0, "1"), (1, "2")])
def test_resume_after_kill_gives_the_uninterrupted_output(tmp_path, monkeypatch, stage, workers):
    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml", tripwire_stage=stage)
    monkeypatch.setattr(units, "UNIT_BYTES", SMALL_UNIT_BYTES)
    reference = tmp_path / "reference"
    assert main(["clean", str(inputs), "--out", str(reference), "--config", str(config)]) == 0

    out = tmp_path / "out"
    previous = write_previous_dataset(out)
    marker, log = tmp_path / "reached", tmp_path / "computed.log"
    hang = {"SCALE_TEST_HANG_ON": "doc-0150", "SCALE_TEST_MARKER": str(marker), "SCALE_TEST_LOG": str(log)}
    _kill_at(_clean(inputs, out, config, "--workers", workers, env=hang), marker)
    assert dataset_files(out) == previous  # left as it was
    assert (tmp_path / ".out.work").is_dir()
    first_pass = log.read_text().split()
    log.unlink()

    resumed = _clean(inputs, out, config, "--workers", workers, "--resume", env={"SCALE_TEST_LOG": str(log)})
    _, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr
    assert "resumed:" in stderr
    assert dataset_files(out) == dataset_files(reference)
    assert not (tmp_path / ".out.work").exists()
    assert not list(tmp_path.glob(".out.partial-*"))  # the killed run's staging folder is cleared
    recomputed = log.read_text().split() if log.exists() else []
    if stage == 1:
        assert recomputed == []  # every unit had finished stage 0: none is read or computed again
    else:
        # the units finished before the kill are read back; the one it hit and those after are computed
        assert "doc-0150" in recomputed and first_pass[0] not in recomputed
        assert len(recomputed) < 300


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # gone meanwhile
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_worker_killed_mid_run_stops_the_run_with_a_clear_error_and_resume_finishes_it(
    tmp_path, monkeypatch
):
    """The out-of-memory killer or a crash in a C extension takes one worker: the run stops and
    says so (``multiprocessing.Pool`` waited for the lost task forever), and ``--resume`` ends it."""
    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml", tripwire_stage=1)
    monkeypatch.setattr(units, "UNIT_BYTES", SMALL_UNIT_BYTES)
    reference = tmp_path / "reference"
    assert main(["clean", str(inputs), "--out", str(reference), "--config", str(config)]) == 0

    out, marker = tmp_path / "out", tmp_path / "reached"
    previous = write_previous_dataset(out)
    hang = {"SCALE_TEST_HANG_ON": "doc-0150", "SCALE_TEST_MARKER": str(marker)}
    run = _clean(inputs, out, config, "--workers", "2", env=hang)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert run.poll() is None, run.stderr.read()
        assert time.monotonic() < deadline, "the run never reached the tripwire"
        time.sleep(0.05)
    workers = _children(run.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 1
    assert "a worker process died" in stderr and "--resume" in stderr
    assert dataset_files(out) == previous
    assert (tmp_path / ".out.work").is_dir()

    resumed = _clean(inputs, out, config, "--workers", "2", "--resume")
    _, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr
    assert dataset_files(out) == dataset_files(reference)


def test_ctrl_c_keeps_the_old_output_and_a_plain_rerun_starts_from_scratch(tmp_path, monkeypatch, capsys):
    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml", tripwire_stage=1)
    monkeypatch.setattr(units, "UNIT_BYTES", SMALL_UNIT_BYTES)
    out, log = tmp_path / "out", tmp_path / "computed.log"
    args = ["clean", str(inputs), "--out", str(out), "--config", str(config), "--workers", "1"]
    assert main(args) == 0
    before = dataset_files(out)
    monkeypatch.setenv("SCALE_TEST_INTERRUPT_ON", "doc-0150")
    capsys.readouterr()
    assert main(args) == 1  # interrupted
    assert "--resume" in capsys.readouterr().err  # the message says how to go on
    assert dataset_files(out) == before
    assert (tmp_path / ".out.work").is_dir()
    monkeypatch.delenv("SCALE_TEST_INTERRUPT_ON")
    monkeypatch.setenv("SCALE_TEST_LOG", str(log))
    assert main(args) == 0  # no --resume: the work folder is cleared, everything computed again
    assert len(log.read_text().split()) > 250
    assert dataset_files(out) == before
