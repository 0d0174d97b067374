"""Show one document's raw text against its clean text: terminal, unified diff, or HTML.

All three views start from the same list of :class:`Mark`: the text the raw and the clean
share, and, for each edit, what it took out of the raw text and what it put in, with the
edit (so its ``step:rule``). A removal is struck through and tagged, a repair (text put in,
with or without text taken out) is highlighted and tagged, and shared text is never marked.
Changes that are only whitespace or control characters are drawn with visible symbols, or
they would not be seen at all.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from rich.console import Console
from rich.text import Text

from corpus_tools.document import Document, Edit
from corpus_tools.edits import annotate, revert
from corpus_tools.escape import html_text, printable
from corpus_tools.inspect.load import Found

Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]  # difflib's
GAP_MATCH_LIMIT = 250_000  # line pairs difflib may compare between two unchanged lines
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ufeff]*")
# how a change made only of whitespace or control characters is drawn
_SYMBOLS = {
    **{code: chr(0x2400 + code) for code in range(0x20)},  # C0 control pictures: ␀ ␁ …
    **{code: f"<{code:02X}>" for code in range(0x80, 0xA0)},  # C1 controls have no pictures
    ord(" "): "·",
    ord("\t"): "→",
    ord("\n"): "↵\n",
    ord("\r"): "␍",
    0x7F: "␡",
    0xA0: "⍽",
    0x3000: "□",
    0xFEFF: "␣",
}
_CONTROL_SYMBOLS = {code: symbol for code, symbol in _SYMBOLS.items() if _CONTROL.match(chr(code))}


@dataclass(slots=True)
class Mark:
    """Shared text (``edit`` is None), or one edit's ``removed`` and ``added`` text at this place."""

    shared: str = ""
    edit: Edit | None = None
    removed: str = ""
    added: str = ""

    @property
    def tag(self) -> str:
        return f"{self.edit.step}:{self.edit.rule}" if self.edit else ""


def marks(doc: Document) -> list[Mark]:
    """The raw text rebuilt from the record, cut into shared runs and per-edit changes."""
    raw = revert(doc.text, doc.edits)
    out: list[Mark] = []
    for seg in annotate(raw, doc.edits):
        edit = seg.removed_by or seg.added_by
        if edit is None:
            out.append(Mark(shared=seg.text))
            continue
        last = out[-1] if out else None
        # an edit's removed run and the run it put in its place read as one change
        if last is None or last.edit is not edit or (seg.removed_by is not None and last.added):
            last = Mark(edit=edit)
            out.append(last)
        if seg.removed_by is not None:
            last.removed += seg.text
        else:
            last.added += seg.text
    return [piece for mark in _rejoin(out) for piece in _trim(mark)]


def _rejoin(doc_marks: list[Mark]) -> list[Mark]:
    """Put a repair's new text back beside its old text when earlier removals sit between them.

    ``annotate`` places inserted text after every removed run at its end position, so a line
    break replaced after the next line was removed reads: old break, removed line, new break.
    Joined, the repair trims to what it changed and carries one tag.
    """
    out: list[Mark] = []
    for mark in doc_marks:
        if mark.edit is not None and mark.added and not mark.removed:
            k = len(out) - 1
            while k >= 0 and out[k].edit is not None and out[k].edit is not mark.edit and not out[k].added:
                k -= 1
            if k >= 0 and out[k].edit is mark.edit and not out[k].added:
                out[k].added = mark.added
                continue
        out.append(mark)
    return out


def _trim(mark: Mark) -> list[Mark]:
    """Hand the text a repair kept back to the shared runs, so it marks only what it changed.

    A line break turned into a paragraph break shows as one added line break, not as a
    line break removed and two added.
    """
    if not (mark.removed and mark.added):
        return [mark]
    removed, added = mark.removed, mark.added
    head = len(os.path.commonprefix([removed, added]))
    tail = len(os.path.commonprefix([removed[head:][::-1], added[head:][::-1]]))
    core = Mark(
        edit=mark.edit, removed=removed[head : len(removed) - tail], added=added[head : len(added) - tail]
    )
    out = [Mark(shared=removed[:head])] if head else []
    out.append(core)
    if tail:
        out.append(Mark(shared=removed[len(removed) - tail :]))
    return out


def visible(text: str) -> str:
    """Whitespace-only and control text drawn as symbols; other text as it is."""
    if _INVISIBLE.fullmatch(text):
        return text.translate(_SYMBOLS)
    return text.translate(_CONTROL_SYMBOLS) if _CONTROL.search(text) else text


def rule_counts(doc: Document) -> Counter[str]:
    return Counter(f"{edit.step}:{edit.rule}" for edit in doc.edits)


def describe(found: Found) -> list[tuple[str, str]]:
    """What the views print above the text: where the document came from, its fate, its edits."""
    doc = found.doc
    fields = [("id", doc.id), ("split", found.split)]
    for key in ("title", "source", "url", "raw_path"):
        if doc.meta.get(key):
            fields.append((key, str(doc.meta[key])))
    if doc.rejection is not None:
        rejection = doc.rejection
        extra = f" (duplicate of {rejection.duplicate_of})" if rejection.duplicate_of else ""
        fields.append(("rejected", f"{rejection.reason}{extra} {rejection.detail}".rstrip()))
    counts = sorted(rule_counts(doc).items(), key=lambda kv: (-kv[1], kv[0]))
    summary = ", ".join(f"{rule} ×{n}" for rule, n in counts)
    fields.append(("edits", f"{len(doc.edits)}" + (f" ({summary})" if summary else "")))
    return [(key, printable(value, layout=False)) for key, value in fields]


# --- terminal -----------------------------------------------------------------------------


def render_term(found: Found, console: Console) -> None:
    """Raw text with changes marked; rich styles on a terminal, wdiff-like markup otherwise.

    Off a terminal (a pipe, a file) a removal reads ``{step:rule}[-text-]`` and a repair
    ``{step:rule}[-old-]{+new+}``, so the output stays greppable.
    """
    if not console.is_terminal:
        console.file.write(render_plain(found))
        return
    for key, value in describe(found):
        console.print(Text(f"{key}: ", style="bold") + Text(value), highlight=False)
    console.rule(style="dim")
    body = Text()
    for mark in marks(found.doc):
        if mark.edit is None:
            body.append(printable(mark.shared))
            continue
        body.append(f"⟦{printable(mark.tag)}⟧", style="bold magenta")
        if mark.removed:
            body.append(printable(visible(mark.removed)), style="strike red")
        if mark.added:
            body.append(printable(visible(mark.added)), style="bold black on green")
    console.print(body, highlight=False, markup=False, soft_wrap=True)


def render_plain(found: Found) -> str:
    parts = [f"# {key}: {value}\n" for key, value in describe(found)]
    parts.append("\n")
    for mark in marks(found.doc):
        if mark.edit is None:
            parts.append(printable(mark.shared))
            continue
        parts.append(f"{{{printable(mark.tag)}}}")
        if mark.removed:
            parts.append(f"[-{printable(visible(mark.removed))}-]")
        if mark.added:
            parts.append(f"{{+{printable(visible(mark.added))}+}}")
    text = "".join(parts)
    return text if text.endswith("\n") else text + "\n"


# --- unified ------------------------------------------------------------------------------


def render_unified(doc: Document, context: int = 3) -> str:
    """A plain unified diff, raw (``---``) to clean (``+++``), that ``patch`` applies to the raw text.

    Lines end at ``\\n`` only, as ``patch`` sees them (``str.splitlines`` would also cut at
    ``\\r``, form feeds or U+2028, which cleaning often removes). The lines to compare come
    from the edit record (:func:`line_opcodes`), so the cost is linear in the text and the
    edits; ``difflib`` alone matches every line against every other (minutes on a big page).
    """
    raw = revert(doc.text, doc.edits)
    a, b = _lines(raw), _lines(doc.text)
    out: list[str] = []
    for group in _RecordedOpcodes(line_opcodes(a, b, marks(doc))).get_grouped_opcodes(context):
        if not out:
            out += ["--- raw\n", "+++ clean\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a[i1:i2]]
                continue
            out += ["-" + line for line in a[i1:i2]]
            out += ["+" + line for line in b[j1:j2]]
    return "".join(_with_eof_marker(iter(out)))


class _RecordedOpcodes(difflib.SequenceMatcher[str]):
    """Opcodes known in advance, grouped into hunks with context by ``difflib``'s own code."""

    def __init__(self, codes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self._codes = codes

    def get_opcodes(self) -> list[Opcode]:
        return self._codes


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it (``difflib``'s convention)."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"


def line_opcodes(a: list[str], b: list[str], doc_marks: list[Mark]) -> list[Opcode]:
    """``SequenceMatcher``-style opcodes from lines ``a`` (raw) to ``b`` (clean).

    A raw line that lies wholly in text the edits did not touch, and that starts an equal
    line at the same place of the clean text, is an anchor. Only the few lines between two
    anchors go through ``difflib``, and a gap too big to match line by line
    (``GAP_MATCH_LIMIT``) is one replacement: still a correct diff, less minimal.
    """
    a_starts = list(itertools.accumulate((len(line) for line in a), initial=0))
    b_at = dict(zip(itertools.accumulate((len(line) for line in b), initial=0), range(len(b)), strict=False))
    anchors: list[tuple[int, int]] = []
    i = raw_pos = clean_pos = 0
    for mark in doc_marks:
        if mark.edit is not None:
            raw_pos += len(mark.removed)
            clean_pos += len(mark.added)
            continue
        end = raw_pos + len(mark.shared)
        while i < len(a) and a_starts[i] < raw_pos:
            i += 1
        while i < len(a) and a_starts[i + 1] <= end:
            j = b_at.get(a_starts[i] + clean_pos - raw_pos)
            if j is not None and b[j] == a[i]:
                anchors.append((i, j))
            i += 1
        raw_pos, clean_pos = end, clean_pos + len(mark.shared)
    codes: list[Opcode] = []
    i0 = j0 = 0
    for i, j in [*anchors, (len(a), len(b))]:
        codes += _gap_opcodes(a, b, i0, i, j0, j)
        if i < len(a):
            if codes and codes[-1][0] == "equal":
                codes[-1] = ("equal", codes[-1][1], i + 1, codes[-1][3], j + 1)
            else:
                codes.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    return codes


def _gap_opcodes(a: list[str], b: list[str], i0: int, i1: int, j0: int, j1: int) -> list[Opcode]:
    if i0 == i1 and j0 == j1:
        return []
    if i0 == i1:
        return [("insert", i0, i1, j0, j1)]
    if j0 == j1:
        return [("delete", i0, i1, j0, j1)]
    if (i1 - i0) * (j1 - j0) > GAP_MATCH_LIMIT:
        return [("replace", i0, i1, j0, j1)]
    matcher = difflib.SequenceMatcher(None, a[i0:i1], b[j0:j1], autojunk=False)
    return [(tag, i0 + p, i0 + q, j0 + r, j0 + t) for tag, p, q, r, t in matcher.get_opcodes()]


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _with_eof_marker(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        if line.endswith("\n"):
            yield line
        else:
            yield line + "\n\\ No newline at end of file\n"


# --- html ---------------------------------------------------------------------------------

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fff}
header{padding:12px 20px;border-bottom:1px solid #ddd;background:#f6f6f8}
header h1{font-size:17px;margin:0 0 4px}
header p{margin:2px 0;color:#444}
.rejected{color:#a00;font-weight:600}
nav a{margin-right:12px}
table.diff{border-collapse:collapse;width:100%;table-layout:fixed}
table.diff th{background:#eee;text-align:left;padding:4px 8px;font-weight:600;position:sticky;top:0}
table.diff td{vertical-align:top;padding:1px 8px;white-space:pre-wrap;overflow-wrap:anywhere;
 font:13px/1.45 ui-monospace,"DejaVu Sans Mono",monospace;border-left:1px solid #eee}
table.diff td.n{width:3.2em;color:#999;text-align:right;border:0;user-select:none}
tr.c td.raw{background:#fff6f6} tr.c td.clean{background:#f5fff5}
del{background:#ffd3d3;color:#8a1010;text-decoration:line-through}
ins{background:#b9f2b9;color:#064d06;text-decoration:none;font-weight:600}
.tag{font:600 11px system-ui,sans-serif;color:#fff;background:#7a3ea1;border-radius:3px;padding:0 4px;
 margin-right:3px;white-space:nowrap}
ul.rules{columns:3;margin:6px 0}
code{font:12px ui-monospace,monospace}
"""


def render_html(found: Found, back: str | None = None) -> str:
    """A self-contained side-by-side page; ``back`` is a link to the report that holds it."""
    doc = found.doc
    rows = "".join(_html_rows(marks(doc)))
    counts = sorted(rule_counts(doc).items(), key=lambda kv: (-kv[1], kv[0]))
    rules = "".join(f"<li><span class=tag>{_e(rule)}</span>{n}</li>" for rule, n in counts)
    nav = f'<nav><a href="{_e(back)}">← report</a></nav>' if back else ""
    info = "".join(
        f"<p{' class=rejected' if key == 'rejected' else ''}><b>{key}:</b> {_e(value)}</p>"
        for key, value in describe(found)[2:-1]
    )
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>diff {_e(doc.id)}</title><style>{CSS}</style></head><body>"
        f"<header>{nav}<h1>{_e(doc.id)} <small>({_e(found.split)})</small></h1>{info}"
        f"<p><b>edits:</b> {len(doc.edits)}</p><ul class=rules>{rules}</ul></header>"
        '<table class=diff><colgroup><col style="width:3.2em"><col><col style="width:3.2em"><col></colgroup>'
        "<tr><th></th><th>raw (struck: removed, tagged step:rule)</th><th></th>"
        "<th>clean (highlighted: repaired or added)</th></tr>"
        f"{rows}</table></body></html>\n"
    )


def _html_rows(doc_marks: list[Mark]) -> Iterator[str]:
    """Table rows, cut at line breaks of shared text so both columns stay level.

    Whole lines removed before any text of a row get a row of their own (empty on the clean
    side), so the line that follows them sits level with its clean counterpart. Each row
    starts with the raw and clean line numbers of its first line.
    """
    left: list[str] = []
    right: list[str] = []
    changed = has_text = False
    raw_line = clean_line = 1  # line numbers at the start of the current row
    raw_next = clean_next = 1  # line numbers at the current position

    for mark in doc_marks:
        if mark.edit is None:
            for index, piece in enumerate(mark.shared.split("\n")):
                if index:
                    yield _row(raw_line, left, clean_line, right, changed)
                    raw_next += 1
                    clean_next += 1
                    left, right, changed, has_text = [], [], False, False
                    raw_line, clean_line = raw_next, clean_next
                if piece:
                    left.append(_e(piece))
                    right.append(_e(piece))
                    has_text = True
            continue
        changed = True
        tag = f'<span class=tag title="{_e(mark.tag)}">{_e(mark.tag)}</span>'
        if mark.removed:
            left.append(f"{tag}<del>{_e(visible(mark.removed))}</del>")
            raw_next += mark.removed.count("\n")
        if mark.added:
            right.append(("" if mark.removed else tag) + f"<ins>{_e(visible(mark.added))}</ins>")
            clean_next += mark.added.count("\n")
            has_text = True
        elif not has_text and mark.removed.endswith("\n"):
            yield _row(raw_line, left, clean_line, right, changed)
            left, right, changed = [], [], False
            raw_line = raw_next
    if left or right:
        yield _row(raw_line, left, clean_line, right, changed)


def _row(raw_line: int, left: list[str], clean_line: int, right: list[str], changed: bool) -> str:
    cls = " class=c" if changed else ""
    clean_number = clean_line if right else ""
    return (
        f"<tr{cls}><td class=n>{raw_line}</td><td class=raw>{''.join(left)}</td>"
        f"<td class=n>{clean_number}</td><td class=clean>{''.join(right)}</td></tr>"
    )


def _e(text: str) -> str:
    return html_text(text)
