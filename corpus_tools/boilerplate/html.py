"""HTML front end: trafilatura's extraction with the settings measured best for this chain.

trafilatura sees the markup (``<nav>``, ``<aside>``, link density), which no text signal
can, so for HTML it does the first cut and ``strip_boilerplate`` then removes what it
leaves (appeals, captions, teaser lines inside the article). ``EXTRACT_SETTINGS`` are
the winners of ``benchmarks/eval_boilerplate.py --sweep`` on the DEV pages (see
``benchmarks/README_boilerplate.md``): comments off is the one setting that matters
(comment threads are never article text); precision mode helps a little once the chain
runs after it. Paragraphs come out separated by blank lines, as the chain expects.

The chain after it only removes: trafilatura's text is never replaced by a page dump.
A fallback that did so when the extraction looked short (prose outside it, next to its
article) fired mostly on blog pages whose outside prose is the reader comments, and
brought the thread back in (see ``docs/boilerplate.md``).
"""

from __future__ import annotations

import warnings
from typing import Any

import trafilatura
from trafilatura.utils import load_html

EXTRACT_SETTINGS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
}
META_FIELDS = ("title", "author", "date", "url", "sitename")


def extract_html(html: str, url: str | None = None, **settings: Any) -> dict[str, Any]:
    """Article text and metadata of one page.

    Keys: ``text``, ``title``, ``author``, ``date``, ``url``, ``sitename`` (None when
    unknown).

    ``settings`` override :data:`EXTRACT_SETTINGS` (for measuring); a page trafilatura
    finds nothing in gives empty text and the metadata it could read.
    """
    options = {**EXTRACT_SETTINGS, **settings}
    empty = {"text": "", **dict.fromkeys(META_FIELDS), "url": url}
    tree = load_html(html)
    if tree is None:
        return empty
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **options)
    if document is None:
        return empty
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = fields.get("text") or ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    result = {"text": "\n\n".join(paragraphs)}
    for key in META_FIELDS:
        value = fields.get(key)
        result[key] = value if value else None
    if not result["url"]:
        result["url"] = url
    return result
