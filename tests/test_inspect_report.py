"""``corpus-tools report`` and ``corpus-tools stats``: the run's figures, re-folded from the rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inspect_corpus import build, many, page_text

from corpus_tools.cli import main
from corpus_tools.document import Change, Document
from corpus_tools.inspect import report as report_module
from corpus_tools.inspect.report import build_report, slug
from corpus_tools.inspect.stats import dataset_stats
from corpus_tools.safety.folders import RefusedOutput


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build(tmp_path_factory.mktemp("inspect") / "ds")


@pytest.fixture(scope="module")
def report_dir(built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    assert main(["report", str(built.dataset), "--out", str(out / "index.html")]) == 0
    return out


def read(path: Path) -> tuple[str, list[str]]:
    return page_text(path.read_text(encoding="utf-8"))


def test_stats_refold_equals_what_the_writer_counted(built) -> None:
    assert dataset_stats(built.dataset).as_dict() == built.stats.as_dict()


def test_stats_cli_json_and_text(built, capsys) -> None:
    assert main(["stats", str(built.dataset), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["documents_in"] == 7 and figures["documents_out"] == 5
    assert figures["dropped_by_reason"] == {"dedup:near_duplicate": 1, "quality_filter:too_few_words": 1}
    assert figures["edits_by_rule"]["strip_boilerplate:nav_menu"] == 4
    assert main(["stats", str(built.dataset)]) == 0
    text = capsys.readouterr().out
    assert "documents in 7, out 5, dropped 2" in text
    assert "strip_boilerplate:nav_menu" in text
    # the rule table lines up whatever the rules' lengths: one column of edits, one of characters
    table = text.split("  rule ", 1)[1].split("corpus pass", 1)[0].splitlines()[1:]
    assert len(table) == len(figures["edits_by_rule"]) > 1
    assert len({len(line) for line in table}) == 1


def test_stats_of_a_missing_folder(tmp_path: Path, capsys) -> None:
    assert main(["stats", str(tmp_path / "nope")]) == 2
    assert "not a dataset folder" in capsys.readouterr().err


def test_index_holds_the_figures(built, report_dir: Path) -> None:
    text, links = read(report_dir / "index.html")
    figures = built.stats.as_dict()
    assert f"documents in {figures['documents_in']}" in text
    assert f"documents out (train) {figures['documents_out']}" in text
    assert f"documents dropped (rejected) {figures['documents_dropped']}" in text
    assert f"words out {figures['words_out']}" in text
    # per step and per rule, with the counts of the record
    assert f"strip_boilerplate {figures['edits_by_step']['strip_boilerplate']} " in text
    removed = figures["chars_removed_by_rule"]["strip_boilerplate:nav_menu"]
    assert f"strip_boilerplate:nav_menu 4 4 {removed}" in text
    assert "dedup:near_duplicate 1" in text and "quality_filter:too_few_words 1" in text
    # the chain as it ran: extract_html first even where the config leaves it out
    assert "extract_html (not in the config) → strip_boilerplate → normalize" in text
    for link in links:  # every link resolves to a written page
        assert (report_dir / link).is_file(), link


def test_every_document_listed_with_a_working_diff_link(built, report_dir: Path) -> None:
    text, links = read(report_dir / "documents-0001.html")
    for doc_id in built.docs:
        assert f"diffs/{slug(doc_id)}" in links
        assert (report_dir / "diffs" / slug(doc_id)).is_file()
    diff_text, diff_links = read(report_dir / "diffs" / slug("a1"))
    assert "strip_boilerplate:nav_menu" in diff_text
    assert diff_links == ["../../index.html"]


def test_rejected_pages_give_reasons(report_dir: Path) -> None:
    text, _ = read(report_dir / "rejected-quality_filter.too_few_words-0001.html")
    assert "stub" in text and "3 words < 20" in text
    text, _ = read(report_dir / "rejected-dedup.near_duplicate-0001.html")
    assert "a1-copy" in text and "jaccard 0.91 with a1" in text and "0.91" in text


def test_removed_lines_per_site(report_dir: Path) -> None:
    text, _ = read(report_dir / "removed-lines.html")
    site_a = text[text.index("a.example") : text.index("c.example")]  # by characters removed: a, b/c
    assert "2 Home | World | Sport strip_boilerplate:nav_menu" in site_a
    assert "2 Skip to content strip_boilerplate:skip_link" in site_a
    assert "caf" not in text and "?" not in text  # repairs are not removed lines


def test_duplicate_clusters(report_dir: Path) -> None:
    text, links = read(report_dir / "clusters.html")
    assert "a1 2 a1-copy 0.91" in text
    assert f"diffs/{slug('a1-copy')}" in links


def test_paging_and_bounded_diff_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_module, "PAGE_ROWS", 40)
    monkeypatch.setattr(report_module, "TOP_EDITED", 3)
    built = build(tmp_path / "ds", many(100))
    figures = build_report(built.dataset, tmp_path / "site", max_diffs=10)
    assert figures["documents"] == 100
    pages = sorted(p.name for p in (tmp_path / "site").glob("documents-*.html"))
    assert pages == ["documents-0001.html", "documents-0002.html", "documents-0003.html"]
    last, links = read(tmp_path / "site" / "documents-0003.html")
    assert "rows 81–100 of 100" in last and "documents-0002.html" in links
    written = list((tmp_path / "site" / "diffs").rglob("*.html"))
    assert len(written) == figures["diff_pages"] < 100
    assert figures["diff_pages"] >= 10
    first, links = read(tmp_path / "site" / "documents-0001.html")
    assert f"diffs/{slug('m00000')}" in links
    assert sum(link.startswith("diffs/") for link in links) < 40  # later documents: no page, no link


def test_refuses_to_replace_a_folder_it_did_not_write(built, tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["report", str(built.dataset), "--out", str(tmp_path / "index.html")]) == 2
    assert "not written by corpus-tools" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(RefusedOutput):
        build_report(built.dataset, tmp_path)


def test_rebuild_replaces_its_own_report(built, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_report(built.dataset, site)
    (site / "stale.html").write_text("old", encoding="utf-8")
    build_report(built.dataset, site)
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()


def test_default_location_is_beside_the_dataset(tmp_path: Path) -> None:
    built = build(tmp_path / "ds")
    assert main(["report", str(built.dataset)]) == 0
    assert (tmp_path / "ds-report" / "index.html").is_file()
    assert not (built.dataset / "report").exists()  # publish uploads the dataset folder as it is


def test_removed_lines_stay_bounded_and_keep_the_frequent_ones(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(report_module, "LINE_CAP", 10)
    docs = []
    for i in range(60):
        raw = f"Subscribe now\nUnique teaser {i}\nBody of story {i} with enough words to stay.\n"
        doc = Document.from_raw(f"d{i}", raw, source="one.example")
        cut = raw.index("Body")
        doc.apply("strip_boilerplate", [Change(0, cut, "", "teaser")])
        docs.append(doc)
    built = build(tmp_path / "ds", docs)
    report = report_module.Report(built.dataset, tmp_path / "site")
    report.build()
    assert len(report.lines) <= 10 and report.pruned
    assert report.lines[("one.example", "Subscribe now")].count == 60
    text, _ = read(tmp_path / "site" / "removed-lines.html")
    assert "60 Subscribe now" in text and "lower bounds" in text
