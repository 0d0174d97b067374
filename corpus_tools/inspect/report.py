"""``corpus-tools report``: a static HTML site for one run, readable at 100,000 documents.

One streaming pass over the dataset folds the run statistics (the same
:class:`~corpus_tools.stats.RunStats` as ``stats``) and the views a person needs to judge
the cleaning: each rule with the documents it removed most from, the lines removed most
often per site (a rule eating real text shows up as a real sentence there), the largest
duplicate clusters, the rejected documents per reason, and every document in pages of
:data:`PAGE_ROWS`. Lists are capped or paged, so no page grows with the corpus.

Diff pages are static files under ``diffs/``, one per document for a bounded set: rendering a
diff costs several times reading its row, so a page for each of 100,000 documents would make
the report slower than the run it reports on (see ``benchmarks/bench_report.py``). The set is
the first :data:`DEFAULT_DIFFS` documents, the first of each rejection reason and every
document the index names; ``--max-diffs`` changes the first number (``all`` for every
document). A document without a page shows the ``corpus-tools diff`` command that renders it.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_tools.document import Document
from corpus_tools.escape import html_text
from corpus_tools.inspect.diff import render_html
from corpus_tools.inspect.load import Found, iter_documents, run_info
from corpus_tools.safety.folders import REPORT, claim_output, staging, swap_in
from corpus_tools.stats import RunStats
from corpus_tools.steps.extract_html import ExtractHtml

PAGE_ROWS = 500  # rows per listing page
DEFAULT_DIFFS = 1_000  # diff pages for the first documents; see Report
REJECTED_DIFFS = 20  # diff pages for the first documents of each rejection reason
RULE_EXAMPLES = 5  # documents shown per rule: those it changed most
TOP_EDITED = 100  # documents with the largest share of raw text removed, on the index
SITES = 40  # sites on the removed-lines page
LINES_PER_SITE = 15
LINE_CAP = 200_000  # distinct (site, line) pairs kept; rarer pairs are pruned beyond it
LINE_CHARS = 200  # removed lines are compared on their first characters
CLUSTERS = 300  # largest duplicate clusters listed

_LETTER = re.compile(r"[^\W\d_]")

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;
 padding:0 20px 40px;color:#1d1d1f}
h1{font-size:22px;margin:18px 0 4px} h2{font-size:17px;margin:26px 0 6px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:16px 0 4px}
table{border-collapse:collapse;margin:6px 0;width:100%}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f3f3f6} td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code,.line{font:12.5px ui-monospace,"DejaVu Sans Mono",monospace}
.line{white-space:pre-wrap;overflow-wrap:anywhere}
.tag{font:600 11px system-ui,sans-serif;color:#fff;background:#7a3ea1;border-radius:3px;padding:0 4px;
 white-space:nowrap}
.muted{color:#777} nav.pages a{margin-right:6px}
"""


class ReportError(Exception):
    """The report cannot be written where asked."""


def slug(doc_id: str) -> str:
    """A file name for a document id: readable, safe on every file system, never colliding."""
    digest = hashlib.blake2s(doc_id.encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()
    return f"{digest[:2]}/{re.sub(r'[^A-Za-z0-9._-]+', '_', doc_id)[:80]}-{digest}.html"


def _e(value: Any) -> str:
    return html_text(value)


def page(title: str, body: str, index: str | None) -> str:
    """A self-contained page; ``index`` is the report's index file it links back to."""
    nav = f'<p><a href="{_e(index)}">← report</a></p>' if index else ""
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>{nav}<h1>{_e(title)}</h1>"
        f"{body}</body></html>\n"
    )


def table(headers: list[str], rows: list[list[str]], numeric: AbstractSet[int] = frozenset()) -> str:
    """``rows`` hold HTML already escaped; ``numeric`` columns are right-aligned."""
    cls = [" class=n" if i in numeric else "" for i in range(len(headers))]
    head = "".join(f"<th{cls[i]}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{cls[i]}>{c}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def write_pages(
    folder: Path,
    index: str,
    prefix: str,
    title: str,
    headers: list[str],
    rows: list[list[str]],
    numeric: set[int],
) -> int:
    """A listing as numbered pages of :data:`PAGE_ROWS` rows, each linking to its neighbours."""
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    for number in range(1, pages + 1):
        chunk = rows[(number - 1) * PAGE_ROWS : number * PAGE_ROWS]
        links = []
        if number > 1:
            links.append(f'<a href="{page_name(prefix, number - 1)}">← previous</a>')
        if number < pages:
            links.append(f'<a href="{page_name(prefix, number + 1)}">next →</a>')
        first = (number - 1) * PAGE_ROWS + 1
        nav = f"<nav class=pages>rows {first}–{first + len(chunk) - 1} of {len(rows)} {' '.join(links)}</nav>"
        body = nav + table(headers, chunk, numeric) + nav
        html_text = page(f"{title}, page {number} of {pages}", body, index)
        (folder / page_name(prefix, number)).write_text(html_text, encoding="utf-8")
    return pages


def rejected_prefix(reason: str) -> str:
    """``dedup:near_duplicate`` -> ``rejected-dedup.near_duplicate`` (``.`` is in no step or rule name)."""
    return "rejected-" + re.sub(r"[^A-Za-z0-9_-]+", ".", reason)


def page_name(prefix: str, number: int) -> str:
    return f"{prefix}-{number:04d}.html"


@dataclass(slots=True)
class RemovedLine:
    count: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    example: str = ""


@dataclass(slots=True)
class Listed:
    """What the listings show of a document: small, so every document of a large run fits."""

    id: str
    split: str
    title: str
    source: str
    words: int
    edits: int
    removed: int
    reason: str


class TopDocs:
    """The ``size`` documents with the highest score, kept whole so their diff pages can be written."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.heap: list[tuple[float, int, str, Document]] = []
        self.seen = 0

    def offer(self, score: float, split: str, doc: Document) -> None:
        self.seen += 1  # tie-break: the earlier document wins, and documents are never compared
        item = (score, -self.seen, split, doc)
        if len(self.heap) < self.size:
            heapq.heappush(self.heap, item)
        elif item > self.heap[0]:
            heapq.heapreplace(self.heap, item)

    def best(self) -> list[tuple[float, str, Document]]:
        return [(score, split, doc) for score, _, split, doc in sorted(self.heap, reverse=True)]


@dataclass
class Report:
    """Fold the dataset in one pass, then write the pages.

    ``max_diffs`` diff pages are written for the first documents in dataset order (``None``:
    all), plus, whatever the cap, the first :data:`REJECTED_DIFFS` of each rejection reason
    and every document the index names (rule examples, most edited).
    """

    dataset: Path
    out_dir: Path
    index_name: str = "index.html"
    max_diffs: int | None = DEFAULT_DIFFS
    stats: RunStats = field(default_factory=RunStats)
    listed: list[Listed] = field(default_factory=list)
    rejected: dict[str, list[list[str]]] = field(default_factory=lambda: defaultdict(list))
    rule_docs: Counter[str] = field(default_factory=Counter)
    rule_examples: dict[str, TopDocs] = field(default_factory=dict)
    top_edited: TopDocs = field(default_factory=lambda: TopDocs(TOP_EDITED))
    lines: dict[tuple[str, str], RemovedLine] = field(default_factory=dict)
    site_removed: Counter[str] = field(default_factory=Counter)
    clusters: dict[str, list[tuple[str, float | None]]] = field(default_factory=lambda: defaultdict(list))
    diff_pages: set[str] = field(default_factory=set)
    document_pages: int = 0
    rejected_pages: dict[str, int] = field(default_factory=dict)
    pruned: bool = False

    def build(self) -> dict[str, Any]:
        start = time.perf_counter()
        prepare_folder(self.out_dir)
        budget = self.max_diffs
        for split, doc in iter_documents(self.dataset):
            self.stats.add(doc)
            removed = self._fold(split, doc)
            reason = doc.rejection.reason if doc.rejection else ""
            if (
                budget is None
                or len(self.listed) < budget
                or 0 < self._rejected_count(reason) <= REJECTED_DIFFS
            ):
                self._write_diff(split, doc)
            meta = doc.meta
            self.listed.append(
                Listed(
                    doc.id,
                    split,
                    str(meta.get("title") or ""),
                    str(meta.get("source") or ""),
                    int(meta.get("n_words") or 0),
                    len(doc.edits),
                    removed,
                    reason,
                )
            )
        for top in [self.top_edited, *self.rule_examples.values()]:
            for _, split, doc in top.best():
                if doc.id not in self.diff_pages:
                    self._write_diff(split, doc)
        self.stats.corpus_passes = run_info(self.dataset).get("stats", {}).get("corpus_passes", {})
        self._write_listings()
        self._write_index()
        self._write_removed_lines()
        self._write_clusters()
        return {
            "documents": len(self.listed),
            "diff_pages": len(self.diff_pages),
            "seconds": round(time.perf_counter() - start, 3),
        }

    def _rejected_count(self, reason: str) -> int:
        return len(self.rejected[reason]) if reason else 0

    # --- folding ---------------------------------------------------------------------------

    def _fold(self, split: str, doc: Document) -> int:
        """Fold one document into the views; returns the characters its edits removed."""
        changed_by_rule: Counter[str] = Counter()  # characters taken out plus put in
        removed = 0
        site = str(doc.meta.get("source") or "(no source)")
        for edit in doc.edits:
            rule = f"{edit.step}:{edit.rule}"
            changed_by_rule[rule] += len(edit.before) + len(edit.after)
            removed += len(edit.before)
            if edit.before.strip() and not edit.after.strip():
                self.site_removed[site] += len(edit.before)
                for line in edit.before.splitlines():
                    line = line.strip()
                    if _LETTER.search(line):  # a line of text, not a stray mark a repair blanked
                        self._count_line(site, line[:LINE_CHARS], rule, doc.id)
        for rule, chars in changed_by_rule.items():
            self.rule_docs[rule] += 1
            top = self.rule_examples.get(rule)
            if top is None:
                top = self.rule_examples[rule] = TopDocs(RULE_EXAMPLES)
            top.offer(chars, split, doc)
        rejection = doc.rejection
        if rejection is None:
            if removed:
                self.top_edited.offer(removed / (removed + len(doc.text)), split, doc)
        else:
            similarity = f"{rejection.similarity:.2f}" if rejection.similarity is not None else ""
            self.rejected[rejection.reason].append(
                [
                    doc.id,
                    _e(doc.meta.get("title") or ""),
                    f"<span class=line>{_e(rejection.detail[:300])}</span>",
                    rejection.duplicate_of or "",
                    similarity,
                ]
            )
            if rejection.duplicate_of:
                self.clusters[rejection.duplicate_of].append((doc.id, rejection.similarity))
        return removed

    def _count_line(self, site: str, line: str, rule: str, doc_id: str) -> None:
        entry = self.lines.get((site, line))
        if entry is None:
            if len(self.lines) >= LINE_CAP:
                self._prune()
            entry = self.lines[(site, line)] = RemovedLine(example=doc_id)
        entry.count += 1
        entry.rules[rule] += 1

    def _prune(self) -> None:
        """Lossy counting: forget the rarest lines so memory stays bounded; frequent ones survive."""
        self.pruned = True
        floor = 1
        while len(self.lines) >= LINE_CAP // 2:
            self.lines = {key: entry for key, entry in self.lines.items() if entry.count > floor}
            floor += 1

    # --- pages -----------------------------------------------------------------------------

    def _write_diff(self, split: str, doc: Document) -> None:
        path = self.out_dir / "diffs" / slug(doc.id)
        path.parent.mkdir(exist_ok=True)
        path.write_text(render_html(Found(split, doc), back=f"../../{self.index_name}"), encoding="utf-8")
        self.diff_pages.add(doc.id)

    def _doc_link(self, doc_id: str) -> str:
        if doc_id in self.diff_pages:
            return f'<a href="diffs/{_e(slug(doc_id))}">{_e(doc_id)}</a>'
        return f"<code>{_e(doc_id)}</code>"

    def _write_listings(self) -> None:
        rows = [
            [
                str(number),
                self._doc_link(item.id),
                item.split,
                _e(item.title),
                _e(item.source),
                str(item.words),
                str(item.edits),
                str(item.removed),
                _e(item.reason),
            ]
            for number, item in enumerate(self.listed, 1)
        ]
        headers = ["#", "id", "split", "title", "source", "words", "edits", "chars removed", "rejected"]
        self.document_pages = write_pages(
            self.out_dir, self.index_name, "documents", "All documents", headers, rows, {0, 5, 6, 7}
        )
        for reason, reason_rows in self.rejected.items():
            for row in reason_rows:  # ids become links now that every diff page is known
                row[0] = self._doc_link(row[0])
                row[3] = self._doc_link(row[3]) if row[3] else ""
            self.rejected_pages[reason] = write_pages(
                self.out_dir,
                self.index_name,
                rejected_prefix(reason),
                f"Rejected: {reason}",
                ["id", "title", "detail", "duplicate of", "similarity"],
                reason_rows,
                {4},
            )

    def _write_index(self) -> None:
        figures = self.stats.as_dict()
        config = run_info(self.dataset).get("config") or {}
        names = [str(step.get("step")) for step in config.get("steps", [])]
        if names and ExtractHtml.name not in names:  # every chain starts with it (with_extraction)
            names.insert(0, f"{ExtractHtml.name} (not in the config)")
        chain = " → ".join(names)
        clusters = figures["duplicate_clusters"]
        parts = [
            f"<p class=muted>dataset <code>{_e(self.dataset.resolve())}</code>"
            + (f", chain <code>{_e(config.get('name', ''))}</code>: {_e(chain)}" if chain else "")
            + "</p>",
            "<h2 id=figures>Figures</h2>",
            table(
                ["figure", "value"],
                [
                    ["documents in", str(figures["documents_in"])],
                    ["documents out (train)", str(figures["documents_out"])],
                    ["documents dropped (rejected)", str(figures["documents_dropped"])],
                    ["words out", str(figures["words_out"])],
                    ["characters out", str(figures["chars_out"])],
                    ["duplicate clusters", str(clusters["clusters"])],
                    ["documents in duplicate clusters", str(clusters["documents_in_clusters"])],
                ],
                {1},
            ),
            f'<p><a href="{page_name("documents", 1)}">All {len(self.listed)} documents</a> '
            f"({self.document_pages} pages of {PAGE_ROWS}; {len(self.diff_pages)} with a diff page) · "
            '<a href="removed-lines.html">Removed lines per site</a> · '
            '<a href="clusters.html">Duplicate clusters</a></p>',
            "<h2 id=dropped>Dropped, by reason</h2>",
        ]
        if figures["dropped_by_reason"]:
            rows = [
                [
                    f'<a href="{page_name(rejected_prefix(reason), 1)}">{_e(reason)}</a>',
                    str(count),
                    str(self.rejected_pages[reason]),
                ]
                for reason, count in figures["dropped_by_reason"].items()
            ]
            parts.append(table(["reason", "documents", "pages"], rows, {1, 2}))
        else:
            parts.append("<p>No document was dropped.</p>")
        parts.append("<h2 id=steps>Edits per step</h2>")
        parts.append(
            table(
                ["step", "edits", "characters removed", "characters added"],
                [
                    [
                        f"<code>{_e(step)}</code>",
                        str(count),
                        str(figures["chars_removed_by_step"].get(step, 0)),
                        str(figures["chars_added_by_step"].get(step, 0)),
                    ]
                    for step, count in figures["edits_by_step"].items()
                ],
                {1, 2, 3},
            )
        )
        parts.append("<h2 id=rules>Edits per rule</h2>")
        parts.append(
            "<p class=muted>Examples: the documents each rule changed most (characters taken out "
            "plus put in, in brackets); open them to check the rule took only what it should.</p>"
        )
        rule_rows = []
        for rule, count in figures["edits_by_rule"].items():
            top = self.rule_examples.get(rule)
            links = " ".join(
                self._doc_link(doc.id) + f" <span class=muted>({chars:.0f})</span>"
                for chars, _, doc in (top.best() if top else [])
            )
            rule_rows.append(
                [
                    f"<span class=tag>{_e(rule)}</span>",
                    str(count),
                    str(self.rule_docs[rule]),
                    str(figures["chars_removed_by_rule"].get(rule, 0)),
                    links,
                ]
            )
        parts.append(
            table(["rule", "edits", "documents", "characters removed", "examples"], rule_rows, {1, 2, 3})
        )
        parts.append("<h2 id=removed>Most frequent removed lines</h2>")
        parts.append(
            self._lines_table(sorted(self.lines.items(), key=lambda kv: -kv[1].count)[:20], site=True)
        )
        parts.append('<p><a href="removed-lines.html">Per site →</a></p>')
        parts.append("<h2 id=edited>Most edited documents</h2>")
        parts.append(
            f"<p class=muted>Kept documents with the largest share of raw text removed "
            f"(top {TOP_EDITED}).</p>"
        )
        parts.append(
            table(
                ["document", "share of raw text removed"],
                [[self._doc_link(doc.id), f"{share:.1%}"] for share, _, doc in self.top_edited.best()],
                {1},
            )
        )
        if self.stats.corpus_passes:
            parts.append("<h2 id=passes>Corpus passes</h2>")
            parts.append(
                f"<pre class=line>{_e(json.dumps(self.stats.corpus_passes, indent=2, sort_keys=True))}</pre>"
            )
        parts.append(
            "<p class=muted>A document without a link has no diff page in this report; "
            f"<code>corpus-tools diff ID --dataset {_e(self.dataset)} --format html</code> renders it.</p>"
        )
        (self.out_dir / self.index_name).write_text(
            page("corpus-tools report", "".join(parts), None), encoding="utf-8"
        )

    def _lines_table(self, items: list[tuple[tuple[str, str], RemovedLine]], site: bool) -> str:
        if not items:
            return "<p>No line was removed.</p>"
        rows = []
        for (source, line), entry in items:
            rules = " ".join(f"<span class=tag>{_e(rule)}</span>" for rule, _ in entry.rules.most_common(3))
            row = [
                str(entry.count),
                f"<span class=line>{_e(line)}</span>",
                rules,
                self._doc_link(entry.example),
            ]
            rows.append(([_e(source)] if site else []) + row)
        headers = (["site"] if site else []) + ["times", "line", "rules", "first seen in"]
        return table(headers, rows, {1} if site else {0})

    def _write_removed_lines(self) -> None:
        by_site: dict[str, list[tuple[tuple[str, str], RemovedLine]]] = defaultdict(list)
        for key, entry in self.lines.items():
            by_site[key[0]].append((key, entry))
        parts = [
            "<p class=muted>Lines that removals took out, per site, most frequent first: chrome repeats, "
            "so a real sentence high in this list points at a rule that eats article text. "
            f"Sites by characters removed, top {SITES}; "
            f"lines compared on their first {LINE_CHARS} characters."
            + (" Rare lines were pruned during the pass (counts are lower bounds)." if self.pruned else "")
            + "</p>"
        ]
        for site, removed in self.site_removed.most_common(SITES):
            items = sorted(by_site[site], key=lambda kv: -kv[1].count)[:LINES_PER_SITE]
            parts.append(f"<h2>{_e(site)} <span class=muted>({removed} characters removed)</span></h2>")
            parts.append(self._lines_table(items, site=False))
        if len(self.site_removed) > SITES:
            parts.append(f"<p class=muted>{len(self.site_removed) - SITES} more sites not shown.</p>")
        page_html = page("Removed lines per site", "".join(parts), self.index_name)
        (self.out_dir / "removed-lines.html").write_text(page_html, encoding="utf-8")

    def _write_clusters(self) -> None:
        clusters = sorted(self.clusters.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        rows = []
        for kept, members in clusters[:CLUSTERS]:
            shown = " ".join(
                self._doc_link(doc_id) + (f" <span class=muted>{sim:.2f}</span>" if sim is not None else "")
                for doc_id, sim in members[:20]
            )
            more = f" … and {len(members) - 20} more" if len(members) > 20 else ""
            rows.append([self._doc_link(kept), str(len(members) + 1), shown + more])
        parts = [
            f"<p class=muted>{len(clusters)} clusters with a dropped copy; "
            f"the largest {CLUSTERS} are listed, "
            "each with the kept document and the dropped copies (with their Jaccard similarity to it).</p>",
            table(["kept document", "size", "dropped copies"], rows, {1}),
        ]
        (self.out_dir / "clusters.html").write_text(
            page("Duplicate clusters", "".join(parts), self.index_name), encoding="utf-8"
        )


def prepare_folder(out_dir: Path) -> None:
    (out_dir / "diffs").mkdir(parents=True)


def build_report(
    dataset: Path, out_dir: Path, index_name: str = "index.html", max_diffs: int | None = DEFAULT_DIFFS
) -> dict[str, Any]:
    """Write the report to ``out_dir``, replacing a report there (and nothing else: see
    :mod:`corpus_tools.safety.folders`); the new one is made beside it and moved in whole."""
    with claim_output(Path(out_dir), REPORT, [Path(dataset)]) as target:
        stage = staging(target)
        try:
            figures = Report(Path(dataset), stage, index_name=index_name, max_diffs=max_diffs).build()
            REPORT.mark(stage)
            swap_in(stage, target)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    return figures
