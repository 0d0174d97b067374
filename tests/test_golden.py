"""The README's main command reproduces the committed ``clean/`` exactly, and a re-run is a no-op."""

import filecmp
import subprocess
import sys

import pyarrow.parquet as pq

from corpus_tools.config import load_chain
from corpus_tools.document import Document
from corpus_tools.executors.local import LocalExecutor
from corpus_tools.run import DocumentSink, Runner
from corpus_tools.safety.folders import DATASET


def run_main_command(root, out):
    # the README's main command, minus the venv set-up this test already runs in
    return subprocess.run(
        [sys.executable, "-m", "corpus_tools.cli", "clean", "raw/", "--out", str(out)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )


def test_main_command_reproduces_the_committed_dataset_byte_for_byte(root, tmp_path):
    out = tmp_path / "clean"
    run_main_command(root, out)
    committed = root / "clean"
    comparison = filecmp.dircmp(committed, out)
    # the output always carries the tool's marker; the committed sample has it once regenerated
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == sorted(
        {p.relative_to(committed).as_posix() for p in committed.rglob("*")} | {DATASET.marker}
    )
    for path in committed.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (out / path.relative_to(committed)).read_bytes(), path
    assert not comparison.diff_files


def test_cleaning_clean_text_changes_nothing(root):
    chain = load_chain()
    rows = []
    for shard in sorted((root / "clean" / "data").glob("train-*.parquet")):
        rows += pq.read_table(shard, columns=["id", "text", "source", "url"]).to_pylist()
    assert rows
    docs = [Document(r["id"], r["text"], {"source": r["source"], "url": r["url"]}) for r in rows]
    again = [doc for unit in Runner(chain.steps, LocalExecutor(), DocumentSink()).run(docs) for doc in unit]
    for row, doc in zip(rows, again, strict=True):
        assert doc.rejection is None, (doc.id, doc.rejection)
        assert doc.edits == [], (doc.id, doc.edits[:3])
        assert doc.text == row["text"]


def test_cleaning_exported_rows_with_their_title_changes_nothing(root):
    # clean -> export (JSONL keeps the title column) -> clean: the headline stays in the text
    chain = load_chain()
    rows = []
    for shard in sorted((root / "clean" / "data").glob("train-*.parquet")):
        rows += pq.read_table(shard, columns=["id", "text", "source", "url", "title"]).to_pylist()
    assert rows and all(row["title"] for row in rows)
    docs = [
        Document(r["id"], r["text"], {"source": r["source"], "url": r["url"], "title": r["title"]})
        for r in rows
    ]
    again = [doc for unit in Runner(chain.steps, LocalExecutor(), DocumentSink()).run(docs) for doc in unit]
    for row, doc in zip(rows, again, strict=True):
        assert doc.rejection is None, (doc.id, doc.rejection)
        assert doc.edits == [], (doc.id, doc.edits[:3])
        assert doc.text == row["text"]
