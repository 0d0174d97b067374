"""Every claim the card makes is checked against the parquet files, and its recipe runs.

The card is read as a reader would read it (header YAML, the figures in its sentences and
tables), never compared with the code that wrote it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from dataset_corpus import STORIES, build, clean, write_config

from corpus_tools.writers.card import size_category

ROOT = Path(__file__).resolve().parent.parent


def rows(folder: Path, split: str) -> list[dict]:
    out: list[dict] = []
    for path in sorted((folder / "data").glob(f"{split}-*.parquet")):
        out += pq.read_table(path).to_pylist()
    return out


def table(body: str, first_header: str) -> dict[str, str]:
    """The two-column Markdown table whose header starts with ``| first_header |``: {cell: value}."""
    lines = body.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    found = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        found[cells[0].strip("`")] = cells[1]
    return found


def count(cell: str) -> int:
    return int(cell.split()[0])


@pytest.fixture(scope="module")
def with_rejects(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("claims"))


@pytest.fixture(scope="module")
def without_rejects(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("none")
    (base / "raw").mkdir()
    (base / "raw" / "one.txt").write_text(STORIES[0] + "\n", encoding="utf-8")
    clean(base / "raw", base / "dataset", write_config(base / "config.yaml"))
    return base / "dataset"


@pytest.mark.parametrize("which", ["with_rejects", "without_rejects"])
def test_each_claim_of_the_card_holds_in_the_parquet_files(which, request):
    folder: Path = request.getfixturevalue(which)
    text = (folder / "README.md").read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    meta = yaml.safe_load(header)
    train, rejected = rows(folder, "train"), rows(folder, "rejected")

    # header: both configs, each listing exactly the shards of its split, with their row counts
    assert [c["config_name"] for c in meta["configs"]] == ["default", "rejected"]
    for config, split in (("default", "train"), ("rejected", "rejected")):
        listed = next(c for c in meta["configs"] if c["config_name"] == config)["data_files"][0]["path"]
        assert sorted(listed) == sorted(f"data/{p.name}" for p in (folder / "data").glob(f"{split}-*"))
        info = next(i for i in meta["dataset_info"] if i["config_name"] == config)
        assert info["splits"][0]["num_examples"] == len(train if split == "train" else rejected)
    assert meta["size_categories"] == [size_category(len(train))]

    # the summary sentence
    words = sum(row["n_words"] for row in train)
    assert f"**{len(train)} documents** ({words} words) in the `train` split" in body
    assert f"{len(rejected)} dropped documents with their reason in the `rejected` config" in body

    figures = table(body, "figure")
    assert count(figures["documents in"]) == len(train) + len(rejected)
    assert count(figures["documents out (`train`)"]) == len(train)
    assert count(figures["documents dropped (`rejected`)"]) == len(rejected)
    assert count(figures["words out"]) == words
    assert count(figures["characters out"]) == sum(row["n_chars"] for row in train)
    removed = sum(c["chars_removed"] for row in train for c in row["edit_counts"])
    assert count(figures["characters removed by edits"]) >= removed  # rejected rows' edits count too

    reasons = Counter(f"{row['reject_step']}:{row['reject_rule']}" for row in rejected)
    if reasons:
        assert {k: count(v) for k, v in table(body, "reason").items()} == reasons
    else:
        assert "| reason |" not in body
    languages = Counter(row["language"] or "(not detected)" for row in train)
    assert {k: count(v) for k, v in table(body, "language").items()} == languages
    filled = table(body, "column")
    for column in ("title", "url", "date", "author", "language"):
        if column in filled:
            assert count(filled[column]) == sum(row[column] is not None for row in train), column

    # what the card says the folder carries is there
    assert (folder / "reproduce" / "config.yaml").is_file()
    assert "no `rejected` config" not in body


def recipe(card: str) -> list[str]:
    """The shell lines of the card's "Reproduce it" section."""
    section = card.split("## Reproduce it", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "the card has no recipe"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_cards_recipe_run_from_the_downloaded_folder_makes_the_same_data(tmp_path):
    """A copy of the folder elsewhere (as downloaded), its own config and packs, the same inputs:
    the same parquet bytes; the packs came from the folder, not from the config's old place."""
    work = tmp_path / "made"
    shutil.copytree(ROOT / "raw", work / "raw")
    config_dir = tmp_path / "my-configs"
    shutil.copytree(ROOT / "configs", config_dir)
    run = [sys.executable, "-m", "corpus_tools.cli", "-q"]
    made = subprocess.run(
        [*run, "clean", "raw/", "--out", "clean", "--config", str(config_dir / "default.yaml")],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    shutil.rmtree(config_dir)  # the original config and packs are gone: only the folder's copy is left
    downloaded = shutil.copytree(work / "clean", tmp_path / "downloaded")
    (work / "clean").rename(work / "original")
    commands = recipe((downloaded / "README.md").read_text(encoding="utf-8"))
    assert commands[0] == "pip install -r reproduce/requirements.txt"
    assert (downloaded / "reproduce/requirements.txt").read_text().startswith("corpus-tools==")
    words = shlex.split(commands[1])
    assert words[:2] == ["corpus-tools", "clean"] and "INPUTS..." in words
    # same input path as the first run (raw_path is part of each row), run from the folder
    words[words.index("INPUTS...")] = "../made/raw/"
    words[words.index("--out") + 1] = "../again"
    again = subprocess.run([*run, *words[1:]], cwd=downloaded, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    first = sorted(p.name for p in (work / "original" / "data").iterdir())
    second = sorted(p.name for p in (tmp_path / "again" / "data").iterdir())
    # shard names carry their content digest, raw_path differs (../made/raw vs raw), so compare rows
    assert len(first) == len(second)
    strip = ["raw_path"]
    for split in ("train", "rejected"):
        a = [{k: v for k, v in r.items() if k not in strip} for r in rows(work / "original", split)]
        b = [{k: v for k, v in r.items() if k not in strip} for r in rows(tmp_path / "again", split)]
        assert a == b
    assert rows(work / "original", "train"), "the run kept nothing: the comparison proves nothing"
    assert (tmp_path / "again" / "reproduce" / "packs" / "generic.yaml").read_bytes() == (
        ROOT / "configs" / "packs" / "generic.yaml"
    ).read_bytes()


def test_packs_outside_the_config_folder_are_carried_and_named(tmp_path):
    from corpus_tools.config import load_chain

    packs = tmp_path / "shared-packs"
    packs.mkdir()
    shutil.copy(ROOT / "configs/packs/generic.yaml", packs / "generic.yaml")
    config = tmp_path / "cfg" / "c.yaml"
    config.parent.mkdir()
    config.write_text(f"steps:\n  - step: strip_boilerplate\n    packs: [{packs}/*.yaml]\n", encoding="utf-8")
    out = tmp_path / "out"
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text(STORIES[0] + "\n", encoding="utf-8")
    clean(tmp_path / "raw", out, config)
    shutil.rmtree(packs)
    copied = load_chain(out / "reproduce" / "config.yaml")  # loads: its packs are in the folder
    assert [p.parent.name for p in copied.listed_steps[0].files_read()] == ["external"]


@pytest.mark.parametrize("which", ["with_rejects", "without_rejects"])
def test_the_cards_loading_code_runs_on_the_folder(which, request, tmp_path):
    folder: Path = request.getfixturevalue(which)
    card = (folder / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Load it\n\n```python\n(.*?)```", card, re.S)
    assert code, "the card has no loading code"
    source = code.group(1).replace('"ORG/NAME"', repr(str(folder)))
    env_cache = {"HF_DATASETS_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, env={**os.environ, **env_cache}
    )
    assert done.returncode == 0, done.stderr[-2000:]
