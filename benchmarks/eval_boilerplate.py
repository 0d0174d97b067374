"""Score boilerplate removal on an eval JSONL (fields of ../shared/eval/boilerplate/dev.jsonl).

    .venv/bin/python benchmarks/eval_boilerplate.py --input dump [--ablations]
    .venv/bin/python benchmarks/eval_boilerplate.py --input html [--chain step|full]
    .venv/bin/python benchmarks/eval_boilerplate.py --sweep      # trafilatura settings

``--input dump`` feeds each page's ``dump_text`` to the chain; ``--input html`` feeds the
page's HTML through :func:`corpus_tools.boilerplate.html.extract_html` (trafilatura with the
chosen settings), then the chain. ``--chain full`` runs the chain of ``--config`` (default
``configs/default.yaml``); ``--chain step`` runs ``strip_boilerplate`` alone; ``auto`` (the
default) takes the full chain when its config loads. Predictions go to ``--out``; the
official scorer (``score.py`` next to the eval file) prints P/R/F1 and marker survival;
this script adds documents/second and MB/s of the chain (extraction timed apart for
HTML), and with ``--ablations`` the F1 with each signal, or the rule packs, switched off.
The chain is timed in CPU seconds of this one process (the machine is shared, so
wall-clock time says more about the neighbours); still noisy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from corpus_tools.boilerplate import SIGNALS
from corpus_tools.boilerplate.lines import forget_shapes
from corpus_tools.document import Document
from corpus_tools.steps import STEPS, Step

DEFAULT_EVAL = Path("/work/shared/eval/boilerplate/dev.jsonl")


def load_rows(path: Path, limit: int | None) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


SWEEP = {
    "trafilatura defaults": {"include_comments": True, "favor_precision": False},
    "comments off": {"include_comments": False, "favor_precision": False},
    "comments off, precision": {"include_comments": False, "favor_precision": True},
    "comments off, recall": {"include_comments": False, "favor_precision": False, "favor_recall": True},
    "comments off, precision, no tables": {
        "include_comments": False,
        "favor_precision": True,
        "include_tables": False,
    },
    "comments off, precision, fast": {"include_comments": False, "favor_precision": True, "fast": True},
}


def make_docs(rows: list[dict], kind: str, base: Path, **settings: object) -> tuple[list[Document], float]:
    """Documents as a reader would make them; returns them and the extraction CPU seconds (HTML)."""
    from corpus_tools.boilerplate.html import extract_html

    docs = []
    started = time.process_time()
    for row in rows:
        url = row.get("url")
        meta = {"url": url, "source": urlsplit(url).hostname if url else None}
        if kind == "dump":
            docs.append(Document.from_raw(row["id"], row["dump_text"], **meta))
            continue
        html = (base / row["html_path"]).read_text(encoding="utf-8", errors="replace")
        extracted = extract_html(html, url, **settings)
        text = extracted.pop("text")
        meta.update({key: value for key, value in extracted.items() if value and not meta.get(key)})
        docs.append(Document.from_raw(row["id"], text, **meta))
    return docs, (time.process_time() - started if kind == "html" else 0.0)


def trafilatura_alone_seconds(rows: list[dict], base: Path) -> float:
    """CPU seconds of trafilatura's own extraction of the pages, with the settings extract_html uses."""
    import warnings

    import trafilatura

    from corpus_tools.boilerplate.html import EXTRACT_SETTINGS

    pages = [(base / row["html_path"]).read_text(encoding="utf-8", errors="replace") for row in rows]
    started = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row, html in zip(rows, pages, strict=True):
            trafilatura.bare_extraction(html, url=row.get("url"), with_metadata=True, **EXTRACT_SETTINGS)
    return time.process_time() - started


def sweep(args: argparse.Namespace, chain: str, rows: list[dict]) -> None:
    """F1 of each trafilatura setting, alone and with the chain after it."""
    print(f"{'trafilatura settings':38s} {'alone':>7s} {'+chain':>7s} {'markers':>8s} {'pages/s':>8s}")
    for label, settings in SWEEP.items():
        docs, seconds = make_docs(rows, "html", args.eval.parent, **settings)
        alone = args.out / "sweep_alone.jsonl"
        write_preds(alone, {doc.id: doc.text for doc in docs})
        _, f1_alone = score(args.eval, alone)
        preds, _ = run_chain(build_steps(chain, args.config), docs)
        chained = args.out / "sweep_chain.jsonl"
        write_preds(chained, preds)
        report, f1_chain = score(args.eval, chained)
        markers = next(line for line in report.splitlines() if line.startswith("boilerplate markers"))
        print(
            f"{label:38s} {f1_alone:7.4f} {f1_chain:7.4f} {markers.split()[4]:>8s} {len(docs) / seconds:8.1f}"
        )


def build_steps(
    chain: str, config: Path | None, signals_off: tuple[str, ...] = (), packs: list[str] | None = None
) -> list[Step]:
    """The chain to run; ``signals_off`` and ``packs`` change its strip_boilerplate step."""
    cls = STEPS["strip_boilerplate"]
    update: dict = {}
    if signals_off:
        update["signals"] = cls.Options().signals.model_copy(update=dict.fromkeys(signals_off, False))
    if packs is not None:
        update["packs"] = packs
    if chain == "full":
        from corpus_tools.config import DEFAULT_CONFIG, load_chain

        steps = load_chain(config or DEFAULT_CONFIG).steps
        return [
            cls(step.options.model_copy(update=update))
            if step.name == "strip_boilerplate" and update
            else step
            for step in steps
        ]
    return [cls(cls.Options(**update))]


def _full_chain_loads(config: Path | None) -> bool:
    """Whether the project's chain config loads (it may name steps still being written)."""
    from corpus_tools.config import DEFAULT_CONFIG, ConfigError, load_chain

    try:
        load_chain(config or DEFAULT_CONFIG)
    except ConfigError as error:
        print(
            f"note: running strip_boilerplate alone; the full chain does not load: {error}", file=sys.stderr
        )
        return False
    return True


def run_chain(steps: list[Step], docs: list[Document]) -> tuple[dict[str, str], float]:
    """Run the steps (the lead's pipeline when it is there, one process); CPU seconds taken."""
    started = time.process_time()
    try:
        from corpus_tools.pipeline import Runner
    except ImportError:
        Runner = None  # noqa: N806
    if Runner is not None:
        out = list(Runner(steps).run(docs))
    else:
        out = docs
        for doc in out:
            for step in steps:
                if not doc.rejected:
                    step.process(doc)
    elapsed = time.process_time() - started
    return {doc.id: "" if doc.rejected else doc.text for doc in out}, elapsed


def score(gold: Path, pred: Path, quiet: bool = False) -> tuple[str, float]:
    scorer = gold.parent / "score.py"
    result = subprocess.run(
        [sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred), "--bootstrap", "200"],
        capture_output=True,
        text=True,
        check=True,
    )
    f1 = float(result.stdout.strip().splitlines()[-1].split()[1])
    return result.stdout, f1


def write_preds(path: Path, preds: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for doc_id, text in preds.items():
            handle.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", choices=("dump", "html"), default="dump")
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="eval JSONL (default: %(default)s)")
    parser.add_argument("--chain", choices=("auto", "step", "full"), default="auto")
    parser.add_argument("--config", type=Path, default=None, help="chain config for --chain full")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--ablations", action="store_true", help="also score with each signal off")
    parser.add_argument("--repeat", type=int, default=1, help="time the chain this many times (best)")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the line-shape cache before each repeat (else repeats find these pages' lines in it)",
    )
    parser.add_argument("--sweep", action="store_true", help="compare trafilatura settings (HTML)")
    args = parser.parse_args(argv)

    chain = args.chain
    if chain == "auto":
        chain = "full" if _full_chain_loads(args.config) else "step"
    rows = load_rows(args.eval, args.limit)
    if args.sweep:
        sweep(args, chain, rows)
        return
    pred_path = args.out / f"pred_{args.input}_{chain}.jsonl"

    docs, extract_seconds = make_docs(rows, args.input, args.eval.parent)
    size = sum(len(doc.text.encode("utf-8")) for doc in docs)
    timings = []
    for _ in range(max(1, args.repeat)):
        if args.cold:
            forget_shapes()
        fresh = [Document(d.id, d.text, dict(d.meta)) for d in docs]
        preds, seconds = run_chain(build_steps(chain, args.config), fresh)
        timings.append(seconds)
    write_preds(pred_path, preds)
    report, f1 = score(args.eval, pred_path)
    print(f"input={args.input} chain={chain} docs={len(docs)} predictions={pred_path}")
    print(report.rstrip())
    best = f"best of {len(timings)}" + (", line shapes forgotten before each" if args.cold else "")
    for label, seconds in (("first run", timings[0]), (best, min(timings))):
        print(
            f"chain, {label}: {len(docs) / seconds:.1f} docs/s, {size / seconds / 1e6:.2f} MB/s of input "
            f"({seconds:.3f} CPU s for {size / 1e6:.2f} MB, one process)"
        )
    if args.input == "html":
        # best of --repeat for both, taken in turns (the machine's load drifts)
        alone = float("inf")
        for _ in range(max(1, args.repeat)):
            alone = min(alone, trafilatura_alone_seconds(rows, args.eval.parent))
            extract_seconds = min(extract_seconds, make_docs(rows, "html", args.eval.parent)[1])
        ours = extract_seconds + min(timings)
        print(
            f"extract_html (trafilatura + page dump check): {len(docs) / extract_seconds:.1f} pages/s; "
            f"trafilatura alone (same settings): {len(docs) / alone:.1f} pages/s; "
            f"HTML path (extract_html + chain): {len(docs) / ours:.1f} pages/s "
            f"= {alone / ours:.2f}x trafilatura"
        )

    if args.ablations:
        print("\nablation: F1 (4-gram micro) with one signal off; delta against all on")
        variants = [(f"no {name}", {"signals_off": (name,)}) for name in SIGNALS]
        variants += [
            ("no rule packs (signals only)", {"packs": []}),
            ("generic pack only", {"packs": ["packs/generic.yaml"]}),
            ("no signals (rule packs only)", {"signals_off": SIGNALS}),
        ]
        for label, change in variants:
            fresh = [Document(d.id, d.text, dict(d.meta)) for d in docs]
            preds, _ = run_chain(build_steps(chain, args.config, **change), fresh)
            path = args.out / f"pred_{args.input}_{chain}_ablation.jsonl"
            write_preds(path, preds)
            _, f1_off = score(args.eval, path)
            print(f"  {label:30s} F1 {f1_off:.4f}  ({f1_off - f1:+.4f})")


if __name__ == "__main__":
    main()
