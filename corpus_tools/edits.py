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
    """Rebuild the text before ``edits`` from the text after them (edits in any form of :func:`as_edits`)."""
    for edit in reversed(as_edits(edits)):
        text = text[: edit.start] + edit.before + text[edit.start + len(edit.after) :]
    return text


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
    every removal and insertion marked where it happened.
    """
    segments = [Segment(raw)] if raw else []
    for edit in edits:
        segments = _replay(segments, edit)
    return _merge(segments)


def _replay(segments: list[Segment], edit: Edit) -> list[Segment]:
    segments = _split_at(_split_at(segments, edit.start), edit.end)
    added = Segment(edit.after, added_by=edit) if edit.after else None
    out: list[Segment] = []
    pos = 0  # position in the visible text
    for seg in segments:
        if seg.removed_by is None:
            if added is not None and pos >= edit.end:
                out.append(added)
                added = None
            end = pos + len(seg.text)
            inside = edit.start <= pos and end <= edit.end
            pos = end
            if inside:
                if seg.added_by is None:  # added earlier, removed now: it just vanishes
                    out.append(Segment(seg.text, removed_by=edit))
                continue
        out.append(seg)
    if added is not None:
        out.append(added)
    return out


def _split_at(segments: list[Segment], point: int) -> list[Segment]:
    """Cut the visible segment that straddles ``point`` in two."""
    out: list[Segment] = []
    pos = 0
    for seg in segments:
        if seg.removed_by is None:
            end = pos + len(seg.text)
            if pos < point < end:
                cut = point - pos
                out.append(Segment(seg.text[:cut], added_by=seg.added_by))
                out.append(Segment(seg.text[cut:], added_by=seg.added_by))
                pos = end
                continue
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
