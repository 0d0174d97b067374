"""HTML front end: trafilatura's extraction with the settings measured best for this chain.

trafilatura sees the markup (``<nav>``, ``<aside>``, link density), which no text signal
can, so for HTML it does the first cut and ``strip_boilerplate`` then removes what it
leaves (appeals, captions, teaser lines inside the article). ``EXTRACT_SETTINGS`` are
the winners of ``benchmarks/eval_boilerplate.py --sweep`` on the DEV pages (see
``benchmarks/README_boilerplate.md``): comments off is the one setting that matters
(comment threads are never article text); precision mode helps a little once the chain
runs after it. Paragraphs come out separated by blank lines, as the chain expects.

trafilatura sometimes keeps only the first part of an article: a page that splits the
story into several containers (around ads or inline boxes) gets its first container
extracted and the rest dropped, with no sign of it in the result. So the page is also
rendered as a naive scraper would dump it (one block element per line), and the text
signals look at that dump: when they find, outside trafilatura's text, consecutive
prose paragraphs adding up to at least half its length, while trafilatura's text lies
inside the body they find, the extraction is taken as truncated and the document is the
page dump instead, which the chain then cleans as it cleans any dump (``extra`` records
``{"html_extractor": "page_lines"}``). On the 64 DEV pages this fires on the 2 pages
trafilatura cut short (recall 0.35 and 0.45) and on no other.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from corpus_tools.boilerplate.combine import decide
from corpus_tools.boilerplate.lines import prose_units, split_lines
from corpus_tools.boilerplate.packs import RuleSet

EXTRACT_SETTINGS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
}
META_FIELDS = ("title", "author", "date", "url", "sitename")


# What a naive scraper skips, and the elements it starts a new line for.
_UNSEEN = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "select"})
_BLOCKS = frozenset(
    "address article aside blockquote br button caption dd details dialog div dl dt fieldset "  # noqa: SIM905
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr label li main nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split()
)
TRUNCATION_SHARE = 0.5  # prose found outside the extraction, against the extraction's words
COVERED_SHARE = 0.8  # share of the extraction's shingles that must lie in the page's body
_WORD = re.compile(r"\w+")
_SIGNALS_ONLY = RuleSet().compile()  # the check asks the text signals alone, no rule pack


# The dump as an XSLT 1.0 stylesheet, so that libxslt walks the tree in C (0.8 ms a page
# against 1.6 for the same walk in Python): an unseen element gives nothing, a block
# element its content between line breaks, any other element its content, a text node itself.
_DUMP = etree.XSLT(
    etree.XML(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:output method="text" encoding="utf-8"/>'
        f'<xsl:template match="{"|".join(sorted(_UNSEEN))}"/>'
        f'<xsl:template match="{"|".join(sorted(_BLOCKS))}">'
        "<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text>"
        "</xsl:template>"
        "</xsl:stylesheet>"
    )
)


def page_lines(tree: HtmlElement) -> str:
    """The page's visible text with one block element per line, as a naive scraper dumps it."""
    body = tree.find("body")
    text = str(_DUMP(body if body is not None else tree))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    words = _WORD.findall(text)
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def extraction_truncated(extracted: str, page: str) -> bool:
    """Whether ``page`` holds article prose that the extraction ``extracted`` left out.

    Evidence: lines the text signals keep as body, that read as prose, sit next to another
    such line (a run of paragraphs, not a teaser's blurb between headlines), and are not in
    the extraction, adding up to ``TRUNCATION_SHARE`` of its words; and the extraction
    itself lies in that body (else the two disagree on what the article is, and
    trafilatura, which sees the markup, is trusted).
    """
    words = len(extracted.split())
    if not words:
        return False
    # cheap bound first: prose lines next to a prose line, outside the extraction
    texts = page.split("\n")
    units = [prose_units(text) for text in texts]
    last = len(units) - 1
    outside = sum(
        count
        for i, count in enumerate(units)
        if count and ((i > 0 and units[i - 1]) or (i < last and units[i + 1])) and texts[i] not in extracted
    )
    if outside < TRUNCATION_SHARE * words:
        return False
    lines = split_lines(page)
    removed = decide(page, _SIGNALS_ONLY, lines=lines).reasons
    body = [line for line in lines if line.index not in removed]
    extracted_shingles = _shingles(extracted)
    missing = 0
    for position, line in enumerate(body):
        if not line.prose:
            continue
        shingles = _shingles(line.text)
        if len(shingles & extracted_shingles) * 2 >= len(shingles):
            continue
        neighbours = body[max(0, position - 1) : position] + body[position + 1 : position + 2]
        if any(other.prose and abs(other.index - line.index) == 1 for other in neighbours):
            missing += line.units
    if missing < TRUNCATION_SHARE * words:
        return False
    covered = extracted_shingles & _shingles("\n".join(line.text for line in body))
    return len(covered) >= COVERED_SHARE * len(extracted_shingles)


def extract_html(html: str, url: str | None = None, **settings: Any) -> dict[str, Any]:
    """Article text and metadata of one page.

    Keys: ``text``, ``title``, ``author``, ``date``, ``url``, ``sitename`` (None when
    unknown), and ``extra`` when the page dump replaced a truncated extraction.

    ``settings`` override :data:`EXTRACT_SETTINGS` (for measuring); a page trafilatura
    finds nothing in gives empty text and the metadata it could read.
    """
    options = {**EXTRACT_SETTINGS, **settings}
    empty = {"text": "", **dict.fromkeys(META_FIELDS), "url": url}
    tree = load_html(html)
    if tree is None:
        return empty
    page = page_lines(tree)  # first: trafilatura prunes the tree it is given
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **options)
    if document is None:
        return empty
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = fields.get("text") or ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    result = {"text": "\n\n".join(paragraphs)}
    if extraction_truncated(result["text"], page):
        result["text"] = page
        result["extra"] = '{"html_extractor": "page_lines"}'
    for key in META_FIELDS:
        value = fields.get(key)
        result[key] = value if value else None
    if not result["url"]:
        result["url"] = url
    return result
