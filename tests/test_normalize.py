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


def test_the_cheap_pre_checks_never_skip_a_text_the_patterns_would_change():
    """Each fixer scans its pattern only after a cheap check (``in``, line edges): it must not miss."""
    import random

    from corpus_tools.steps import normalize as n

    alphabet = ["a", "b", " ", "  ", "\t", "\n", "\n", "\r", "\u3000", "\x00", "\x1f", "\x7f", "\x85", "\x9f"]
    alphabet += ["\xa0", "é", "\x1c", "\u2028", "\u2003"]
    rng = random.Random(7)
    checks = [
        (n.control_chars, n._CONTROLS),
        (n.edge_spaces, n._TRAILING),
        (n.space_runs, n._SPACE_RUN),
        (n.blank_lines, n._BLANK_RUN),
    ]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for fixer, pattern in checks:
            assert len(fixer(text)) == len(list(pattern.finditer(text))), (fixer.__name__, text)
        # without the pattern when no line has a space at its edges; the same breaks
        expected = [] if "\n\n" in text else [(m.start(), m.end()) for m in n._LINE_BREAK.finditer(text)]
        assert [(c.start, c.end) for c in n.paragraph_breaks(text)] == expected, text
