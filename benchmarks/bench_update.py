"""Cost of ``clean --update``: adding a small dump to a big dataset, beside cleaning it alone.

Writes a synthetic corpus (``synth.py``) of ``--base`` + ``--new`` documents, cleans the first
``--base`` into a dataset folder, then times, each as the command a user runs (a new process,
``--workers`` processes):

* ``update``: ``clean NEW --out DATASET --update`` (on a copy of the dataset folder);
* ``alone``: ``clean NEW --out OTHER``, the new documents alone;
* ``all``: ``clean BASE NEW --out OTHER``, everything again (once);

update and alone interleaved over ``--repeat`` rounds, each reported by its median. One new
document in ``REPOSTS`` repeats a base document (exactly or with a word changed), so the
update has duplicates of the dataset to find.

and prints the state's bytes per document. Goal: update / alone <= 1.5.

Usage: ``python benchmarks/bench_update.py --base 20000 --new 1000 --workers 2``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


REPOSTS = 10  # one new document in REPOSTS repeats an old one: half exactly, half with a word changed


def write_corpus(folder: Path, base: int, new: int) -> tuple[Path, Path]:
    """``base`` documents, and ``new`` ones of which one in ``REPOSTS`` reposts a base document."""
    sys.path.insert(0, str(HERE))
    from synth import generate

    reposts = new // REPOSTS
    fresh = new - reposts
    step = max(base // max(reposts, 1), 1)
    paths = folder / "base.jsonl", folder / "new.jsonl"
    with paths[0].open("w", encoding="utf-8") as first, paths[1].open("w", encoding="utf-8") as second:
        for index, record in enumerate(generate(base + fresh, seed=1)):
            line = {key: record[key] for key in ("id", "text", "url", "date")}
            (first if index < base else second).write(json.dumps(line, ensure_ascii=False) + "\n")
            if index < base and index % step == 0 and index // step < reposts:
                words = line["text"].split(" ")
                if index // step % 2:
                    words[len(words) // 2] = "reposted"
                repost = {**line, "id": f"repost-{line['id']}", "text": " ".join(words)}
                second.write(json.dumps(repost, ensure_ascii=False) + "\n")
    return paths


def clean(inputs: list[Path], out: Path, workers: int, *extra: str) -> float:
    command = [sys.executable, "-m", "corpus_tools.cli", "clean", *map(str, inputs), "--out", str(out)]
    command += ["--workers", str(workers), "-q", *extra]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of update and alone (medians)")
    args = parser.parse_args()
    from corpus_tools.dedup.state import FOLDER, state_bytes

    with tempfile.TemporaryDirectory(prefix="bench-update-") as name:
        tmp = Path(name)
        base, new = write_corpus(tmp, args.base, args.new)
        clean([base], tmp / "dataset", args.workers)
        run = json.loads((tmp / "dataset" / "run.json").read_text())
        kept = run["stats"]["documents_out"]
        per_doc = state_bytes(tmp / "dataset" / FOLDER) / max(kept, 1)
        updates, alones = [], []
        for _ in range(args.repeat):  # interleaved: the shared machine's load moves by 5-15%
            shutil.rmtree(tmp / "grown", ignore_errors=True)
            shutil.copytree(tmp / "dataset", tmp / "grown")
            updates.append(clean([new], tmp / "grown", args.workers, "--update"))
            alones.append(clean([new], tmp / "alone", args.workers))
        update, alone = statistics.median(updates), statistics.median(alones)
        everything = clean([base, new], tmp / "all", args.workers)
        entry = json.loads((tmp / "grown" / "run.json").read_text())["updates"][0]
    print(f"dataset: {args.base} documents ({kept} kept), adding {args.new}; workers {args.workers}")
    print(f"state: {per_doc:.0f} bytes per kept document")
    added, refused = entry["documents_added"], entry["duplicates_of_existing"]
    print(f"update: {added} added, {refused} duplicates of the dataset")
    rounds = " ".join(f"{u:.2f}/{a:.2f}" for u, a in zip(updates, alones, strict=True))
    print(f"rounds (update/alone seconds): {rounds}")
    print("| run | seconds | vs alone |")
    print("|---|---|---|")
    for label, seconds in (
        (f"update: {args.new} into {args.base}", update),
        (f"clean the {args.new} alone", alone),
        (f"clean all {args.base + args.new} again", everything),
    ):
        print(f"| {label} | {seconds:.2f} | {seconds / alone:.2f}x |")


if __name__ == "__main__":
    main()
