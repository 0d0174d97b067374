"""``extract_html``: turn an HTML page into its article text and metadata (trafilatura); first in the chain.

The readers only read: an ``.html`` file or a WARC response becomes a document whose text is
the page's markup, marked in its meta (:data:`~corpus_tools.read_step.MARKUP_KEY`), with
what the reader knows (``raw_path``, the address it fetched the page from, the capture date).
This step runs :func:`corpus_tools.boilerplate.html.extract_html` on it with the options of
the chain's YAML, whose defaults are :data:`~corpus_tools.boilerplate.html.EXTRACT_SETTINGS`.

- The article becomes the text the edit record starts from (:meth:`Document.start_from`),
  not an edit: the diff and the raw text start from the article, as the markup is no text
  to diff (the input keeps it; ``raw_sha256`` is its hash).
- The page's title, author, date and site name fill the columns; the address the reader
  fetched the page from wins over the one the page claims; ``source`` comes from the
  address; ``extra`` says which extractor read the page (``strip_boilerplate`` then leaves
  out its guesses of page zones).
- A page with no article text (``no_text_in_html``), or whose article is over
  ``--max-document-bytes`` (``document_too_large``, the start of the article kept), is
  rejected under the reader's name, ``read``: it is input the chain could not make a
  document of, counted with the other unread entries, as every other input the size cap
  or an empty text rejects.

Any other document passes untouched (one dict lookup), and so does an article extracted
already: the mark is taken away with the markup.

The chain always starts with this step: a config without it gets it with its defaults
(:func:`with_extraction`), so markup never reaches a text step.
"""

from __future__ import annotations

import copy
import logging

from pydantic import Field, model_validator

from corpus_tools.boilerplate.html import RECALL_GAPS, extract_html, mark_extracted
from corpus_tools.dates import normalize_date
from corpus_tools.document import Document
from corpus_tools.read_step import HTML_MARKUP, MARKUP_KEY, READ_STEP
from corpus_tools.readers.stream import MAX_DOCUMENT_BYTES, PREFIX_BYTES, over_document_cap
from corpus_tools.sites import fill_source
from corpus_tools.steps.base import Step, StepOptions, register

log = logging.getLogger("corpus_tools")


class ExtractHtmlOptions(StepOptions):
    """Keys of an ``extract_html`` step in a chain's YAML: trafilatura's extraction options.

    The defaults are the settings measured best for this chain
    (:data:`corpus_tools.boilerplate.html.EXTRACT_SETTINGS`, ``docs/boilerplate.md``).
    """

    include_comments: bool = Field(
        False, description="keep the comment section trafilatura finds by its markup, after the article"
    )
    favor_precision: bool = Field(
        True, description="trafilatura's precision mode: leave out more of what may not be article"
    )
    favor_recall: bool = Field(
        False, description="trafilatura's recall mode: keep more of a page whose article is hard to find"
    )
    include_tables: bool = Field(True, description="keep the text of tables")
    fast: bool = Field(False, description="skip trafilatura's fallback extractors: faster, misses more")
    recall_gaps: bool = Field(
        RECALL_GAPS,
        description=(
            "in precision mode, also run recall mode and add the prose paragraphs it finds between two "
            "paragraphs both modes keep (text cut out of the article's middle); never before the "
            "article's first shared paragraph or after its last"
        ),
    )

    @model_validator(mode="after")
    def _one_mode(self) -> ExtractHtmlOptions:
        if self.favor_precision and self.favor_recall:
            raise ValueError("favor_precision and favor_recall pull apart: set one of them")
        return self


@register
class ExtractHtml(Step):
    name = "extract_html"
    Options = ExtractHtmlOptions
    options: ExtractHtmlOptions
    max_document_bytes: int = MAX_DOCUMENT_BYTES  # the run's --max-document-bytes: see ``capped``

    def capped(self, max_document_bytes: int) -> ExtractHtml:
        """This step with the run's cap on a document's text (the readers' ``Limits``); a copy,
        so the step a config loaded keeps the default."""
        step = copy.copy(self)
        step.max_document_bytes = max_document_bytes
        return step

    def process(self, doc: Document) -> None:
        if doc.meta.get(MARKUP_KEY) != HTML_MARKUP:
            return
        meta = doc.meta
        del meta[MARKUP_KEY]
        page = extract_html(doc.text, meta.get("url"), **self.options.model_dump())
        # the comments asked for come after the article, as in trafilatura's own text output
        article = "\n\n".join(part for part in (page.pop("text"), page.pop("comments")) if part)
        _fill_from_page(meta, page)
        where = meta.get("raw_path") or doc.id
        if not article.strip():
            doc.start_from("")
            self._reject(doc, "no_text_in_html", f"{where}: no article text found")
            return
        fill_source(meta)
        too_large = over_document_cap(where, article, self.max_document_bytes)
        if too_large is not None:
            doc.start_from(article[:PREFIX_BYTES])
            self._reject(doc, "document_too_large", too_large)
            return
        doc.start_from(article)

    @staticmethod
    def _reject(doc: Document, rule: str, detail: str) -> None:
        log.warning("%s", detail)
        doc.reject(READ_STEP, rule, detail)


def _fill_from_page(meta: dict, page: dict) -> None:
    """What the page says of itself into ``meta``, over what the reader knew, except the address
    the reader fetched it from; and the mark that the text is an extraction."""
    date = page.pop("date", None)
    if date:  # the publication date, where the reader had at most the capture date
        meta["date"] = normalize_date(date) or meta.get("date")
    fetched = meta.get("url")
    meta.update({key: value for key, value in page.items() if value})
    if fetched:
        meta["url"] = fetched
    mark_extracted(meta)


def with_extraction(steps: list[Step]) -> list[Step]:
    """The chain with ``extract_html`` first: prepended with its defaults when the chain has none,
    so no chain ever feeds markup to its text steps. Anywhere but first it is an error: the
    steps before it would see markup."""
    places = [index for index, step in enumerate(steps) if isinstance(step, ExtractHtml)]
    if not places:
        return [ExtractHtml(), *steps]
    if places != [0]:
        raise ValueError(
            f"'{ExtractHtml.name}' must be the chain's first step, once: the steps before it would see markup"
        )
    return list(steps)
