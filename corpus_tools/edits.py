"""Pure functions over an edit record: undo it, count it per step, and lay raw and clean side by side.

Both work from the clean text and the record alone, which is why the dataset folder is
enough for ``corpus-tools diff``: the raw text is rebuilt, never stored twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corpus_tools.document import Edit


def edit_counts(edits: list[Edit]) -> list[dict[str, Any]]:
    totals: dict[str, list[int]] = {}  # step -> [edits, removed, added]; plain lists: this runs per row
    for edit in edits:
        total = totals.get(edit.step)
        if total is None:
            total = totals[edit.step] = [0, 0, 0]
        total[0] += 1
        total[1] += len(edit.before)
        total[2] += len(edit.after)
    return [
        {"step": step, "edits": n, "chars_removed": removed, "chars_added": added}
        for step, (n, removed, added) in totals.items()  # first-edit order, which is chain order
    ]


EditLike = Edit | Mapping[str, Any]
EDIT_FIELDS = Edit._fields


def as_edits(edits: Iterable[EditLike] | Mapping[str, list[Any]] | None) -> list[Edit]:
    """An edit record in any form a reader meets it: :class:`Edit` objects, the dicts a parquet or
    ``datasets`` row holds, or the dict of lists ``datasets`` gives for a ``Sequence`` of structs."""
    if edits is None:
        return []
    if isinstance(edits, Mapping):
        columns = [edits[name] for name in EDIT_FIELDS]
        return [Edit(*values) for values in zip(*columns, strict=True)]
    return [edit if isinstance(edit, Edit) else Edit(**{k: edit[k] for k in EDIT_FIELDS}) for edit in edits]


def revert(text: str, edits: Iterable[EditLike] | Mapping[str, list[Any]]) -> str:
    """Rebuild the text before ``edits`` from the text after them (edits in any form of :func:`as_edits`).

    Linear in the text and the record: each run of edits made left to right (a step's
    batch, see :func:`batches`) is undone in one pass, not one copy of the text per edit.
    """
    for batch in reversed(batches(as_edits(edits))):
        pieces: list[str] = []
        cursor = 0
        for edit in batch:  # each edit's new text sits at its start in the text after the batch
            pieces.append(text[cursor : edit.start])
            pieces.append(edit.before)
            cursor = edit.start + len(edit.after)
        pieces.append(text[cursor:])
        text = "".join(pieces)
    return text


def batches(edits: list[Edit]) -> list[list[Edit]]:
    """Cut the record into runs of edits that each start at or after the end of the text the
    previous one put in: :meth:`Document.apply` records a step's changes so, left to right.

    Within a run no edit moves an earlier one, so the run can be undone or replayed in one
    pass over the text. A record of E edits in B runs costs O(B x text + E), not O(E x text).
    """
    runs: list[list[Edit]] = []
    end = -1
    for edit in edits:
        if not runs or edit.start < end:
            runs.append([])
        runs[-1].append(edit)
        end = edit.start + len(edit.after)
    return runs


@dataclass(slots=True)
class Segment:
    """A run of text in the raw-vs-clean view.

    ``removed_by``/``added_by`` name the edit (``step:rule``) that took the run out or put
    it in; a run with neither is text the raw and the clean share.
    """

    text: str
    removed_by: Edit | None = None
    added_by: Edit | None = None


def annotate(raw: str, edits: Iterable[Edit]) -> list[Segment]:
    """Replay ``edits`` on ``raw``, keeping what they removed as marked segments.

    Coordinates of each edit index the *visible* text (shared and added runs); removed runs
    stay in the list, invisible to later edits, so the result reads as the raw text with
    every removal and insertion marked where it happened. Each run of left-to-right edits
    (:func:`batches`) is replayed in one pass over the segments.
    """
    segments = [Segment(raw)] if raw else []
    for batch in batches(list(edits)):
        segments = _replay(segments, batch)
    return _merge(segments)


def _replay(segments: list[Segment], batch: list[Edit]) -> list[Segment]:
    """Apply one run of edits to the segments.

    Each edit's span is moved back to the visible text as it stood before the run (the
    edits before it in the run lie wholly to its left, so only their length change moves
    it); the spans are then ordered and disjoint. A visible segment inside a span is
    removed by that edit (or vanishes, if an earlier edit had put it in), and the edit's new
    text goes just before the first visible segment at or after the span's end.
    """
    spans: list[tuple[int, int, Edit]] = []
    shift = 0
    for edit in batch:
        start = edit.start - shift
        spans.append((start, start + len(edit.before), edit))
        shift += len(edit.after) - len(edit.before)
    segments = _split_at(segments, [point for start, end, _ in spans for point in (start, end)])
    out: list[Segment] = []
    pos = 0  # position in the visible text
    k = 0  # the first edit whose new text is not placed yet
    for seg in segments:
        if seg.removed_by is None:
            while k < len(spans) and pos >= spans[k][1]:
                _place(out, spans[k][2])
                k += 1
            end = pos + len(seg.text)
            inside = k < len(spans) and spans[k][0] <= pos and end <= spans[k][1]
            pos = end
            if inside:
                if seg.added_by is None:  # added earlier, removed now: it just vanishes
                    out.append(Segment(seg.text, removed_by=spans[k][2]))
                continue
        out.append(seg)
    for _, _, edit in spans[k:]:
        _place(out, edit)
    return out


def _place(out: list[Segment], edit: Edit) -> None:
    if edit.after:
        out.append(Segment(edit.after, added_by=edit))


def _split_at(segments: list[Segment], points: list[int]) -> list[Segment]:
    """Cut the visible segments at each of ``points`` (ascending positions in the visible text)."""
    out: list[Segment] = []
    pos = 0
    i = 0
    for seg in segments:
        if seg.removed_by is None:
            end = pos + len(seg.text)
            while i < len(points) and points[i] <= pos:
                i += 1
            cut_from = pos
            while i < len(points) and points[i] < end:
                out.append(Segment(seg.text[cut_from - pos : points[i] - pos], added_by=seg.added_by))
                cut_from = points[i]
                i += 1
            if cut_from != pos:
                seg = Segment(seg.text[cut_from - pos :], added_by=seg.added_by)
            pos = end
        out.append(seg)
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        last = merged[-1] if merged else None
        if last and last.removed_by is seg.removed_by and last.added_by is seg.added_by:
            last.text += seg.text
        else:
            merged.append(Segment(seg.text, seg.removed_by, seg.added_by))
    return merged
