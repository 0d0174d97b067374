"""How much disk the work folder (``.OUT.work``, the spills) takes, relative to the input.

Runs the default chain over the synthetic corpus with a work folder, in one process, and
follows the spills' total size exactly: each spill written adds its file's size, each
superseded ``.docs`` file dropped subtracts it. Prints the input's size on disk, its text,
the peak of the work folder and the ratios (``docs/safety.md`` quotes them).

Usage: ``python benchmarks/bench_spill_size.py --docs 5000``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_chain import make_corpus  # noqa: E402

from corpus_tools.config import load_chain  # noqa: E402
from corpus_tools.executors.local import LocalExecutor  # noqa: E402
from corpus_tools.readers import expand_inputs  # noqa: E402
from corpus_tools.run import DocumentSink, Runner  # noqa: E402
from corpus_tools.run.spills import Spills  # noqa: E402


class SpillMeter:
    """The work folder's size over the run, from the spills' own writes and drops."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self.files: dict[Path, int] = {}

    def install(self) -> None:
        write, drop = Spills.write, Spills.drop_docs
        meter = self

        def metered_write(spills: Spills, stage: int, key: str, docs: Any, partial: Any) -> None:
            write(spills, stage, key, docs, partial)
            for kind in ("docs", "sum"):
                path = spills.path(stage, key, kind)
                meter.add(path, path.stat().st_size)

        def metered_drop(spills: Spills, stage: int, key: str) -> None:
            meter.add(spills.path(stage, key, "docs"), 0)
            drop(spills, stage, key)

        Spills.write = metered_write  # type: ignore[method-assign]
        Spills.drop_docs = metered_drop  # type: ignore[method-assign]

    def add(self, path: Path, size: int) -> None:
        self.now += size - self.files.get(path, 0)
        self.files[path] = size
        self.peak = max(self.peak, self.now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-spill-") as scratch:
        corpus = make_corpus(Path(scratch), args.docs, args.seed)
        files = expand_inputs([str(corpus)])
        input_bytes = sum(item.path.stat().st_size for item in files)
        text_bytes = sum(
            len(json.loads(line)["text"].encode("utf-8"))
            for item in files
            for line in item.path.open(encoding="utf-8")
        )
        meter = SpillMeter()
        meter.install()
        runner = Runner(
            load_chain().steps, LocalExecutor(), DocumentSink(), work_dir=Path(scratch) / ".out.work"
        )
        documents = sum(len(unit) for unit in runner.run_files(files))
    mb = 1 << 20
    print(f"documents                 {documents}")
    print(f"input on disk (JSONL)     {input_bytes / mb:8.1f} MB")
    print(f"input text (UTF-8)        {text_bytes / mb:8.1f} MB")
    print(f"work folder at its peak   {meter.peak / mb:8.1f} MB")
    print(f"work folder at the end    {meter.now / mb:8.1f} MB (deleted once the dataset is in place)")
    print(f"peak / input on disk      {meter.peak / input_bytes:8.2f}x")
    print(f"peak / input text         {meter.peak / text_bytes:8.2f}x")


if __name__ == "__main__":
    main()
