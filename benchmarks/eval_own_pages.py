"""Score boilerplate removal on our own pages of kinds the shared DEV sets barely have.

    .venv/bin/python benchmarks/eval_own_pages.py            # per page, per kind, overall
    .venv/bin/python benchmarks/eval_own_pages.py --lost     # + the rules that removed gold, per page

The pages (``benchmarks/data/own_pages/pages.jsonl``, written by ``make_pages.py`` there) are
text we wrote ourselves: recipes, product and legal pages, German and English news, a blog post
ending in a book reference, a listicle, an interview, a poem, a live blog, a short post beside a
sidebar. Each page has its HTML, its naive text dump and its gold article. They are our own DEV
data: figures on them are DEV figures, like those of the shared sets.

Columns (micro 4-gram shingle F1, the shared sets' metric: ``\\w+`` tokens, bags of 4-grams,
TP = overlap, pooled over pages): ``keep-all`` (the dump), ``traf ours`` (trafilatura with our
settings, :func:`~corpus_tools.boilerplate.html.extract_html`), ``ours dump`` (the chain on the
dump), ``ours html`` (the chain on the extraction). The last lines name, per input, the rules
and signals whose edits removed gold 4-grams.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from corpus_tools.boilerplate.html import extract_html, mark_extracted
from corpus_tools.boilerplate.lines import forget_shapes
from corpus_tools.document import Document

sys.path.insert(0, str(Path(__file__).parent))
from eval_boilerplate import _full_chain_loads, build_steps, run_docs  # noqa: E402

PAGES = Path(__file__).parent / "data" / "own_pages" / "pages.jsonl"
TOKEN = re.compile(r"\w+")
N = 4
Counts = tuple[int, int, int]
COLUMNS = ("keep-all", "traf ours", "ours dump", "ours html")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    if len(tokens) < N:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + N]) for i in range(len(tokens) - N + 1))


def counts(gold: str, pred: str) -> Counts:
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp


def f1(pooled: list[Counts]) -> float:
    tp, fp, fn = (sum(c[i] for c in pooled) for i in range(3))
    if not tp:
        return 1.0 if not fp and not fn else 0.0
    return 2 * tp / (2 * tp + fp + fn)


def lost_by_rule(gold: str, doc: Document) -> Counter[str]:
    """Gold 4-grams the output lacks, by the rule whose edit removed them."""
    g, kept = shingles(gold), shingles("" if doc.rejected else doc.text)
    lost: Counter[str] = Counter()
    if doc.rejected and doc.rejection is not None:
        lost[f"rejected {doc.rejection.step}:{doc.rejection.rule}"] += sum(g.values())
        return lost
    for edit in doc.edits:
        for key, n in shingles(edit.before).items():
            if key in g and kept.get(key, 0) < g[key]:
                lost[f"{edit.step}:{edit.rule}"] += min(n, g[key])
    return lost


def documents(rows: list[dict]) -> tuple[dict[str, str], list[Document], list[Document]]:
    """trafilatura's texts, and the chain's input documents for the dump and the HTML path."""
    traf, dumps, htmls = {}, [], []
    for row in rows:
        meta = {"url": row["url"], "source": row["url"].split("/")[2]}
        extracted = extract_html(row["html"], row["url"])
        traf[row["id"]] = text = extracted.pop("text")
        html_meta = dict(meta, **{k: v for k, v in extracted.items() if v and not meta.get(k)})
        mark_extracted(html_meta)
        htmls.append(Document.from_raw(row["id"], text, **html_meta))
        dumps.append(Document.from_raw(row["id"], row["dump_text"], **meta))
    return traf, dumps, htmls


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--lost", action="store_true", help="per page: the rules that removed gold")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.pages.read_text(encoding="utf-8").splitlines() if line.strip()]
    steps = build_steps("full" if _full_chain_loads(None) else "step", None)
    traf, dumps, htmls = documents(rows)
    forget_shapes()
    out_dump, _ = run_docs(steps, dumps)
    forget_shapes()
    out_html, _ = run_docs(steps, htmls)
    by_id = {kind: {d.id: d for d in docs} for kind, docs in (("dump", out_dump), ("html", out_html))}
    per_page: dict[str, dict[str, Counts]] = {}
    for row in rows:
        preds = {
            "keep-all": row["dump_text"],
            "traf ours": traf[row["id"]],
            "ours dump": _text(by_id["dump"][row["id"]]),
            "ours html": _text(by_id["html"][row["id"]]),
        }
        per_page[row["id"]] = {col: counts(row["gold_text"], preds[col]) for col in COLUMNS}
    header = f"{'page':8s} {'kind':16s} " + " ".join(f"{c:>10s}" for c in COLUMNS)
    print(header)
    for row in rows:
        cells = " ".join(f"{f1([per_page[row['id']][c]]):10.4f}" for c in COLUMNS)
        print(f"{row['id']:8s} {row['kind']:16s} {cells}")
        if args.lost:
            for kind in ("dump", "html"):
                lost = lost_by_rule(row["gold_text"], by_id[kind][row["id"]])
                if lost:
                    print(f"{'':8s}   lost gold ({kind}): {dict(lost.most_common())}")
    print("\nper kind (micro F1)")
    print(header)
    for kind in sorted({row["kind"] for row in rows}):
        ids = [row["id"] for row in rows if row["kind"] == kind]
        cells = " ".join(f"{f1([per_page[i][c] for i in ids]):10.4f}" for c in COLUMNS)
        print(f"{'':8s} {kind:16s} {cells}")
    cells = " ".join(f"{f1([per_page[r['id']][c] for r in rows]):10.4f}" for c in COLUMNS)
    print(f"{'all':8s} {f'{len(rows)} pages':16s} {cells}")
    for kind in ("dump", "html"):
        total: Counter[str] = Counter()
        for row in rows:
            total.update(lost_by_rule(row["gold_text"], by_id[kind][row["id"]]))
        print(f"gold 4-grams lost ({kind}), by rule: {dict(total.most_common())}")


def _text(doc: Document) -> str:
    return "" if doc.rejected else doc.text


if __name__ == "__main__":
    main()
