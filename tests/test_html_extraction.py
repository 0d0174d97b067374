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
