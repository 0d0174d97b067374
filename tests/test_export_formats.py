"""``corpus-tools export``: the same rows as the dataset, in JSONL, one parquet file or text files."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dataset_corpus import build, snapshot

from corpus_tools.cli import main
from corpus_tools.writers.export import split_files, text_file_name


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return build(tmp_path_factory.mktemp("export"), shard_rows=2)  # several shards per split


def dataset_rows(dataset, split):
    return pa.concat_tables(pq.read_table(path) for path in split_files(dataset, split)).to_pylist()


@pytest.mark.parametrize("split", ["train", "rejected"])
def test_jsonl_holds_every_row_and_column(dataset, tmp_path, split):
    out = tmp_path / f"{split}.jsonl"
    assert main(["export", str(dataset), "--format", "jsonl", "--split", split, "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == dataset_rows(dataset, split)
    if split == "train":
        edited = next(row for row in rows if row["edits"])
        assert set(edited["edits"][0]) == {"step", "rule", "start", "end", "before", "after"}


def test_parquet_is_one_file_with_the_same_schema_and_rows(dataset, tmp_path):
    out = tmp_path / "all.parquet"
    assert len(split_files(dataset, "train")) == 2
    assert main(["export", str(dataset), "--format", "parquet", "--out", str(out)]) == 0
    table = pq.read_table(out)
    assert table.schema.equals(pq.read_schema(split_files(dataset, "train")[0]))
    assert table.to_pylist() == dataset_rows(dataset, "train")


def test_txt_writes_one_file_per_document_mirroring_ids(dataset, tmp_path):
    out = tmp_path / "texts"
    assert main(["export", str(dataset), "--format", "txt", "--out", str(out)]) == 0
    rows = dataset_rows(dataset, "train")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert files == sorted(text_file_name(row["id"]) for row in rows)
    library = next(row for row in rows if row["id"] == "site/library")
    assert (out / "site" / "library.txt").read_text(encoding="utf-8") == library["text"] + "\n"


def test_text_file_names_are_safe_and_clashes_are_numbered(tmp_path):
    assert text_file_name("a/b") == "a/b.txt"
    assert text_file_name("../../etc/passwd") == "etc/passwd.txt"
    assert text_file_name("feed:12") == "feed_12.txt"
    assert text_file_name("/abs//x") == "abs/x.txt"
    # two ids that map to one name both survive
    from corpus_tools.writers.export import _write_txt

    shard = tmp_path / "shard.parquet"
    pq.write_table(pa.table({"id": ["x:1", "x?1", "y"], "text": ["one", "two", "three"]}), shard)
    assert _write_txt([shard], tmp_path / "out") == 3
    assert (tmp_path / "out" / "x_1.txt").read_text() == "one\n"
    assert (tmp_path / "out" / "x_1~2.txt").read_text() == "two\n"


def test_default_output_sits_beside_the_folder_and_the_folder_is_untouched(dataset, capsys):
    before = snapshot(dataset)
    assert main(["export", str(dataset), "--format", "jsonl", "--split", "rejected"]) == 0
    target = dataset.parent / f"{dataset.name}-rejected.jsonl"
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(dataset_rows(dataset, "rejected"))
    assert snapshot(dataset) == before
    assert not list(dataset.parent.glob(".*partial*"))


def test_jsonl_to_stdout(dataset, capsys):
    assert main(["export", str(dataset), "--format", "jsonl", "--out", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [row["id"] for row in dataset_rows(dataset, "train")]


def test_errors_are_clear_and_exit_2(dataset, tmp_path, capsys):
    assert main(["export", str(tmp_path), "--format", "jsonl"]) == 2
    assert "no README.md" in capsys.readouterr().err
    assert main(["export", str(dataset), "--format", "jsonl", "--out", str(dataset / "x.jsonl")]) == 2
    assert "inside the input" in capsys.readouterr().err
    assert main(["export", str(dataset), "--format", "parquet", "--out", "-"]) == 2
    with pytest.raises(SystemExit):
        main(["export", str(dataset), "--format", "csv"])
