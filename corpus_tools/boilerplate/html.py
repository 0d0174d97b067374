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

What precision mode loses inside the article comes back from a second pass in recall mode
(:func:`recall_gaps`, on by default, the ``recall_gaps`` option of ``extract_html``): a
paragraph the recall pass finds *between* two paragraphs both passes keep, that reads as a
sentence of ``RECALL_GAP_UNITS`` units or more, was cut out of the article's middle (an
inline box trafilatura's precision heuristics drop with its paragraph). Nothing is taken
before the first shared paragraph or after the last one: leads, teasers, comment threads and
footers live there, and the recall pass keeps them as readily as the dump did.

A document whose text is an extraction says so in its ``extra`` metadata
(``{"html_extractor": "trafilatura"}``, :func:`mark_extracted`): the extractor already cut
the page by its markup, so ``strip_boilerplate`` leaves out the signals that guess page
zones from the shape of lines (:func:`is_extracted`). ``extra`` is a column of the dataset,
so an exported text cleaned again is still known as an extraction.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import MutableMapping
from typing import Any

import trafilatura
from trafilatura.utils import load_html

from corpus_tools.boilerplate.lines import sentence_units

EXTRACT_SETTINGS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
}
META_FIELDS = ("title", "author", "date", "url", "sitename")
RECALL_SETTINGS: dict[str, Any] = {
    "favor_precision": False,
    "favor_recall": True,
    "include_comments": False,
    "fast": True,
}
# the default of ``extract_html``'s ``recall_gaps`` option: off, as the pass costs about 0.3x
# trafilatura's time for +0.0005/+0.0012 F1 on the DEV sets (benchmarks/README.md, round 8)
RECALL_GAPS = False
RECALL_GAP_UNITS = 10  # a paragraph the recall pass adds inside the article is a sentence this long
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


def extract_html(
    html: str, url: str | None = None, *, recall_gaps: bool = RECALL_GAPS, **settings: Any
) -> dict[str, Any]:
    """Article text and metadata of one page.

    Keys: ``text``, ``title``, ``author``, ``date``, ``url``, ``sitename`` (None when
    unknown), and ``comments``: the comment section trafilatura finds by its markup, which it
    keeps apart from the text, when ``include_comments`` asks for it (else None).

    ``settings`` override :data:`EXTRACT_SETTINGS` (for measuring); ``recall_gaps`` adds the
    paragraphs a recall-mode pass finds inside the article (:func:`recall_gaps`) when the
    extraction runs in precision mode. A page trafilatura finds nothing in gives empty text and
    the metadata it could read.
    """
    options = {**EXTRACT_SETTINGS, **settings}
    empty = {"text": "", **dict.fromkeys(META_FIELDS), "url": url, "comments": None}
    tree = load_html(html)
    if tree is None:
        return empty
    second_pass = recall_gaps and options.get("favor_precision") and not options.get("favor_recall")
    document = _bare_extraction(copy.deepcopy(tree) if second_pass else tree, url, options)
    if document is None:
        return empty
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    paragraphs = _lines(fields.get("text"))
    if second_pass:
        recall_options = {**options, **RECALL_SETTINGS}
        recalled = _bare_extraction(tree, url, recall_options, with_metadata=False)
        if recalled is not None:
            recall_fields = recalled.as_dict() if hasattr(recalled, "as_dict") else dict(recalled)
            paragraphs = fill_recall_gaps(paragraphs, _lines(recall_fields.get("text")))
    result: dict[str, str | None] = {"text": "\n\n".join(paragraphs)}
    for key in META_FIELDS:
        value = fields.get(key)
        result[key] = value if value else None
    result["author"] = author_names(result["author"])
    if not result["url"]:
        result["url"] = url
    result["comments"] = _paragraphs(fields.get("comments")) or None
    return result


def author_names(value: str | None) -> str | None:
    """The names in trafilatura's author field: it joins what a byline holds with "; ", and a
    byline "By Anna Berg, June 2, 2025" gives "Anna Berg; June 2". A part with a digit is a
    date or a time, not a name."""
    if not value:
        return None
    names = [part.strip() for part in value.split(";")]
    kept = [name for name in names if name and not any(char.isdigit() for char in name)]
    return "; ".join(kept) or None


def _bare_extraction(tree: Any, url: str | None, options: dict[str, Any], with_metadata: bool = True) -> Any:
    """trafilatura's extraction of a parsed page (it changes the tree: pass a copy to reuse one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return trafilatura.bare_extraction(tree, url=url, with_metadata=with_metadata, **options)


def fill_recall_gaps(kept: list[str], recalled: list[str]) -> list[str]:
    """``kept`` (the precision pass's paragraphs) with the prose paragraphs ``recalled`` (the
    recall pass's) holds between two paragraphs both hold, each after the shared paragraph
    it follows there, in order.

    Both passes print the paragraphs they keep in page order, so a paragraph of the recall
    pass framed by shared ones stood inside the article. Before the first shared paragraph and
    after the last one the recall pass keeps what precision mode rightly left out (teasers,
    bylines, comment threads, footers), so nothing is taken there. A paragraph must read as a
    sentence (:func:`_is_gap_prose`): a caption, a button or a heading in the article's
    middle is as often chrome as text.
    """
    present = set(kept)
    shared = [index for index, paragraph in enumerate(recalled) if paragraph in present]
    if len(shared) < 2:
        return kept
    after: dict[str, list[str]] = {}
    anchor = recalled[shared[0]]
    for paragraph in recalled[shared[0] + 1 : shared[-1]]:
        if paragraph in present:
            anchor = paragraph
        elif _is_gap_prose(paragraph):
            after.setdefault(anchor, []).append(paragraph)
    if not after:
        return kept
    out: list[str] = []
    for paragraph in kept:
        out.append(paragraph)
        out.extend(after.pop(paragraph, ()))
    return out


def _is_gap_prose(paragraph: str) -> bool:
    """A full sentence of :data:`RECALL_GAP_UNITS` units or more, not a teaser trailing off."""
    return sentence_units(paragraph) >= RECALL_GAP_UNITS


def _lines(text: str | None) -> list[str]:
    """trafilatura's lines, stripped, the empty ones left out."""
    return [stripped for line in (text or "").split("\n") if (stripped := line.strip())]


def _paragraphs(text: str | None) -> str:
    """trafilatura's lines as the chain's paragraphs: stripped, one blank line between them."""
    return "\n\n".join(_lines(text))
