"""``clean --update``: new documents join an existing dataset, deduplicated against it (docs/update.md)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpus_tools.cli import main
from corpus_tools.dedup.state import FOLDER, state_bytes
from corpus_tools.writers.export import split_files

CONFIG = """\
name: update-test
dataset:
  pretty_name: Update test corpus
  description: Made-up articles for the update tests.
  shard_rows: 1000
steps:
  - step: site_templates
    min_docs: 5
    min_share: 0.1
    min_site_docs: 4
  - step: normalize
  - step: quality_filter
    min_words: 20
  - step: dedup
    keep: first_seen
"""

_LETTERS = random.Random(0)
# letters only: site templates and dedup normalise digits away
WORDS = [
    "".join(_LETTERS.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_LETTERS.randint(3, 9)))
    for _ in range(3000)
]


def body(rng: random.Random, words: int = 100) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:200] + "\n\n" + text[200:]


def near_copy(text: str) -> str:
    words = text.split(" ")
    words[len(words) // 2] = "changed"
    return " ".join(words)


def record(doc_id: str, text: str, site: str = "a.example") -> dict:
    return {"id": doc_id, "text": text, "source": site}


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def corpus(seed: int = 1) -> tuple[list[dict], list[dict]]:
    """A and B on two sites, each page under its site's menu line; B repeats some of A exactly
    and nearly, and itself."""
    rng = random.Random(seed)
    menu = {"a.example": "Home | World | Sport | Weather", "b.example": "Front page - Opinion - Archive"}
    a = [
        record(f"a{n}", menu[site] + "\n" + body(rng), site)
        for n, site in enumerate(["a.example", "b.example"] * 15)
    ]
    b = [
        record(f"b{n}", menu[site] + "\n" + body(rng), site)
        for n, site in enumerate(["a.example", "b.example"] * 5)
    ]
    b += [
        record("b-exact-of-a3", a[3]["text"], a[3]["source"]),
        record("b-near-of-a4", near_copy(a[4]["text"]), a[4]["source"]),
        record("b-exact-of-b1", b[1]["text"], b[1]["source"]),
        record("b-near-of-b2", near_copy(b[2]["text"]), b[2]["source"]),
    ]
    return a, b


def rows(folder: Path, split: str) -> list[dict]:
    return [row for path in split_files(folder, split) for row in pq.read_table(path).to_pylist()]


def kept_ids(folder: Path) -> set[str]:
    return {row["id"] for row in rows(folder, "train")}


def clean(tmp: Path, inputs: list[Path], out: Path, *extra: str) -> int:
    config = tmp / "config.yaml"
    if not config.exists():
        config.write_text(CONFIG, encoding="utf-8")
    return main(
        [
            "clean",
            *map(str, inputs),
            "--out",
            str(out),
            "--config",
            str(config),
            "--workers",
            "1",
            "-q",
            *extra,
        ]
    )


def update(inputs: list[Path], out: Path, *extra: str) -> int:
    return main(["clean", *map(str, inputs), "--out", str(out), "--update", "--workers", "1", "-q", *extra])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("update")
    a, b = corpus()
    file_a, file_b = write(tmp / "a.jsonl", a), write(tmp / "b.jsonl", b)
    assert clean(tmp, [file_a, file_b], tmp / "once") == 0
    assert clean(tmp, [file_a], tmp / "grown") == 0
    before = {
        p.relative_to(tmp / "grown"): (p.stat().st_ino, pq.ParquetFile(p).metadata.num_rows)
        for p in (tmp / "grown" / "data").iterdir()
    }
    assert update([file_b], tmp / "grown") == 0
    return tmp, before


def test_update_keeps_the_same_documents_as_one_run(runs):
    tmp, _ = runs
    assert kept_ids(tmp / "grown") == kept_ids(tmp / "once")
    assert {"b-exact-of-a3", "b-near-of-a4", "b-exact-of-b1", "b-near-of-b2"}.isdisjoint(
        kept_ids(tmp / "grown")
    )


def test_duplicates_of_old_documents_name_them(runs):
    tmp, _ = runs
    rejected = {row["id"]: row for row in rows(tmp / "grown", "rejected")}
    assert rejected["b-exact-of-a3"]["duplicate_of"] == "a3"
    assert rejected["b-exact-of-a3"]["reject_rule"] == "exact_duplicate"
    assert rejected["b-near-of-a4"]["duplicate_of"] == "a4"
    assert rejected["b-near-of-a4"]["reject_rule"] == "near_duplicate"
    assert rejected["b-exact-of-b1"]["duplicate_of"] == "b1"


def test_old_shards_are_not_rewritten_and_new_ones_are_added(runs):
    tmp, before = runs
    data = tmp / "grown" / "data"
    for name, (inode, count) in before.items():
        if count:  # an empty shard (a split with no rows yet) goes once the split has rows
            assert (tmp / "grown" / name).stat().st_ino == inode  # the same file, linked
    assert any("update001" in path.name for path in data.iterdir())
    assert len(rows(tmp / "grown", "train")) == len(kept_ids(tmp / "grown"))


def test_history_in_run_json_and_card(runs):
    tmp, _ = runs
    run = json.loads((tmp / "grown" / "run.json").read_text())
    (entry,) = run["updates"]
    assert entry["documents_read"] == 14
    assert entry["duplicates_of_existing"] == 2
    assert entry["duplicates_among_new"] == 2
    assert entry["documents_added"] == 10
    assert run["stats"]["documents_in"] == 30 + 14
    card = (tmp / "grown" / "README.md").read_text()
    assert "## Updates" in card and "b.jsonl" in card


def test_state_is_compact(runs):
    tmp, _ = runs
    documents = len(kept_ids(tmp / "grown"))
    # parquet and npy headers weigh on 40 documents; benchmarks/bench_update.py measures it at scale
    assert (state_bytes(tmp / "grown" / FOLDER) - 4096) / documents <= 200


def test_an_update_that_adds_only_duplicates_changes_no_kept_document(runs, tmp_path):
    tmp, _ = runs
    again = tmp_path / "again"
    import shutil

    shutil.copytree(tmp / "grown", again)
    assert update([tmp / "b.jsonl"], again) == 0
    assert kept_ids(again) == kept_ids(tmp / "grown")
    entry = json.loads((again / "run.json").read_text())["updates"][-1]
    assert entry["documents_added"] == 0
    # the same ids again: renamed, so ids stay unique in the dataset, and refused as copies
    every = [row["id"] for split in ("train", "rejected") for row in rows(again, split)]
    assert len(every) == len(set(every))
    rejected = {row["id"]: row for row in rows(again, "rejected")}
    assert rejected["b0~2"]["duplicate_of"] == "b0"


def test_refuses_another_config_unless_forced(runs, tmp_path, capsys):
    tmp, _ = runs
    other = tmp_path / "other.yaml"
    other.write_text(CONFIG.replace("min_words: 20", "min_words: 30"), encoding="utf-8")
    before = sorted(p.name for p in (tmp / "grown" / "data").iterdir())
    code = main(
        ["clean", str(tmp / "b.jsonl"), "--out", str(tmp / "grown"), "--update", "--config", str(other), "-q"]
    )
    assert code == 2
    assert "--force-update" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp / "grown" / "data").iterdir()) == before


def test_refuses_a_folder_without_state(tmp_path, capsys):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "README.md").write_text("x")
    assert update([tmp_path / "plain"], tmp_path / "plain") == 2
    assert "cannot be updated" in capsys.readouterr().err


def test_refuses_another_version_unless_forced(runs, tmp_path, capsys):
    import shutil

    tmp, _ = runs
    folder = tmp_path / "old"
    shutil.copytree(tmp / "grown", folder)
    run = json.loads((folder / "run.json").read_text())
    run["corpus_tools_version"] = "0.0.1"
    (folder / "run.json").write_text(json.dumps(run))
    assert update([tmp / "b.jsonl"], folder) == 2
    assert "0.0.1" in capsys.readouterr().err
    assert update([tmp / "b.jsonl"], folder, "--force-update") == 0


def test_templates_learned_from_the_new_documents_reach_only_them(tmp_path):
    """A line on 3 pages of A and 3 of B is a template of A+B (6 >= min_docs 5), not of A:
    one run strips it from every page; the update strips it from B's pages only (docs/update.md)."""
    rng = random.Random(7)
    teaser = "Read also our weekly newsletter about gardens and bridges"
    short = " ".join(rng.choice(WORDS) for _ in range(12))  # 12 words + the teaser's 9: over min_words alone
    a = [record(f"a{n}", body(rng)) for n in range(10)]
    a += [record(f"a-teaser{n}", body(rng) + "\n" + teaser) for n in range(2)]
    a.append(record("a-short", short + "\n" + teaser))
    b = [record(f"b-teaser{n}", body(rng) + "\n" + teaser) for n in range(3)]
    file_a, file_b = write(tmp_path / "a.jsonl", a), write(tmp_path / "b.jsonl", b)
    assert clean(tmp_path, [file_a, file_b], tmp_path / "once") == 0
    assert clean(tmp_path, [file_a], tmp_path / "grown") == 0
    assert update([file_b], tmp_path / "grown") == 0
    once, grown = kept_ids(tmp_path / "once"), kept_ids(tmp_path / "grown")
    assert grown - once == {"a-short"}  # in one run the teaser goes and leaves too few words
    texts = {row["id"]: row["text"] for row in rows(tmp_path / "grown", "train")}
    assert all(teaser not in texts[f"b-teaser{n}"] for n in range(3))
    assert teaser in texts["a-teaser0"]


class RemoteFile:
    """What ``list_repo_tree`` lists of one repository file: size, git blob id, LFS sha256."""

    def __init__(self, folder: Path, path: str, lfs: bool) -> None:
        import hashlib

        data = (folder / path).read_bytes()
        self.path, self.size = path, len(data)
        self.blob_id = hashlib.sha1(f"blob {len(data)}\0".encode() + data).hexdigest()
        self.lfs = {"sha256": hashlib.sha256(data).hexdigest()} if lfs else None


def test_publish_after_an_update_uploads_only_new_and_changed_files(runs, tmp_path, monkeypatch):
    import shutil

    import corpus_tools.publish as publish_module
    from tests.test_publish_hub import FakeHub

    tmp, _ = runs
    first = tmp_path / "first"
    assert clean(tmp, [tmp / "a.jsonl"], first) == 0
    published = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    grown = tmp_path / "grown"
    shutil.copytree(first, grown)
    assert update([tmp / "b.jsonl"], grown) == 0
    FakeHub.calls, FakeHub.fail_with = [], None
    FakeHub.remote = [RemoteFile(first, path, path.endswith(".parquet")) for path in published]
    monkeypatch.setattr(publish_module, "HfApi", FakeHub)
    monkeypatch.setattr(publish_module, "get_token", lambda: "hf_test_token")
    assert main(["publish", str(grown), "--repo-id", "org/news"]) == 0
    upload = dict(FakeHub.calls)["upload_folder"]
    uploaded = set(upload["allow_patterns"])
    assert uploaded and all("update001" in name for name in uploaded if name.startswith("data/"))
    assert {"README.md", "run.json", "state/stats.json"} <= uploaded
    assert "reproduce/config.yaml" not in uploaded
    old_train = next(name for name in published if name.startswith("data/train-"))
    assert old_train not in uploaded
    # the old empty rejected shard is gone from the folder, so from the repository too
    assert upload["delete_patterns"] == [name for name in published if name.startswith("data/rejected-")]


def test_publish_with_nothing_changed_makes_no_commit(runs, monkeypatch, capsys):
    import corpus_tools.publish as publish_module
    from tests.test_publish_hub import FakeHub

    tmp, _ = runs
    folder = tmp / "grown"
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    FakeHub.calls, FakeHub.fail_with = [], None
    FakeHub.remote = [RemoteFile(folder, path, path.endswith(".parquet")) for path in files]
    monkeypatch.setattr(publish_module, "HfApi", FakeHub)
    monkeypatch.setattr(publish_module, "get_token", lambda: "hf_test_token")
    assert main(["publish", str(folder), "--repo-id", "org/news"]) == 0
    assert "upload_folder" not in dict(FakeHub.calls)
    assert "nothing uploaded" in capsys.readouterr().err


def test_a_failed_update_leaves_the_dataset_as_it_was(runs, tmp_path, monkeypatch):
    import shutil

    from corpus_tools.writers.update import UpdateWriter

    tmp, _ = runs
    folder = tmp_path / "grown"
    shutil.copytree(tmp / "grown", folder)

    def snapshot() -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    before = snapshot()

    def fail(self, split):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(UpdateWriter, "_name_shards", fail)
    with pytest.raises(RuntimeError, match="disk gone"):
        update([tmp / "b.jsonl"], folder)
    assert snapshot() == before
    left = [p.name for p in tmp_path.iterdir() if p.name not in ("grown", ".grown.lock")]
    assert left == []  # no staging or work folder left behind


def test_an_update_is_refused_while_another_run_holds_the_output(runs, tmp_path, capsys):
    import shutil

    from corpus_tools.safety.folders import DATASET, claim_output

    tmp, _ = runs
    folder = tmp_path / "grown"
    shutil.copytree(tmp / "grown", folder)
    names = sorted(p.name for p in (folder / "data").iterdir())
    with claim_output(folder, DATASET):  # another run writing this dataset
        assert update([tmp / "b.jsonl"], folder) != 0
    assert "lock" in capsys.readouterr().err.lower()
    assert sorted(p.name for p in (folder / "data").iterdir()) == names


def test_a_new_copy_of_an_old_text_is_no_new_template_evidence(tmp_path):
    """Template counts are of distinct texts: 4 pages with a line, and a fifth that copies one of
    them, stay under min_docs 5, in one run as in an update."""
    rng = random.Random(11)
    teaser = "Read also our weekly newsletter about gardens and bridges"
    a = [record(f"a{n}", body(rng)) for n in range(10)]
    a += [record(f"a-teaser{n}", body(rng) + "\n" + teaser) for n in range(4)]
    b = [record("b-copy", a[-1]["text"]), record("b-new", body(rng))]
    file_a, file_b = write(tmp_path / "a.jsonl", a), write(tmp_path / "b.jsonl", b)
    assert clean(tmp_path, [file_a, file_b], tmp_path / "once") == 0
    assert clean(tmp_path, [file_a], tmp_path / "grown") == 0
    assert update([file_b], tmp_path / "grown") == 0

    def template_lines(folder: Path) -> int:
        return json.loads((folder / "run.json").read_text())["stats"]["corpus_passes"]["site_templates"][
            "template_lines"
        ]

    assert template_lines(tmp_path / "once") == template_lines(tmp_path / "grown") == 0
    rejected = {row["id"]: row for row in rows(tmp_path / "grown", "rejected")}
    assert rejected["b-copy"]["duplicate_of"] == "a-teaser3"
    assert kept_ids(tmp_path / "grown") == kept_ids(tmp_path / "once")
