"""One line split per document per stage: the steps that need lines share ``textnorm.lines_of``."""

from __future__ import annotations

import random
import re

import pytest

from corpus_tools.document import Change, Document
from corpus_tools.steps.dedupe_lines import DedupeLines
from corpus_tools.steps.normalize import Normalize
from corpus_tools.textnorm import line_spans, lines_of

LINE = re.compile(r"[^\n]*\n|[^\n]+")  # a line and its newline, or the last line without one


@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "a\n\nb", "\n\na\r\nb \n", " x \n\n\n"])
def test_spans_are_each_line_with_its_newline(text):
    assert line_spans(text) == [match.span() for match in LINE.finditer(text)]


def test_spans_match_the_pattern_on_random_texts():
    rng = random.Random(5)
    for _ in range(300):
        text = "".join(rng.choice(["a", "b ", "\n", "\n\n", " ", "\r"]) for _ in range(rng.randrange(30)))
        assert line_spans(text) == [match.span() for match in LINE.finditer(text)], repr(text)


def test_a_text_is_split_once_until_it_changes():
    doc = Document("d", "one\n\ntwo \nthree")
    first = lines_of(doc.text)
    assert lines_of(doc.text) is first and first.lines == ["one", "", "two ", "three"]
    doc.apply("t", [Change(5, 9, "2", "r")])
    again = lines_of(doc.text)
    assert again is not first and again.lines == ["one", "", "2", "three"]
    assert again.stripped() == ["one", "", "2", "three"]


def test_an_equal_text_in_another_string_is_split_alike():
    text = "alpha \nbeta"
    lines_of(text)
    other = "".join(["alpha ", "\nbeta"])
    assert other is not text and lines_of(other).lines == ["alpha ", "beta"]


def test_steps_in_a_row_see_each_others_edits():
    # dedupe_lines splits the text; normalize must see the text dedupe_lines left, not its split
    paragraph = "the council met on monday and agreed the new rules for river water today"
    doc = Document("d", f"{paragraph} \n\n{paragraph} \n\nlast line  ")
    DedupeLines().process(doc)
    Normalize().process(doc)
    assert doc.text == f"{paragraph}\n\nlast line"
