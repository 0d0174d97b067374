import random

import pytest

from corpus_tools.document import Change, Document
from corpus_tools.edits import annotate, revert


def test_apply_records_each_change_with_the_text_it_replaced():
    doc = Document("d", "Skip to content\nHello world.\n")
    doc.apply("strip", [Change(0, 16, "", "nav")])
    assert doc.text == "Hello world.\n"
    (edit,) = doc.edits
    assert (edit.step, edit.rule, edit.before, edit.after) == ("strip", "nav", "Skip to content\n", "")


def test_overlapping_changes_are_refused():
    doc = Document("d", "abcdef")
    with pytest.raises(ValueError):
        doc.apply("s", [Change(0, 3, "", "a"), Change(2, 4, "", "b")])


def test_a_change_that_changes_nothing_is_not_recorded():
    doc = Document("d", "abc")
    assert doc.apply("s", [Change(0, 1, "a", "same")]) == 0
    assert doc.edits == []


def test_reject_keeps_the_first_reason():
    doc = Document("d", "x")
    doc.reject("read", "empty", "nothing there")
    doc.reject("quality_filter", "too_few_words")
    assert doc.rejection.reason == "read:empty"


def _random_run(rng: random.Random) -> tuple[str, Document]:
    raw = "".join(rng.choice("ab c\n") for _ in range(rng.randint(0, 40)))
    doc = Document("x", raw)
    for step in range(rng.randint(1, 4)):
        changes, cursor = [], 0
        while cursor < len(doc.text) and rng.random() < 0.7:
            start = rng.randint(cursor, len(doc.text))
            end = rng.randint(start, min(len(doc.text), start + 5))
            changes.append(Change(start, end, rng.choice(["", "X", "YY"]), "r"))
            cursor = end
        doc.apply(f"s{step}", changes)
    return raw, doc


def test_revert_rebuilds_the_raw_text_from_clean_text_and_record():
    rng = random.Random(7)
    for _ in range(2000):
        raw, doc = _random_run(rng)
        assert revert(doc.text, doc.edits) == raw


def test_annotate_shows_raw_and_clean_in_one_sequence_of_segments():
    rng = random.Random(11)
    for _ in range(2000):
        raw, doc = _random_run(rng)
        segments = annotate(raw, doc.edits)
        assert "".join(s.text for s in segments if s.added_by is None) == raw
        assert "".join(s.text for s in segments if s.removed_by is None) == doc.text


def test_annotate_names_the_rule_of_each_removal():
    doc = Document("d", "Menu\nStory text.\nDonate now.\n")
    doc.apply("strip", [Change(0, 5, "", "nav"), Change(17, 29, "", "appeal")])
    segments = annotate(revert(doc.text, doc.edits), doc.edits)
    removed = {s.text: s.removed_by.rule for s in segments if s.removed_by}
    assert removed == {"Menu\n": "nav", "Donate now.\n": "appeal"}
