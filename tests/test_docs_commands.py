"""Every fenced ``bash``/``sh``/``python`` block of README.md and docs/*.md runs, in order, in a
temporary folder holding a copy of ``raw/`` (and, for the docs, the ``clean/`` the README's main
command makes), and exits 0.

A block that cannot run in a test (an upload to the Hub, a Ray cluster, the test suite itself)
is preceded by an HTML comment ``<!-- not-run: why -->``; the reason is required. ``corpus-tools``
is this environment's entry point (its ``bin`` folder leads PATH); the README's set-up line runs
without its venv creation and install, which is the environment the tests already run in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(bash|sh|python)\s*$")
NOT_RUN = re.compile(r"^<!-- not-run: \S.* -->$")
SETUP = "python3 -m venv .venv && .venv/bin/pip install -q -e . && "
TIMEOUT = 300


def blocks(path: Path) -> list[tuple[int, str, str]]:
    """(line, language, code) of each block to run; blocks marked not-run are left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if match:
            end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
            before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
            if not before.startswith("<!-- not-run"):
                found.append((index + 1, match.group(1), "\n".join(lines[index + 1 : end]) + "\n"))
            else:
                assert NOT_RUN.match(before), f"{path.name}:{index}: give the reason: <!-- not-run: why -->"
            index = end
        index += 1
    return found


def as_run_here(code: str) -> str:
    return code.replace(SETUP, "").replace(".venv/bin/corpus-tools", "corpus-tools")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """``raw/`` and the ``clean/`` the main command makes from it, to copy for each document."""
    base = tmp_path_factory.mktemp("docs-base")
    shutil.copytree(ROOT / "raw", base / "raw")
    done = subprocess.run(
        [sys.executable, "-m", "corpus_tools.cli", "-q", "clean", "raw/", "--out", "clean/"],
        cwd=base,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return base


def test_the_readme_and_docs_mark_what_they_do_not_run_with_a_reason():
    marked = [p.name for p in DOCS if "<!-- not-run:" in p.read_text(encoding="utf-8")]
    assert "README.md" in marked  # the Hub upload, the test suite
    assert sum(len(blocks(p)) for p in DOCS) >= 15


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_of_the_doc_runs(doc, made, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(made / "raw", work / "raw")
    if doc.name != "README.md":  # the docs start where the README's main command left off
        shutil.copytree(made / "clean", work / "clean")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("HF_TOKEN", None)
    for line, language, code in blocks(doc):
        command = (
            ["bash", "-e", "-c", as_run_here(code)] if language != "python" else [sys.executable, "-c", code]
        )
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, (
            f"{doc.name}:{line}: exit {done.returncode}\n{code}\n{done.stderr[-3000:]}"
        )
