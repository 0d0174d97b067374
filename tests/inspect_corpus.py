"""A small dataset folder for the inspect tests (diff, report, stats, browser), built directly.

Documents get their edits through :meth:`Document.apply` with made-up step and rule names, so
the tests do not depend on which cleaning steps exist: what they check is that the tools show
exactly the record, whatever wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from corpus_tools.document import Change, Document
from corpus_tools.stats import RunStats
from corpus_tools.writers.dataset import DatasetWriter

NAV = "Home | World | Sport\n"
SKIP = "Skip to content\n"
BODY = (
    "The harbour bridge <b>reopened</b> & traffic moved again on Tuesday morning.\n"
    "Engineers said the cafÃ© by the river stays closed until spring.\n"
    "Residents  welcomed the news."
)


@dataclass
class Built:
    dataset: Path
    docs: dict[str, Document]
    stats: RunStats


def site_doc(doc_id: str, source: str, raw_path: str) -> Document:
    """A page with chrome lines (removed), mojibake (repaired) and a double space (repaired)."""
    doc = Document.from_raw(
        doc_id, NAV + SKIP + BODY, raw_path=raw_path, source=source, title=f"Bridge {doc_id}"
    )
    doc.apply(
        "strip_boilerplate",
        [Change(0, len(NAV), "", "nav_menu"), Change(len(NAV), len(NAV) + len(SKIP), "", "skip_link")],
    )
    start = doc.text.index("cafÃ©")
    doc.apply("fix_encoding", [Change(start, start + len("cafÃ©"), "café", "mojibake")])
    start = doc.text.index("  ")
    doc.apply("normalize", [Change(start, start + 2, " ", "space_run")])
    return doc


def corpus() -> list[Document]:
    docs = [
        site_doc("a1", "a.example", "raw/a/page1.txt"),
        site_doc("a2", "a.example", "raw/b/page1.txt"),  # same file name in another folder
        site_doc("b1", "b.example", "raw/feed.jsonl:3"),
    ]
    copy = site_doc("a1-copy", "c.example", "raw/feed.jsonl:4")
    copy.reject("dedup", "near_duplicate", "jaccard 0.91 with a1", duplicate_of="a1", similarity=0.91)
    docs.append(copy)
    stub = Document.from_raw("stub", "Page not found\n", raw_path="raw/stub.txt", source="b.example")
    stub.apply("normalize", [Change(14, 15, "", "document_edges")])
    stub.reject("quality_filter", "too_few_words", "3 words < 20")
    docs.append(stub)
    # paragraph break inserted: a repair that only adds (shared "\n" kept, one "\n" added)
    para = Document.from_raw("para", "First line.\nSecond line.", raw_path="raw/para.txt", source="b.example")
    para.apply("normalize", [Change(11, 12, "\n\n", "paragraph_breaks")])
    docs.append(para)
    # a repair that blanks a character: not a removed line
    lost = Document.from_raw("lost", "Prices?rose on Monday.", raw_path="raw/lost.txt", source="b.example")
    lost.apply("fix_encoding", [Change(6, 7, " ", "lost_space")])
    docs.append(lost)
    return docs


def many(n: int) -> list[Document]:
    """``n`` small documents, for paging and bounds."""
    return [site_doc(f"m{i:05d}", f"s{i % 7}.example", f"raw/many/{i}.txt") for i in range(n)]


def build(out: Path, docs: list[Document] | None = None) -> Built:
    docs = corpus() if docs is None else docs
    writer = DatasetWriter(out)
    for doc in docs:
        writer.add(doc)
    run_info = {
        "config": {"name": "inspect-test", "steps": [{"step": "strip_boilerplate"}, {"step": "normalize"}]},
        "stats": writer.stats.as_dict(),
    }
    writer.commit(lambda data_files: "---\n---\n# test card\n", run_info)
    return Built(out, {doc.id: doc for doc in docs}, writer.stats)


class _Text(HTMLParser):
    """Visible text of a page, and its links, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "a":
            self.links += [value for name, value in attrs if name == "href" and value]
        if tag in ("td", "th", "p", "li", "tr", "h1", "h2"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html_text: str) -> tuple[str, list[str]]:
    """The page's text with whitespace squeezed, and its link targets."""
    parser = _Text()
    parser.feed(html_text)
    return " ".join("".join(parser.parts).split()), parser.links
