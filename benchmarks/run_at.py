"""Run a benchmark script against the code of another git revision ("before" figures).

``python benchmarks/run_at.py main benchmarks/bench_encoding.py --marks`` extracts the
``corpus_tools`` package of ``main`` (``git archive``) into ``benchmarks/out/code-<sha>/``
and runs the script (the current one, so both sides print the same figures) with that
package imported instead of the checkout's editable install.

usage: python benchmarks/run_at.py REVISION SCRIPT [ARGS...]
"""

from __future__ import annotations

import io
import os
import runpy
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVISION_VARIABLE = "CORPUS_TOOLS_BENCH_REVISION"  # tells a script's own subprocesses to run at it too


def extract(revision: str) -> Path:
    """The package of ``revision``, extracted once per commit."""
    sha = subprocess.run(
        ["git", "rev-parse", revision], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    folder = ROOT / "benchmarks" / "out" / f"code-{sha[:12]}"
    if not (folder / "corpus_tools").is_dir():
        archive = subprocess.run(
            ["git", "archive", sha, "corpus_tools"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    return folder


def use_code_at(revision: str) -> None:
    """Import ``corpus_tools`` from ``revision`` in this process (before anything imports it)."""
    folder = extract(revision)
    # the editable install's finder would answer first; the extracted package must
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in getattr(f, "__module__", "")]
    sys.path.insert(0, str(folder))


def python_command() -> list[str]:
    """How a script starts a Python subprocess that runs the same revision as itself."""
    revision = os.environ.get(REVISION_VARIABLE)
    return [sys.executable] if revision is None else [sys.executable, __file__, revision]


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    revision, script, *args = sys.argv[1:]
    use_code_at(revision)
    os.environ[REVISION_VARIABLE] = revision
    sys.argv = [script, *args]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
