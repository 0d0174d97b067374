"""``detect_language``: speed, and agreement with reading the whole text, by ``max_chars``.

Texts: the gold article texts of the boilerplate eval (``../shared/eval/boilerplate/dev.jsonl``,
64 real pages, mostly English plus Portuguese, German, Indonesian, Russian, Korean...),
or any JSONL with a ``text`` field given with ``--jsonl``. The answer on the whole text is
the reference; a prefix that agrees with it on every page is as good and cheaper. The
machine is shared: figures are noisy, take the best of ``--repeat``.

    python benchmarks/bench_language.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from corpus_tools.document import Document
from corpus_tools.steps import STEPS

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "boilerplate" / "dev.jsonl"


def detect_all(step, texts: list[str]) -> list[str | None]:
    out = []
    for text in texts:
        doc = Document("d", text)
        step.process(doc)
        out.append(doc.meta["language"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsonl", type=Path, default=DEFAULT)
    parser.add_argument("--field", default="gold_text")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with args.jsonl.open(encoding="utf-8") as stream:
        texts = [json.loads(line).get(args.field) or json.loads(line).get("text") for line in stream]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    cls = STEPS["detect_language"]
    started = time.perf_counter()
    reference = detect_all(cls(cls.Options(max_chars=10**9)), texts)
    print(
        f"{len(texts)} texts, {megabytes:.2f} MB; "
        f"model load + whole texts {time.perf_counter() - started:.1f} s"
    )
    print("languages (whole text):", dict(Counter(reference).most_common()))
    for max_chars in (200, 500, 1_000, 3_000, 10**9):
        step = cls(cls.Options(max_chars=max_chars))
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            got = detect_all(step, texts)
            best = min(best, time.perf_counter() - started)
        agree = sum(a == b for a, b in zip(got, reference, strict=True))
        label = "whole" if max_chars == 10**9 else str(max_chars)
        print(
            f"max_chars {label:>6}: {len(texts) / best:7.0f} docs/s  "
            f"{megabytes / best:6.1f} MB/s of documents  agrees with whole text on {agree}/{len(texts)}"
        )


if __name__ == "__main__":
    main()
