"""QA of what commands write from scraped values: the card's Markdown and the HTML pages
(issue 16 item 8, issue 18 card) with hostile metadata a user's dump may hold."""

from __future__ import annotations

import json
import re
from pathlib import Path

from corpus_tools.cli import main

PARAGRAPH = "The council voted on Tuesday to extend the program for another year, officials said. " * 3
INJECTED = "<img src=x onerror=alert(1)>"


def _dataset(tmp_path: Path, **fields: str) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    record = {"id": "a", "text": PARAGRAPH, **fields}
    (raw / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(raw), "--out", str(out), "--workers", "1", "-q"]) == 0
    return out


def _outside_code_blocks(card: str) -> str:
    return re.sub(r"```.*?```", "", card, flags=re.DOTALL)


def test_a_language_value_with_backticks_cannot_break_out_of_the_cards_markdown(tmp_path):
    card = (_dataset(tmp_path, language=f"en` {INJECTED} `") / "README.md").read_text(encoding="utf-8")
    assert INJECTED not in _outside_code_blocks(card)


HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202e\x9b"  # retitle, clear, right-to-left override, C1 CSI


def _assert_no_controls(page: str, where: str) -> None:
    for char in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert char not in page, f"{char!r} raw in {where}"


def test_html_pages_show_control_and_bidi_characters_as_escapes(tmp_path):
    """A bidi override in a title reorders what the browser shows, and `cat report.html`
    drives the terminal: the HTML pages escape them as the terminal views do."""
    out = _dataset(tmp_path, id=f"doc{HOSTILE}", title=f"T{HOSTILE}", url=f"https://x.example/{HOSTILE}")
    page = tmp_path / "diff.html"
    assert main(["diff", f"doc{HOSTILE}", "--dataset", str(out), "--format", "html", "-o", str(page)]) == 0
    _assert_no_controls(page.read_text(encoding="utf-8"), "diff --format html -o")
    assert main(["report", str(out), "--all-diffs", "-q"]) == 0
    pages = sorted((tmp_path / "out-report").rglob("*.html"))
    assert pages
    for path in pages:
        _assert_no_controls(path.read_text(encoding="utf-8"), path.name)
