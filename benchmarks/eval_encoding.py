"""Score ``fix_encoding`` on an encoding evaluation set (``cases.jsonl`` + ``score.py``).

The step sees only each case's ``damaged`` text. Two modes:

* ``--mode corpus`` (default): the cases form one corpus, run through the step's two
  passes (``summarize``/``combine``/``merge``/``finish``, then ``process``), as ``corpus-tools clean``
  does; words seen undamaged in one case can restore a letter lost in another.
* ``--mode single``: each case alone, ``repair_text`` with wordfreq only.

usage: python benchmarks/eval_encoding.py [--eval-dir DIR] [--mode corpus|single]
                                          [--out PRED.jsonl] [--show N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import ftfy

from corpus_tools.document import Document
from corpus_tools.repair import repair_text
from corpus_tools.steps.fix_encoding import FixEncoding

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "encoding"


def predict(cases: list[dict], mode: str) -> dict[str, str]:
    if mode == "single":
        return {c["id"]: repair_text(c["damaged"])[0] for c in cases}
    step = FixEncoding()
    docs = [Document.from_raw(c["id"], c["damaged"]) for c in cases]
    step.collect_documents(docs)
    step.finish()
    for doc in docs:
        step.process(doc)
    return {doc.id: doc.text for doc in docs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--mode", choices=("corpus", "single"), default="corpus")
    ap.add_argument("--out", type=Path, default=Path("/tmp/encoding_predictions.jsonl"))
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    cases = [
        json.loads(line) for line in (args.eval_dir / "cases.jsonl").read_text("utf-8").splitlines() if line
    ]
    started = time.perf_counter()
    predictions = predict(cases, args.mode)
    elapsed = time.perf_counter() - started
    with args.out.open("w", encoding="utf-8") as fh:
        for case_id, text in predictions.items():
            fh.write(json.dumps({"id": case_id, "text": text}, ensure_ascii=False) + "\n")
    # Where ftfy alone (its defaults, quotes kept curly) is right, the step must be right too.
    ftfy_right = [c for c in cases if ftfy.fix_text(c["damaged"], uncurl_quotes=False) == c["original"]]
    kept = sum(predictions[c["id"]] == c["original"] for c in ftfy_right)
    command = [sys.executable, str(args.eval_dir / "score.py"), str(args.out), "--show", str(args.show)]
    report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    print(report.rstrip())
    print(f"# {len(cases)} cases, mode {args.mode}, {elapsed:.1f} s (includes building the wordfreq index)")
    print(f"# cases ftfy alone gets exactly right: {len(ftfy_right)}; the step gets {kept} of them right")
    print(report.rstrip().splitlines()[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
