"""The command line's small promises: quiet means quiet, bad numbers are refused, pipes close
quietly, a card from elsewhere cannot run code, publish stays inside its folder, and every
default output is ignored by git."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dataset_corpus import STORIES, build

from corpus_tools.cli import EXIT_BROKEN_PIPE, main

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "corpus_tools.cli"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("nits"))


def test_quiet_silences_the_run_summary_before_or_after_the_command(tmp_path):
    for position, argv in enumerate(
        (
            ["-q", "clean", "raw/", "--out", str(tmp_path / "a")],
            ["clean", "raw/", "--out", str(tmp_path / "b"), "-q"],
        )
    ):
        done = subprocess.run([*CLI, *argv], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, (position, done.stderr)
        assert done.stderr == "", (position, done.stderr)
    loud = subprocess.run(
        [*CLI, "clean", "raw/", "--out", str(tmp_path / "c")], cwd=ROOT, capture_output=True, text=True
    )
    assert "documents in" in loud.stderr and "wrote" in loud.stderr


@pytest.mark.parametrize(
    "argv", [["clean", "raw/", "--out", "x", "--workers", "-3"], ["report", "d", "--max-diffs", "-1"]]
)
def test_negative_counts_are_refused_by_the_parser(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert "is negative" in capsys.readouterr().err


def test_txt_export_to_stdout_is_refused_not_written_as_jsonl(dataset, capsys):
    assert main(["export", str(dataset), "--format", "txt", "--out", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "txt cannot go to standard output" in captured.err and "--out DIR" in captured.err


@pytest.mark.parametrize(
    "command",
    [
        ["diff", "long", "--dataset", "DATASET", "--format", "unified"],
        ["export", "DATASET", "--format", "jsonl", "--out", "-"],
    ],
)
def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(tmp_path, command):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "long.txt").write_text(STORIES[0] + "\n", encoding="utf-8")
    assert main(["-q", "clean", str(raw), "--out", str(tmp_path / "d"), "--workers", "1"]) == 0
    proc = subprocess.Popen(
        [*CLI, *(str(tmp_path / "d") if part == "DATASET" else part for part in command)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head -0`: the reader is gone before the first write (pipes buffer a lot)
    err = proc.stderr.read().decode()
    assert proc.wait() == EXIT_BROKEN_PIPE
    assert err == ""


def test_a_python_tag_in_the_card_header_is_a_clean_error(dataset, tmp_path, capsys):
    evil = shutil.copytree(dataset, tmp_path / "evil")
    card = evil / "README.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("---\n", "---\nx: !!python/object/apply:os.system ['echo owned']\n", 1))
    for argv in (
        ["export", str(evil), "--format", "jsonl", "--out", "-"],
        ["publish", str(evil), "--repo-id", "o/n", "--dry-run"],
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "cannot be read safely" in err and "Traceback" not in err


def test_publish_refuses_a_link_out_of_the_folder(dataset, tmp_path, capsys):
    folder = shutil.copytree(dataset, tmp_path / "linked")
    secret = tmp_path / "secret.txt"
    secret.write_text("token", encoding="utf-8")
    (folder / "notes.txt").symlink_to(secret)
    assert main(["publish", str(folder), "--repo-id", "o/n", "--dry-run"]) == 2
    captured = capsys.readouterr()
    assert "outside the dataset folder" in captured.err and "notes.txt" not in captured.out
    (folder / "notes.txt").unlink()
    (folder / "more").symlink_to(tmp_path, target_is_directory=True)
    assert main(["publish", str(folder), "--repo-id", "o/n", "--dry-run"]) == 2


def test_every_default_output_is_ignored_by_git(tmp_path):
    """Run each command with its default output inside a git work tree holding the project's
    .gitignore and the dataset at the top (as clean/ is): git must see nothing new."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for this test")
    work = tmp_path / "project"
    work.mkdir()
    shutil.copy(ROOT / ".gitignore", work / ".gitignore")
    shutil.copytree(ROOT / "raw", work / "raw")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q"], cwd=work, check=True, env=env)
    run = [*CLI, "-q"]
    steps = [
        ["clean", "raw/", "--out", "clean/"],
        ["report", "clean/"],
        *(
            ["export", "clean/", "--format", fmt, "--split", split]
            for fmt in ("jsonl", "parquet", "txt")
            for split in ("train", "rejected")
        ),
    ]
    for argv in steps:
        done = subprocess.run([*run, *argv], cwd=work, capture_output=True, text=True)
        assert done.returncode == 0, (argv, done.stderr)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    listed = sorted({line[3:].split("/")[0] for line in status.stdout.splitlines()})
    assert listed == [".gitignore", "clean", "raw"], listed
    made = sorted(p.name for p in work.iterdir())
    assert "clean-report" in made and "clean-train.jsonl" in made and "clean-rejected" in made


def test_a_page_without_text_is_reported_once_by_name_not_by_the_extractor(tmp_path):
    """trafilatura logs "discarding data: None" for a page it finds nothing in: a warning that names
    no input. The run reports that page itself, as a rejected row with a warning naming the file."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.html").write_text("<html><body><div></div></body></html>", encoding="utf-8")
    (tmp_path / "in" / "noise.html").write_bytes(bytes(range(128, 256)) * 4)  # trafilatura logs an error
    (tmp_path / "in" / "story.txt").write_text("A story of twelve words that the chain reads. " * 3)
    done = subprocess.run(
        [*CLI, "clean", str(tmp_path / "in"), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "empty.html: no article text found" in done.stderr
    assert "discarding data" not in done.stderr
    assert "noise.html: no article text found" in done.stderr
    assert "ERROR" not in done.stderr, done.stderr
