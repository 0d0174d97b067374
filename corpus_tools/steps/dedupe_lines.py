"""Repeated lines and paragraphs inside one document: keep the first copy.

Scrapers duplicate: a lead paragraph shown twice (teaser and body), a pull quote repeated
inside the article, a block the page template printed above and below. A line that repeats
the line just before it (blank lines between allowed) goes whatever its length
(``repeated_adjacent``: "Share\\nShare"); a line that repeats any earlier line goes only if it
has at least ``min_words`` words (``repeated_paragraph``), because shorter lines legitimately
recur in an article (list items, table header rows, an interviewer's recurring question,
"Reuters", sub-headings) and short template lines such as "Advertisement" are the
boilerplate steps' business. The default, 25 words, is a whole paragraph: on the boilerplate
eval, 4 or 12 words removed real repeated lines (F1 -0.011 / -0.005 on HTML), 25 removed none.

Lines are compared with whitespace collapsed, nothing else: a paragraph that differs by a
figure is a different paragraph. Each removed copy is one recorded change that takes its line
break (and the blank lines after it) along, so the text closes up and a second run changes
nothing.
"""

from __future__ import annotations

from pydantic import Field

from corpus_tools.document import Change, Document
from corpus_tools.steps.base import Step, StepOptions, register
from corpus_tools.textnorm import lines_of


class DedupeLinesOptions(StepOptions):
    """Keys of a ``dedupe_lines`` step in a chain's YAML."""

    min_words: int = Field(25, ge=1, description="shorter lines are removed only when adjacent repeats")


@register
class DedupeLines(Step):
    name = "dedupe_lines"

    Options = DedupeLinesOptions
    options: DedupeLinesOptions

    def process(self, doc: Document) -> None:
        doc.apply(self.name, repeated_copies(doc.text, self.options.min_words))


def repeated_copies(text: str, min_words: int) -> list[Change]:
    """The changes that remove every repeated copy of a line from ``text``."""
    split = lines_of(text)
    if not _may_repeat(split.lines):
        return []
    lines = [
        (start, end, " ".join(line.split()))
        for (start, end), line in zip(split.spans(), split.lines, strict=False)
    ]
    seen: set[str] = set()
    previous: str | None = None  # the last non-blank line
    removed: list[tuple[int, str]] = []  # (line index, rule)
    for index, (_, _, key) in enumerate(lines):
        if not key:
            continue
        if key == previous:
            removed.append((index, "repeated_adjacent"))
        elif key in seen and len(key.split(" ")) >= min_words:
            removed.append((index, "repeated_paragraph"))
        else:
            seen.add(key)
        previous = key
    changes: list[Change] = []
    for index, rule in removed:
        start, end, _ = lines[index]
        follow = index + 1
        while follow < len(lines) and not lines[follow][2]:  # blank lines after the copy go with it
            end = lines[follow][1]
            follow += 1
        changes.append(Change(start, end, "", rule))
    if changes and changes[-1].end == len(text) and not text.endswith("\n"):
        # copies end the text: the first of them takes the line breaks before it too,
        # so the text does not end on a dangling break
        first = len(changes) - 1
        while first > 0 and changes[first - 1].end == changes[first].start:
            first -= 1
        floor = changes[first - 1].end if first > 0 else 0
        start = changes[first].start
        while start > floor and text[start - 1] in "\n\r\t ":
            start -= 1
        changes[first] = changes[first]._replace(start=start)
    return changes


def _may_repeat(lines: list[str]) -> bool:
    """False when no two non-blank ``lines`` start with the same three words.

    Two lines with the same key have the same words, so the same first three: when every
    line starts differently, which is almost every document, nothing repeats, and the lines
    need not be split into all their words (a string per word, most of the step's time).
    """
    heads: set[tuple[str, ...]] = set()
    for line in lines:
        head = tuple(line.split(None, 3)[:3])
        if head:
            if head in heads:
                return True
            heads.add(head)
    return False
