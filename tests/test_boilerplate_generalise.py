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


def long_first_comment_page() -> str:
    """A WordPress-like thread: the stamp closes each record, and the first comment runs
    over several paragraphs, so the counting opener stands far above the first stamp."""
    first = [
        "I grew up two streets from the library and spent every evening of my school years there.",
        "Back then it closed at six, and we had to finish our homework on the steps outside.",
        "The new hours would have changed a lot for us, and I am glad the children now get them.",
        "Thank you for writing this up, it is the first clear account of the decision I have read.",
        "My only wish is that the council keeps the budget for the librarians beyond next year.",
    ]
    records = [*first, "by Gus Lind on May 2, 2019 at 3:05 pm. Reply"]
    for number, (name, reply) in enumerate(zip(NAMES, REPLIES, strict=True)):
        # one later comment is as long as the first: no record is longer than the longest
        body = [reply, *first[1:]] if number == 3 else [reply]
        records += [*body, f"by {name} on May {number + 3}, 2019 at 4:{10 + number} pm. Reply"]
    head = ["Home", "News", "Library to open late"]
    return "\n".join([*head, *POST, "Share", "7 comments", *records, "About us", "Contact"])


def test_an_opener_above_a_long_first_comment_heads_the_thread():
    # the first comment sits between the opener and the first stamp: it goes with the thread
    doc = clean(long_first_comment_page())
    assert all(text in doc.text for text in POST)
    assert "I grew up two streets" not in doc.text
    assert "7 comments" not in doc.text
    assert not any(reply in doc.text for reply in REPLIES)


def typepad_like_page() -> str:
    """A short dated post with a "date | Permalink" line under it, then a timed thread."""
    records = []
    for number, (name, reply) in enumerate(zip(NAMES, REPLIES, strict=True)):
        records += [reply, f"Posted by: {name} | May {number + 3}, 2019 at 04:{10 + number} PM"]
    head = ["The Reading Room", "May 2, 2019", "Library to open late"]
    tail = ["May 2, 2019 | Permalink", "Comments"]
    return "\n".join([*head, *POST, *tail, *records, "About us", "Contact"])


def test_a_post_dateline_does_not_hide_the_thread_under_it():
    # the post's own dates chain into the stamps of the thread; they are no records of it
    doc = clean(typepad_like_page())
    assert all(text in doc.text for text in POST)
    assert not any(reply in doc.text for reply in REPLIES)


def test_a_dated_thread_under_an_opener_goes_without_times():
    # a blog that dates its comments without a time of day: the opener says it is a thread
    records = []
    for number, (name, reply) in enumerate(zip(NAMES, REPLIES, strict=True)):
        records += [f"{name} says:", f"May {number + 3}, 2019", reply]
    text = "\n".join(["Home", "Library to open late", *POST, "6 Responses", *records, "About us"])
    doc = clean(text)
    assert all(line in doc.text for line in POST)
    assert not any(reply in doc.text for reply in REPLIES)


def test_a_recipe_with_numbered_steps_and_times_stays():
    steps = [
        "Step 1",
        "Heat the oven to 180 degrees and butter a round tin of about twenty centimetres across.",
        "Step 2",
        "Beat the butter and the sugar until pale, then add the eggs one by one and beat again.",
        "Step 3",
        "Fold in the flour and the milk, pour the batter into the tin and smooth the top with a knife.",
        "Step 4",
        "Bake for 35 to 40 minutes, until a skewer comes out clean, and leave to cool in the tin.",
    ]
    text = "\n".join(["Home", "Recipes", "Simple sponge cake", *POST, *steps, "About us"])
    doc = clean(text)
    assert all(step in doc.text for step in steps if not step.startswith("Step"))
    assert not any(edit.rule == "signals:comment_thread" for edit in doc.edits)


def test_an_article_quoting_what_people_said_keeps_the_quotes():
    quotes = []
    for number, (name, reply) in enumerate(zip(NAMES, REPLIES, strict=True)):
        quotes += [f"{name} said:", reply, POST[number % 3]]
    doc = clean("\n".join(["Home", "News", "Library to open late", *POST, *quotes, "About us"]))
    assert not any(edit.rule == "signals:comment_thread" for edit in doc.edits)
    assert all(reply in doc.text for reply in REPLIES)


def test_a_single_timed_comment_under_a_comments_header_goes():
    # a thread may hold one comment: a comments header with a timed record right under it
    reply = [REPLIES[0], REPLIES[1]]
    text = "\n".join(
        [
            "Home",
            "Library to open late",
            *POST,
            "1 Comment",
            "Ana Silva says:",
            "May 9, 2019 at 4:47 pm",
            *reply,
        ]
    )
    doc = clean(text)
    assert all(line in doc.text for line in POST)
    assert not any(line in doc.text for line in reply)


UPDATES = [
    ("Ferries stop for the rest of the day", "The port said no boat would leave before the wind eased."),
    ("Schools close early in three towns", "Parents were asked to collect their children by one o'clock."),
    ("Rail line blocked by fallen trees", "Crews expect to clear the track by the evening rush hour."),
    ("Coastguard brings two walkers to safety", "Both were cut off by the tide below the cliffs at noon."),
    ("Mayor asks residents to avoid the seafront", "Waves broke over the promenade wall in several places."),
    ("Power company sends extra crews north", "About two thousand homes were still without power at noon."),
]
STORM = (
    "The storm reached the northern coast early on Tuesday, and officials said that thousands of "
    "homes had lost power as crews worked through the night to clear the roads and the rail lines."
)


def live_blog(stamp: str) -> str:
    lines = ["Storm live: power cuts spread along the coast", STORM]
    for number, (headline, news) in enumerate(UPDATES):
        lines += [stamp.format(minute=50 - 7 * number), headline, STORM.replace("Tuesday", "the day"), news]
    return "\n".join(lines)


def test_a_live_blog_with_timed_updates_is_not_a_thread():
    # every update is stamped as a comment is (a date and a time of day), but it carries a headline
    for stamp in ("12 March 2024, 14:{minute}", "Updated 12.03.2024 at 13:{minute}"):
        text = live_blog(stamp)
        doc = clean(text)
        assert doc.text == text, stamp
        assert not doc.edits


def test_timed_records_without_headlines_still_make_a_thread():
    # the same stamps over comments (no headline under the stamp): still a thread
    page = thread_page(None, "{name} 12.03.2024 at 13:{minute}", stamp_first=True)
    doc = clean(page)
    assert REPLIES[2] not in doc.text
    assert {edit.rule for edit in doc.edits} >= {"signals:comment_thread"}


SIDEBAR = [f"What our readers asked us in part {number} of the series" for number in range(1, 21)]
# a sidebar's long prose (a disclaimer) that would pay for bridging the wall of links
DISCLAIMER = (
    "The information on this site is given as it is, without warranty of any kind, and the "
    "authors accept no liability for any loss that comes from acting on what they wrote here. "
    "Nothing here is legal, medical or financial advice, so please ask someone qualified before "
    "you act on it, and check the date of each post, since rules and prices change over time."
)


def test_the_body_does_not_bridge_a_long_wall_of_sidebar_links():
    article = [*POST, *(line.replace("the", "this") for line in POST)]
    text = "\n".join(["Home", "Library to open late", *article, *SIDEBAR, DISCLAIMER, "About us"])
    doc = clean(text)
    assert all(line in doc.text for line in article)
    assert DISCLAIMER not in doc.text
    assert SIDEBAR[6] not in doc.text
