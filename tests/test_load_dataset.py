"""``load_dataset`` on the output folder: typed columns, both configs, no stale cache, stable bytes."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
import pytest
from dataset_corpus import STORIES, build, clean, snapshot, write_config, write_inputs
from datasets import Features, Sequence, Value, load_dataset

from corpus_tools.writers.schema import COLUMNS, REJECTION_COLUMNS, schema_for

ISO_8601 = re.compile(r"^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2})?)?)?$")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return build(tmp_path_factory.mktemp("load"))


def test_train_split_has_every_documented_column_typed(dataset, tmp_path):
    train = load_dataset(str(dataset), split="train", cache_dir=str(tmp_path / "cache"))
    assert list(train.features) == [name for name, _, _ in COLUMNS]
    assert train.features == Features.from_arrow_schema(schema_for("train"))
    edits = train.features["edits"]
    # the edit record is a list of structs, not JSON text
    inner = edits.feature if isinstance(edits, Sequence) else edits[0]
    assert inner["before"] == Value("string") and inner["start"] == Value("int32")
    assert train.features["n_words"] == Value("int32")
    rows = {row["id"]: row for row in train}
    assert set(rows) == {"story-0", "story-1", "story-2", "site/library"}
    assert rows["story-0"]["date"] == "2024-03-20T10:15:00+00:00"
    assert rows["story-1"]["date"] == "2024-03-21"
    assert rows["story-2"]["date"] is None  # "sometime last week" is no date ...
    assert json.loads(rows["story-2"]["extra"])["date"] == "sometime last week"  # ... but is kept as given
    assert all(row["date"] is None or ISO_8601.match(row["date"]) for row in train)
    assert rows["story-2"]["language"] == "de" and rows["story-0"]["language"] == "en"
    assert rows["story-0"]["source"] == "example-news.org"
    assert rows["story-0"]["n_words"] == len(rows["story-0"]["text"].split())
    assert rows["story-0"]["n_chars"] == len(rows["story-0"]["text"])
    assert rows["site/library"]["raw_path"].endswith("raw/site/library.txt")
    assert len(rows["site/library"]["raw_sha256"]) == 64
    counted = {c["step"]: c["edits"] for c in rows["story-0"]["edit_counts"]}
    recorded = [e["step"] for e in rows["story-0"]["edits"]]
    assert counted == {step: recorded.count(step) for step in set(recorded)}


def test_rejected_config_loads_with_reasons(dataset, tmp_path):
    rejected = load_dataset(str(dataset), "rejected", cache_dir=str(tmp_path / "cache"))["train"]
    assert list(rejected.features) == [name for name, _, _ in COLUMNS + REJECTION_COLUMNS]
    assert rejected.features["similarity"] == Value("float32")
    reasons = {row["id"]: (row["reject_step"], row["reject_rule"]) for row in rejected}
    assert reasons == {
        "brief": ("quality_filter", "too_few_words"),
        "feed:5": ("read", "malformed_json"),
        "empty": ("read", "empty"),
    }
    detail = next(row["reject_detail"] for row in rejected if row["id"] == "feed:5")
    assert "feed.jsonl:5" in detail


def test_second_run_into_the_same_folder_is_not_served_from_a_stale_cache(tmp_path):
    """The known pitfall: ``datasets`` caches a local folder by its name and card YAML.

    The second input has the same ids, counts and sizes (one word changes case), so only the
    shard names can tell ``datasets`` that the data changed.
    """
    config = write_config(tmp_path / "config.yaml")
    out = tmp_path / "dataset"
    cache = str(tmp_path / "hf-cache")  # one cache for both loads, as a user's machine has
    clean(write_inputs(tmp_path / "raw-a"), out, config)
    first = load_dataset(str(out), split="train", cache_dir=cache)
    assert "old harbour bridge" in first["text"][0]
    changed = [story.replace("harbour", "HARBOUR") for story in STORIES]
    clean(write_inputs(tmp_path / "raw-b", stories=changed), out, config)
    second = load_dataset(str(out), split="train", cache_dir=cache)
    assert second["id"] == first["id"]
    assert "old HARBOUR bridge" in second["text"][0]
    # and a change of ids and sizes shows too
    clean(write_inputs(tmp_path / "raw-c", variant="-v2"), out, config)
    third = load_dataset(str(out), split="train", cache_dir=cache)
    assert sorted(third["id"]) == sorted(["story-0-v2", "story-1-v2", "story-2-v2", "site/library"])


def test_same_input_gives_byte_identical_files(tmp_path):
    config = write_config(tmp_path / "config.yaml")
    inputs = write_inputs(tmp_path / "raw")
    clean(inputs, tmp_path / "a", config)
    clean(inputs, tmp_path / "b", config)
    first = snapshot(tmp_path / "a")
    assert first == snapshot(tmp_path / "b")
    clean(inputs, tmp_path / "a", config)  # and over the previous output
    assert snapshot(tmp_path / "a") == first


def test_large_corpora_are_sharded_with_deterministic_names(tmp_path):
    out = build(tmp_path, shard_rows=2)
    names = sorted(p.name for p in (out / "data").glob("*.parquet"))
    train = [n for n in names if n.startswith("train-")]
    assert [n[: len("train-00000-of-00002")] for n in train] == [
        "train-00000-of-00002",
        "train-00001-of-00002",
    ]
    assert all(re.fullmatch(r"(train|rejected)-\d{5}-of-\d{5}-[0-9a-f]{12}\.parquet", n) for n in names)
    loaded = load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    assert loaded.num_rows == 4
    assert loaded["id"] == ["story-0", "story-1", "story-2", "site/library"]  # input order across shards
    for path in (out / "data").glob("train-*.parquet"):
        assert pq.read_metadata(path).num_rows <= 2


def test_row_groups_are_bounded_and_never_straddle_shards(tmp_path, monkeypatch):
    from corpus_tools.document import Document
    from corpus_tools.writers import dataset as dataset_module

    monkeypatch.setattr(dataset_module, "ROW_GROUP", 2)
    writer = dataset_module.DatasetWriter(tmp_path / "out", shard_rows=3)
    for index in range(7):
        writer.add(Document(f"d{index}", f"text number {index}"))
    writer.commit(lambda files: "---\n---\ncard\n", {})
    shards = sorted((tmp_path / "out" / "data").glob("train-*.parquet"))
    groups = [
        [
            pq.ParquetFile(path).metadata.row_group(i).num_rows
            for i in range(pq.ParquetFile(path).num_row_groups)
        ]
        for path in shards
    ]
    assert groups == [[2, 1], [2, 1], [1]]
    ids = [row for path in shards for row in pq.read_table(path).column("id").to_pylist()]
    assert ids == [f"d{index}" for index in range(7)]
    assert not list(tmp_path.glob(".out.partial-*"))


def test_a_failed_write_leaves_the_previous_dataset(tmp_path, monkeypatch):
    from corpus_tools.document import Document
    from corpus_tools.writers import dataset as dataset_module

    out = build(tmp_path)
    before = snapshot(out)
    writer = dataset_module.DatasetWriter(out)
    writer.add(Document("x", "some text"))

    def broken_card(files):
        raise RuntimeError("card failed")

    with pytest.raises(RuntimeError):
        writer.commit(broken_card, {})
    writer.abort()
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".dataset.partial-*"))


def test_a_run_that_drops_nothing_still_has_an_empty_rejected_config(tmp_path, capsys):
    """Code written against ``rejected`` works on every dataset: the config is always there,
    with the full schema and no rows, and the card says so without contradicting itself."""
    from datasets import get_dataset_config_names

    from corpus_tools import api
    from corpus_tools.cli import main
    from corpus_tools.writers.card import card_problems

    inputs = tmp_path / "raw"
    inputs.mkdir()
    (inputs / "one.txt").write_text(STORIES[0] + "\n", encoding="utf-8")
    out = tmp_path / "dataset"
    clean(inputs, out, write_config(tmp_path / "config.yaml"))
    card = (out / "README.md").read_text(encoding="utf-8")
    assert card_problems(card) == []
    assert "0 dropped documents" in card and "no `rejected` config" not in card
    assert sorted(p.name.split("-")[0] for p in (out / "data").iterdir()) == ["rejected", "train"]
    rejected_schema = schema_for("rejected")
    assert pq.read_schema(next((out / "data").glob("rejected-*.parquet"))) == rejected_schema
    cache = str(tmp_path / "cache")
    assert get_dataset_config_names(str(out)) == ["default", "rejected"]
    streamed = load_dataset(str(out), "rejected", split="train", streaming=True, cache_dir=cache)
    assert list(streamed) == [] and list(streamed.features) == rejected_schema.names
    empty = api.load(out, "rejected")
    assert len(empty) == 0 and empty.features == Features.from_arrow_schema(rejected_schema)
    assert api.load(out, cache_dir=cache)["id"] == ["one"]
    assert load_dataset(str(out), split="train", cache_dir=cache)["id"] == ["one"]
    assert (
        main(
            [
                "export",
                str(out),
                "--format",
                "jsonl",
                "--split",
                "rejected",
                "--out",
                str(tmp_path / "r.jsonl"),
            ]
        )
        == 0
    )
    assert (tmp_path / "r.jsonl").read_text() == ""
    assert (
        main(
            [
                "export",
                str(out),
                "--format",
                "parquet",
                "--split",
                "rejected",
                "--out",
                str(tmp_path / "r.pq"),
            ]
        )
        == 0
    )
    assert pq.read_table(tmp_path / "r.pq").num_rows == 0
    assert main(["publish", str(out), "--repo-id", "org/x", "--dry-run"]) == 0
    assert "data/rejected-00000-of-00001-" in capsys.readouterr().out
