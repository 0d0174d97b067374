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
