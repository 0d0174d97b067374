"""HTML pages whose article trafilatura cuts short are read from the page dump instead."""

import json
import random

from corpus_tools.boilerplate.html import extract_html, extraction_truncated, page_lines
from corpus_tools.readers.files import expand_inputs, read_inputs

SENTENCE = "the council said on monday that new rules for river water would take effect in spring"
WORDS = SENTENCE.split()


def paragraphs(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(50)).capitalize() + "." for _ in range(count)]


def page(containers: list[list[str]]) -> str:
    """A news page whose article body is split into containers with an ad between them."""
    nav = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(8))
    chunks = '<div class="ad"><div class="ad__slot">Advertisement</div></div>'.join(
        '<div class="grid"><div class="body article__body">'
        + "".join(f"<p>{text}</p>" for text in container)
        + "</div></div>"
        for container in containers
    )
    return (
        "<html><head><title>River rules</title><script>var x = 1;</script></head><body>"
        f"<header><nav><ul>{nav}</ul></nav></header>"
        f"<article><h1>River rules agreed</h1><div class='article__chunks'>{chunks}</div></article>"
        "<footer><p>© 2024 Example News. All rights reserved.</p></footer></body></html>"
    )


def test_the_page_dump_has_one_block_per_line_and_no_script():
    lines = page_lines_of(page([["First para.", "Second para."]]))
    assert lines[:2] == ["Section 0", "Section 1"]
    assert "First para." in lines and "Second para." in lines and "River rules agreed" in lines
    assert not any("var x" in line or line == "River rules" for line in lines)


def page_lines_of(html: str) -> list[str]:
    from trafilatura.utils import load_html

    return page_lines(load_html(html)).split("\n")


def test_an_article_split_around_an_ad_is_read_whole():
    first, second = paragraphs(5, seed=1), paragraphs(5, seed=2)
    extracted = extract_html(page([first, second]))
    assert all(text in extracted["text"] for text in first + second)
    assert json.loads(extracted["extra"]) == {"html_extractor": "page_lines"}


def test_an_article_in_one_container_keeps_trafilaturas_extraction():
    body = paragraphs(10, seed=3)
    extracted = extract_html(page([body]))
    assert extracted["text"] == "\n\n".join(body)
    assert "extra" not in extracted


def test_teaser_blurbs_outside_the_extraction_are_not_missing_article():
    article = paragraphs(6, seed=4)
    teasers = []
    for number, blurb in enumerate(paragraphs(8, seed=5)):
        teasers += [f"KICKER {number}", f"Another Story Headline Number {number}", "example.org", blurb]
    dump = "\n".join(["Home", "World", "River rules agreed", *article, "More For You", *teasers])
    assert not extraction_truncated("\n\n".join(article), dump)
    assert extraction_truncated("\n\n".join(article[:2]), dump)


def test_the_reader_records_which_extractor_gave_the_text(tmp_path):
    (tmp_path / "split.html").write_text(page([paragraphs(5, seed=6), paragraphs(5, seed=7)]))
    (tmp_path / "whole.html").write_text(page([paragraphs(10, seed=8)]))
    docs = {doc.id: doc for doc in read_inputs(expand_inputs([str(tmp_path)]))}
    assert json.loads(docs["split"].meta["extra"]) == {"html_extractor": "page_lines"}
    assert "extra" not in docs["whole"].meta
