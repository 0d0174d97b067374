"""Encoding repair as pure functions: ``repair_text(text) -> (text, changes)``.

Three stages, cheapest first, each only on text that shows its kind of damage:
HTML references (:mod:`.entities`), mojibake through ftfy (:mod:`.mojibake`), lossy
`?`/U+FFFD marks decided from context and a vocabulary (:mod:`.lossy`,
:mod:`.vocabulary`). The changes come back against the text given, one per repaired
mark or run, each naming its rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_tools.document import Change
from corpus_tools.repair.compose import apply_changes, compose
from corpus_tools.repair.entities import fix_entities
from corpus_tools.repair.gate import may_have_entities, may_have_lossy_marks
from corpus_tools.repair.lossy import fix_lossy, non_ascii_survivors, only_question_marks
from corpus_tools.repair.mojibake import fix_mojibake
from corpus_tools.repair.vocabulary import Vocabulary
from corpus_tools.repair.witnesses import document_witnesses

__all__ = ["RepairResult", "Vocabulary", "repair_reversible", "repair_text", "repair"]


@dataclass(slots=True)
class RepairResult:
    text: str
    changes: list[Change]
    marks_left: int


def repair_reversible(text: str, lossy_follows: bool = False) -> tuple[str, list[Change]]:
    """Entities and mojibake only: what can be undone without guessing. ``lossy_follows``:
    the lossy repair runs next and decides the characters left as U+FFFD."""
    changes: list[Change] = []
    if may_have_entities(text):
        changes = fix_entities(text)
        text = apply_changes(text, changes)
    moji = fix_mojibake(text, lossy_follows)
    if moji:
        middle = text
        text = apply_changes(text, moji)
        changes = compose(changes, moji, middle) if changes else moji
    return text, changes


def _survivors(text: str, changes: list[Change]) -> str:
    """Non-ASCII characters of ``text`` that no change wrote (what the lossy damage let through)."""
    kept = []  # the stretches of ``text`` between the spans the changes wrote
    cursor = 0
    shift = 0
    for c in sorted(changes, key=lambda c: c.start):
        start = c.start + shift
        kept.append(text[cursor:start])
        cursor = start + len(c.after)
        shift += len(c.after) - (c.end - c.start)
    kept.append(text[cursor:])
    return non_ascii_survivors("".join(kept))


def repair(text: str, vocabulary: Vocabulary | None = None, corpus_sign: str = "") -> RepairResult:
    """``corpus_sign``: the currency sign the corpus uses most (see :mod:`.signs`), or ''."""
    fixed, changes = repair_reversible(text, lossy_follows=True)
    if not may_have_lossy_marks(fixed) or only_question_marks(fixed):
        return RepairResult(fixed, changes, 0)
    lossy = fix_lossy(fixed, vocabulary, _survivors(fixed, changes), corpus_sign, document_witnesses(fixed))
    if lossy.changes:
        middle = fixed
        fixed = apply_changes(fixed, lossy.changes)
        changes = compose(changes, lossy.changes, middle) if changes else lossy.changes
    return RepairResult(fixed, changes, lossy.left)


def repair_text(text: str, vocabulary: Vocabulary | None = None) -> tuple[str, list[Change]]:
    """Repair one text; ``vocabulary`` defaults to wordfreq's words alone."""
    result = repair(text, vocabulary if vocabulary is not None else Vocabulary())
    return result.text, result.changes
