"""The gate decides which text ftfy sees: it must flag every mojibake shape and pass clean text."""

import pytest

from corpus_tools.repair.gate import (
    HINT,
    may_be_mojibake,
    may_have_entities,
    may_have_lossy_marks,
    non_ascii_runs,
)


@pytest.mark.parametrize(
    "text",
    [
        "The cafÃ© opened in 1998.",  # é read as Windows-1252
        "the boardâ€™s decision",  # ’ read as Windows-1252
        "the boardâ\x80\x99s decision",  # ’ read as Latin-1: C1 controls
        "a 20Â km race",  # no-break space turned into a plain space
        "GdaÅ„sk harbour",  # ń
        "Ă©tĂ© weather",  # é read as Windows-1250
        "the mayorвЂ™s plan",  # ’ read as Windows-1251
        "the town‚Äôs mayor",  # ’ read as Mac Roman
    ],
)
def test_gate_flags_mojibake(text):
    assert may_be_mojibake(text)


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII news text, nothing to see.",
        "“Curly quotes”, an en dash – and an em dash — with ‘single’ ones…",
        "Café owners in Kraków and Zürich met in Göteborg.",
        "Cyrillic: Москва; Greek: Αθήνα; CJK: 東京.",
        "SÃO TOMÉ and CÂMARA stay as they are.",
    ],
)
def test_gate_passes_clean_text(text):
    assert not may_be_mojibake(text)


def test_prefilter_agrees_with_full_scan():
    # The runs keep exactly the adjacencies of the text: no clue hidden, none made up.
    samples = ["naÃ¯ve Ã© x", "â€ œ", "é ’ x", "×£ 5", "Ã\u00a0la", "x \x85 y", "’” — “", "Ä‡ and ×", "”©"]
    for text in samples + ["” ©", "”\n©", "\ud800Ã©", "Ã\ud800©"]:
        assert may_be_mojibake(text) == bool(HINT.search(text)), text
        assert may_be_mojibake(text, non_ascii_runs(text)) == bool(HINT.search(text)), text


def test_non_ascii_runs():
    assert non_ascii_runs("“Curly” — in Zürich, © 2025…") == "“ ” — ü © …"
    assert non_ascii_runs("ÃÂ©x\tâ€™") == "ÃÂ© â€™"
    assert non_ascii_runs("plain") == ""


def test_gate_answers_as_the_hint_pattern():
    # fix_mojibake picks its lines (and plain_redecode its stopping point) with the gate
    # instead of searching HINT: both must agree on every text, in both directions.
    samples = [
        "naÃ¯ve Ã© x",
        "â€ œ",
        "é ’ x",
        "×£ 5",
        "Ã\u00a0la",
        "x \x85 y",
        "’” — “",
        "Ä‡ and ×",
        "â€?",
        "Â ",
        "ok",
        "Ä\ufffd",
        "é \ufffd",
        "\ufffdÄ",
    ]
    for text in samples + ["The cafÃ© opened.", "Café in Zürich", "SÃO TOMÉ", "a 20Â km race", ""]:
        assert may_be_mojibake(text) == (HINT.search(text) is not None), text


def test_entity_and_mark_hints():
    assert may_have_entities("Fish &amp; chips")
    assert not may_have_entities("AT&T and R&D")
    assert may_have_lossy_marks("the mayor?s")
    assert may_have_lossy_marks("G\ufffdteborg")
    assert not may_have_lossy_marks("no marks here")
