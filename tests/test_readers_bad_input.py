"""Bad input never stops a run: each bad item is a rejected document naming file and line."""

import gzip
import json
import os
from pathlib import Path

import datasets
import pytest

from corpus_tools.cli import main
from corpus_tools.readers import expand_inputs, read_inputs


@pytest.fixture
def messy_inputs(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text("A story about rivers and the people who live beside them.\n")
    (folder / "sub" / "nested.txt").write_text("Another story, this one about mountains and snow.\n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (folder / "latin1.txt").write_bytes(b"first line\ncaf\xe9 au lait\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.md").write_text("ignored: not an input type")
    lines = [
        json.dumps(
            {
                "id": "j1",
                "text": "A JSON story with enough words to pass.",
                "url": "https://www.example.org/a",
            }
        ),
        "{not json",
        json.dumps({"id": "j3", "body": "text under another field"}),
        json.dumps({"text": "A story without an id of its own, long enough.", "section": "world"}),
        '{"id": "j5", "text": "half a pair \\ud800 of surrogates"}',
    ]
    (folder / "docs.jsonl").write_text("\n".join(lines) + "\n")
    with gzip.open(folder / "more.jsonl.gz", "wt") as handle:
        handle.write(json.dumps({"id": "g1", "text": "A gzipped story that is long enough to keep."}) + "\n")
    return folder


def by_id(folder):
    return {doc.id: doc for doc in read_inputs(expand_inputs([str(folder)]))}


def test_ids_are_relative_paths_without_extension_or_file_and_line(messy_inputs):
    docs = by_id(messy_inputs)
    assert {"good", "sub/nested", "j1", "docs:4", "g1"} <= set(docs)
    assert "notes" not in docs


def test_each_bad_input_is_rejected_with_file_and_line(messy_inputs):
    docs = by_id(messy_inputs)
    reasons = {doc_id: (d.rejection.rule, d.rejection.detail) for doc_id, d in docs.items() if d.rejected}
    assert reasons["binary"][0] == "binary_file"
    assert reasons["latin1"][0] == "invalid_utf8" and "latin1.txt:2" in reasons["latin1"][1]
    assert reasons["empty"][0] == "empty"
    assert reasons["docs:2"][0] == "malformed_json" and "docs.jsonl:2" in reasons["docs:2"][1]
    assert reasons["j3"][0] == "missing_text" and "--text-field" in reasons["j3"][1]
    assert reasons["docs:5"][0] == "invalid_unicode" and "docs.jsonl:5" in reasons["docs:5"][1]


def test_jsonl_fields_become_metadata(messy_inputs):
    docs = by_id(messy_inputs)
    assert docs["j1"].meta["url"] == "https://www.example.org/a"
    assert docs["j1"].meta["source"] == "example.org"
    assert json.loads(docs["docs:4"].meta["extra"]) == {"section": "world"}


def test_an_unreadable_file_is_rejected(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    files = expand_inputs([str(path)])

    real_open = os.open

    def refuse(name, *args, **kwargs):  # root reads any file whatever its mode: simulate the OS refusing
        if Path(name) == path:
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    (doc,) = read_inputs(files)
    assert doc.rejection.rule == "unreadable"
    assert "locked.txt" in doc.rejection.detail and "Permission denied" in doc.rejection.detail


def test_a_run_with_bad_inputs_finishes_and_lists_them_as_rejected(messy_inputs, tmp_path, spine_config):
    out = tmp_path / "out"
    assert main(["clean", str(messy_inputs), "--out", str(out), "--config", str(spine_config)]) == 0
    rejected = datasets.load_dataset(str(out), "rejected", split="train", cache_dir=str(tmp_path / "cache"))
    train = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    assert set(rejected["reject_rule"]) >= {
        "binary_file",
        "invalid_utf8",
        "empty",
        "malformed_json",
        "missing_text",
        "invalid_unicode",
    }
    assert set(train["id"]) == {"good", "sub/nested", "j1", "docs:4", "g1"}


def test_a_file_name_that_is_not_utf8_is_read_and_named_with_its_byte(tmp_path, spine_config):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A story about rivers and the people who live beside them.\n")
    cafe = Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt"))
    cafe.write_text("A story about a cafe, long enough to keep.\n")
    Path(os.fsdecode(bytes(folder) + b"/bin\xff.txt")).write_bytes(b"\x00\x01 binary")
    out = tmp_path / "out"
    assert main(["clean", str(folder), "--out", str(out), "--config", str(spine_config)]) == 0
    train = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    rejected = datasets.load_dataset(str(out), "rejected", split="train", cache_dir=str(tmp_path / "cache"))
    assert set(train["id"]) == {"good", "caf\\xe9"}
    assert any(path.endswith("in/caf\\xe9.txt") for path in train["raw_path"])
    assert rejected["id"] == ["bin\\xff"] and "bin\\xff.txt: binary file" in rejected["reject_detail"][0]


def test_an_html_page_in_its_declared_charset_is_read_not_rejected(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Le café</p></body></html>'
    (folder / "page.html").write_bytes(page.encode("latin-1"))
    (folder / "note.txt").write_bytes("Le café".encode("latin-1"))  # a text file declares nothing
    docs = by_id(folder)
    assert not docs["page"].rejected and "<p>Le café</p>" in docs["page"].text
    assert docs["note"].rejection is not None and docs["note"].rejection.rule == "invalid_utf8"


@pytest.mark.parametrize("label", ["hex", "base64", "rot13", "undefined"])
def test_a_charset_label_naming_no_text_encoding_is_passed_over(tmp_path, label):
    # Python's codec registry knows these names, but they turn bytes into bytes (or nothing)
    folder = tmp_path / "in"
    folder.mkdir()
    page = f'<html><head><meta charset="{label}"></head><body><p>Le café</p></body></html>'
    (folder / "page.html").write_bytes(page.encode("latin-1"))
    docs = by_id(folder)
    assert not docs["page"].rejected and "<p>Le café</p>" in docs["page"].text
