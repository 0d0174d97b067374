"""On an HTML extractor's text the chain removes only what it has evidence for.

trafilatura already cut the page by its markup; the zone signals (``zones``, ``menu_run``)
guess page zones from the shape of lines, which a dump needs and an extraction does not.
"""

import json

from read_pages import read_extracted

from corpus_tools.boilerplate.html import is_extracted, mark_extracted
from corpus_tools.document import Document
from corpus_tools.steps.strip_boilerplate import StripBoilerplate

PROSE = (
    "The council met on Monday evening and agreed that the new rules for river water "
    "would take effect in spring, after a long debate about farms and towns upstream."
)
# an article with a short table of contents and a closing signature: short, capitalised,
# unpunctuated lines that the zone signals read as a menu and as a footer
ARTICLE = "\n\n".join(
    [
        "River rules agreed after long debate",
        "Contents",
        "Why it matters",
        "What changes",
        "Who pays",
        PROSE,
        PROSE.replace("Monday", "Tuesday"),
        PROSE.replace("Monday", "Friday"),
        "Anna Berg",
        "Town Hall Desk",
        "Riverside Office",
    ]
)


def strip(text: str, meta: dict) -> Document:
    doc = Document.from_raw("a", text, **meta)
    StripBoilerplate().process(doc)
    return doc


def test_extracted_text_keeps_short_lines_a_dump_loses():
    as_dump = strip(ARTICLE, {})
    extracted_meta: dict = {}
    mark_extracted(extracted_meta)
    as_extraction = strip(ARTICLE, extracted_meta)
    lost_in_dump = {edit.rule for edit in as_dump.edits}
    assert lost_in_dump & {"signals:menu_run", "signals:header_zone", "signals:footer_zone"}
    assert as_extraction.text == ARTICLE
    assert not as_extraction.edits


def test_extracted_text_still_loses_pack_and_repeat_evidence():
    meta: dict = {}
    mark_extracted(meta)
    text = "\n\n".join([PROSE, "Share on Facebook", PROSE.replace("Monday", "Friday"), "Share on Facebook"])
    doc = strip(text, meta)
    assert "Share on Facebook" not in doc.text
    assert PROSE in doc.text


def test_extraction_marks_html_as_extracted_and_the_mark_survives_export(tmp_path):
    page = (
        "<html><head><title>River rules</title></head><body><article><h1>River rules</h1>"
        + f"<p>{PROSE}</p>" * 3
        + "</article></body></html>"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    (tmp_path / "dump.txt").write_text(PROSE, encoding="utf-8")
    docs = {doc.id: doc for doc in read_extracted(tmp_path)}
    assert is_extracted(docs["page"].meta)
    assert not is_extracted(docs["dump"].meta)
    # exported as JSONL (the extra column is a JSON string) and read back: still an extraction
    row = {"id": "page", "text": docs["page"].text, "extra": docs["page"].meta["extra"]}
    (tmp_path / "again").mkdir()
    (tmp_path / "again" / "export.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    again = read_extracted(tmp_path / "again")
    assert len(again) == 1 and is_extracted(again[0].meta)


def test_mark_keeps_other_extra_fields():
    meta = {"extra": json.dumps({"lang_hint": "de"})}
    mark_extracted(meta)
    assert json.loads(meta["extra"]) == {"lang_hint": "de", "html_extractor": "trafilatura"}
    assert not is_extracted({"extra": "not json, mentions html_extractor"})


ITEMS = [
    f"Step {n}: the council agreed that the new rules for river water in the north take effect"
    for n in range(1, 6)
]


def test_signals_that_would_empty_an_extraction_give_way_to_it():
    # a page whose markup prints each item twice (say, for two screen sizes): every line is
    # "printed twice in a row", which the repeated signal takes for alt text and caption
    text = "\n\n".join(["Share on Facebook", *(item for item in ITEMS for _ in range(2))])
    as_dump = strip(text, {})
    assert not any(item in as_dump.text for item in ITEMS)
    meta: dict = {}
    mark_extracted(meta)
    as_extraction = strip(text, meta)
    assert all(item in as_extraction.text for item in ITEMS)
    assert "Share on Facebook" not in as_extraction.text  # a pack's rule still applies


def extracted(text: str) -> Document:
    meta: dict = {}
    mark_extracted(meta)
    return strip(text, meta)


# a long caption paragraph that ends with its credit, between two article paragraphs
CAPTION = (
    "The map shows the wells that the survey team sampled along the upper river in the dry "
    "months of the last three years, with the worst readings marked in red near the old mill. "
    "Credit: Regional Water Survey"
)
APPEAL = (
    "Every week we send our readers the best of our reporting on rivers, farms and towns, with "
    "maps and data you will not find elsewhere, so sign up for our newsletter today and never "
    "miss a story."
)


def test_extracted_text_keeps_a_long_paragraph_inside_the_article_a_weak_rule_matches():
    text = "\n\n".join([PROSE, PROSE.replace("Monday", "Sunday"), CAPTION, PROSE.replace("Monday", "Friday")])
    assert CAPTION not in strip(text, {}).text  # a dump: the credit rule takes the caption
    doc = extracted(text)
    assert CAPTION in doc.text
    assert not doc.edits


def test_extracted_text_still_loses_a_long_appeal_inside_the_article():
    text = "\n\n".join([PROSE, PROSE.replace("Monday", "Sunday"), APPEAL, PROSE.replace("Monday", "Friday")])
    doc = extracted(text)
    assert APPEAL not in doc.text
    assert [edit.rule for edit in doc.edits] == ["generic:newsletter_signup"]


def test_extracted_text_keeps_a_refrain_a_dump_reads_as_alt_text():
    refrain = "Row the boat, row the boat home."
    text = "\n\n".join([PROSE, refrain, refrain, PROSE.replace("Monday", "Friday")])
    assert refrain not in strip(text, {}).text
    assert extracted(text).text == text


def test_extracted_text_keeps_its_byline_and_records_the_author():
    text = "\n\n".join(["By Anna Berg", PROSE, PROSE.replace("Monday", "Friday")])
    assert "By Anna Berg" not in strip(text, {}).text  # a dump: the byline goes to the metadata
    doc = extracted(text)
    assert doc.text == text
    assert doc.meta["author"] == "Anna Berg"


# a short article line with an address in it: the contact rule guesses from those few words
ADDRESS_LINE = "Readers may write to the council clerk at clerk@example.org before Friday."
CLOSING_CONTACT = "Write to the author at anna@example.org"
SHORT_APPEAL = "Sign up for our newsletter."


def river_article(*inside: str) -> list[str]:
    """Three article paragraphs with ``inside`` between the second and the third."""
    return [PROSE, PROSE.replace("Monday", "Sunday"), *inside, PROSE.replace("Monday", "Friday")]


def test_extracted_text_keeps_a_line_a_guess_matches_when_no_chrome_is_beside_it():
    # a guess (a few words of a line: an address) alone says little on an extraction, inside
    # the article or below it; on a dump the same rule takes the line
    text = "\n\n".join([*river_article(ADDRESS_LINE), CLOSING_CONTACT])
    assert ADDRESS_LINE not in strip(text, {}).text
    doc = extracted(text)
    assert ADDRESS_LINE in doc.text
    assert CLOSING_CONTACT in doc.text
    assert doc.edits == []


def test_extracted_text_loses_a_guess_beside_a_line_other_evidence_removes():
    # chrome comes in runs: beside a strong marker, the guess's line goes too
    text = "\n\n".join([*river_article(ADDRESS_LINE), SHORT_APPEAL, CLOSING_CONTACT])
    doc = extracted(text)
    assert ADDRESS_LINE in doc.text
    assert SHORT_APPEAL not in doc.text and CLOSING_CONTACT not in doc.text
    assert [edit.rule for edit in doc.edits] == ["generic:newsletter_signup", "generic:contact_line"]
