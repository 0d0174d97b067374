"""Where the article body of a page dump lies: sidebars printed before a short post, tag clouds,
listings and "related" boxes that a naive scraper glues into the text."""

from __future__ import annotations

from corpus_tools.boilerplate import lines
from corpus_tools.document import Document
from corpus_tools.steps.strip_boilerplate import StripBoilerplate, StripBoilerplateOptions

POST = [
    "The harbour ferry will run every twenty minutes from the first of June, the operator said on Friday.",
    "Commuters had asked for a denser timetable since the bridge closed, and two more boats are on lease.",
    "The night service stays as it is, but the last boat on Saturdays will leave an hour later than now.",
]
TAGS = (
    "Harbour Ferries Bridge Works Council Budget Tourism Weather Fishing Boats Sailing Club Regatta "
    "Old Town Market Hall Railway Station Bus Lines Cycling Paths Island Trips Lighthouse Museum "
    "Summer Festival Night Market Schools Libraries Parks Beaches Harbour Master Port Authority "
    "Cruise Ships Marina Fuel Prices Jobs Housing Traffic Police Fire Brigade Hospital"
)


def clean(page: list[str], **options: object) -> Document:
    doc = Document.from_raw("t", "\n".join(page))
    StripBoilerplate(StripBoilerplateOptions(**options)).process(doc)
    return doc


def test_a_tag_cloud_line_is_names_not_sentences():
    assert lines.is_name_run(TAGS)
    assert lines.is_name_run(TAGS.lower())  # 50+ words and not one comma
    assert not lines.is_name_run(POST[0].rstrip(".") + " and " + POST[1].lower())  # one sentence end inside
    sentence = "the operator said that the boats would run every twenty minutes from the first of June"
    assert not lines.is_name_run(f"{sentence} and {sentence}")  # a long sentence missing its stop


def test_a_tag_cloud_above_a_short_post_does_not_start_the_body():
    # a blog prints its sidebar (tags, a menu) before the post; the post is short
    page = ["Home", "Archive", "About", "Tags", TAGS, "Menu", "Contact", "Ferry to run more often", *POST]
    page += ["Share", "Older posts", "Newer posts", "Blog archive"]
    doc = clean(page)
    assert TAGS not in doc.text
    assert all(paragraph in doc.text for paragraph in POST)
