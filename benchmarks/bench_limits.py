"""Peak memory and wall time of ``clean`` on a compressed bomb and on one very big document.

Writes, in a temporary folder, by streaming (nothing of their size is ever held here):

* ``bomb.jsonl.gz``: about 1 MB of gzip holding one JSONL line of ``--bomb-mib`` MiB (default
  1024), then one ordinary record;
* ``big.jsonl``: one valid document of ``--big-mb`` MB (default 200) of unique paragraphs.

and runs ``corpus-tools clean`` on each under ``/usr/bin/time -v``, one worker: the bomb and the
big document with the default caps (both are rejected), and the big document with both caps
raised above its size, so that the whole chain processes it. Prints peak RSS and wall time.

``--steps`` also runs each step of the chain in turn on the big document in this process and
prints how far the peak RSS rose during it, in multiples of the text's size: which step copies
the text how many times.

Usage: ``python benchmarks/bench_limits.py [--big-mb 200] [--config configs/default.yaml] [--steps]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "corpus_tools.cli"]
MIB = 1 << 20
WORDS = 3_000  # vocabulary of the big document's prose
AFTER = (
    "An ordinary record after the bomb, long enough for the quality filter: it tells whether the "
    "reader went on past the oversized line and kept what came after it in the same file."
)


def write_bomb(path: Path, mib: int) -> None:
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b'{"id": "bomb", "text": "')
        block = b"a" * MIB
        for _ in range(mib):
            out.write(block)
        out.write(b'"}\n' + json.dumps({"id": "after", "text": AFTER}).encode())
        out.write(b"\n")


def paragraphs(seed: int = 1) -> list[str]:
    """Two thousand paragraphs of pseudo-words: prose-like, varied, cheap to repeat."""
    rng = random.Random(seed)
    letters = "etaoinshrdlucmfwypvbgk"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(WORDS)]
    result = []
    for _ in range(2_000):
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = rng.choices(vocabulary, k=rng.randint(8, 20))
            sentences.append(" ".join(words).capitalize() + ".")
        result.append(" ".join(sentences))
    return result


def write_big(path: Path, megabytes: int) -> int:
    """One JSONL record whose text is ``megabytes`` MB of unique paragraphs; returns its size."""
    base = paragraphs()
    target, written = megabytes * 1_000_000, 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"id": "big", "text": "')
        number = 0
        while written < target:
            paragraph = f"{base[number % len(base)]} Paragraph {number}.\\n\\n"
            out.write(paragraph)
            written += len(paragraph) - 3  # the two escapes stand for two characters
            number += 1
        out.write('Last paragraph."}\n')
    return written


def measure(args: list[str]) -> tuple[float, float, float, int]:
    """Peak RSS (MB), wall and CPU (user + system) seconds and exit code of one command under
    ``/usr/bin/time -v``; CPU time is the steadier figure on a shared machine."""
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    figures = dict(
        re.findall(
            r"^\s*(Maximum resident set size \(kbytes\)|User time \(seconds\)|"
            r"System time \(seconds\)): ([\d.]+)$",
            run.stderr,
            re.MULTILINE,
        )
    )
    if len(figures) < 3:
        raise SystemExit(f"no figures from /usr/bin/time:\n{run.stderr[-2000:]}")
    cpu = float(figures["User time (seconds)"]) + float(figures["System time (seconds)"])
    return int(figures["Maximum resident set size (kbytes)"]) / 1024, wall, cpu, run.returncode


def rejected_rules(out: Path) -> str:
    import pyarrow.parquet as pq

    rules = [
        f"{row['reject_rule']}({len(row['text'])} chars kept)"
        for path in sorted((out / "data").glob("rejected-*.parquet"))
        for row in pq.read_table(path, columns=["reject_rule", "text"]).to_pylist()
    ]
    return ", ".join(rules) or "none"


def profile_steps(config: Path, path: Path) -> None:
    """Each step on the big document in turn, in this process: the peak RSS each one adds."""
    from corpus_tools.config import load_chain
    from corpus_tools.readers import expand_inputs, read_inputs
    from corpus_tools.readers.stream import Limits
    from corpus_tools.steps import CorpusStep

    limits = Limits(1 << 40, 1 << 40)
    (doc,) = read_inputs(expand_inputs([str(path)]), limits=limits)
    size = len(doc.text.encode())
    chain = load_chain(config)
    print(f"\nper step, one document of {size / 1e6:.0f} MB (peak RSS rise during the step / text size):")
    for step in chain.steps:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        start = time.perf_counter()
        if isinstance(step, CorpusStep):
            step.merge(step.combine([(doc.id, doc.meta, step.summarize(doc))]))
            step.finish()
        step.process(doc)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(
            f"  {step.name:<20} {time.perf_counter() - start:7.1f} s  +{(peak - before) / 1e6:7.0f} MB"
            f"  ({(peak - before) / size:4.1f}x)  text now {len(doc.text) / 1e6:.0f} M chars"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bomb-mib", type=int, default=1024, help="decompressed size of the bomb line")
    parser.add_argument("--big-mb", type=int, default=200, help="size of the big document's text")
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "default.yaml")
    parser.add_argument("--steps", action="store_true", help="also profile each step on the big document")
    parser.add_argument("--skip", nargs="*", default=[], choices=("bomb", "big-default", "big-raised"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as tmp:
        folder = Path(tmp)
        bomb, big = folder / "bomb.jsonl.gz", folder / "big.jsonl"
        write_bomb(bomb, args.bomb_mib)
        size = write_big(big, args.big_mb)
        raised = str(max(size * 2, 64 * MIB))
        runs = {
            "bomb": (bomb, []),
            "big-default": (big, []),
            "big-raised": (big, ["--max-record-bytes", raised, "--max-document-bytes", raised]),
        }
        print(f"bomb: {bomb.stat().st_size / 1e6:.2f} MB of gzip, one {args.bomb_mib} MiB line")
        print(f"big: one document of {size / 1e6:.0f} MB; config {args.config.name}; 1 worker\n")
        print(f"{'run':<12} {'peak RSS MB':>12} {'wall s':>8} {'CPU s':>8}  exit  rejected")
        for name, (path, flags) in runs.items():
            if name in args.skip:
                continue
            out = folder / f"out-{name}"
            command = [*CLI, "clean", str(path), "--out", str(out), "--config", str(args.config)]
            peak, wall, cpu, code = measure([*command, "--workers", "1", *flags])
            rules = rejected_rules(out) if code == 0 else "-"
            print(f"{name:<12} {peak:12.0f} {wall:8.1f} {cpu:8.1f}  {code:4d}  {rules}")
        if args.steps:
            profile_steps(args.config, big)


if __name__ == "__main__":
    main()
