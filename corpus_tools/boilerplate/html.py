"""HTML front end: trafilatura's extraction with the settings measured best for this chain.

trafilatura sees the markup (``<nav>``, ``<aside>``, link density), which no text signal
can, so for HTML it does the first cut and ``strip_boilerplate`` then removes what it
leaves (appeals, captions, teaser lines inside the article). ``EXTRACT_SETTINGS`` are
the winners of ``benchmarks/eval_boilerplate.py --sweep`` on the DEV pages (see
``benchmarks/README.md``, "Boilerplate"): comments off is the one setting that matters
(comment threads are never article text); precision mode helps a little once the chain
runs after it. Paragraphs come out separated by blank lines, as the chain expects.

The chain after it only removes: trafilatura's text is never replaced by a page dump.
A fallback that did so when the extraction looked short (prose outside it, next to its
article) fired mostly on blog pages whose outside prose is the reader comments, and
brought the thread back in (see ``docs/boilerplate.md``).

A document whose text is an extraction says so in its ``extra`` metadata
(``{"html_extractor": "trafilatura"}``, :func:`mark_extracted`): the extractor already cut
the page by its markup, so ``strip_boilerplate`` leaves out the signals that guess page
zones from the shape of lines (:func:`is_extracted`). ``extra`` is a column of the dataset,
so an exported text cleaned again is still known as an extraction.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import MutableMapping
from typing import Any

import trafilatura
from trafilatura.utils import load_html

EXTRACT_SETTINGS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
}
META_FIELDS = ("title", "author", "date", "url", "sitename")
EXTRACTOR = "trafilatura"
EXTRACTOR_FIELD = "html_extractor"  # the key in a document's ``extra`` JSON


def mark_extracted(meta: MutableMapping[str, Any]) -> None:
    """Record in ``meta["extra"]`` (JSON, other keys kept) that the text is :data:`EXTRACTOR`'s."""
    extra = _extra(meta)
    extra[EXTRACTOR_FIELD] = EXTRACTOR
    meta["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True)


def is_extracted(meta: MutableMapping[str, Any]) -> bool:
    """Whether the document's text came from an HTML extractor (see :func:`mark_extracted`)."""
    extra = meta.get("extra")
    if not extra or EXTRACTOR_FIELD not in str(extra):  # most documents: no JSON to parse
        return False
    return bool(_extra(meta).get(EXTRACTOR_FIELD))


def _extra(meta: MutableMapping[str, Any]) -> dict[str, Any]:
    """``meta["extra"]`` as a dict; a value that is no JSON object is kept under ``extra``."""
    raw = meta.get("extra")
    if not raw:
        return {}
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        return {"extra": raw}
    if isinstance(value, dict) and isinstance(value.get("extra"), str):  # exported, read back
        value = {**_extra({"extra": value["extra"]}), **{k: v for k, v in value.items() if k != "extra"}}
    return dict(value) if isinstance(value, dict) else {"extra": value}


def extract_html(html: str, url: str | None = None, **settings: Any) -> dict[str, Any]:
    """Article text and metadata of one page.

    Keys: ``text``, ``title``, ``author``, ``date``, ``url``, ``sitename`` (None when
    unknown), and ``comments``: the comment section trafilatura finds by its markup, which it
    keeps apart from the text, when ``include_comments`` asks for it (else None).

    ``settings`` override :data:`EXTRACT_SETTINGS` (for measuring); a page trafilatura
    finds nothing in gives empty text and the metadata it could read.
    """
    options = {**EXTRACT_SETTINGS, **settings}
    empty = {"text": "", **dict.fromkeys(META_FIELDS), "url": url, "comments": None}
    tree = load_html(html)
    if tree is None:
        return empty
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **options)
    if document is None:
        return empty
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    result: dict[str, str | None] = {"text": _paragraphs(fields.get("text"))}
    for key in META_FIELDS:
        value = fields.get(key)
        result[key] = value if value else None
    if not result["url"]:
        result["url"] = url
    result["comments"] = _paragraphs(fields.get("comments")) or None
    return result


def _paragraphs(text: str | None) -> str:
    """trafilatura's lines as the chain's paragraphs: stripped, one blank line between them."""
    return "\n\n".join(stripped for line in (text or "").split("\n") if (stripped := line.strip()))
