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


def test_a_short_post_between_its_dates_is_not_a_listing():
    # a blog prints the post's date above it, a "posted at" stamp and one dated comment below:
    # three dates close together, but the record between them holds paragraphs in a row
    page = ["Harbour blog", "Home", "Archive", "August 08, 2012", "Ferry to run more often", *POST]
    page += ["Posted by Ana at 8/08/2012 01:00:00 PM", "Labels: harbour, ferry", "1 comment:", "Ben said..."]
    page += ["Good news for everyone who works on the island.", "10 August 2012 01:19", "Older posts", "Home"]
    doc = clean(page)
    assert all(paragraph in doc.text for paragraph in POST)
    assert not any(edit.rule == "signals:listing" and POST[0] in edit.before for edit in doc.edits)


def test_teaser_records_under_dates_still_make_a_listing():
    blurbs = [
        "The island bus gets two new stops near the school, and the first bus will leave at six.",
        "Anglers can fish from the north pier again after the repairs, the port authority said.",
        "The summer market on the quay opens on Saturday with forty stalls and a brass band.",
    ]
    page = ["Ferry to run more often", *POST, "Share", "Print"]
    for day, blurb in enumerate(blurbs, start=3):
        page += [f"Island bus news number {day}", f"August {day:02d}, 2012", blurb]
    page += ["About us", "Contact"]
    doc = clean(page)
    assert all(paragraph in doc.text for paragraph in POST)
    assert not any(blurb in doc.text for blurb in blurbs)


REPLIES = [
    "Twenty minutes is still too long in the morning, but it is better than the forty we have now.",
    "Will the bicycles still go on the small boat, or only on the big one that runs at rush hour?",
    "I hope they keep the kiosk on the pier open as well, the coffee there is the best in town.",
    "The night service is the one that needs more boats, not the day, if you ask the nurses.",
]
AUTHORS = ["ana", "Ben O.", "chen @ harbourwatch", "Dana"]


def author_thread(verb: str) -> list[str]:
    records = []
    for author, reply in zip(AUTHORS, REPLIES, strict=True):
        records += [f"{author} {verb}", reply]
    return records


def test_a_thread_of_author_lines_without_dates_goes():
    # the post ends with its own "posted" stamp; the comments carry an author line, no date
    page = ["Home", "Archive", "Ferry to run more often", *POST, "Originally posted 2012-06-01 09:30:00."]
    page += ["Share", "4 readers responded to the post about the ferry timetable", *author_thread("said,")]
    page += ["Leave a reply", "About"]
    doc = clean(page)
    assert all(paragraph in doc.text for paragraph in POST)
    assert not any(reply in doc.text for reply in REPLIES)
    assert any(edit.rule == "signals:comment_thread" for edit in doc.edits)
    kept = clean(page, keep_comments=True)
    assert all(reply in kept.text for reply in REPLIES)


def test_author_lines_need_a_counting_opener():
    # the same records with no "4 readers responded" line: an article quoting four people
    page = ["Home", "Ferry to run more often", *POST, *author_thread("writes:"), "About"]
    doc = clean(page)
    assert all(reply in doc.text for reply in REPLIES)
    assert not any(edit.rule == "signals:comment_thread" for edit in doc.edits)


GLUED_RECORDS = [
    "Island bus gets two new stops near the school May09 The first bus will leave at six from the "
    "square, and the drivers say the new stops will add five minutes to… Read Article",
    "Anglers may fish from the north pier again May09 The repairs took longer than the port authority "
    "had planned, and the pier was closed for most of the spring while… Read Article",
    "Market hall opens on Sundays this summer May08 Traders asked for the extra day since the harbour "
    "brings more visitors at weekends, and the council agreed to… Read Article",
]


def test_teaser_records_glued_into_lines_go_by_their_inner_cuts():
    # a scraper glued each teaser's title, date, blurb and link into one line: each is cut short
    # inside ("…" and more text after it), and three such lines stand together
    page = ["Home", "News", "Ferry to run more often", *POST, *GLUED_RECORDS, "Contact", "About"]
    doc = clean(page)
    assert all(paragraph in doc.text for paragraph in POST)
    assert not any(record in doc.text for record in GLUED_RECORDS)


def test_an_ellipsis_inside_article_paragraphs_stays():
    paused = [
        "The operator said the boats were ready… and then the strike began, so the timetable waited.",
        POST[1],
        "Nobody expected the ferry to be late again… but the engine failed a mile from the pier.",
    ]
    doc = clean(["Home", "News", "Ferry to run more often", POST[0], *paused, POST[2], "Contact", "About"])
    assert all(paragraph in doc.text for paragraph in paused)


def test_a_long_wall_of_headlines_is_not_bridged_by_a_sidebar_blurb():
    # a short post, then eleven teaser headlines, then a sidebar's long "about" blurb: a gap's
    # cost grows with its length, so the blurb beyond the wall does not pay for bridging it
    headlines = [f"Council votes on the harbour budget for the year {2000 + n}" for n in range(11)]
    blurb = (
        "This blog is written by a retired ferry captain who has worked on the island boats for thirty "
        "years and who now writes about the harbour, its ships, its people and the town around it."
    )
    doc = clean(["Home", "Ferry to run more often", *POST, *headlines, blurb, "Contact", "About"])
    assert all(paragraph in doc.text for paragraph in POST)
    assert blurb not in doc.text
    assert not any(headline in doc.text for headline in headlines)


ONE_PARAGRAPH_POST = (
    "The harbour ferry will run every twenty minutes from the first of June, the operator said on Friday, "
    "after commuters had asked for a denser timetable since the bridge closed in the spring. Two more boats "
    "are on lease from a company in the north, and the crews have been trained over the winter. The night "
    "service stays as it is, but the last boat on Saturdays will leave an hour later than it does now, and "
    "the fares will not change this year, the operator added in a statement to the council. Cyclists may "
    "take their bikes on board at no cost outside the rush hours, and a new pier at the north end of the "
    "island will open in July, once the last inspections of its foundations are done."
)
MOST_READ = [
    "Harbour 1 Council votes to repair the old pier before the summer season starts!",
    "Markets 2 Fish prices rise again as the fleet stays in port for a week!",
    "Schools 3 New library opens its doors to pupils from the island this month!",
    "Culture 4 Lighthouse museum shows photographs from a century of storms!",
    "Housing 5 Rents near the harbour climb faster than anywhere else in town!",
    "Tourism 6 Cruise ships bring record numbers of visitors to the old town!",
    "Sport 7 Sailing club wins the regatta for the third year in a row!",
    "Traffic 8 Road works on the coast road will last until the autumn!",
]
LINKS = ["Gallery", "Previous", "Next", "Back to story", "Related topics", "Ferries", "Harbour", "Island"]


def test_a_one_paragraph_post_is_not_outscored_by_a_list_of_headlines():
    # a line scores MAX_BODY_SCORE at most, and the short sentences of a "most read" list add up
    page = ["Home", "News", "Sport", "Weather", "Ferry to run more often", ONE_PARAGRAPH_POST]
    page += [*LINKS, *LINKS, "Most read", *MOST_READ, "Privacy", "Contact"]
    doc = clean(page)
    assert ONE_PARAGRAPH_POST in doc.text
    assert not any(item in doc.text for item in MOST_READ)


def test_a_long_disclaimer_under_an_article_does_not_take_the_body():
    # the page's longest paragraph may be a legal footer: the run through it holds the article
    notice = "Quotes are delayed by at least fifteen minutes and provided for information only."
    disclaimer = " ".join([notice] * 8)
    page = ["Home", "News", "Sport", "Ferry to run more often", *POST, *POST, *LINKS, *LINKS]
    page += [disclaimer, "Privacy", "Contact"]
    doc = clean(page)
    assert all(paragraph in doc.text for paragraph in POST)
    assert disclaimer not in doc.text


# a sidebar printed as one line: each box's heading glued to its text ("AboutMaja", "Books“A")
GLUED_SIDEBAR = (
    "AboutMaja Lind writes about ferries, harbours and island life, and has covered the port for the "
    "local paper for twelve years before she started this blog in her spare time "
    "BooksOur guide to the island ferries is out now, with timetables, maps and a chapter on the old piers "
    "and the boats that served them over the last hundred years "
    "Readers say“A friendly and useful guide for anyone who travels to the islands often” "
    "ArchiveEvery post since the first one, sorted by month and by topic, is in the archive"
)


def test_a_glued_sidebar_line_does_not_start_the_body():
    assert lines.is_glued_box(GLUED_SIDEBAR)
    assert not lines.is_glued_box(" ".join(POST))
    # one brand name, however often an article repeats it, is not a box's glued fields
    assert not lines.is_glued_box("The YouTube channel grew, and YouTube paid more than the iPhone app. " * 3)
    page = [
        "Home",
        "Archive",
        GLUED_SIDEBAR,
        "Menu",
        "Ferry to run more often",
        *POST,
        "Share",
        "Older posts",
    ]
    doc = clean(page)
    assert GLUED_SIDEBAR not in doc.text
    assert all(paragraph in doc.text for paragraph in POST)
