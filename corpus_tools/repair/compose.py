"""Chain repair stages while keeping one change list against the *original* text.

Each stage (entities, mojibake, lossy marks) proposes changes to the text the previous
stage produced. :func:`compose` rewrites the second list onto the first one's input, so
that ``repair_text`` returns changes a caller can apply (or show) against what it passed
in. Where a later change touches text an earlier one wrote ("â€?" -> U+FFFD -> "”"), the
two merge into one change whose rule names both ("mojibake+close_quote").
"""

from __future__ import annotations

import bisect

from corpus_tools.document import Change


def apply_changes(text: str, changes: list[Change]) -> str:
    out = []
    cursor = 0
    for c in sorted(changes, key=lambda c: (c.start, c.end)):
        out.append(text[cursor : c.start])
        out.append(c.after)
        cursor = c.end
    out.append(text[cursor:])
    return "".join(out)


def compose(first: list[Change], second: list[Change], middle: str) -> list[Change]:
    """Changes on text0 equal to applying ``first`` (text0 -> ``middle``) then ``second``."""
    first = sorted(first, key=lambda c: (c.start, c.end))
    second = sorted(second, key=lambda c: (c.start, c.end))
    # Where each first-stage change sits in ``middle``.
    placed: list[tuple[int, int, Change]] = []
    shift = 0
    for c in first:
        placed.append((c.start + shift, c.start + shift + len(c.after), c))
        shift += len(c.after) - (c.end - c.start)
    ends = [e for _, e, _ in placed]
    # Group intervals of ``middle`` that overlap into clusters.
    items = [(s, e, 0, c) for s, e, c in placed] + [(c.start, c.end, 1, c) for c in second]
    items.sort(key=lambda it: (it[0], it[1]))
    clusters: list[list[tuple[int, int, int, Change]]] = []
    cluster_end = -1
    for it in items:
        s, e = it[0], it[1]
        if clusters and s < cluster_end:
            clusters[-1].append(it)
            cluster_end = max(cluster_end, e)
        else:
            clusters.append([it])
            cluster_end = e
    out: list[Change] = []
    for cluster in clusters:
        if len(cluster) == 1:  # the common case: a change that touches no other
            s, e, stage, c = cluster[0]
            if stage == 0:
                out.append(c)
            else:
                start0 = _to_original(s, placed, ends, "lo")
                out.append(Change(start0, start0 + (e - s), c.after, c.rule))
            continue
        lo = min(it[0] for it in cluster)
        hi = max(it[1] for it in cluster)
        firsts = [it[3] for it in cluster if it[2] == 0]
        seconds = [it[3] for it in cluster if it[2] == 1]
        if not seconds:
            out.extend(firsts)
            continue
        start0 = _to_original(lo, placed, ends, "lo")
        end0 = _to_original(hi, placed, ends, "hi")
        local = [Change(c.start - lo, c.end - lo, c.after, c.rule) for c in seconds]
        after = apply_changes(middle[lo:hi], local)
        rules = list(dict.fromkeys([c.rule for c in firsts] + [c.rule for c in seconds]))
        out.append(Change(start0, end0, after, "+".join(rules)))
    return out


def _to_original(pos: int, placed: list[tuple[int, int, Change]], ends: list[int], side: str) -> int:
    """Map a cluster edge in ``middle`` back to text0.

    Every first-stage change that ends before ``pos`` moved it by its growth. A deletion
    sitting exactly at ``pos`` belongs to another change: a cluster starts after it
    (``side="lo"``) and ends before it (``side="hi"``), so the two never overlap.
    """
    # changes ending strictly before pos, plus those ending at pos that are not a
    # deletion (or are one, for a cluster's start)
    k = bisect.bisect_left(ends, pos)
    while k < len(placed) and placed[k][1] == pos and (placed[k][0] < pos or side == "lo"):
        k += 1
    if k == 0:
        return pos
    last = placed[k - 1][2]
    growth = placed[k - 1][1] - last.end  # middle end minus text0 end of the last change before pos
    return pos - growth
