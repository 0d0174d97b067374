from corpus_tools.document import Document
from corpus_tools.repair.entities import fix_entities


def _fix(text):
    doc = Document("d", text)
    doc.apply("fix_encoding", fix_entities(text))
    return doc


def test_named_decimal_and_hex_references():
    doc = _fix("Fish &amp; chips&nbsp;&mdash; &#8220;cheap&#8221; at &#x20AC;5")
    assert doc.text == "Fish & chips\u00a0— “cheap” at €5"
    assert {e.rule for e in doc.edits} == {"html_entity"}
    assert len(doc.edits) == 6  # one edit per reference


def test_double_escaped_reference_is_one_change():
    doc = _fix("the mayor&amp;#8217;s plan and &amp;eacute;t&amp;eacute;")
    assert doc.text == "the mayor’s plan and été"
    assert [e.rule for e in doc.edits] == ["html_entity_double"] * 3
    assert doc.edits[0].before == "&amp;#8217;"


def test_text_that_only_looks_like_entities_stays():
    for text in ["AT&T and R&D; Q&A", "a &bogus; name", "x &# 12; y", "&#0; &#xD800;"]:
        assert fix_entities(text) == []


def test_undefined_cp1252_reference_stays_a_control_for_the_mojibake_fixer():
    assert fix_entities("&#157;")[0].after == "\x9d"
