"""The ``dedupe_lines`` step: a line or paragraph repeated inside one document keeps its first copy."""

from __future__ import annotations

import pytest

from corpus_tools.document import Document
from corpus_tools.edits import revert
from corpus_tools.steps.dedupe_lines import DedupeLines

LEAD = (
    "The council voted on Tuesday to close the old bridge for repairs, after engineers found cracks "
    "in two of its piers during the spring inspection of the river crossings."
)


def clean(text: str, **options) -> Document:
    doc = Document("d", text)
    DedupeLines(DedupeLines.Options(**options)).process(doc)
    return doc


def test_a_paragraph_repeated_further_down_is_removed_with_its_line_break():
    text = f"{LEAD}\n\nThe mayor agreed.\n\n{LEAD}\n\nWork starts in May."
    doc = clean(text)
    assert doc.text == f"{LEAD}\n\nThe mayor agreed.\n\nWork starts in May."
    assert [(e.rule, e.before) for e in doc.edits] == [("repeated_paragraph", f"{LEAD}\n\n")]
    assert revert(doc.text, doc.edits) == text


def test_adjacent_repeats_go_whatever_their_length():
    doc = clean("Share\nShare\nShare\nBody of the article is here.")
    assert doc.text == "Share\nBody of the article is here."
    assert [e.rule for e in doc.edits] == ["repeated_adjacent", "repeated_adjacent"]


def test_adjacent_means_next_non_blank_line():
    doc = clean(f"{LEAD}\n\n{LEAD}\nEnd of story here.")
    assert doc.text == f"{LEAD}\n\nEnd of story here."
    assert doc.edits[0].rule == "repeated_adjacent"


def test_short_lines_repeated_apart_are_left_alone():
    text = (
        "Advertisement\nFirst paragraph of the story here.\n- eggs\n"
        "Advertisement\nSecond paragraph of it.\n- eggs"
    )
    assert clean(text).text == text


def test_min_words_is_an_option():
    text = "Key points\nA long enough first paragraph.\nKey points"
    assert clean(text).text == text
    assert clean(text, min_words=2).text == "Key points\nA long enough first paragraph."


def test_a_sentence_shorter_than_a_paragraph_may_recur_apart():
    question = "What did you think when you first saw the results of the vote?"
    text = f"{question}\nIt surprised me.\n{question}\nIt did not."
    assert clean(text).text == text


def test_whitespace_does_not_hide_a_repeat_but_a_changed_figure_does():
    assert (
        clean(f"{LEAD}\nMiddle line of text.\n  {LEAD.replace(' ', '  ')}  ").text
        == f"{LEAD}\nMiddle line of text."
    )
    other = LEAD.replace("Tuesday", "Wednesday")
    assert clean(f"{LEAD}\nMiddle line of text.\n{other}").text == f"{LEAD}\nMiddle line of text.\n{other}"


@pytest.mark.parametrize(
    "text",
    [
        f"{LEAD}\n{LEAD}\n{LEAD}",
        f"{LEAD}\n\nOther words in between here.\n\n{LEAD}\n\n",
        f"A\n{LEAD}\nA\n{LEAD}\nB\n",
    ],
)
def test_idempotent_and_reversible(text):
    once = clean(text)
    twice = clean(once.text)
    assert twice.text == once.text and not twice.edits
    assert revert(once.text, once.edits) == text
    assert once.text.count(LEAD) == 1
    assert not once.text.endswith("\n\n\n")
