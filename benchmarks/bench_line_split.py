"""CPU seconds of the steps of one stage that split a document into lines, run as a stage runs them.

``site_templates`` (its per-document pass), ``dedupe_lines`` and ``normalize`` run one document
at a time, in a row, as in the chain's second stage, over ``bench_chain.py``'s synthetic corpus
after ``fix_encoding`` and ``strip_boilerplate`` (and ``site_templates``' corpus pass); prints
the best of ``--repeat`` timings. Run it at two revisions to compare (``run_at.py``):

    python benchmarks/run_at.py main benchmarks/bench_line_split.py --docs 20000
    python benchmarks/bench_line_split.py --docs 20000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench_chain import make_corpus

HERE = Path(__file__).resolve().parent
LINE_STEPS = ("site_templates", "dedupe_lines", "normalize")


def main() -> None:
    from corpus_tools.config import load_chain
    from corpus_tools.document import Document
    from corpus_tools.readers import expand_inputs, read_inputs

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "chain", help="corpus cache folder")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(args.out, args.docs, args.seed)
    steps = {step.name: step for step in load_chain().steps}
    docs = [doc for doc in read_inputs(expand_inputs([str(corpus)])) if not doc.rejected]
    for name in ("fix_encoding", "strip_boilerplate"):
        for doc in docs:
            steps[name].process(doc)
    templates = steps["site_templates"]
    templates.collect_documents(docs)  # type: ignore[attr-defined]
    templates.finish()  # type: ignore[attr-defined]
    base = [(doc.id, doc.text, doc.meta) for doc in docs]
    line_steps = [steps[name] for name in LINE_STEPS]
    timings = []
    for _ in range(args.repeat):
        fresh = [Document(doc_id, text, dict(meta)) for doc_id, text, meta in base]
        start = time.process_time()
        for doc in fresh:
            for step in line_steps:
                step.process(doc)
        timings.append(time.process_time() - start)
    print(
        f"{len(docs)} documents, {' + '.join(LINE_STEPS)} in a row: best {min(timings):.3f} s CPU "
        f"of {args.repeat} ({' '.join(f'{t:.2f}' for t in timings)})"
    )


if __name__ == "__main__":
    main()
