"""Idempotence on the DEV pages: clean -> export -> clean changes nothing.

For each boilerplate DEV set (``../shared/eval/boilerplate``, ``boilerplate2``) and each input
kind (the naive text dumps as ``.txt`` files, the HTML pages as ``.html`` files), runs the
commands a user runs, each as a new process:

1. ``corpus-tools clean RAW --out A``
2. ``corpus-tools export A --format jsonl`` (every column: the title, ``extra`` with the
   extractor's name)
3. ``corpus-tools clean A-train.jsonl --out B``

and prints, per set and kind, the documents kept in A, how many B kept, how many of those
came out with a different text, and the edits B made (by step and rule). Goal: 0 changed,
0 edits, nothing dropped.

Usage: ``python benchmarks/check_idempotence.py [--eval-dir ../shared/eval] [--workers 2]``
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
EVAL = HERE.parents[1] / "shared" / "eval"
SETS = ("boilerplate", "boilerplate2")


def write_inputs(eval_dir: Path, name: str, kind: str, folder: Path) -> int:
    """The set's pages as input files of ``kind`` ("dump" or "html") in ``folder``."""
    folder.mkdir(parents=True)
    rows = [
        json.loads(line) for line in (eval_dir / name / "dev.jsonl").read_text("utf-8").split("\n") if line
    ]
    for row in rows:
        if kind == "dump":
            (folder / f"{row['id']}.txt").write_text(row["dump_text"], encoding="utf-8")
        else:
            shutil.copyfile(eval_dir / name / row["html_path"], folder / f"{row['id']}.html")
    return len(rows)


def cli(*args: str) -> None:
    command = [sys.executable, "-m", "corpus_tools.cli", "-q", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr}")


def rows_of(dataset: Path) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for shard in sorted((dataset / "data").glob("train-*.parquet")):
        for row in pq.read_table(shard, columns=["id", "text", "edits"]).to_pylist():
            rows[row["id"]] = row
    return rows


def check(eval_dir: Path, name: str, kind: str, work: Path, workers: str) -> None:
    pages = write_inputs(eval_dir, name, kind, work / "raw")
    first, second = work / "a", work / "b"
    cli("clean", str(work / "raw"), "--out", str(first), "--workers", workers)
    cli("export", str(first), "--format", "jsonl")
    cli("clean", str(work / "a-train.jsonl"), "--out", str(second), "--workers", workers)
    kept, again = rows_of(first), rows_of(second)
    changed = [doc_id for doc_id, row in again.items() if row["text"] != kept[doc_id]["text"]]
    edits = collections.Counter(f"{e['step']}:{e['rule']}" for row in again.values() for e in row["edits"])
    print(
        f"{name:<13} {kind:<5} pages {pages:>4}  kept {len(kept):>4}  kept again {len(again):>4}  "
        f"changed {len(changed):>3}  edits {sum(edits.values()):>3}  {dict(edits.most_common(5)) or ''}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=EVAL)
    ap.add_argument("--workers", default="2")
    args = ap.parse_args()
    for name in SETS:
        if not (args.eval_dir / name / "dev.jsonl").exists():
            print(f"# no DEV set at {args.eval_dir / name}: skipped")
            continue
        for kind in ("dump", "html"):
            with tempfile.TemporaryDirectory() as tmp:
                check(args.eval_dir, name, kind, Path(tmp), args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
