"""Score boilerplate removal on the DEV sets: ours beside keep-all and trafilatura, one table.

    .venv/bin/python benchmarks/eval_boilerplate.py                 # the table, both sets, + speed
    .venv/bin/python benchmarks/eval_boilerplate.py --cv            # + the cross-validated view
    .venv/bin/python benchmarks/eval_boilerplate.py --rule-ablation # + each rule on HTML, one off
    .venv/bin/python benchmarks/eval_boilerplate.py --record-before benchmarks/boilerplate_before.json
    .venv/bin/python benchmarks/eval_boilerplate.py --input dump [--ablations]   # one set, details
    .venv/bin/python benchmarks/eval_boilerplate.py --sweep          # trafilatura settings (HTML)

The table holds, for each DEV set (``--sets``; default ``../shared/eval/boilerplate`` and
``../shared/eval/boilerplate2``) and each input (the page's naive text dump, its HTML):

- ``keep-all``: the dump as it is;
- ``traf default`` / ``traf ours``: trafilatura alone, with its default settings and with
  :data:`~corpus_tools.boilerplate.html.EXTRACT_SETTINGS` (on HTML the page; on a dump
  the dump's lines wrapped as ``<p>``, which is what trafilatura can do with a dump);
- ``ours before``: read from ``--before`` (figures recorded from main with
  ``--record-before``), ``ours``: the project's chain (``configs/default.yaml``) now, on
  the dump, or on :func:`~corpus_tools.boilerplate.html.extract_html`'s text.

Every cell is the 4-gram shingle micro F1/P/R of the sets' own scorer (``score.py``,
imported from ``../shared/eval/boilerplate/``). trafilatura's outputs for the baselines on
dumps and with its defaults are cached in ``benchmarks/out/`` (by set, settings and
trafilatura version); the extraction with our settings is run every time, because it is
also the speed reference: the speed line compares the HTML path (``extract_html`` and the
chain, CPU seconds of this process) with trafilatura's own loop on the same pages.

``--cv`` prints, for each tuned constant (:data:`TUNED`), the F1 of the shipped value and of
each value tried, and a 5-fold cross-validated F1 (folds by site, so no site is in both parts: the value
is chosen on four folds, scored on the fifth), per set and input.

``--rule-ablation`` prints, for the HTML path of each set, every rule and signal that removes
text from the extraction (pages, gold and other 4-grams removed, the set's F1 and pages below
trafilatura with that one off), then each candidate for ``combine.GUESS_NEEDS`` with its
cross-validated choice, per set and jointly (no set may lose).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import json
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from corpus_tools.boilerplate import SIGNALS
from corpus_tools.boilerplate.lines import forget_shapes
from corpus_tools.document import Document
from corpus_tools.steps import STEPS, Step

SHARED = Path("/work/shared/eval")
DEFAULT_EVAL = SHARED / "boilerplate" / "dev.jsonl"
DEFAULT_SETS = (SHARED / "boilerplate", SHARED / "boilerplate2")
CACHE = Path("benchmarks/out/traf_cache")
FOLDS = 5
Counts = tuple[int, int, int]  # TP, FP, FN of one page


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


# ---------------------------------------------------------------- scoring


def scorer(sets: tuple[Path, ...] = DEFAULT_SETS) -> ModuleType:
    """The DEV sets' own scorer (``score.py`` of the first set that has one), imported."""
    path = next(base / "score.py" for base in (*sets, SHARED / "boilerplate") if (base / "score.py").exists())
    spec = importlib.util.spec_from_file_location("boilerplate_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_counts(score: ModuleType, rows: list[dict], preds: dict[str, str]) -> list[Counts]:
    """TP/FP/FN of 4-gram shingles per page, as ``score.py`` counts them."""
    out = []
    for row in rows:
        gold = score.shingles(score.tokenize(row["gold_text"]), 4)
        pred = score.shingles(score.tokenize(preds.get(row["id"], "")), 4)
        out.append(score.tp_fp_fn(gold, pred))
    return out


def micro(score: ModuleType, counts: list[Counts]) -> tuple[float, float, float]:
    """F1, P, R (micro: counts pooled over pages)."""
    precision, recall, f1 = score.aggregate(counts)["micro"]
    return f1, precision, recall


# ---------------------------------------------------------------- inputs


def read_html(base: Path, row: dict) -> str:
    return (base / row["html_path"]).read_text(encoding="utf-8", errors="replace")


def dump_as_html(dump: str) -> str:
    """A dump's lines wrapped as paragraphs: the markup trafilatura needs to read a dump at all."""
    from html import escape

    body = "".join(f"<p>{escape(line)}</p>" for line in dump.split("\n") if line.strip())
    return f"<html><body>{body}</body></html>"


def trafilatura_text(html: str, url: str | None, settings: dict[str, Any]) -> str:
    """trafilatura's text of a page as ``trafilatura.extract`` prints it: the comments it
    keeps (``include_comments``, on by default) come after the article."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True, **settings)
    if document is None:
        return ""
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return "\n".join(part for part in (fields.get("text"), fields.get("comments")) if part)


def trafilatura_comments(html: str, url: str | None) -> str:
    """The comment section trafilatura finds when asked for it (``include_comments``)."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(html, url=url, include_comments=True)
    if document is None:
        return ""
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return fields.get("comments") or ""


def cached_trafilatura(
    base: Path, rows: list[dict], kind: str, settings: dict[str, Any], comments: bool = False
) -> dict[str, str]:
    """trafilatura's text of each page (``kind``: html or dump), from the cache when it has it;
    ``comments``: the comment section it finds instead (HTML)."""
    import trafilatura

    what = [kind, settings, trafilatura.__version__] + (["comments"] if comments else [])
    key = hashlib.sha256(json.dumps(what, sort_keys=True).encode())
    path = CACHE / f"{base.name}_{kind}_{key.hexdigest()[:12]}.json"
    cached: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    missing = [row for row in rows if row["id"] not in cached]
    for row in missing:
        page = read_html(base, row) if kind == "html" else dump_as_html(row["dump_text"])
        url = row.get("url") or None
        cached[row["id"]] = (
            trafilatura_comments(page, url) if comments else trafilatura_text(page, url, settings)
        )
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
    return {row["id"]: cached[row["id"]] for row in rows}


def comment_pages(data: SetData) -> list[int]:
    """Pages with a comment thread, chosen without our detector: trafilatura, asked for the
    comments (``include_comments``, from the markup), finds at least ``COMMENT_WORDS`` words."""
    found = cached_trafilatura(data.base, data.rows, "html", {}, comments=True)
    return [i for i, row in enumerate(data.rows) if len(found[row["id"]].split()) >= COMMENT_WORDS]


def trafilatura_loop(base: Path, rows: list[dict]) -> tuple[dict[str, str], float]:
    """trafilatura alone with our settings on every page: texts and CPU seconds (pages read first)."""
    from corpus_tools.boilerplate.html import EXTRACT_SETTINGS

    pages = [read_html(base, row) for row in rows]
    if pages:  # warm up: trafilatura's first call loads what it needs
        trafilatura_text(pages[0], None, EXTRACT_SETTINGS)
    started = time.process_time()
    texts = [
        trafilatura_text(page, row.get("url") or None, EXTRACT_SETTINGS)
        for row, page in zip(rows, pages, strict=True)
    ]
    seconds = time.process_time() - started
    return {row["id"]: text for row, text in zip(rows, texts, strict=True)}, seconds


def make_docs(rows: list[dict], kind: str, base: Path, **settings: object) -> tuple[list[Document], float]:
    """Documents as a reader would make them; returns them and the extraction CPU seconds (HTML)."""
    from corpus_tools.boilerplate.html import extract_html, mark_extracted

    docs = []
    pages = [read_html(base, row) for row in rows] if kind == "html" else []
    if pages:  # warm up, as for trafilatura's loop
        extract_html(pages[0], None, **settings)
    started = time.process_time()
    for position, row in enumerate(rows):
        url = row.get("url") or None
        meta = {"url": url, "source": urlsplit(url).hostname if url else None}
        if kind == "dump":
            docs.append(Document.from_raw(row["id"], row["dump_text"], **meta))
            continue
        extracted = extract_html(pages[position], url, **settings)
        text = extracted.pop("text")
        meta.update({key: value for key, value in extracted.items() if value and not meta.get(key)})
        mark_extracted(meta)
        docs.append(Document.from_raw(row["id"], text, **meta))
    return docs, (time.process_time() - started if kind == "html" else 0.0)


def site(row: dict) -> str:
    """The page's site (its host without ``www.``), or its id when it has no URL."""
    host = urlsplit(row.get("url") or "").hostname or row["id"]
    return host.removeprefix("www.")


# ---------------------------------------------------------------- the chain


def build_steps(
    chain: str,
    config: Path | None,
    signals_off: tuple[str, ...] = (),
    packs: list[str] | None = None,
    rules_off: tuple[str, ...] = (),
    steps_off: tuple[str, ...] = (),
) -> list[Step]:
    """The chain to run; ``signals_off``, ``packs`` and ``rules_off`` (pack rules by reason,
    ``generic:contact_line``) change its strip_boilerplate step; ``steps_off`` leaves steps out."""
    cls = STEPS["strip_boilerplate"]
    update: dict = {}
    if signals_off:
        update["signals"] = cls.Options().signals.model_copy(update=dict.fromkeys(signals_off, False))
    if packs is not None:
        update["packs"] = packs
    if chain == "full":
        from corpus_tools.config import DEFAULT_CONFIG, load_chain

        steps = [
            cls(step.options.model_copy(update=update))
            if step.name == "strip_boilerplate" and update
            else step
            for step in load_chain(config or DEFAULT_CONFIG).steps
            if step.name not in steps_off
        ]
    else:
        steps = [cls(cls.Options(**update))]
    if rules_off:
        for step in steps:
            if isinstance(step, cls):
                step.packs = [replace(pack, disable=pack.disable | set(rules_off)) for pack in step.packs]
    return steps


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


def run_docs(steps: list[Step], docs: list[Document]) -> tuple[list[Document], float]:
    """Run the steps (the project's pipeline, one process); the documents out and CPU seconds taken."""
    from corpus_tools.executors.local import LocalExecutor
    from corpus_tools.run import DocumentSink, Runner

    started = time.process_time()
    out = [doc for unit in Runner(steps, LocalExecutor(), DocumentSink()).run(docs) for doc in unit]
    return out, time.process_time() - started


def run_chain(steps: list[Step], docs: list[Document]) -> tuple[dict[str, str], float]:
    """Texts the steps leave (empty for a rejected document) and CPU seconds taken."""
    out, elapsed = run_docs(steps, docs)
    return {doc.id: "" if doc.rejected else doc.text for doc in out}, elapsed


def fresh(docs: list[Document]) -> list[Document]:
    return [Document(d.id, d.text, dict(d.meta)) for d in docs]


# ---------------------------------------------------------------- the table

COLUMNS = ("keep-all", "traf default", "traf ours", "ours before", "ours")
COMMENT_WORDS = 30  # trafilatura's comment section at least this long: a page with a comment thread
WORSE_MARGIN = 0.01  # per-page F1 below trafilatura's by more than this counts as worse
DEFAULT_SETTINGS: dict[str, Any] = {}


@dataclass
class SetData:
    """One DEV set's pages and the documents each input gives the chain."""

    base: Path
    rows: list[dict]
    docs: dict[str, list[Document]]  # input kind -> documents
    extract_seconds: float
    trafilatura_seconds: float
    trafilatura_ours: dict[str, str]


def load_set(base: Path, limit: int | None) -> SetData:
    rows = load_rows(base / "dev.jsonl", limit)
    traf_texts, traf_seconds = trafilatura_loop(base, rows)
    html_docs, extract_seconds = make_docs(rows, "html", base)
    dump_docs, _ = make_docs(rows, "dump", base)
    return SetData(
        base, rows, {"dump": dump_docs, "html": html_docs}, extract_seconds, traf_seconds, traf_texts
    )


def ours(data: SetData, kind: str, steps: list[Step]) -> tuple[dict[str, str], float]:
    forget_shapes()
    return run_chain(steps, fresh(data.docs[kind]))


def ours_docs(data: SetData, kind: str, steps: list[Step]) -> tuple[list[Document], float]:
    forget_shapes()
    return run_docs(steps, fresh(data.docs[kind]))


def page_f1(counts: Counts) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else (1.0 if not fp and not fn else 0.0)


def lost_gold_by_rule(score: ModuleType, row: dict, doc: Document, pred: str) -> dict[str, int]:
    """Gold 4-grams a page lost, by the rule whose edit removed them (a rejection: all of them)."""
    gold = score.shingles(score.tokenize(row["gold_text"]), 4)
    kept = score.shingles(score.tokenize(pred), 4)
    if doc.rejected and doc.rejection is not None:
        rule = f"rejected {doc.rejection.step}:{doc.rejection.rule}"
        return {rule: sum(gold.values())}
    lost: dict[str, int] = {}
    for edit in doc.edits:
        if not edit.before.strip():
            continue
        removed = score.shingles(score.tokenize(edit.before), 4)
        count = sum(min(n, gold[k]) for k, n in removed.items() if k in gold and kept.get(k, 0) < gold[k])
        if count:
            key = f"{edit.step}:{edit.rule}"
            lost[key] = lost.get(key, 0) + count
    return lost


def worse_than_extractor(
    score: ModuleType, data: SetData, docs: list[Document], preds: dict[str, str], top: int = 6
) -> str:
    """Pages where ours scores more than ``WORSE_MARGIN`` below trafilatura (our settings) alone,
    and the rules that removed the most gold 4-grams on them."""
    ours_counts = page_counts(score, data.rows, preds)
    traf_counts = page_counts(score, data.rows, data.trafilatura_ours)
    by_id = {doc.id: doc for doc in docs}
    worse = 0
    lost: dict[str, int] = {}
    for row, mine, theirs in zip(data.rows, ours_counts, traf_counts, strict=True):
        if page_f1(mine) >= page_f1(theirs) - WORSE_MARGIN:
            continue
        worse += 1
        for rule, count in lost_gold_by_rule(score, row, by_id[row["id"]], preds.get(row["id"], "")).items():
            lost[rule] = lost.get(rule, 0) + count
    ranked = sorted(lost.items(), key=lambda item: -item[1])[:top]
    rules = ", ".join(f"{rule} {count}" for rule, count in ranked) or "-"
    return (
        f"worse than extractor {data.base.name} html: {worse}/{len(data.rows)} pages more than "
        f"{WORSE_MARGIN} below trafilatura (our settings); lost gold 4-grams by rule: {rules}"
    )


def news_pages_note(score: ModuleType, data: SetData, subset: list[int], preds: dict[str, str]) -> str:
    """F1 on the pages without a comment thread (the complement of :func:`comment_pages`)."""
    chosen = set(subset)
    pick = [row for i, row in enumerate(data.rows) if i not in chosen]
    f1, precision, recall = micro(score, page_counts(score, pick, preds))
    return (
        f"news pages {data.base.name} dump: {len(pick)} pages without a comment thread: "
        f"ours {f1:.4f} ({precision:.3f}/{recall:.3f})"
    )


def worst_pages(
    score: ModuleType,
    data: SetData,
    kind: str,
    docs: list[Document],
    preds: dict[str, str],
    comments: set[int],
    top: int,
) -> str:
    """The ``top`` pages that cost the micro F1 most (false positives plus false negatives),
    each with its F1, its kept non-gold and lost gold 4-grams, and the rules that lost them."""
    counts = page_counts(score, data.rows, preds)
    by_id = {doc.id: doc for doc in docs}
    ranked = sorted(range(len(data.rows)), key=lambda i: -(counts[i][1] + counts[i][2]))[:top]
    out = [f"worst pages {data.base.name} {kind} (by kept non-gold + lost gold 4-grams):"]
    for i in ranked:
        row = data.rows[i]
        tp, fp, fn = counts[i]
        lost = lost_gold_by_rule(score, row, by_id[row["id"]], preds.get(row["id"], ""))
        rules = ", ".join(f"{rule} {n}" for rule, n in sorted(lost.items(), key=lambda item: -item[1])[:4])
        tag = "comments" if i in comments else "news"
        out.append(
            f"  {row['id']:28s} {tag:8s} F1 {page_f1(counts[i]):.3f} kept non-gold {fp:5d} "
            f"lost gold {fn:5d} of {tp + fn:5d}; lost by: {rules or '-'}"
        )
    return "\n".join(out)


def table(args: argparse.Namespace, sets: list[SetData], chain: str) -> dict[str, Any]:
    """Print the table (and return ``ours`` per set and input, for ``--record-before``)."""
    from corpus_tools.boilerplate.html import EXTRACT_SETTINGS

    score = scorer(tuple(args.sets))
    before = (
        json.loads(args.before.read_text(encoding="utf-8")) if args.before and args.before.exists() else {}
    )
    recorded: dict[str, Any] = {}
    print(f"{'set':14s} {'input':5s} " + " ".join(f"{c:>20s}" for c in COLUMNS))
    print(f"{'':14s} {'':5s} " + " ".join(f"{'F1   (P / R)':>20s}" for _ in COLUMNS))
    speed = []
    notes: list[str] = []
    for data in sets:
        name = data.base.name
        for kind in ("dump", "html"):
            out_docs, seconds = ours_docs(data, kind, build_steps(chain, args.config))
            preds = {doc.id: "" if doc.rejected else doc.text for doc in out_docs}
            if kind == "html":
                notes.append(worse_than_extractor(score, data, out_docs, preds))
            if kind == "html":
                speed.append((name, len(data.rows), data.extract_seconds + seconds, data.trafilatura_seconds))
            cells: dict[str, tuple[float, float, float] | None] = {
                "keep-all": micro(
                    score, page_counts(score, data.rows, {r["id"]: r["dump_text"] for r in data.rows})
                ),
                "traf default": micro(
                    score,
                    page_counts(
                        score, data.rows, cached_trafilatura(data.base, data.rows, kind, DEFAULT_SETTINGS)
                    ),
                ),
                "traf ours": micro(
                    score,
                    page_counts(
                        score,
                        data.rows,
                        data.trafilatura_ours
                        if kind == "html"
                        else cached_trafilatura(data.base, data.rows, kind, EXTRACT_SETTINGS),
                    ),
                ),
                "ours before": tuple(before[name][kind]) if name in before and kind in before[name] else None,
                "ours": micro(score, page_counts(score, data.rows, preds)),
            }
            recorded.setdefault(name, {})[kind] = cells["ours"]
            subset = comment_pages(data)
            if kind == "dump":
                notes.append(news_pages_note(score, data, subset, preds))
            if args.pages:
                notes.append(worst_pages(score, data, kind, out_docs, preds, set(subset), args.pages))
            if subset:
                traf = (
                    data.trafilatura_ours
                    if kind == "html"
                    else cached_trafilatura(data.base, data.rows, kind, EXTRACT_SETTINGS)
                )
                pick = [data.rows[i] for i in subset]
                mine = micro(score, page_counts(score, pick, preds))
                theirs = micro(score, page_counts(score, pick, traf))
                notes.append(
                    f"comment pages {name} {kind}: {len(subset)} pages (trafilatura with include_comments "
                    f"finds >= {COMMENT_WORDS} words of comments): ours {mine[0]:.4f} "
                    f"({mine[1]:.3f}/{mine[2]:.3f}), trafilatura our settings {theirs[0]:.4f}"
                )
            row = " ".join(
                f"{'-':>20s}" if cell is None else f"{cell[0]:.4f} ({cell[1]:.3f}/{cell[2]:.3f})".rjust(20)
                for cell in cells.values()
            )
            print(f"{name:14s} {kind:5s} {row}")
    for note in notes:
        print(note)
    for name, pages, our_seconds, traf_seconds in speed:
        print(
            f"speed {name}: HTML path (extract_html + chain) {our_seconds:.2f} s, trafilatura alone "
            f"(our settings) {traf_seconds:.2f} s on {pages} pages: {our_seconds / traf_seconds:.2f}x"
        )
    if speed:
        total_ours = sum(s[2] for s in speed)
        total_traf = sum(s[3] for s in speed)
        print(
            f"speed, all pages: {total_ours:.2f} s vs {total_traf:.2f} s "
            f"= {total_ours / total_traf:.2f}x (CPU s)"
        )
    return recorded


# ---------------------------------------------------------------- cross-validation

# Tuned constants: (module, name) -> the values the cross-validation chooses among.
TUNED: dict[tuple[str, str], tuple[Any, ...]] = {
    ("corpus_tools.boilerplate.signals", "LONE_THREAD_STAMPS"): (3, 4, 5, 7),
    ("corpus_tools.boilerplate.combine", "EXTRACTED_MAX_REMOVED"): (0.2, 0.4, 0.6, 1.0),
    ("corpus_tools.boilerplate.signals", "GAP_RUN"): (3, 4, 5, 6, 8, 10, 12, 10**6),
    ("corpus_tools.boilerplate.combine", "ARTICLE_LINE_UNITS"): (15, 20, 25, 35, 10**6),
    ("corpus_tools.boilerplate.combine", "GUESS_NEEDS"): (
        "anywhere",
        "outside",
        "outside_or_beside",
        "beside",
        "never",
    ),
    ("corpus_tools.boilerplate.lines", "NAME_RUN_CAPITALS"): (0.3, 0.4, 0.5, 0.6, 2.0),
    ("corpus_tools.boilerplate.signals", "POST_PARAGRAPHS"): (2, 3, 4, 10**6),
    ("corpus_tools.boilerplate.html", "RECALL_GAP_UNITS"): (10, 15, 20, 30, 10**6),
    ("corpus_tools.boilerplate.signals", "LIST_ITEM_UNITS"): (0, 4, 5, 7, 10),
    ("corpus_tools.boilerplate.signals", "LEAD_IN_UNITS"): (1, 3, 5, 10**6),
    ("corpus_tools.boilerplate.signals", "NUMBERED_ITEMS"): (2, 3, 4, 5, 10**6),
    ("corpus_tools.boilerplate.signals", "VERSE_UNITS"): (1, 2, 3, 4, 10**6),
    ("corpus_tools.boilerplate.signals", "CLOCK_UNITS"): (0, 1, 2, 3, 4),
    ("corpus_tools.boilerplate.signals", "METHOD_LINES"): (0, 4, 8, 12, 20),
    ("corpus_tools.boilerplate.lines", "GLUED_WORDS"): (2, 3, 4, 5, 10**6),
}
# constants that act on extracted (HTML) text only, and on dumps only (zones are off on HTML)
HTML_ONLY = {"EXTRACTED_MAX_REMOVED", "ARTICLE_LINE_UNITS", "GUESS_NEEDS", "RECALL_GAP_UNITS"}
EXTRACTION = {"RECALL_GAP_UNITS"}  # acts in extract_html: the pages are extracted again per value
DUMP_ONLY = {"GAP_RUN", "NAME_RUN_CAPITALS", "POST_PARAGRAPHS", "CLOCK_UNITS", "GLUED_WORDS"}


@contextmanager
def constant(module: str, name: str, value: Any) -> Iterator[None]:
    target = importlib.import_module(module)
    old = getattr(target, name)
    setattr(target, name, value)
    forget_shapes()
    try:
        yield
    finally:
        setattr(target, name, old)
        forget_shapes()


def folds_by_site(rows: list[dict], k: int = FOLDS) -> list[int]:
    """Fold of each page: sites (hashed) spread over ``k`` folds, a site's pages all in one."""
    return [int(hashlib.sha256(site(row).encode()).hexdigest()[:8], 16) % k for row in rows]


def cross_validate(
    score: ModuleType, per_value: dict[Any, list[Counts]], folds: list[int], k: int = FOLDS
) -> tuple[float, list[Any]]:
    """Micro F1 when each fold is scored with the value that scores best on the other folds."""
    pooled: list[Counts] = []
    chosen = []
    for fold in range(k):
        train = [i for i, f in enumerate(folds) if f != fold]
        test = [i for i, f in enumerate(folds) if f == fold]
        if not test:
            continue
        best = max(per_value, key=lambda v: micro(score, [per_value[v][i] for i in train])[0])
        chosen.append(best)
        pooled.extend(per_value[best][i] for i in test)
    return micro(score, pooled)[0], chosen


def cv(args: argparse.Namespace, sets: list[SetData], chain: str) -> None:
    score = scorer(tuple(args.sets))
    if not TUNED:
        print("cv: no tuned constants registered")
        return
    print(f"\ncross-validated view ({FOLDS} folds by site; value chosen on 4 folds, scored on the 5th)")
    print(
        f"{'constant':44s} {'set':14s} {'input':5s} {'shipped':>8s} {'F1':>7s} {'CV F1':>7s}  chosen per fold"
    )
    for (module, name), values in TUNED.items():
        shipped = getattr(importlib.import_module(module), name)
        for data in sets:
            folds = folds_by_site(data.rows)
            kinds = ("html",) if name in HTML_ONLY else ("dump",) if name in DUMP_ONLY else ("dump", "html")
            for kind in kinds:
                per_value: dict[Any, list[Counts]] = {}
                for value in values:
                    with constant(module, name, value):
                        if name in EXTRACTION:  # a constant of the recall pass: measured with it on
                            docs, _ = make_docs(data.rows, kind, data.base, recall_gaps=True)
                            forget_shapes()
                            preds, _ = run_chain(build_steps(chain, args.config), docs)
                        else:
                            preds, _ = ours(data, kind, build_steps(chain, args.config))
                    per_value[value] = page_counts(score, data.rows, preds)
                f1_cv, chosen = cross_validate(score, per_value, folds)
                f1_shipped = micro(score, per_value[shipped])[0] if shipped in per_value else float("nan")
                by_value = ", ".join(f"{value}: {micro(score, per_value[value])[0]:.4f}" for value in values)
                print(
                    f"{module.rsplit('.', 1)[-1] + '.' + name:44s} {data.base.name:14s} {kind:5s} "
                    f"{shipped!s:>8s} {f1_shipped:7.4f} {f1_cv:7.4f}  {chosen}  (F1 by value: {by_value})"
                )


# ---------------------------------------------------------------- rules on extracted text

# reasons the strip_boilerplate step records that name no signal of their own
SIGNAL_OF_REASON = {"header_zone": "zones", "footer_zone": "zones"}
OTHER_STEPS = ("site_templates", "dedupe_lines")  # later steps that remove lines; off = left out


@dataclass
class Fired:
    """What one rule or signal removed from a set's extracted texts."""

    pages: set[str]
    gold: int = 0  # gold 4-grams in what it removed that the output lacks
    other: int = 0  # 4-grams in what it removed that the gold does not hold


def fired_rules(score: ModuleType, rows: list[dict], docs: list[Document]) -> dict[str, Fired]:
    """Each rule or signal that removed text, keyed ``step:reason``, with what it removed."""
    by_id = {doc.id: doc for doc in docs}
    fired: dict[str, Fired] = {}
    for row in rows:
        doc = by_id[row["id"]]
        gold = score.shingles(score.tokenize(row["gold_text"]), 4)
        kept = score.shingles(score.tokenize("" if doc.rejected else doc.text), 4)
        for edit in doc.edits:
            if not edit.before.strip() or edit.step not in ("strip_boilerplate", *OTHER_STEPS):
                continue
            removed = score.shingles(score.tokenize(edit.before), 4)
            entry = fired.setdefault(f"{edit.step}:{edit.rule}", Fired(set()))
            entry.pages.add(row["id"])
            entry.gold += sum(min(n, gold[k]) for k, n in removed.items() if kept.get(k, 0) < gold.get(k, 0))
            entry.other += sum(n for k, n in removed.items() if k not in gold)
    return fired


def one_off(key: str) -> dict[str, tuple[str, ...]]:
    """``build_steps`` arguments that switch off the one rule, signal or step ``key`` names."""
    step, _, reason = key.partition(":")
    if step != "strip_boilerplate":
        return {"steps_off": (step,)}
    pack, _, name = reason.partition(":")
    if pack == "signals":
        return {"signals_off": (SIGNAL_OF_REASON.get(name, name),)}
    return {"rules_off": (reason,)}


def below_extractor(score: ModuleType, data: SetData, preds: dict[str, str]) -> int:
    """Pages whose F1 is more than ``WORSE_MARGIN`` below trafilatura's (our settings)."""
    mine = page_counts(score, data.rows, preds)
    theirs = page_counts(score, data.rows, data.trafilatura_ours)
    return sum(page_f1(a) < page_f1(b) - WORSE_MARGIN for a, b in zip(mine, theirs, strict=True))


def rule_ablation(args: argparse.Namespace, sets: list[SetData], chain: str) -> None:
    """For the HTML path of each set: every rule and signal that removes text from the
    extraction, what it removes (gold and other 4-grams) and the set's F1 without it."""
    score = scorer(tuple(args.sets))
    for data in sets:
        docs, _ = ours_docs(data, "html", build_steps(chain, args.config))
        preds = {doc.id: "" if doc.rejected else doc.text for doc in docs}
        f1 = micro(score, page_counts(score, data.rows, preds))[0]
        traf = micro(score, page_counts(score, data.rows, data.trafilatura_ours))[0]
        print(
            f"\nrules on extracted text, {data.base.name} html: F1 {f1:.4f}, trafilatura (our settings) "
            f"{traf:.4f}, {below_extractor(score, data, preds)} pages > {WORSE_MARGIN} below it"
        )
        head = f"{'rule or signal':52s} {'pages':>5s} {'gold':>6s} {'other':>6s} {'F1 off':>7s}"
        print(f"{head} {'delta':>8s} below")
        fired = fired_rules(score, data.rows, docs)
        for key, entry in sorted(fired.items(), key=lambda item: (-item[1].gold, -item[1].other)):
            off, _ = ours(data, "html", build_steps(chain, args.config, **one_off(key)))
            f1_off = micro(score, page_counts(score, data.rows, off))[0]
            print(
                f"{key:52s} {len(entry.pages):5d} {entry.gold:6d} {entry.other:6d} {f1_off:7.4f} "
                f"{f1_off - f1:+8.4f} {below_extractor(score, data, off):5d}"
            )
    guess_policies(score, sets, chain, args.config)


GUESS = ("corpus_tools.boilerplate.combine", "GUESS_NEEDS")


def guess_policies(score: ModuleType, sets: list[SetData], chain: str, config: Path | None) -> None:
    """Each candidate for what a guess needs on extracted text (``combine.GUESS_POLICIES``):
    F1 and pages below trafilatura per set, then the cross-validated choice, per set and
    jointly (on the four training folds of both sets, the candidate whose worse set gains
    most over ``anywhere``, the rule that a change may not hurt either set; between equals,
    the larger total gain)."""
    from corpus_tools.boilerplate.combine import GUESS_POLICIES

    module, name = GUESS
    shipped = getattr(importlib.import_module(module), name)
    counts: dict[str, dict[str, list[Counts]]] = {}  # set -> policy -> page counts
    print(
        f"\n{name} on extracted text (HTML): F1 (pages > {WORSE_MARGIN} below trafilatura), shipped {shipped}"
    )
    print(f"{'policy':20s} " + " ".join(f"{data.base.name:>22s}" for data in sets))
    for policy in GUESS_POLICIES:
        cells = []
        for data in sets:
            with constant(module, name, policy):
                preds, _ = ours(data, "html", build_steps(chain, config))
            counts.setdefault(data.base.name, {})[policy] = page_counts(score, data.rows, preds)
            f1 = micro(score, counts[data.base.name][policy])[0]
            cells.append(f"{f1:.4f} ({below_extractor(score, data, preds):3d})".rjust(22))
        print(f"{policy:20s} " + " ".join(cells))
    print(f"cross-validated ({FOLDS} folds by site; chosen on 4 folds, scored on the 5th)")
    folds = {data.base.name: folds_by_site(data.rows) for data in sets}
    for data in sets:
        f1_cv, chosen = cross_validate(score, counts[data.base.name], folds[data.base.name])
        print(f"  per set  {data.base.name:14s} CV F1 {f1_cv:.4f}  chosen per fold {chosen}")
    # jointly, by two measures of the worse set: its F1 gain over ``anywhere``, the rule that a
    # change may not hurt either set; and its margin over trafilatura, the issue's target
    gains = {name: per["anywhere"] for name, per in counts.items()}
    traf = {data.base.name: page_counts(score, data.rows, data.trafilatura_ours) for data in sets}
    for label, baselines in (("jointly", gains), ("by margin", traf)):
        chosen, pooled = joint_choice(score, counts, folds, baselines)
        for data in sets:
            name = data.base.name
            against = f" (trafilatura {micro(score, traf[name])[0]:.4f})" if baselines is traf else ""
            print(
                f"  {label:9s} {name:14s} CV F1 {micro(score, pooled[name])[0]:.4f}{against}  "
                f"chosen per fold {chosen}"
            )


def joint_choice(
    score: ModuleType,
    counts: dict[str, dict[str, list[Counts]]],
    folds: dict[str, list[int]],
    baselines: dict[str, list[Counts]],
) -> tuple[list[str], dict[str, list[Counts]]]:
    """Per fold, the policy whose worse set improves most on its baseline on the four training
    folds (then the larger total; on a tie the earlier, fewer conditions), and each set's page
    counts of the chosen policies on their test folds."""
    from corpus_tools.boilerplate.combine import GUESS_POLICIES

    chosen: list[str] = []
    pooled: dict[str, list[Counts]] = {name: [] for name in counts}
    for fold in range(FOLDS):

        def worst(policy: str, fold: int = fold) -> tuple[float, float]:
            better = []
            for name, per in counts.items():
                train = [i for i, f in enumerate(folds[name]) if f != fold]
                ours_f1 = micro(score, [per[policy][i] for i in train])[0]
                better.append(ours_f1 - micro(score, [baselines[name][i] for i in train])[0])
            return round(min(better), 6), round(sum(better), 6)

        best = max(GUESS_POLICIES, key=worst)
        chosen.append(best)
        for name, per in counts.items():
            pooled[name].extend(per[best][i] for i, f in enumerate(folds[name]) if f == fold)
    return chosen, pooled


# ---------------------------------------------------------------- one set in detail (older modes)


def score_file(gold: Path, pred: Path) -> tuple[str, float]:
    script = gold.parent / "score.py"
    if not script.exists():
        script = SHARED / "boilerplate" / "score.py"
    result = subprocess.run(
        [sys.executable, str(script), "--gold", str(gold), "--pred", str(pred), "--bootstrap", "200"],
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


def sweep(args: argparse.Namespace, chain: str, rows: list[dict]) -> None:
    """F1 of each trafilatura setting, alone and with the chain after it."""
    print(f"{'trafilatura settings':38s} {'alone':>7s} {'+chain':>7s} {'markers':>8s} {'pages/s':>8s}")
    for label, settings in SWEEP.items():
        docs, seconds = make_docs(rows, "html", args.eval.parent, **settings)
        alone = args.out / "sweep_alone.jsonl"
        write_preds(alone, {doc.id: doc.text for doc in docs})
        _, f1_alone = score_file(args.eval, alone)
        preds, _ = run_chain(build_steps(chain, args.config), docs)
        chained = args.out / "sweep_chain.jsonl"
        write_preds(chained, preds)
        report, f1_chain = score_file(args.eval, chained)
        markers = next(line for line in report.splitlines() if line.startswith("boilerplate markers"))
        print(
            f"{label:38s} {f1_alone:7.4f} {f1_chain:7.4f} {markers.split()[4]:>8s} {len(docs) / seconds:8.1f}"
        )


def one_set(args: argparse.Namespace, chain: str) -> None:
    """The scorer's full report for one set and input, with ``--ablations`` if asked."""
    rows = load_rows(args.eval, args.limit)
    pred_path = args.out / f"pred_{args.input}_{chain}.jsonl"
    docs, _ = make_docs(rows, args.input, args.eval.parent)
    forget_shapes()
    preds, seconds = run_chain(build_steps(chain, args.config), fresh(docs))
    write_preds(pred_path, preds)
    report, f1 = score_file(args.eval, pred_path)
    size = sum(len(doc.text.encode("utf-8")) for doc in docs)
    print(f"input={args.input} chain={chain} docs={len(docs)} predictions={pred_path}")
    print(report.rstrip())
    print(
        f"chain: {len(docs) / seconds:.1f} docs/s, "
        f"{size / seconds / 1e6:.2f} MB/s of input (CPU, one process)"
    )
    if not args.ablations:
        return
    print("\nablation: F1 (4-gram micro) with one signal off; delta against all on")
    variants: list[tuple[str, dict]] = [(f"no {name}", {"signals_off": (name,)}) for name in SIGNALS]
    variants += [
        ("no rule packs (signals only)", {"packs": []}),
        ("generic pack only", {"packs": ["packs/generic.yaml"]}),
        ("no signals (rule packs only)", {"signals_off": SIGNALS}),
    ]
    for label, change in variants:
        preds, _ = run_chain(build_steps(chain, args.config, **change), fresh(docs))
        path = args.out / f"pred_{args.input}_{chain}_ablation.jsonl"
        write_preds(path, preds)
        _, f1_off = score_file(args.eval, path)
        print(f"  {label:30s} F1 {f1_off:.4f}  ({f1_off - f1:+.4f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=Path, nargs="+", default=list(DEFAULT_SETS), help="DEV set folders")
    parser.add_argument("--before", type=Path, default=Path("benchmarks/boilerplate_before.json"))
    parser.add_argument("--record-before", type=Path, default=None, help="write ours per set/input here")
    parser.add_argument("--cv", action="store_true", help="also print the cross-validated view")
    parser.add_argument(
        "--rule-ablation", action="store_true", help="also: each rule on extracted text (HTML), one off"
    )
    parser.add_argument("--input", choices=("dump", "html"), default=None, help="one set in detail")
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="eval JSONL for --input/--sweep")
    parser.add_argument("--chain", choices=("auto", "step", "full"), default="auto")
    parser.add_argument("--config", type=Path, default=None, help="chain config for --chain full")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--ablations", action="store_true", help="with --input: score with each signal off")
    parser.add_argument("--sweep", action="store_true", help="compare trafilatura settings (HTML)")
    parser.add_argument(
        "--pages", type=int, default=0, metavar="N", help="list the N worst pages per set and input, and why"
    )
    args = parser.parse_args(argv)

    chain = args.chain
    if chain == "auto":
        chain = "full" if _full_chain_loads(args.config) else "step"
    if args.sweep:
        sweep(args, chain, load_rows(args.eval, args.limit))
        return
    if args.input:
        one_set(args, chain)
        return
    sets = [load_set(base, args.limit) for base in args.sets]
    recorded = table(args, sets, chain)
    if args.record_before:
        args.record_before.write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
    if args.cv:
        cv(args, sets, chain)
    if args.rule_ablation:
        rule_ablation(args, sets, chain)


if __name__ == "__main__":
    main()
