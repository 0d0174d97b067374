"""Hostile and broken input (issue 16 items 2, 4, 5, 13; issue 18 item 7): each fault is a rejected
row with its own reason and location, a warning names it, and the documents before it are kept."""

from __future__ import annotations

import gzip
import json
import logging
import os
import pickle
import tracemalloc
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import zstandard

from corpus_tools.cli import main
from corpus_tools.readers import expand_inputs, read_inputs
from corpus_tools.readers.stream import PREFIX_BYTES, Limits, capped_lines, decompressed_chunks
from corpus_tools.safety.folders import EXPORT_TEXT
from corpus_tools.writers.export import text_file_name
from corpus_tools.writers.names import MAX_NAME_BYTES

STORY = "A story about rivers and the people who live beside them, told in plain words. "


def records(count: int, prefix: str = "d") -> list[str]:
    return [json.dumps({"id": f"{prefix}{n}", "text": f"{STORY} Number {n}."}) for n in range(count)]


def jsonl_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def read_folder(folder: Path, limits: Limits | None = None) -> dict[str, object]:
    return {doc.id: doc for doc in read_inputs(expand_inputs([str(folder)]), limits=limits)}


def rejections(docs: dict) -> dict[str, tuple[str, str]]:
    return {i: (d.rejection.rule, d.rejection.detail) for i, d in docs.items() if d.rejected}


def kept(docs: dict) -> set[str]:
    return {i for i, d in docs.items() if not d.rejected}


def rows(out: Path, split: str) -> list[dict]:
    return [
        row
        for path in sorted((out / "data").glob(f"{split}-*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.jsonl").write_bytes(jsonl_bytes(records(2)))
    return folder


# --- item 2: entries that cannot be read ------------------------------------------------------


def test_dangling_link_and_fifo_in_a_folder_are_rejected_by_name(folder, caplog):
    (folder / "gone.jsonl").symlink_to(folder / "nowhere.jsonl")
    os.mkfifo(folder / "pipe.jsonl")  # opening it for reading would block the run forever
    with caplog.at_level(logging.WARNING, logger="corpus_tools"):
        docs = read_folder(folder)
    assert kept(docs) == {"d0", "d1"}
    reasons = rejections(docs)
    assert reasons["gone"][0] == "dangling_symlink" and "gone.jsonl" in reasons["gone"][1]
    assert reasons["pipe"][0] == "not_a_regular_file" and "FIFO" in reasons["pipe"][1]
    assert "gone.jsonl" in caplog.text and "pipe.jsonl" in caplog.text


def test_fifo_named_on_the_command_line_is_rejected_not_opened(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (doc,) = read_inputs(expand_inputs([str(fifo)]))
    assert doc.rejection.rule == "not_a_regular_file"


def test_a_run_lists_the_unreadable_entries_in_rejected(folder, tmp_path, spine_config):
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    os.mkfifo(folder / "pipe.jsonl")
    out = tmp_path / "out"
    assert (
        main(["clean", str(folder), "--out", str(out), "--config", str(spine_config), "--workers", "1"]) == 0
    )
    assert {row["id"] for row in rows(out, "train")} == {"d0", "d1"}
    reasons = {row["id"]: row["reject_rule"] for row in rows(out, "rejected")}
    assert reasons == {"gone": "dangling_symlink", "pipe": "not_a_regular_file"}


# --- item 4: compressed streams cut short or damaged -------------------------------------------


def test_truncated_zst_keeps_the_documents_before_the_cut_and_says_where(folder):
    for path in folder.iterdir():
        path.unlink()
    whole = zstandard.ZstdCompressor().compress(jsonl_bytes(records(4000)))
    (folder / "cut.jsonl.zst").write_bytes(whole[: len(whole) // 2])
    docs = read_folder(folder)
    before = kept(docs)
    assert 0 < len(before) < 4000 and before == {f"d{n}" for n in range(len(before))}
    ((fault_id, (rule, detail)),) = rejections(docs).items()
    assert rule == "truncated_stream"
    assert (
        f"cut.jsonl.zst:{len(before) + 1}" in detail and f"{len(before)} records before it are kept" in detail
    )


def test_small_truncated_zst_is_not_silently_empty(folder):
    whole = zstandard.ZstdCompressor().compress(jsonl_bytes(records(3)))
    (folder / "tiny.jsonl.zst").write_bytes(whole[:-4])
    reasons = rejections(read_folder(folder))
    assert [rule for rule, _ in reasons.values()] == ["truncated_stream"]


def test_corrupt_and_truncated_gz_do_not_stop_the_run(folder, tmp_path, spine_config):
    whole = gzip.compress(jsonl_bytes(records(400, "g")))
    (folder / "bad.jsonl.gz").write_bytes(whole[:20] + b"not deflate data " * 200)
    (folder / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    out = tmp_path / "out"
    assert (
        main(["clean", str(folder), "--out", str(out), "--config", str(spine_config), "--workers", "1"]) == 0
    )
    train = {row["id"] for row in rows(out, "train")}
    assert {"d0", "d1"} <= train and 0 < len(train - {"d0", "d1"}) < 400
    rules = sorted(row["reject_rule"] for row in rows(out, "rejected"))
    assert rules == ["corrupt_stream", "truncated_stream"]


# --- item 5: size caps -------------------------------------------------------------------------


def test_oversized_record_is_rejected_with_size_location_and_a_bounded_prefix(folder, tmp_path, spine_config):
    big = json.dumps({"id": "big", "text": "word " * 5_000})
    lines = [*records(1, "a"), big, *records(1, "b")]
    with gzip.open(folder / "mixed.jsonl.gz", "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    out = tmp_path / "out"
    flags = ["--max-record-bytes", "4k", "--config", str(spine_config), "--workers", "1"]
    assert main(["clean", str(folder), "--out", str(out), *flags]) == 0
    assert {row["id"] for row in rows(out, "train")} == {"d0", "d1", "a0", "b0"}
    (row,) = rows(out, "rejected")
    assert row["reject_rule"] == "record_too_large" and row["id"] == "mixed:2"
    assert f"mixed.jsonl.gz: record of {len(big) + 1} bytes" in row["reject_detail"].replace(":2:", ":")
    assert "4096" in row["reject_detail"] and len(row["text"].encode()) <= PREFIX_BYTES


def test_oversized_document_is_rejected_by_the_document_cap(folder):
    (folder / "long.jsonl").write_bytes(jsonl_bytes([json.dumps({"id": "long", "text": "é" * 3_000})]))
    docs = read_folder(folder, Limits(max_document_bytes=5_000))
    rule, detail = rejections(docs)["long"]
    assert rule == "document_too_large" and "6000 bytes" in detail and "long.jsonl:1" in detail
    assert len(docs["long"].text) <= PREFIX_BYTES and kept(docs) == {"d0", "d1"}


def test_a_compressed_bomb_line_is_streamed_past_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as handle:
        for _ in range(32):
            handle.write(b"a" * (1 << 20))  # one 32 MiB line
        handle.write(b"\n" + jsonl_bytes(records(1)))
    tracemalloc.start()
    with bomb.open("rb") as stream:
        lines = list(capped_lines(decompressed_chunks(bomb, stream), 1 << 20))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert lines[0].size == (32 << 20) + 1 and len(lines[0].prefix) == PREFIX_BYTES
    assert json.loads(lines[1])["id"] == "d0"
    assert peak < 8 << 20  # the cap (1 MiB) and a few chunks, not the 32 MiB line


def test_size_flags_refuse_nonsense(folder, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["clean", str(folder), "--out", str(tmp_path / "o"), "--max-record-bytes", "-5"])
    assert "positive size" in capsys.readouterr().err


# --- issue 18 item 7: reader details ------------------------------------------------------------


def test_invalid_utf8_in_a_jsonl_line_has_its_own_reason(folder):
    (folder / "bytes.jsonl").write_bytes(b'{"id": "x", "text": "caf\xe9 au lait"}\n')
    rule, detail = rejections(read_folder(folder))["bytes:1"]
    assert rule == "invalid_utf8" and "0xe9" in detail and "bytes.jsonl:1" in detail


def test_empty_jsonl_leaves_a_row_and_a_warning(folder, caplog):
    (folder / "nothing.jsonl").write_bytes(b"")
    (folder / "blank.jsonl.gz").write_bytes(gzip.compress(b"\n\n"))
    with caplog.at_level(logging.WARNING, logger="corpus_tools"):
        reasons = rejections(read_folder(folder))
    assert reasons["nothing"][0] == reasons["blank"][0] == "empty_input"
    assert "nothing.jsonl" in caplog.text and "blank.jsonl.gz" in caplog.text


def test_list_valued_date_and_author_are_read_not_stored_as_python_repr(folder):
    record = {"id": "x", "text": STORY, "date": ["someday", "2024-03-20", "2024-04-01"], "author": ["A", "B"]}
    (folder / "list.jsonl").write_bytes(jsonl_bytes([json.dumps(record)]))
    doc = read_folder(folder)["x"]
    assert doc.meta["date"] == "2024-03-20" and doc.meta["author"] == "A, B"


# --- item 13: ids ------------------------------------------------------------------------------

DEDUP_CONFIG = "name: ids\nsteps:\n  - step: normalize\n  - step: dedup\n"


def test_duplicate_ids_are_made_unique_and_copies_still_deduplicated(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    other = "A different article about mountains, snow and the roads that cross them in winter."
    (folder / "a.jsonl").write_bytes(jsonl_bytes([json.dumps({"id": "x", "text": STORY * 3})]))
    (folder / "b.jsonl").write_bytes(
        jsonl_bytes([json.dumps({"id": "x", "text": other * 3}), json.dumps({"id": "x", "text": STORY * 3})])
    )
    config = tmp_path / "ids.yaml"
    config.write_text(DEDUP_CONFIG)
    out = tmp_path / "out"
    assert main(["clean", str(folder), "--out", str(out), "--config", str(config), "--workers", "1"]) == 0
    train, rejected = rows(out, "train"), rows(out, "rejected")
    assert sorted(row["id"] for row in train) == ["x", "x~2"]
    assert {row["id"]: row["text"].startswith("A different") for row in train} == {"x": False, "x~2": True}
    (copy,) = rejected
    assert copy["id"] == "x~3" and copy["reject_rule"] == "exact_duplicate"
    assert json.loads(copy["extra"])["original_id"] == "x"
    run = json.loads((out / "run.json").read_text())
    assert run["stats"]["corpus_passes"]["dedup"]["duplicate_ids"] == 2
    # every document has its own diff page
    report = tmp_path / "report" / "index.html"
    assert main(["report", str(out), "--out", str(report), "--all-diffs"]) == 0
    assert len(list((report.parent / "diffs").rglob("*.html"))) == 3


def test_export_txt_maps_any_id_to_its_own_valid_file(tmp_path):
    ids = [
        "x",
        "x.txt/y",
        "y" * 400,
        "y" * 399 + "z",
        "../../etc/passwd",
        "a\x00b",
        "CON",
        "nul.txt",
        "a/./b/",
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ids.jsonl").write_bytes(
        jsonl_bytes([json.dumps({"id": i, "text": f"{STORY} {n}"}) for n, i in enumerate(ids)])
    )
    out = tmp_path / "out"
    config = tmp_path / "c.yaml"
    config.write_text("name: c\nsteps:\n  - step: normalize\n")
    assert main(["clean", str(folder), "--out", str(out), "--config", str(config), "--workers", "1"]) == 0
    exported = tmp_path / "txt"
    assert main(["export", str(out), "--format", "txt", "--out", str(exported)]) == 0
    files = [path for path in exported.rglob("*") if path.is_file() and path.name != EXPORT_TEXT.marker]
    assert len(files) == len(ids)
    assert all(
        len(part.encode()) <= MAX_NAME_BYTES + 8
        for path in files
        for part in path.relative_to(exported).parts
    )
    texts = sorted(path.read_text().split()[-1] for path in files)
    assert texts == sorted(str(n) for n in range(len(ids)))
    assert text_file_name("y" * 400) != text_file_name("y" * 399 + "z")
    assert text_file_name("CON").lower() != "con.txt" and text_file_name("x.txt/y") == "x.txt_/y.txt"


class _Planted:
    """A pickle that, once loaded, leaves a file behind: proof that a cache was unpickled."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "unpickled"))


def test_the_word_list_cache_loads_only_a_file_this_user_signed(tmp_path, monkeypatch):
    """The wordfreq index is cached as a pickle in ``$CORPUS_TOOLS_CACHE``, which may be a
    shared folder: a pickle someone else put there is rebuilt over, never loaded, and the
    tool's own signed cache is loaded without building again."""
    from corpus_tools.repair import vocabulary

    monkeypatch.setenv("CORPUS_TOOLS_CACHE", str(tmp_path / "shared-cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    builds = []
    monkeypatch.setattr(vocabulary, "_build_index", lambda: builds.append(1) or {"built": len(builds)})
    path = vocabulary.cache_path()
    path.parent.mkdir(parents=True)
    marker = tmp_path / "code-ran"
    path.write_bytes(pickle.dumps(_Planted(str(marker))))
    vocabulary.wordfreq_index.cache_clear()
    try:
        assert vocabulary.wordfreq_index() == {"built": 1}
        assert not marker.exists()
        vocabulary.wordfreq_index.cache_clear()
        assert vocabulary.wordfreq_index() == {"built": 1}  # the signed cache, loaded
        assert builds == [1]
    finally:
        vocabulary.wordfreq_index.cache_clear()


def test_an_html_page_over_its_markup_cap_is_one_rejected_row(tmp_path):
    """Extraction takes 30-150x a page's markup in memory, so an HTML page has a cap of its own
    (``--max-html-bytes``), far below the record cap; the page over it is rejected with its
    reason, the others are read."""
    folder = tmp_path / "in"
    folder.mkdir()
    article = "".join(
        f"<p>On day {day} the council met again and agreed more of the new rules for the river water.</p>"
        for day in range(1, 41)
    )
    (folder / "small.html").write_text(f"<html><body>{article[:600]}</body></html>", encoding="utf-8")
    (folder / "big.html").write_text(f"<html><body>{article}</body></html>", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["-q", "clean", str(folder), "--out", str(out), "--max-html-bytes", "2K"]) == 0
    [rejected] = rows(out, "rejected")
    assert (rejected["id"], rejected["reject_step"], rejected["reject_rule"]) == (
        "big",
        "read",
        "html_too_large",
    )
    assert "--max-html-bytes" in rejected["reject_detail"]
    assert [row["id"] for row in rows(out, "train")] == ["small"]
