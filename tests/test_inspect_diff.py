"""``corpus-tools diff``: finding a document, and showing every edit with its rule and nothing else."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from inspect_corpus import BODY, NAV, SKIP, build, page_text
from rich.console import Console

from corpus_tools.cli import main
from corpus_tools.document import Change, Document
from corpus_tools.edits import revert
from corpus_tools.inspect.diff import marks, render_html, render_plain, render_term, render_unified
from corpus_tools.inspect.load import DatasetError, find_document


def patch_tool() -> str:
    """GNU patch checks the unified diff as a real consumer would (Debian package ``patch``)."""
    found = shutil.which("patch")
    if found is None:
        pytest.fail("the 'patch' program is missing: apt-get install -y patch")
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build(tmp_path_factory.mktemp("inspect") / "ds")


def test_find_by_id_in_either_split(built) -> None:
    found = find_document(built.dataset, "a1")
    assert (found.split, found.doc.text, found.doc.edits) == (
        "train",
        built.docs["a1"].text,
        built.docs["a1"].edits,
    )
    rejected = find_document(built.dataset, "a1-copy")
    assert rejected.split == "rejected"
    assert rejected.doc.rejection.duplicate_of == "a1"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("raw/a/page1.txt", "a1"),
        ("./raw/a/../a/page1.txt", "a1"),
        ("/home/someone/project/raw/b/page1.txt", "a2"),
        ("raw/feed.jsonl:4", "a1-copy"),
        ("para.txt", "para"),
    ],
)
def test_find_by_raw_path_forms(built, key: str, expected: str) -> None:
    assert find_document(built.dataset, key).doc.id == expected


def test_ambiguous_raw_path_lists_the_documents(built) -> None:
    with pytest.raises(DatasetError, match=r"matches 2 documents.*'a1'.*'a2'"):
        find_document(built.dataset, "page1.txt")
    with pytest.raises(DatasetError, match=r"'/work/raw/feed.jsonl' matches 2 documents.*'b1'.*'a1-copy'"):
        find_document(built.dataset, "/work/raw/feed.jsonl")  # a JSONL file without its :LINE


def test_unknown_id_says_which_id_and_dataset(built, capsys) -> None:
    code = main(["diff", "no-such-doc", "--dataset", str(built.dataset)])
    err = capsys.readouterr().err
    assert code == 2
    assert "'no-such-doc'" in err and str(built.dataset) in err


def test_not_a_dataset_folder(tmp_path: Path, capsys) -> None:
    assert main(["diff", "a1", "--dataset", str(tmp_path)]) == 2
    assert "not a dataset folder" in capsys.readouterr().err


def test_marks_rebuild_both_texts_and_tag_every_edit(built) -> None:
    for doc_id in built.docs:
        doc = find_document(built.dataset, doc_id).doc
        doc_marks = marks(doc)
        raw = revert(doc.text, doc.edits)
        assert "".join(m.shared + m.removed for m in doc_marks) == raw
        assert "".join(m.shared + m.added for m in doc_marks) == doc.text
        changes = [m for m in doc_marks if m.edit is not None]
        assert all(m.removed or m.added for m in changes)
        assert {id(m.edit) for m in changes} == {id(e) for e in doc.edits}  # every edit shown, once or more


def test_repairs_mark_only_the_changed_characters(built) -> None:
    doc = find_document(built.dataset, "a1").doc
    by_rule = {m.tag: m for m in marks(doc) if m.edit is not None}
    assert (by_rule["fix_encoding:mojibake"].removed, by_rule["fix_encoding:mojibake"].added) == ("Ã©", "é")
    assert (by_rule["normalize:space_run"].removed, by_rule["normalize:space_run"].added) == (" ", "")
    assert by_rule["strip_boilerplate:nav_menu"].removed == NAV
    para = marks(find_document(built.dataset, "para").doc)
    inserted = [m for m in para if m.edit is not None]
    assert [(m.removed, m.added) for m in inserted] == [("", "\n")]


def test_plain_output_off_a_terminal(built, capsys) -> None:
    assert main(["diff", "a1", "--dataset", str(built.dataset)]) == 0
    out = capsys.readouterr().out
    assert "{strip_boilerplate:nav_menu}[-Home | World | Sport\n-]" in out
    assert "{strip_boilerplate:skip_link}[-Skip to content\n-]" in out
    assert "caf{fix_encoding:mojibake}[-Ã©-]{+é+}" in out
    assert "Residents {normalize:space_run}[-·-]welcomed" in out
    body = out.split("\n\n", 1)[1]
    # nothing else is marked: taking the markup out leaves the raw text
    plain = re.sub(r"\{[a-z_]+:[a-z_]+\}|\{\+.*?\+\}", "", body, flags=re.S)
    plain = plain.replace("[-", "").replace("-]", "").replace("·", " ")
    assert plain.rstrip("\n") == (NAV + SKIP + BODY).rstrip("\n")


def test_terminal_output_is_styled(built) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=200)
    render_term(find_document(built.dataset, "a1"), console)
    out = buffer.getvalue()
    assert "\x1b[" in out and "strip_boilerplate:nav_menu" in out
    assert "\x1b[9" in out or ";9m" in out or ";9;" in out  # strike-through
    assert "[-" not in out  # the plain markup is only for pipes


def test_rejected_document_says_why(built) -> None:
    text = render_plain(find_document(built.dataset, "a1-copy"))
    assert "# rejected: dedup:near_duplicate (duplicate of a1) jaccard 0.91 with a1" in text


def test_unified_diff_applies_with_patch(built, tmp_path: Path) -> None:
    doc = find_document(built.dataset, "a1").doc
    diff = render_unified(doc)
    assert diff.startswith("--- raw\n+++ clean\n")
    assert "-Home | World | Sport\n" in diff
    target = tmp_path / "page.txt"
    target.write_text(revert(doc.text, doc.edits), encoding="utf-8")
    (tmp_path / "page.diff").write_text(diff, encoding="utf-8")
    subprocess.run([patch_tool(), "-s", str(target), str(tmp_path / "page.diff")], check=True)
    assert target.read_text(encoding="utf-8") == doc.text


def test_unified_cli_and_output_file(built, tmp_path: Path, capsys) -> None:
    out = tmp_path / "a1.diff"
    assert (
        main(
            [
                "diff",
                "raw/a/page1.txt",
                "--dataset",
                str(built.dataset),
                "--format",
                "unified",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_text(encoding="utf-8") == render_unified(find_document(built.dataset, "a1").doc)


def test_html_is_side_by_side_and_escaped(built) -> None:
    page = render_html(find_document(built.dataset, "a1"))
    assert "<b>reopened</b>" not in page and "&lt;b&gt;reopened&lt;/b&gt; &amp; traffic" in page
    assert page.count("<tr") == page.count("</tr>")
    text, links = page_text(page)
    assert "strip_boilerplate:nav_menu" in text and "fix_encoding:mojibake" in text
    assert "<del>Home | World | Sport\n</del>" in page
    assert "<ins>é</ins>" in page
    assert not links  # standalone page: no link back to a report
    # each shared line shows once per side; removed lines only on the raw side
    assert text.count("Residents") == 2 and text.count("Skip to content") == 1


def test_unified_diff_cuts_lines_at_newlines_only(tmp_path: Path) -> None:
    raw = "Title\r\nFirst\x0cpart\u2028of the text.\r\nLast line"
    doc = Document.from_raw("crlf", raw)
    doc.apply(
        "normalize", [Change(m.start(), m.end(), "\n", "line_endings") for m in re.finditer("\r\n", raw)]
    )
    doc.apply("normalize", [Change(doc.text.index("\x0c"), doc.text.index("\x0c") + 1, " ", "control_chars")])
    target = tmp_path / "raw.txt"
    target.write_bytes(raw.encode("utf-8"))
    (tmp_path / "raw.diff").write_bytes(render_unified(doc).encode("utf-8"))
    subprocess.run([patch_tool(), "-s", "--binary", str(target), str(tmp_path / "raw.diff")], check=True)
    assert target.read_bytes().decode("utf-8") == doc.text


def test_repair_beside_an_earlier_removal_stays_one_change() -> None:
    doc = Document.from_raw("x", "Headline\nPublished 6 March\nBody text.")
    doc.apply("strip_boilerplate", [Change(9, 27, "", "posted_by")])
    doc.apply("normalize", [Change(8, 9, "\n\n", "paragraph_breaks")])
    shown = [(m.tag, m.removed, m.added) for m in marks(doc) if m.edit is not None]
    assert shown == [
        ("normalize:paragraph_breaks", "", "\n"),
        ("strip_boilerplate:posted_by", "Published 6 March\n", ""),
    ]
