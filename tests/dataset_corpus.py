"""A small news corpus and chain for the dataset tests (card, load, export, publish).

The config uses only steps that exist whatever other steps are being written, and the
inputs hold what the dataset must carry: metadata in several shapes (dates included), two
languages, nested ids, and bad input that ends in the rejected split.
"""

from __future__ import annotations

import json
from pathlib import Path

from corpus_tools.cli import main

CONFIG = """\
name: dataset-test
dataset:
  pretty_name: Dataset test corpus
  description: A handful of made-up news stories for the dataset tests.
  license: cc-by-4.0
  language: [en, de]
  source: Written for the tests of corpus_tools.
  shard_rows: {shard_rows}
steps:
  - step: normalize
  - step: extract_metadata
  - step: detect_language
  - step: quality_filter
    min_words: 5
"""

STORIES = [
    (
        "The city council voted on Tuesday to rebuild the old harbour bridge.\n"
        "Engineers said the work would take two years and cost less than feared.\n\n"
        "Residents welcomed the decision after a long campaign."
    ),
    (
        "Farmers in the valley reported an early harvest after a warm and dry spring.\n"
        "Prices at the market fell for the first time in three seasons."
    ),
    (
        "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke am Hafen neu zu bauen.\n"
        "Die Arbeiten sollen zwei Jahre dauern und weniger kosten als befürchtet."
    ),
    (
        "The national library opened a new reading room for students and researchers.\n"
        "It holds maps, letters and newspapers from the last two centuries."
    ),
]


def write_inputs(folder: Path, variant: str = "", stories: list[str] = STORIES) -> Path:
    """JSONL with metadata, a nested text file, an empty file and a malformed line; returns the folder."""
    (folder / "site").mkdir(parents=True, exist_ok=True)
    dates = ["2024-03-20T10:15:00Z", "March 21, 2024", "sometime last week"]  # the last is unreadable
    lines = [
        json.dumps(
            {
                "id": f"story-{index}{variant}",
                "text": text + (f"\n\n{variant}" if variant else ""),
                "url": f"https://www.example-news.org/{index}",
                "title": f"Story {index}",
                "author": "A. Reporter",
                "date": dates[index],
                "section": "local",
            },
            ensure_ascii=False,
        )
        for index, text in enumerate(stories[:3])
    ]
    lines.append(json.dumps({"id": f"brief{variant}", "text": "Breaking news, more soon."}))  # too short
    lines.append("{not json")
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "site" / "library.txt").write_text(stories[3] + variant + "\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def write_config(path: Path, shard_rows: int = 50_000) -> Path:
    path.write_text(CONFIG.format(shard_rows=shard_rows), encoding="utf-8")
    return path


def clean(inputs: Path, out: Path, config: Path) -> None:
    code = main(["-q", "clean", str(inputs), "--out", str(out), "--config", str(config)])
    assert code == 0


def build(tmp_path: Path, shard_rows: int = 50_000) -> Path:
    """Inputs, config and one clean run under ``tmp_path``; returns the dataset folder."""
    inputs = write_inputs(tmp_path / "raw")
    config = write_config(tmp_path / "config.yaml", shard_rows)
    out = tmp_path / "dataset"
    clean(inputs, out, config)
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes under ``folder``, by relative path: to assert a folder did not change."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
