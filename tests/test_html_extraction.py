"""The HTML front end: trafilatura's text is the start, and the chain only removes from it.

A page dump never replaces trafilatura's extraction: on blog pages the prose trafilatura
leaves out is most often the reader comments, which such a fallback brought back in.
"""

import json
import random

from read_pages import read_extracted

from corpus_tools.boilerplate.html import extract_html

SENTENCE = "the council said on monday that new rules for river water would take effect in spring"
WORDS = SENTENCE.split()


def paragraphs(count: int, seed: int, length: int = 50) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "." for _ in range(count)]


def blog_page(post: list[str], replies: list[str]) -> str:
    """A blog post, then reader replies in plain divs (no 'comment' class for trafilatura to see)."""
    thread = "".join(
        f"<div class='r'><div class='who'>Reader {i} says:</div>"
        f"<div class='said'><p>{text}</p><p>{text[::-1].capitalize()}.</p></div></div>"
        for i, text in enumerate(replies)
    )
    return (
        "<html><head><title>River rules</title></head><body>"
        "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/a'>About</a></li></ul></nav></header>"
        "<div id='main'><article><h1>River rules agreed</h1>"
        + "".join(f"<p>{text}</p>" for text in post)
        + f"</article></div><div id='after'><h3>{len(replies)} Responses</h3>{thread}</div>"
        "<footer><p>© 2024 Example Blog.</p></footer></body></html>"
    )


def test_prose_outside_the_extraction_does_not_replace_it():
    post, replies = paragraphs(3, seed=1), paragraphs(6, seed=2)
    extracted = extract_html(blog_page(post, replies))
    assert all(text in extracted["text"] for text in post)
    assert not any(text in extracted["text"] for text in replies)
    assert "extra" not in extracted


def test_an_article_in_one_container_keeps_trafilaturas_extraction():
    body = paragraphs(10, seed=3)
    extracted = extract_html(blog_page(body, []))
    assert extracted["text"] == "\n\n".join(["River rules agreed", *body])
    assert extracted["title"] == "River rules agreed"


def test_the_chain_takes_trafilaturas_text(tmp_path):
    post, replies = paragraphs(2, seed=6), paragraphs(6, seed=7)
    (tmp_path / "post.html").write_text(blog_page(post, replies))
    docs = {doc.id: doc for doc in read_extracted(tmp_path)}
    assert not any(text in docs["post"].text for text in replies)
    # the text is trafilatura's, never a page dump's ("page_lines" was the fallback's mark)
    assert json.loads(docs["post"].meta["extra"]) == {"html_extractor": "trafilatura"}


BRIDGE = [
    "The river council met on Tuesday to discuss the new bridge, which has been delayed for three "
    "years by a dispute over its cost and its design.",
    "Engineers told the council that the old crossing can carry traffic for another decade if its "
    "deck is repaired before the coming winter season.",
    "Residents who live near the crossing said that the noise of the lorries at night has grown "
    "worse since the detour opened in the spring.",
    "The council will vote on the repair plan next month, after a public hearing where residents "
    "can speak about the bridge and the detour.",
]
LOOSE = (
    "Several farmers said the detour adds an hour to each trip to the market, and that the cost of "
    "fuel has eaten into what they earn from each harvest."
)


def bridge_page(before: list[str], loose: str, after: list[str], tail: str = "") -> str:
    """An article whose ``loose`` paragraph is bare text in a ``<div>``, not a ``<p>``: precision
    mode leaves such text out, recall mode keeps it; ``tail``, also a bare div, follows the article."""
    body = "".join(f"<p>{text}</p>" for text in before) + f"<div>{loose}</div>"
    body += "".join(f"<p>{text}</p>" for text in after) + (f"<div>{tail}</div>" if tail else "")
    return (
        "<html><head><title>Bridge</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Bridge repairs</h1>{body}</article><footer><p>Contact us</p></footer></body></html>"
    )


def test_a_paragraph_precision_mode_drops_inside_the_article_comes_back_in_place():
    page = bridge_page(BRIDGE[:2], LOOSE, BRIDGE[2:])
    assert LOOSE not in extract_html(page, recall_gaps=False)["text"]
    paragraphs = extract_html(page, recall_gaps=True)["text"].split("\n\n")
    assert paragraphs.index(LOOSE) == paragraphs.index(BRIDGE[1]) + 1
    assert paragraphs.index(LOOSE) == paragraphs.index(BRIDGE[2]) - 1


def test_prose_after_the_articles_last_paragraph_is_not_added():
    page = bridge_page(BRIDGE[:2], "Share this story.", BRIDGE[2:], tail=LOOSE)
    assert LOOSE in extract_html(page, favor_precision=False, favor_recall=True)["text"]  # recall keeps it
    assert LOOSE not in extract_html(page, recall_gaps=True)["text"]


def test_a_short_line_inside_the_article_is_not_added():
    button = "Read the council's full report here."
    page = bridge_page(BRIDGE[:2], button, BRIDGE[2:])
    assert button in extract_html(page, favor_precision=False, favor_recall=True)["text"]
    assert button not in extract_html(page, recall_gaps=True)["text"]


def test_the_author_column_holds_names_not_the_bylines_date():
    page = (
        "<html><head><title>Weir opens</title></head><body><article><h1>Weir opens</h1>"
        '<p class="byline">By Anna Berg, June 2, 2025</p>'
        f"<p>{BRIDGE[0]}</p><p>{BRIDGE[1]}</p></article></body></html>"
    )
    assert extract_html(page)["author"] == "Anna Berg"
