"""Output safety (issue 16): the folder rule, the lock, 0 documents, --resume's trust, kills, disk full.

Each test reproduces one way a run destroyed or corrupted data, and asserts what is kept, what
the user is told, and that nothing else changed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from test_scale_support import SMALL_UNIT_BYTES, dataset_files, write_config, write_corpus

from corpus_tools.cli import main
from corpus_tools.run import units

SCRIPT = Path(__file__).with_name("test_scale_support.py")
STORY = (
    "The council met on Monday to agree a budget for schools and roads across the county, "
    "and the vote is expected after talks with unions next week."
)
DATASET_MARKER = ".corpus-tools-dataset"


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` (hidden ones too): files with their bytes, folders and links as None."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        found[key] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return found


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY + "\n", encoding="utf-8")
    (folder / "b.txt").write_text(STORY.replace("council", "mayor") + "\n", encoding="utf-8")
    return folder


def clean(inputs: Path | str, out: Path | str, config: Path, *extra: str) -> int:
    return main(["clean", str(inputs), "--out", str(out), "--config", str(config), *extra])


# 1. the output folder rule


def test_clean_refuses_to_replace_a_folder_it_did_not_write(tmp_path, raw, spine_config, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my own notes", encoding="utf-8")
    before = tree(tmp_path)
    assert clean(raw, out, spine_config) == 2
    err = capsys.readouterr().err
    assert "not written by corpus-tools" in err and "--out" in err
    assert tree(tmp_path) == before  # nothing touched: no lock, work or staging folder either


@pytest.mark.parametrize("where", ["the input", "its parent", "inside it", "a link to it"])
def test_clean_refuses_an_out_that_is_contains_or_is_inside_an_input(
    tmp_path, raw, spine_config, capsys, where
):
    out = {
        "the input": raw,
        "its parent": tmp_path,
        "inside it": raw / "cleaned",
        "a link to it": tmp_path / "link",
    }[where]
    if where == "a link to it":
        out.symlink_to(raw, target_is_directory=True)
    before = tree(tmp_path)
    assert clean(raw, out, spine_config) == 2
    assert "input" in capsys.readouterr().err
    assert tree(tmp_path) == before


def test_out_root_and_the_current_folder_are_refused_without_debris(
    tmp_path, raw, spine_config, monkeypatch, capsys
):
    root = set(os.listdir("/"))
    assert clean(raw, "/", spine_config) == 2
    assert set(os.listdir("/")) == root
    before = tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert clean("raw", ".", spine_config) == 2  # the current folder holds the input
    assert tree(tmp_path) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    before = tree(tmp_path)
    monkeypatch.chdir(empty)
    assert clean(raw, ".", spine_config) == 2  # the folder the user stands in is not replaced
    assert "current folder" in capsys.readouterr().err
    assert tree(tmp_path) == before


def test_clean_replaces_its_own_dataset_and_one_an_older_version_wrote(tmp_path, raw, spine_config, root):
    out = tmp_path / "dataset"
    assert clean(raw, out, spine_config) == 0
    marker = json.loads((out / DATASET_MARKER).read_text(encoding="utf-8"))
    assert marker["tool"] == "corpus-tools" and marker["kind"] == "dataset"
    (raw / "b.txt").unlink()
    assert clean(raw, out, spine_config) == 0  # its own folder: replaced
    assert pq.read_table(next((out / "data").glob("train-*"))).column("id").to_pylist() == ["a"]
    assert not list(tmp_path.glob(".dataset.*work")) and not list(tmp_path.glob(".dataset.partial-*"))

    older = tmp_path / "older"  # the committed sample: written before the marker existed
    shutil.copytree(root / "clean", older)
    (older / DATASET_MARKER).unlink(missing_ok=True)
    assert clean(raw, older, spine_config) == 0
    assert (older / DATASET_MARKER).is_file()


@pytest.mark.parametrize("marked", [True, False])
def test_a_dataset_folder_holding_a_file_the_tool_never_writes_is_refused(
    tmp_path, raw, spine_config, root, capsys, marked
):
    out = tmp_path / "dataset"
    if marked:
        assert clean(raw, out, spine_config) == 0
    else:
        shutil.copytree(root / "clean", out)
        (out / DATASET_MARKER).unlink(missing_ok=True)
    (out / "data" / "my-extra.parquet").write_bytes(b"someone's shard")
    before = tree(tmp_path)
    assert clean(raw, out, spine_config) == 2
    assert "data/my-extra.parquet" in capsys.readouterr().err
    assert tree(tmp_path) == before


@pytest.fixture
def dataset(tmp_path, raw, spine_config) -> Path:
    out = tmp_path / "dataset"
    assert clean(raw, out, spine_config) == 0
    return out


def test_export_txt_never_deletes_files_already_in_its_folder(tmp_path, dataset, capsys):
    target = tmp_path / "texts"
    target.mkdir()
    (target / "keep.md").write_text("mine", encoding="utf-8")
    before = tree(tmp_path)
    assert main(["export", str(dataset), "--format", "txt", "--out", str(target)]) == 2
    assert "not written by corpus-tools" in capsys.readouterr().err
    assert tree(tmp_path) == before
    fresh = tmp_path / "fresh"
    assert main(["export", str(dataset), "--format", "txt", "--out", str(fresh)]) == 0
    assert main(["export", str(dataset), "--format", "txt", "--out", str(fresh)]) == 0  # its own: replaced
    assert sorted(p.name for p in fresh.glob("*.txt")) == ["a.txt", "b.txt"]
    assert main(["export", str(dataset), "--format", "txt", "--out", str(tmp_path)]) == 2  # holds DIR


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_export_replaces_a_file_only_when_it_wrote_it_and_nobody_changed_it(tmp_path, dataset, fmt):
    theirs = tmp_path / f"theirs.{fmt}"
    theirs.write_bytes(b"someone's data")
    assert main(["export", str(dataset), "--format", fmt, "--out", str(theirs)]) == 2
    assert theirs.read_bytes() == b"someone's data"
    ours = tmp_path / f"ours.{fmt}"
    assert main(["export", str(dataset), "--format", fmt, "--out", str(ours)]) == 0
    assert main(["export", str(dataset), "--format", fmt, "--out", str(ours)]) == 0
    with ours.open("ab") as edited:
        edited.write(b"\n")  # the user edited the export since: it is theirs now
    edited_bytes = ours.read_bytes()
    assert main(["export", str(dataset), "--format", fmt, "--out", str(ours)]) == 2
    assert ours.read_bytes() == edited_bytes


def test_report_keeps_a_file_the_user_added_to_its_folder(tmp_path, dataset, capsys):
    index = tmp_path / "report" / "index.html"
    assert main(["report", str(dataset), "--out", str(index)]) == 0
    assert main(["report", str(dataset), "--out", str(index)]) == 0  # its own folder: replaced
    (index.parent / "notes.txt").write_text("mine", encoding="utf-8")
    before = tree(tmp_path)
    assert main(["report", str(dataset), "--out", str(index)]) == 2
    assert "notes.txt" in capsys.readouterr().err
    assert tree(tmp_path) == before


# 2. a run that reads no document


@pytest.mark.parametrize(("content", "code"), [({}, 2), ({"notes.md": "# notes"}, 2), ({"blank.txt": ""}, 1)])
def test_a_run_that_reads_no_document_leaves_the_dataset_as_it_was(
    tmp_path, dataset, spine_config, capsys, content, code
):
    source = tmp_path / "source"
    source.mkdir()
    for name, text in content.items():
        (source / name).write_text(text, encoding="utf-8")
    before = tree(tmp_path)
    assert clean(source, dataset, spine_config) == code
    assert "0 documents" in capsys.readouterr().err
    assert tree(tmp_path) == before


# 3. the lock


def _clean_process(inputs: Path, out: Path, config: Path, *extra: str, env: dict[str, str] | None = None):
    command = [sys.executable, str(SCRIPT), "clean", str(inputs), "--out", str(out), "--config", str(config)]
    return subprocess.Popen(
        [*command, *extra],
        env={**os.environ, **(env or {})},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for(path: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "the run never reached the tripwire"
        time.sleep(0.05)


def _hang(tmp_path: Path) -> tuple[dict[str, str], Path]:
    marker = tmp_path / "reached"
    return {"SCALE_TEST_HANG_ON": "doc-0150", "SCALE_TEST_MARKER": str(marker)}, marker


def test_a_second_run_into_the_same_output_fails_at_once_and_touches_nothing(tmp_path):
    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml", tripwire_stage=1)
    out = tmp_path / "out"
    env, marker = _hang(tmp_path)
    first = _clean_process(inputs, out, config, "--workers", "1", env=env)
    try:
        _wait_for(marker, first)
        work = tmp_path / ".out.work"
        before = tree(work)
        assert before
        for extra in ([], ["--resume"]):
            second = subprocess.run(
                [
                    sys.executable,
                    str(SCRIPT),
                    "clean",
                    str(inputs),
                    "--out",
                    str(out),
                    "--config",
                    str(config),
                ]
                + extra,
                capture_output=True,
                text=True,
                timeout=60,  # fails at once: it does not wait for the first run's two minutes
            )
            assert second.returncode == 2, second.stderr
            assert "another corpus-tools run" in second.stderr
            assert tree(work) == before
        assert not out.exists()
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()


# 9. --resume trusts only what it wrote


class Planted:
    """Unpickling this creates a file: what a planted spill could do instead."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def _interrupted_run(tmp_path: Path, monkeypatch) -> tuple[list[str], Path, Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(units, "UNIT_BYTES", SMALL_UNIT_BYTES)
    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml", tripwire_stage=1)
    reference = tmp_path / "reference"
    assert main(["-q", "clean", str(inputs), "--out", str(reference), "--config", str(config)]) == 0
    args = ["clean", str(inputs), "--out", str(tmp_path / "out"), "--config", str(config), "--workers", "1"]
    monkeypatch.setenv("SCALE_TEST_INTERRUPT_ON", "doc-0150")
    assert main(args) == 1
    monkeypatch.delenv("SCALE_TEST_INTERRUPT_ON")
    return args, tmp_path / ".out.work", reference


@pytest.mark.parametrize("forgery", ["a plain pickle", "a signed header with a made-up tag"])
def test_resume_never_unpickles_a_spill_it_did_not_write(tmp_path, monkeypatch, caplog, forgery):
    args, work, reference = _interrupted_run(tmp_path, monkeypatch)
    spills = sorted(p for p in work.rglob("*") if p.suffix in (".sum", ".docs"))
    assert spills
    evil = tmp_path / "planted-code-ran"
    payload = pickle.dumps(Planted(evil))
    if forgery != "a plain pickle":
        from corpus_tools.safety.signing import MAGIC

        payload = MAGIC + bytes(32) + payload
    for path in spills:
        path.write_bytes(payload)
    caplog.clear()
    assert main([*args, "--resume"]) == 0
    assert not evil.exists()
    assert "fail their integrity check" in caplog.text
    assert dataset_files(tmp_path / "out") == dataset_files(reference)


def test_the_spill_key_is_kept_outside_the_work_folder_readable_by_the_user_only(tmp_path, monkeypatch):
    _, work, _ = _interrupted_run(tmp_path, monkeypatch)
    secret = tmp_path / "cache" / "corpus-tools" / "secret"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert secret.parent.stat().st_mode & 0o777 == 0o700
    assert work.stat().st_mode & 0o777 == 0o700
    key = secret.read_bytes()
    assert len(key) >= 32
    assert not any(key in p.read_bytes() for p in work.rglob("*") if p.is_file())


# 10. workers die with their parent; SIGTERM cleans up like Ctrl-C


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_main_process_stops_its_workers_and_sigterm_cleans_up(tmp_path, spine_config, raw, sig):
    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml", tripwire_stage=1)
    out = tmp_path / "out"
    assert clean(raw, out, spine_config) == 0
    before = dataset_files(out)
    env, marker = _hang(tmp_path)
    run = _clean_process(inputs, out, config, "--workers", "2", env=env)
    workers: list[int] = []
    try:
        _wait_for(marker, run)
        workers = _children(run.pid)
        assert len(workers) == 2
        os.kill(run.pid, sig)  # the main process alone, as a job scheduler or the OOM killer does
        _, stderr = run.communicate(timeout=30)
        deadline = time.monotonic() + 10
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _running(pid)]
        assert dataset_files(out) == before
        if sig == signal.SIGTERM:
            assert run.returncode == 1
            assert "stopped" in stderr and "Traceback" not in stderr
            assert not list(tmp_path.glob(".out.partial-*")) and not list(tmp_path.glob(".out.old-*"))
    finally:
        for pid in [run.pid, *workers]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        run.wait()


# 11. disk full


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_writing_the_dataset_says_so_in_one_line(
    tmp_path, dataset, raw, spine_config, capsys
):
    (raw / "c.txt").write_text(STORY + " Again.\n", encoding="utf-8")
    before = tree(tmp_path)
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pq.ParquetWriter, "write_table", _no_space)
        assert clean(raw, dataset, spine_config) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("corpus-tools: no space left on device while writing")
    kept_for_resume = {name for name in tree(tmp_path) if name.startswith(".dataset.work")}
    assert {k: v for k, v in tree(tmp_path).items() if k not in kept_for_resume} == before


class _FillingFile:
    """A file that takes a few bytes and then finds the disk full, as a real one does."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, data) -> int:
        self.stream.write(bytes(data)[:10])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stream.close()


def test_disk_full_while_writing_a_spill_leaves_no_half_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(units, "UNIT_BYTES", SMALL_UNIT_BYTES)
    inputs = write_corpus(tmp_path / "in")
    config = write_config(tmp_path / "chain.yaml")
    out = tmp_path / "out"
    assert main(["-q", "clean", str(inputs), "--out", str(out), "--config", str(config)]) == 0
    before = tree(out)
    real_open = Path.open

    def filling_open(self, mode="r", *args, **kwargs):
        stream = real_open(self, mode, *args, **kwargs)
        return _FillingFile(stream) if "w" in mode and self.name.endswith(".tmp") else stream

    capsys.readouterr()
    monkeypatch.setattr(Path, "open", filling_open)
    assert main(["clean", str(inputs), "--out", str(out), "--config", str(config), "--workers", "1"]) == 1
    monkeypatch.setattr(Path, "open", real_open)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("corpus-tools: no space left on device while writing")
    assert ".out.work" in lines[0]
    assert tree(out) == before
    assert not [p for p in tmp_path.rglob("*.tmp")]
    assert not list(tmp_path.glob(".out.partial-*"))


def test_the_runner_deletes_only_a_work_folder_it_opened(tmp_path):
    """The command discards the work folder when the run is over, also in its ``finally``; a
    folder the folder rule refused (one the tool did not make) must come out of that intact."""
    from corpus_tools.executors.local import LocalExecutor
    from corpus_tools.readers import expand_inputs
    from corpus_tools.run.runner import Runner
    from corpus_tools.run.sinks import DocumentSink
    from corpus_tools.safety.folders import RefusedOutput

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A story of enough words to be a document here.", encoding="utf-8")
    foreign = tmp_path / ".out.work"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    runner = Runner([], LocalExecutor(), DocumentSink(), work_dir=foreign)
    with pytest.raises(RefusedOutput):
        list(runner.run_files(expand_inputs([tmp_path / "in"])))
    runner.discard_work()
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"
