"""``extract_html`` as a step: configured in the chain's YAML, always first, the only place markup
becomes text; the reader only reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_tools.config import ConfigError, load_chain
from corpus_tools.document import Document
from corpus_tools.edits import revert
from corpus_tools.executors.local import LocalExecutor
from corpus_tools.read_step import MARKUP_KEY
from corpus_tools.readers import expand_inputs, read_inputs
from corpus_tools.run import DocumentSink, Reading, Runner
from corpus_tools.stats import RunStats
from corpus_tools.steps.extract_html import ExtractHtml

ARTICLE = [
    "The river authority opened the new weir on Tuesday after three years of work. Engineers say "
    "the structure will hold back spring floods that have reached the old market square four times.",
    "Fishermen downstream worry that the weir will change where the trout spawn, and the authority "
    "has promised to measure the water every month for the next five years.",
]
COMMENT = (
    "I remember the flood of the old market square very well, it was a hard year for every shop "
    "on the river and we waited a long time for this weir."
)


def page_with_comments() -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in ARTICLE)
    return (
        "<html><head><title>Weir opens</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>Weir opens</h1>{paragraphs}</article>"
        "<section id='comments'><h2>Comments</h2><ol class='commentlist'>"
        f"<li class='comment'><p>{COMMENT}</p></li></ol></section></body></html>"
    )


def config(tmp_path: Path, steps: str) -> Path:
    path = tmp_path / "chain.yaml"
    path.write_text(f"name: t\nsteps:\n{steps}", encoding="utf-8")
    return path


def clean(folder: Path, config_path: Path, reading: Reading | None = None) -> dict[str, Document]:
    runner = Runner(load_chain(config_path).steps, LocalExecutor(), DocumentSink())
    done = runner.run_files(expand_inputs([str(folder)]), reading)
    return {doc.id: doc for unit in done for doc in unit}


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "weir.html").write_text(page_with_comments(), encoding="utf-8")
    return folder


def test_the_reader_only_reads_an_html_page(pages):
    [doc] = read_inputs(expand_inputs([str(pages)]))
    assert doc.text == page_with_comments() and doc.meta[MARKUP_KEY] == "html"


def test_an_option_in_the_yaml_changes_the_extraction(tmp_path, pages):
    default = clean(pages, config(tmp_path, "  - step: extract_html\n  - step: normalize\n"))["weir"]
    with_comments = clean(
        pages, config(tmp_path, "  - step: extract_html\n    include_comments: true\n  - step: normalize\n")
    )["weir"]
    assert all(text in default.text for text in ARTICLE) and COMMENT not in default.text
    assert all(text in with_comments.text for text in ARTICLE) and with_comments.text.endswith(COMMENT)


def test_the_paragraphs_recall_mode_adds_start_the_record_and_can_be_turned_off(tmp_path):
    loose = (
        "Anglers upstream said the new weir has already raised the water by a hand's width, and that "
        "the heron colony on the island has moved to the far bank."
    )
    folder = tmp_path / "in"
    folder.mkdir()
    # bare text in a <div> between two <p>: trafilatura's precision mode drops it, recall mode keeps it
    page = page_with_comments().replace(f"<p>{ARTICLE[1]}</p>", f"<div>{loose}</div><p>{ARTICLE[1]}</p>")
    (folder / "weir.html").write_text(page, encoding="utf-8")
    on = clean(folder, config(tmp_path, "  - step: extract_html\n    recall_gaps: true\n"))["weir"]
    default = clean(folder, config(tmp_path, "  - step: extract_html\n"))["weir"]  # off by default
    assert f"{ARTICLE[0]}\n\n{loose}\n\n{ARTICLE[1]}" in on.text
    assert revert(on.text, on.edits) == on.text  # part of the extraction, not an edit
    assert loose not in default.text and all(text in default.text for text in ARTICLE)
    assert COMMENT not in on.text


def test_a_chain_without_the_step_still_extracts_first(tmp_path, pages):
    chain = load_chain(config(tmp_path, "  - step: normalize\n"))
    assert [step.name for step in chain.steps] == ["extract_html", "normalize"]
    assert [step.name for step in chain.listed_steps] == ["normalize"]
    doc = clean(pages, chain.path)["weir"]
    assert doc.text.startswith("Weir opens\n\n") and "<" not in doc.text
    assert doc.meta["title"] == "Weir opens" and MARKUP_KEY not in doc.meta
    # a list of steps handed to the runner without it gets it too
    runner = Runner([chain.steps[1]], LocalExecutor(), DocumentSink())
    [[alone]] = runner.run_files(expand_inputs([str(pages)]))
    assert alone.text == doc.text


def test_the_raw_text_of_the_record_is_the_article_not_the_markup(tmp_path, pages):
    decomposed = "Cafe\u0301 weir opens"  # normalize makes it NFC: an edit to undo
    (pages / "weir.html").write_text(page_with_comments().replace("Weir opens</h1>", f"{decomposed}</h1>"))
    doc = clean(pages, config(tmp_path, "  - step: normalize\n"))["weir"]
    assert [(edit.step, edit.rule) for edit in doc.edits] == [("normalize", "nfc")]
    raw = revert(doc.text, doc.edits)
    assert raw.startswith(f"{decomposed}\n\n") and "<html" not in raw


def test_a_page_without_text_is_rejected_by_the_reader_rule(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "blank.html").write_text(
        "<html><head><title>Only a title</title></head><body><script>var a;</script></body></html>"
    )
    doc = clean(folder, config(tmp_path, "  - step: normalize\n"))["blank"]
    assert doc.rejection is not None and doc.rejection.reason == "read:no_text_in_html"
    assert "no article text found" in doc.rejection.detail and doc.text == ""
    stats = RunStats()
    stats.add(doc)
    assert stats.documents_unread == 1  # counted with the input the chain could not read


def test_the_document_cap_applies_to_the_article_not_the_markup(tmp_path, pages):
    chain = config(tmp_path, "  - step: normalize\n")
    article = len(clean(pages, chain)["weir"].text.encode())
    markup = len(page_with_comments().encode())
    assert article < markup
    kept = clean(pages, chain, Reading(max_document_bytes=article + 1))["weir"]
    assert not kept.rejected
    capped = clean(pages, chain, Reading(max_document_bytes=article - 1))["weir"]
    assert capped.rejection is not None and capped.rejection.reason == "read:document_too_large"
    assert "--max-document-bytes" in capped.rejection.detail and capped.text.startswith("Weir opens")


def test_other_documents_and_extracted_articles_pass_untouched():
    step = ExtractHtml()
    text = Document("t", "<p>a paragraph that quotes markup</p>\n", {"raw_path": "t.txt"})
    step.process(text)
    assert text.text == "<p>a paragraph that quotes markup</p>\n" and text.meta == {"raw_path": "t.txt"}
    page = Document("p", page_with_comments(), {MARKUP_KEY: "html"})
    step.process(page)
    once = (page.text, dict(page.meta))
    step.process(page)
    assert (page.text, page.meta) == once and page.edits == []


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ("  - step: normalize\n  - step: extract_html\n", "must be the chain's first step"),
        ("  - step: extract_html\n    favor_precision: true\n    favor_recall: true\n", "set one of them"),
        ("  - step: extract_html\n    include_comment: true\n", "unknown option 'include_comment'"),
    ],
)
def test_a_misplaced_or_misconfigured_step_stops_the_config(tmp_path, steps, expected):
    with pytest.raises(ConfigError, match=expected):
        load_chain(config(tmp_path, steps))
