"""The strip_boilerplate step end to end: the seeds, the edit record, metadata, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from corpus_tools.boilerplate.html import extract_html
from corpus_tools.document import Document
from corpus_tools.edits import revert
from corpus_tools.steps import STEPS
from corpus_tools.steps.strip_boilerplate import StripBoilerplate, StripBoilerplateOptions

RAW = Path(__file__).resolve().parents[1] / "raw"
GZERO = "004_362d8ae2909e1a7c"
MEDUZA = "000_4587ace39e755b51"
CHROME = ("Skip to content", "Latest Stories", "More For You", "Reuters", "REUTERS/", "[...]", "Read more")
# fix_encoding runs first in the chain; the step must give the same result on repaired text
PARA = "The council voted on Tuesday to extend the program for another year, officials said."
REPAIRS = {"grants?ultra-Orthodox?Jews": "grants ultra-Orthodox Jews"}


def seed(name: str, repaired: bool = False, **meta: str) -> Document:
    text = (RAW / f"{name}.txt").read_text(encoding="utf-8")
    if repaired:
        for before, after in REPAIRS.items():
            text = text.replace(before, after)
    return Document.from_raw(name, text, **meta)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


@pytest.fixture(scope="module")
def step() -> StripBoilerplate:
    return STEPS["strip_boilerplate"]()


@pytest.mark.parametrize("source", [None, "gzeromedia.com"])
@pytest.mark.parametrize("repaired", [False, True])
def test_gzero_seed(step, source, repaired):
    doc = seed(GZERO, repaired, **({"source": source} if source else {}))
    step.process(doc)
    kept = paragraphs(doc.text)
    assert kept[0] == "Putin poaches the neighbors for his Ukraine invasion"
    assert kept[-1].startswith("Tensions over the Kremlin’s recruitment efforts")
    assert kept[-1].endswith("from the Kremlin’s neo-imperial adventures.")
    assert "Russian President Vladimir Putin." not in kept
    for chrome in (*CHROME, "see here", "Trump, Putin, and Zelensky"):
        assert chrome not in doc.text
    assert len(kept) == 8  # the title and the seven article paragraphs
    pack = "gzeromedia" if source else "generic"
    assert {edit.rule.split(":")[0] for edit in doc.edits} <= {pack, "generic", "signals"}
    assert f"{pack}:more_for_you" in {edit.rule for edit in doc.edits} or not source


@pytest.mark.parametrize("source", [None, "meduza.io"])
def test_meduza_seed_loses_only_the_appeal(step, source):
    doc = seed(MEDUZA, **({"source": source} if source else {}))
    raw = doc.text
    step.process(doc)
    removed = [edit.before.strip() for edit in doc.edits]
    assert len(removed) == 1
    assert removed[0].startswith("Meduza has condemned") and removed[0].endswith("Donate today.")
    assert "‘I tell them: don’t go’" in paragraphs(doc.text)
    assert paragraphs(doc.text) == [p for p in paragraphs(raw) if not p.startswith("Meduza has condemned")]
    assert doc.edits[0].rule == ("meduza:donation_appeal" if source else "generic:donate_appeal")


@pytest.mark.parametrize("name", [GZERO, MEDUZA])
def test_edits_rebuild_the_raw_text(step, name):
    doc = seed(name)
    raw = doc.text
    step.process(doc)
    assert revert(doc.text, doc.edits) == raw
    assert all(edit.after == "" and edit.step == "strip_boilerplate" for edit in doc.edits)


@pytest.mark.parametrize("name", [GZERO, MEDUZA])
def test_stripping_stripped_text_removes_nothing(step, name):
    doc = seed(name)
    step.process(doc)
    again = Document.from_raw(name, doc.text)
    step.process(again)
    assert again.edits == []


def test_idempotent_on_a_messy_page(step):
    page = "\n".join(
        [
            "Home",
            "World",
            "By Jane Doe",
            "November 19, 2019 at 6:34 am",
            "Council extends the program",
            "The council voted on Tuesday to extend the program for another year, officials said.",
            "A photo of the council.",
            "A photo of the council.",
            "Opponents argued that the money would be better spent on roads, schools and the clinic.",
            "Sign up for our newsletter to get the news in your inbox.",
            "The vote was seven to two, and the mayor said she would sign the measure this week.",
            "Related stories",
            "Another headline here",
            "Comments",
        ]
    )
    doc = Document.from_raw("p", page)
    step.process(doc)
    assert paragraphs(doc.text) == [
        "Council extends the program",
        "The council voted on Tuesday to extend the program for another year, officials said.",
        "Opponents argued that the money would be better spent on roads, schools and the clinic.",
        "The vote was seven to two, and the mayor said she would sign the measure this week.",
    ]
    assert doc.meta["author"] == "Jane Doe"
    assert doc.meta["date"] == "November 19, 2019 at 6:34 am"
    again = Document.from_raw("p", doc.text)
    step.process(again)
    assert again.edits == []


def test_meta_from_the_reader_is_not_overwritten(step):
    doc = Document.from_raw(
        "p", "By Jane Doe\n" + "The council voted on Tuesday, officials said. " * 3, author="J. D."
    )
    step.process(doc)
    assert doc.meta["author"] == "J. D."


def test_title_in_metadata_keeps_the_headline_line(step):
    # the text begins with its headline, as a cleaned dump does: cleaning it again is a no-op
    body = "The council voted on Tuesday to extend the program for another year, officials said."
    doc = Document.from_raw(
        "p", f"Council extends the program\n\n{body}", title="Council extends the program | News"
    )
    step.process(doc)
    assert doc.text.strip() == f"Council extends the program\n\n{body}"
    assert doc.edits == []


def test_signals_can_be_switched_off():
    text = "Gardening\nMotoring\nTravel Deals\n" + PARA
    on, off = Document.from_raw("a", text), Document.from_raw("b", text)
    StripBoilerplate().process(on)
    StripBoilerplate(StripBoilerplateOptions(signals={"zones": False, "menu_run": False})).process(off)
    assert on.edits and not off.edits
    with pytest.raises(ValidationError):
        StripBoilerplateOptions(signals={"no_such_signal": False})


def test_extract_html_returns_text_and_metadata():
    html = """<html><head><title>Council extends the program</title></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Council extends the program</h1>
    <p>The council voted on Tuesday to extend the program for another year, officials said at a
    meeting that ran late into the night.</p>
    <p>Opponents argued that the money would be better spent on roads, schools and the clinic,
    and promised to bring the question back next spring.</p></article>
    <footer>All rights reserved.</footer></body></html>"""
    result = extract_html(html, "https://example.com/news/1")
    assert set(result) == {"text", "title", "author", "date", "url", "sitename", "comments"}
    assert result["comments"] is None  # asked for with include_comments only
    assert result["title"] == "Council extends the program"
    assert "Opponents argued" in result["text"] and "Home" not in result["text"]
    assert "\n\n" in result["text"]
    assert extract_html("", None)["text"] == ""


def test_text_without_prose_is_not_emptied(step):
    for text in ("Markets fall sharply", "Markets fall.\nOil rises."):
        doc = Document.from_raw("short", text)
        step.process(doc)
        assert doc.text == text


POST = (
    "Our quarterly open thread is a place for readers to raise questions about our research, "
    "our recommendations and anything else, and we will try to answer each of them promptly."
)
REPLY = (
    "I read the new report and wondered how the cost estimates were made, since the figures for the "
    "second year look much lower than the first, and the report does not say why they changed so much."
)


def _thread(header: str, stamp: str) -> str:
    comments = []
    for number, name in enumerate(["Ana Silva", "Ben Okafor", "Chen Wei", "Dana Roy"], 1):
        comments += [stamp.format(name=name, day=number + 10), REPLY, REPLY.replace("second", "third")]
    return "\n".join(
        ["Home", "Blog", "September open thread", "September 10, 2018 | by Ana", POST, header, *comments]
    )


@pytest.mark.parametrize(
    ("header", "stamp"),
    [
        ("Comments", "{name} on September {day}, 2018 at 4:47 pm said:"),
        ("4 Responses", "{name} | 2018-09-{day} 16:47"),
    ],
)
def test_a_comment_thread_longer_than_the_post_goes_whole(step, header, stamp):
    doc = Document.from_raw("t", _thread(header, stamp))
    step.process(doc)
    assert paragraphs(doc.text) == ["September open thread", POST]
    thread = [edit for edit in doc.edits if REPLY in edit.before]
    assert thread and {edit.rule for edit in thread} == {"generic:comments_section"}


def test_a_comments_header_without_dated_records_is_not_a_thread(step):
    body = [PARA.replace("Tuesday", day) for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
    text = "\n".join(["Home", "Blog", *body[:2], "4 Responses", *body[2:]])
    doc = Document.from_raw("t", text)
    step.process(doc)
    assert paragraphs(doc.text) == body  # a heading inside the article: the prose after it stays


def test_the_comment_thread_signal_can_be_switched_off():
    text = _thread("Comments", "{name} on September {day}, 2018 at 4:47 pm said:")
    off = Document.from_raw("t", text)
    StripBoilerplate(StripBoilerplateOptions(signals={"comment_thread": False})).process(off)
    assert POST not in off.text  # without it the thread's dated records take the post down with them
