"""The dataset card passes the Hub libraries' own parsing and value lists, and says how it was made."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dataset_corpus import build
from datasets import Features
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData, metadata_load

from corpus_tools import __version__
from corpus_tools.writers.card import (
    HUB_LICENSES,
    _datasets_resource,
    _known_task_ids,
    card_problems,
    features_yaml,
    metadata_problems,
    size_category,
)
from corpus_tools.writers.schema import COLUMNS, REJECTION_COLUMNS, schema_for


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return build(tmp_path_factory.mktemp("card"))


@pytest.fixture(scope="module")
def card_text(dataset):
    return (dataset / "README.md").read_text(encoding="utf-8")


def test_card_passes_offline_validation(card_text):
    assert card_problems(card_text) == []


def test_huggingface_hub_reads_the_header(dataset, card_text):
    card = DatasetCard(card_text)
    assert isinstance(card.data, DatasetCardData)
    meta = metadata_load(dataset / "README.md")
    assert meta == card.data.to_dict()
    assert meta["pretty_name"] == "Dataset test corpus"
    assert meta["license"] == "cc-by-4.0"
    assert meta["language"] == ["en", "de"]
    assert meta["task_categories"] == ["text-generation"]
    assert meta["size_categories"] == ["n<1K"]
    # a round trip through huggingface_hub's own writer keeps every key
    assert DatasetCard(card.content).data.to_dict() == meta


def test_configs_and_features_read_as_datasets_reads_them(dataset, card_text):
    data = DatasetCard(card_text).data
    configs = MetadataConfigs.from_dataset_card_data(data)
    assert configs.get_default_config_name() == "default"
    for config, split in (("default", "train"), ("rejected", "rejected")):
        (entry,) = configs[config]["data_files"]
        assert entry["split"] == "train"
        assert [(dataset / p).is_file() for p in entry["path"]] == [True] * len(entry["path"])
        assert all(p.startswith(f"data/{split}-") for p in entry["path"])
    infos = DatasetInfosDict.from_dataset_card_data(data)
    assert infos["default"].features == Features.from_arrow_schema(schema_for("train"))
    assert infos["rejected"].features == Features.from_arrow_schema(schema_for("rejected"))
    rows = {
        split: sum(pq.read_metadata(dataset / p).num_rows for p in configs[c]["data_files"][0]["path"])
        for c, split in (("default", "train"), ("rejected", "rejected"))
    }
    assert infos["default"].splits["train"].num_examples == rows["train"] == 4
    assert infos["rejected"].splits["train"].num_examples == rows["rejected"] == 3


def test_task_ids_are_the_ones_datasets_knows():
    from datasets.utils.metadata import known_task_ids

    assert _known_task_ids() == set(known_task_ids)


@pytest.mark.parametrize(
    "schema",
    [
        schema_for("train"),
        schema_for("rejected"),
        pa.schema(
            [
                ("tags", pa.list_(pa.string())),
                (
                    "scores",
                    pa.struct([("x", pa.float64()), ("y", pa.list_(pa.int64())), ("z", pa.float32())]),
                ),
                ("flag", pa.bool_()),
                ("rows", pa.large_list(pa.struct([("a", pa.int8()), ("b", pa.large_string())]))),
            ]
        ),
    ],
)
def test_card_features_are_written_as_datasets_writes_them(schema):
    # the card spells its features itself, so that a run does not import datasets to write it
    assert features_yaml(schema) == Features.from_arrow_schema(schema)._to_yaml_list()


def test_body_tells_how_the_data_was_made(dataset, card_text, tmp_path):
    body = DatasetCard(card_text).text
    for section in (
        "## Where it came from",
        "## How it was made",
        "## Statistics",
        "## Columns",
        "## Sample",
        "## Load it",
        "## Known limitations",
    ):
        assert section in body
    config_text = (dataset.parent / "config.yaml").read_text(encoding="utf-8")
    assert config_text.strip() in body  # the exact config, reproducible
    assert f"corpus_tools {__version__}" in body
    assert "Written for the tests of corpus_tools." in body
    for name, _, _ in COLUMNS + REJECTION_COLUMNS:
        assert f"| `{name}` |" in body
    run = json.loads((dataset / "run.json").read_text(encoding="utf-8"))["stats"]
    assert f"| documents in | {run['documents_in']} |" in body
    for reason, count in run["dropped_by_reason"].items():
        assert f"| `{reason}` | {count} |" in body
    assert "`read:malformed_json`" in body and "`quality_filter:too_few_words`" in body
    # the steps, in chain order, each with what it does
    positions = [body.index(f"`{name}`:") for name in ("normalize", "extract_metadata", "detect_language")]
    assert positions == sorted(positions)
    # the date column is filled for 2 of 4 kept documents: the card says so
    assert "`date` 2 of 4" in body


def test_sample_is_a_real_row(dataset, card_text):
    body = DatasetCard(card_text).text
    block = body.split("## Sample", 1)[1].split("```json\n", 1)[1].split("\n```", 1)[0]
    row = json.loads(block)
    first = pq.read_table(next((dataset / "data").glob("train-*.parquet"))).slice(0, 1).to_pylist()[0]
    assert row["id"] == first["id"]
    assert first["text"].startswith(row["text"].rstrip("…"))
    assert set(row) == {name for name, _, _ in COLUMNS}


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"license": "apache"}, "not a Hub license id"),
        ({"license": "other"}, "needs license_name"),
        ({"language": ["english"]}, "not a known language code"),
        ({"size_categories": ["tiny"]}, "not one of the Hub's"),
        ({"task_categories": ["news-cleaning"]}, "not a Hub task id"),
        ({"pretty_name": " "}, "pretty_name is empty"),
    ],
)
def test_bad_metadata_values_are_reported(change, complaint):
    good = {
        "pretty_name": "x",
        "license": "mit",
        "language": ["en"],
        "size_categories": ["n<1K"],
        "task_categories": ["text-generation"],
    }
    assert metadata_problems(good) == []
    problems = metadata_problems({**good, **change})
    assert len(problems) == 1 and complaint in problems[0]


def test_other_license_with_a_name_is_accepted():
    meta = {"pretty_name": "x", "license": "other", "license_name": "publishers-terms", "language": ["en"]}
    assert metadata_problems(meta) == []


def test_broken_cards_are_reported(card_text):
    assert card_problems("no header at all\n")  # no YAML: no configs, no features, no license
    header, body = card_text.split("\n---\n", 1)
    broken = header.replace("config_name: rejected", "config_name: refused", 1) + "\n---\n" + body
    assert any("'refused'" in p for p in card_problems(broken))  # a config without features
    no_default = header.replace("config_name: default", "config_name: main", 1) + "\n---\n" + body
    assert any("no 'default' config" in p for p in card_problems(no_default))
    assert any("body" in p for p in card_problems(header + "\n---\n"))


def test_size_categories_are_the_hubs():
    labels = _datasets_resource("size_categories.json")
    assert size_category(0) == "n<1K"
    assert size_category(999) == "n<1K"
    assert size_category(1_000) == "1K<n<10K"
    assert size_category(5_000_000_000) == "1B<n<10B"
    assert size_category(10**13) == "n>1T"
    assert all(size_category(10**k) in labels for k in range(14))


def test_license_list_holds_the_common_data_licenses():
    assert {"cc-by-4.0", "cc0-1.0", "odc-by", "apache-2.0", "other", "unknown"} <= HUB_LICENSES


def test_timings_stay_off_the_card_so_reruns_match(tmp_path):
    from dataset_corpus import write_config

    from corpus_tools.config import load_chain
    from corpus_tools.stats import RunStats
    from corpus_tools.writers.card import render_card

    chain = load_chain(write_config(tmp_path / "config.yaml"))
    stats = RunStats()
    stats.corpus_passes = {"dedup": {"clusters": 7, "finish_seconds": 0.123}}
    files = {"train": ["data/train-00000-of-00001-0.parquet"], "rejected": ["data/rejected-0.parquet"]}
    text = render_card(chain, stats, files, {"train": (0, 0), "rejected": (0, 0)}, [])
    assert '"clusters": 7' in text and "finish_seconds" not in text and "0.123" not in text
    assert card_problems(text) == []  # an empty corpus still gets a valid card
