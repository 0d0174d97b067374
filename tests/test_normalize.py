from corpus_tools.document import Document
from corpus_tools.steps.normalize import Normalize


def normalized(text: str) -> Document:
    doc = Document("d", text)
    Normalize().process(doc)
    return doc


def test_lines_of_a_dump_without_blank_lines_become_paragraphs():
    assert normalized("First line.\nSecond line.\n").text == "First line.\n\nSecond line."


def test_single_line_breaks_inside_blank_line_paragraphs_are_kept():
    text = "Intro.\n\nmilk\neggs\nflour\n\nEnd."
    assert normalized(text).text == text


def test_runs_of_blank_lines_and_spaces_collapse_and_no_break_spaces_stay():
    doc = normalized("  A  b\t c \n\n\n\nD\u00a0km  \r\n")
    assert doc.text == "A b c\n\nD\u00a0km"
    assert {e.rule for e in doc.edits} >= {"space_run", "blank_lines", "edge_spaces", "line_endings"}


def test_decomposed_letters_are_composed():
    assert normalized("Cafe\u0301 au lait.").text == "Caf\u00e9 au lait."


def test_normalizing_normal_text_changes_nothing():
    once = normalized("Title\n\n\nBody  text.\r\nMore.\n").text
    assert normalized(once).edits == []
