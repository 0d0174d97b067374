"""QA of the readers with entries a user's dump folder may hold (issue 16, item 2's input side:
every entry that cannot be read is named and rejected, never skipped without a word)."""

from __future__ import annotations

import os
from pathlib import Path

from corpus_tools.readers import expand_inputs, read_inputs

STORY = "A story about rivers and the people who live beside them, told at length.\n"


def test_a_sub_folder_that_cannot_be_listed_is_rejected_by_name(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (folder / "good.txt").write_text(STORY)
    (locked / "hidden.txt").write_text(STORY)
    real_scandir = os.scandir

    def refuse(path=".", *args, **kwargs):  # root lists any folder whatever its mode: simulate the OS
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", refuse)
    docs = {doc.id: doc for doc in read_inputs(expand_inputs([str(folder)]))}
    assert not docs["good"].rejected
    refused = docs["locked"]
    assert refused.rejection is not None and refused.rejection.rule == "unreadable"
    assert "locked" in refused.rejection.detail and "Permission denied" in refused.rejection.detail
