"""Time ``diff`` (each format), ``report`` and ``stats`` on one big document with many edits.

    .venv/bin/python benchmarks/bench_diff_big.py [--mb 8] [--work /tmp/bench-diff-big] [--timeout 300]

Writes one synthetic document of about ``--mb`` MB: paragraphs of prose, a third of them
followed by an ``Advertisement`` line (the generic pack's line rule takes it out, then
``normalize`` the blank lines it leaves) and a third holding a control character
(``normalize`` takes it out), so about one edit per 450 bytes (about 18,000 edits at
8 MB), plus a few small documents. It cleans them with the real
``clean`` (``strip_boilerplate`` then ``normalize``), then runs each command in a fresh
process and prints its wall time and peak RSS. ``term`` is the rich terminal view (forced
with ``FORCE_COLOR``), ``plain`` the same view piped. Targets: each diff <= 10 s, the
report <= 30 s. Wall-clock on a shared 2-core machine: take the order of magnitude.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = (
    "the council said on monday that a new budget for schools and roads would be published after "
    "talks with unions and local firms over the coming weeks while critics warned of delays"
)
WORDS = SENTENCE.split()
MEASURE = """
import resource, sys
from corpus_tools.cli import main
code = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def big_text(megabytes: float, rng: random.Random) -> str:
    parts = []
    size = 0
    number = 0
    while size < megabytes * 1e6:
        words = [rng.choice(WORDS) for _ in range(rng.randint(60, 90))]
        if number % 3 == 1:
            words.insert(len(words) // 2, "\x07")
        paragraph = " ".join(words).capitalize() + "."
        parts.append(paragraph)
        if number % 3 == 0:
            parts.append("Advertisement")
        size += len(paragraph) + 16
        number += 1
    return "\n\n".join(parts)


def write_dataset(work: Path, megabytes: float) -> Path:
    rng = random.Random(1)
    raw = work / "raw"
    raw.mkdir(parents=True)
    with (raw / "big.jsonl").open("w", encoding="utf-8") as out:
        out.write(json.dumps({"id": "big", "text": big_text(megabytes, rng)}) + "\n")
        for number in range(5):
            out.write(json.dumps({"id": f"small-{number}", "text": big_text(0.002, rng)}) + "\n")
    config = work / "chain.yaml"
    packs = ROOT / "configs" / "packs" / "generic.yaml"
    steps = f"steps:\n  - step: strip_boilerplate\n    packs: ['{packs}']\n  - step: normalize\n"
    config.write_text(steps, encoding="utf-8")
    out_dir = work / "clean"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "corpus_tools.cli", "clean", str(raw), "--out", str(out_dir)]
        + ["--config", str(config), "--workers", "1"],
        check=True,
        cwd=ROOT,
    )
    print(f"clean: {time.perf_counter() - started:.1f} s")
    return out_dir


def measure(name: str, args: list[str], timeout: float, env: dict[str, str] | None = None) -> None:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        print(f"{name:<10} > {timeout:.0f} s (stopped)")
        return
    seconds = time.perf_counter() - started
    rss = int(done.stderr.strip().splitlines()[-1]) / 1024 if done.returncode == 0 else float("nan")
    print(f"{name:<10} {seconds:7.2f} s  peak RSS {rss:7.0f} MB  (exit {done.returncode})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=8.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-diff-big"))
    parser.add_argument("--timeout", type=float, default=300.0, help="stop a command after this long")
    parser.add_argument("--reuse", action="store_true", help="keep the dataset of a previous run")
    args = parser.parse_args()
    dataset = args.work / "clean"
    if not (args.reuse and dataset.exists()):
        shutil.rmtree(args.work, ignore_errors=True)
        dataset = write_dataset(args.work, args.mb)
    sys.path.insert(0, str(ROOT))
    from corpus_tools.inspect.load import find_document

    doc = find_document(dataset, "big").doc
    raw_size = len(doc.text.encode()) + sum(len(e.before) - len(e.after) for e in doc.edits)
    print(f"document: {raw_size / 1e6:.1f} MB raw, {len(doc.edits)} edits")
    del doc
    base = ["diff", "big", "--dataset", str(dataset)]
    for fmt in ("unified", "html"):
        measure(fmt, [*base, "--format", fmt, "-o", str(args.work / f"diff.{fmt}")], args.timeout)
    measure("plain", [*base, "--format", "term"], args.timeout)
    measure("term", [*base, "--format", "term"], args.timeout, {"FORCE_COLOR": "1", "COLUMNS": "120"})
    report = args.work / "report"
    shutil.rmtree(report, ignore_errors=True)
    measure("report", ["report", str(dataset), "--out", str(report / "index.html")], args.timeout)
    measure("stats", ["stats", str(dataset)], args.timeout)


if __name__ == "__main__":
    main()
