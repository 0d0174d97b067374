"""Lossy damage: a character became `?` or U+FFFD. One decision per mark, from its context.

ftfy cannot undo this: the character is gone. What is left is the shape of the text around
the mark, and three facts about the document:

* **What survived.** ``str.encode('latin-1', 'replace')`` keeps "é", "£" and no-break
  spaces, so in a text that still holds them a `?` stands for something *outside* Latin-1
  ("€", "’", "ł"). :func:`repertoire` names the smallest code page (ASCII, Latin-1,
  Windows-1252) holding every surviving non-ASCII character; a candidate replacement
  must lie outside it. This one test keeps apostrophes out of Windows-1252 texts (where
  "’" would have survived) and picks "€" over "£" in Latin-1 texts.
* **The unit of loss.** Some tools replace each UTF-8 *byte*: "’" becomes `???`, "é"
  `??`. When every mark run inside a word is two or more marks long, the document is read
  in byte units, and a run must match the UTF-8 length of what replaces it.
* **Whether the document is damaged at all.** A `?` glued between two letters, glued
  before a word after a space, between two spaces or between digits, and any U+FFFD, are
  positions a real question mark never takes. Decisions that could also describe a real
  question mark (a `?` after a word, before a space) are only taken in a document that
  shows such unambiguous damage elsewhere, so correct text with questions stays as it is.

Code, URLs with query strings and SQL placeholders are masked (:data:`PROTECTED`); a `?`
right before a quote, after a no-break space (French) or in a sentence opened by "¿" is
read as a question mark. Where no rule has enough evidence the mark stays and is counted.

Rules (the ``rule`` of each change): ``apostrophe``, ``open_quote``, ``close_quote``,
``dash`` (between spaced clauses), ``range_dash`` (between numbers), ``nbsp`` (number and
unit, "No." and number, thousands groups), ``lost_space`` (between two words),
``degree``, ``minus``, ``currency``, ``ellipsis``, and for a lost letter the witness that
decided it: ``letter_from_document`` (the word intact in the same text),
``letter_from_corpus``, ``letter_from_vocabulary`` (the word lists); see docs/encoding.md.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from corpus_tools.document import Change
from corpus_tools.repair.lossy_punctuation import PunctuationReader
from corpus_tools.repair.lossy_scan import MASKS, PROTECTED, MarkScan, repertoire
from corpus_tools.repair.lossy_words import WordReader
from corpus_tools.repair.vocabulary import Vocabulary
from corpus_tools.repair.witnesses import DocumentWords

__all__ = ["MASKS", "PROTECTED", "LossyResult", "fix_lossy", "only_question_marks", "repertoire"]


@dataclass(slots=True)
class LossyResult:
    changes: list[Change] = field(default_factory=list)
    left: int = 0


def result(scan: MarkScan) -> LossyResult:
    """The decisions taken, as changes (all of them in a damaged text, else the sure ones), and
    how many mark runs stay where a real question mark does not stand."""
    decisions = list(scan.decided.values())
    damaged = "\ufffd" in scan.text or any(decision.sure for decision in decisions)
    taken = [decision for decision in decisions if decision.sure or damaged]
    taken.sort(key=lambda decision: decision.start)
    changes = [Change(decision.start, decision.end, decision.after, decision.rule) for decision in taken]
    starts = [decision.start for decision in taken]  # sorted, as ``taken`` is
    left = 0
    for mark_run in scan.runs:
        index = bisect.bisect_left(starts, mark_run.start())
        if index < len(starts) and starts[index] < mark_run.end():
            continue  # repaired (at least one decision inside the run)
        if scan.is_protected(mark_run.start(), mark_run.end()):
            continue
        if mark_run[0][0] == "\ufffd" or looks_lost(scan.text, mark_run):
            left += 1
    return LossyResult(changes, left)


def looks_lost(text: str, mark_run: re.Match[str]) -> bool:
    """A `?` left where a real question mark does not stand (inside a word, before a word)."""
    next_char = text[mark_run.end()] if mark_run.end() < len(text) else "\n"
    return next_char.isalnum()


_SURVIVOR = re.compile("[^\x00-\x7f\ufffd]")
_AFTER_QUESTION = re.compile(r"$|\n|[\s\u00a0\u202f]*[\"”’'»)!?]|\s+[\"“‘'«(]?[A-Z0-9]")


def non_ascii_survivors(text: str) -> str:
    """The distinct non-ASCII characters of ``text`` other than U+FFFD, sorted: what the lossy
    damage let through (read by :func:`.lossy_scan.repertoire`)."""
    return "".join(sorted(set(_SURVIVOR.findall(text))))


def only_question_marks(text: str) -> bool:
    """Fast path for correct text: every `?` ends a question (after a word, before a capital,
    a closing quote or the end), a place no rule would change anyway."""
    if "\ufffd" in text:
        return False
    question_at = text.find("?")
    while question_at >= 0:
        run_end = question_at
        while run_end < len(text) and text[run_end] == "?":
            run_end += 1
        if (
            not (question_at > 0 and text[question_at - 1].isalnum())
            or _AFTER_QUESTION.match(text, run_end) is None
        ):
            return False
        question_at = text.find("?", run_end)
    return True


def fix_lossy(
    text: str,
    vocabulary: Vocabulary | None = None,
    survivors: str | None = None,
    corpus_sign: str = "",
    document: DocumentWords | None = None,
) -> LossyResult:
    """Decide every `?`/U+FFFD run of ``text``; ``survivors``: its non-ASCII characters no repair
    made; ``document``: the words ``text`` writes intact (see :mod:`.witnesses`)."""
    if only_question_marks(text):
        return LossyResult()
    if survivors is None:
        survivors = non_ascii_survivors(text)
    scan = MarkScan(text, survivors)
    words = WordReader(scan, vocabulary, document)
    words.vote_unit()
    words.read_languages()
    punctuation = PunctuationReader(scan, corpus_sign)
    punctuation.read_french_spacing()
    words.read_words()
    punctuation.lone_letter = words.lone_letter()
    punctuation.read_punctuation()
    return result(scan)
