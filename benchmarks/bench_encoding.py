"""Speed of ``fix_encoding`` on clean and on damaged news text, and what its gate buys.

Clean text: the paragraphs of ``raw/000_*.txt`` (a clean seed dump with curly quotes and
dashes) plus, when the evaluation folder is there, the clean ``original`` texts of its
damaged cases (news sentences with accented names, currency signs, questions); grouped
into ~3 kB documents and repeated to ``--mb`` megabytes. Damaged text: the same
paragraphs, *every one* damaged, one of seven ways in turn (ASCII/Latin-1 `?`, `?` per
UTF-8 byte, U+FFFD per byte, Windows-1252 mojibake, double mojibake, HTML references).

Reported (one process, CPU time, one core; the machine is shared, so figures are noisy):
* MB/s of ``FixEncoding.process`` on clean and on damaged documents (UTF-8 bytes in), after
  a warm-up that loads the wordfreq index (its one-off load time is printed apart);
* the gate: time of ftfy on every clean document vs the gate alone, and its misses: texts
  the gate passes that ftfy (same options) would change, over clean, damaged and eval texts.

Documents full of marks (``--marks``): wall time and peak RSS of ``fix_encoding`` on one
1 MB document full of lossy marks of every kind and on one 120 KB word of letters and marks
(``'a?b' * N`` and ``'東京?大' * N``), each in a fresh process, stopped after ``--timeout``.

usage: python benchmarks/bench_encoding.py [--mb 4] [--eval-dir DIR]
       python benchmarks/bench_encoding.py --marks [--timeout 300]
"""

from __future__ import annotations

import argparse
import html
import json
import resource
import subprocess
import time
from pathlib import Path

import ftfy
from encoding_cases import ascii_replace, cp1252_mojibake
from run_at import python_command

from corpus_tools.document import Document
from corpus_tools.repair.gate import may_be_mojibake
from corpus_tools.repair.mojibake import FTFY_CONFIG
from corpus_tools.repair.vocabulary import base_frequency, wordfreq_index
from corpus_tools.steps.fix_encoding import FixEncoding

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "encoding"


DAMAGE = [
    ascii_replace,
    lambda t: t.encode("latin-1", "replace").decode("latin-1"),
    lambda t: "".join(c if c.isascii() else "?" * len(c.encode()) for c in t),
    lambda t: t.encode("utf-8").decode("ascii", "replace"),
    cp1252_mojibake,
    lambda t: cp1252_mojibake(cp1252_mojibake(t)),
    lambda t: html.escape(t).encode("ascii", "xmlcharrefreplace").decode(),
]


def paragraphs(eval_dir: Path) -> list[str]:
    paras = [
        p for p in (ROOT / "raw").glob("000_*.txt") for p in p.read_text("utf-8").splitlines() if p.strip()
    ]
    cases = eval_dir / "cases.jsonl"
    if cases.exists():
        for line in cases.read_text("utf-8").splitlines():
            case = json.loads(line) if line.strip() else None
            if case and not case["kind"].startswith("control"):  # news sentences, not code or quizzes
                paras.append(case["original"])
    return paras


def documents(paras: list[str], megabytes: float) -> list[str]:
    docs, current, size, total = [], [], 0, 0
    while total < megabytes * 1e6:
        for para in paras:
            current.append(para)
            size += len(para.encode())
            if size > 3000:
                docs.append("\n".join(current))
                total += size
                current, size = [], 0
    return docs


def throughput(texts: list[str]) -> float:
    step = FixEncoding()
    docs = [Document(str(i), t) for i, t in enumerate(texts)]
    started = time.process_time()
    for doc in docs:
        step.process(doc)
    elapsed = time.process_time() - started
    return sum(len(t.encode()) for t in texts) / elapsed / 1e6


# A line of prose whose every non-ASCII character became `?`: names, quotes, numbers,
# clauses, apostrophes, prices; repeated to a megabyte, in lines of about 4 kB.
MARKED_LINE = (
    "M?ller and Krak?w officials said ?we will see,? and the 10?000 people ? from 2?3 May ? "
    "paid ?5 or 20? each (p.?12), at ?4?C; it wasn?t the mayor?s plan? "
)
MARKED_WORD_BYTES = 120_000
MARKED_DOC_BYTES = 1_000_000


def marked_text(case: str) -> str:
    if case == "document":
        line = MARKED_LINE * (4000 // len(MARKED_LINE))
        return "\n".join([line] * (MARKED_DOC_BYTES // len(line)))
    unit = {"latin word": "a?b", "cjk word": "東京?大"}[case]
    return unit * (MARKED_WORD_BYTES // len(unit.encode()))


def run_marked(case: str) -> None:
    """One case in this process: prints its wall time, peak RSS and edits as one JSON line."""
    text = marked_text(case)
    step = FixEncoding()
    step.process(Document("warm-up", "M?ller"))  # loads the vocabulary outside the figure
    doc = Document("marks", text)
    started = time.perf_counter()
    step.process(doc)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": elapsed, "peak_mb": peak_mb, "edits": len(doc.edits), "bytes": len(text.encode())}
        )
    )


def bench_marks(timeout: float) -> None:
    print(f"{'document':<22} {'size':>9} {'wall s':>8} {'peak RSS MB':>12} {'edits':>8}")
    for case in ("document", "latin word", "cjk word"):
        command = [*python_command(), __file__, "--one-marked", case]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
        except subprocess.TimeoutExpired:
            print(f"{case:<22} {len(marked_text(case).encode()):>9} {'>' + str(int(timeout)):>8}")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{case:<22} {row['bytes']:>9} {row['seconds']:>8.2f} {row['peak_mb']:>12.0f} {row['edits']:>8}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--marks", action="store_true", help="only the documents full of marks")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per document full of marks")
    ap.add_argument("--one-marked", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_marked:
        run_marked(args.one_marked)
        return
    if args.marks:
        bench_marks(args.timeout)
        return
    paras = paragraphs(args.eval_dir)
    clean = documents(paras, args.mb)
    damaged_paras = [DAMAGE[i % len(DAMAGE)](p) for i, p in enumerate(paras)]
    damaged = documents(damaged_paras, args.mb / 4)

    started = time.process_time()
    wordfreq_index()
    base_frequency("warm")
    print(f"one-off: wordfreq index and word lists loaded in {time.process_time() - started:.1f} s")
    throughput(damaged[:5])  # warm-up

    print(f"clean news text   : {throughput(clean):7.1f} MB/s  ({len(clean)} docs)")
    print(f"damaged news text : {throughput(damaged):7.1f} MB/s  ({len(damaged)} docs)")

    sample = clean[: max(1, len(clean) // 8)]
    mb = sum(len(t.encode()) for t in sample) / 1e6
    started = time.process_time()
    for text in sample:
        ftfy.fix_text(text, FTFY_CONFIG)
    ftfy_rate = mb / (time.process_time() - started)
    started = time.process_time()
    for text in sample:
        may_be_mojibake(text)
    gate_rate = mb / (time.process_time() - started)
    print(
        f"gate on clean text: {gate_rate:7.1f} MB/s vs ftfy on every text {ftfy_rate:.2f} MB/s "
        f"({gate_rate / ftfy_rate:.0f}x)"
    )

    texts = paras + damaged_paras
    cases = args.eval_dir / "cases.jsonl"
    if cases.exists():
        texts += [
            json.loads(line)["damaged"] for line in cases.read_text("utf-8").splitlines() if line.strip()
        ]
    passed = [t for t in texts if not may_be_mojibake(t)]
    misses = [t for t in passed if ftfy.fix_text(t, FTFY_CONFIG) != t]
    print(
        f"gate misses       : {len(misses)} of {len(passed)} texts passed untouched would be changed by ftfy "
        f"({len(texts)} texts checked)"
    )
    for text in misses[:5]:
        print("   ", repr(text[:120]))


if __name__ == "__main__":
    main()
