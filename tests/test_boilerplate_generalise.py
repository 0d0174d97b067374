"""Boilerplate removal that generalises: comment threads found by their structure, not their words."""

from __future__ import annotations

from corpus_tools.document import Document
from corpus_tools.steps.strip_boilerplate import StripBoilerplate, StripBoilerplateOptions

POST = [
    "The town library will stay open until nine in the evening from next month, the council said on Monday.",
    "Readers had asked for longer hours for years, and the new budget pays for two more librarians.",
    "The reading rooms and the study hall will also open on Sunday afternoons during the exam weeks.",
]
NAMES = ["Ana Silva", "Ben Okafor", "Chen Wei", "Dana Roy", "Eli Kahn", "Femi Ade"]
REPLIES = [
    "Finally some good news about the library, I have been waiting for this for a long time now.",
    "Does anyone know whether the children's section will also stay open that late in the evening?",
    "Two librarians for the whole evening sounds a bit thin to me, but it is a start at least.",
    "I hope the car park stays open too, otherwise nobody from the villages will be able to come.",
    "Great to hear. The study hall on Sundays will help a lot of students during the exam weeks.",
    "Will the café on the ground floor stay open as well, or only the reading rooms upstairs?",
]


def thread_page(opener: str | None, stamp: str, stamp_first: bool) -> str:
    records = []
    for number, (name, reply) in enumerate(zip(NAMES, REPLIES, strict=True)):
        line = stamp.format(name=name, day=number + 3, minute=10 + number)
        records += [line, reply] if stamp_first else [reply, line]
    head = ["Home", "News", "Sport", "Library to open late"]
    return "\n".join([*head, *POST, "Share", *([opener] if opener else []), *records, "About us", "Contact"])


def clean(text: str, **options: object) -> Document:
    doc = Document.from_raw("t", text)
    StripBoilerplate(StripBoilerplateOptions(**options)).process(doc)
    return doc


def test_a_thread_under_a_counting_opener_goes_whole():
    # the opener is no comments header a rule knows; the records end with their stamp
    doc = clean(
        thread_page(
            "{ 6 responses… read them below }", "by {name} on May {day}, 2019 at 4:{minute} pm. Reply", False
        )
    )
    assert all(text in doc.text for text in POST)
    assert not any(reply in doc.text for reply in REPLIES)
    assert any(edit.rule == "signals:comment_thread" for edit in doc.edits)


def test_timed_records_make_a_thread_without_an_opener():
    doc = clean(thread_page(None, "{name} {day}.06.12 at 11:{minute} am", True))
    assert all(text in doc.text for text in POST)
    assert not any(reply in doc.text for reply in REPLIES[1:])


def test_keep_comments_keeps_the_thread():
    text = thread_page(
        "{ 6 responses… read them below }", "by {name} on May {day}, 2019 at 4:{minute} pm. Reply", False
    )
    doc = clean(text, keep_comments=True)
    assert all(text in doc.text for text in POST)
    assert all(reply in doc.text for reply in REPLIES)


def test_dated_quotes_inside_an_article_are_not_a_thread():
    # embedded posts carry a date but no time: they do not make a comment thread
    quotes = []
    for number, (name, reply) in enumerate(zip(NAMES, REPLIES, strict=True)):
        quotes += [reply, f"— {name} (@user{number}) November {number + 3}, 2019", POST[number % 3]]
    doc = clean("\n".join(["Home", "News", "Library to open late", *POST, *quotes, "About us"]))
    assert not any(edit.rule == "signals:comment_thread" for edit in doc.edits)
    assert all(text in doc.text for text in POST)


def test_an_excerpt_ending_in_brackets_inside_an_article_stays():
    excerpt = (
        "A spokesman for the water board told the paper that the works on the dam would take at "
        "least two more years, and that the cost would be shared by the towns along the river [...]"
    )
    text = "\n\n".join([*POST[:2], excerpt, POST[2], "The board meets again in March to vote on the plan."])
    doc = clean(text)
    assert excerpt in doc.text
