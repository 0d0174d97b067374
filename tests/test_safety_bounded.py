"""Bounded by design: a per-document time budget, hostile rule packs, escaped output, and
diffs linear in the number of edits (issue 16, items 6-8 and 12; timings live in benchmarks)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from corpus_tools.cli import main
from corpus_tools.document import Change, Document
from corpus_tools.inspect.load import iter_documents
from corpus_tools.pipeline import Runner
from corpus_tools.steps import STEPS, Step, register

SMALL_BUDGET = 0.5  # seconds per document in these tests: far above what the kept documents take
STALL = "stall here"  # a document holding this makes the test step loop until interrupted
PARAGRAPH = "The council voted on Tuesday to extend the program for another year, officials said."


class _Stall(Step):
    """Loops for as long as the document holds ``STALL`` (pure Python: only a signal ends it),
    after recording an edit, so the test sees the half-done step rolled back."""

    name = "test_bounded_stall"

    def process(self, doc: Document) -> None:
        if STALL not in doc.text:
            return
        doc.apply(self.name, [Change(0, 1, "X", "half_done")])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pass


if _Stall.name not in STEPS:
    register(_Stall)


def _docs() -> list[Document]:
    return [
        Document.from_raw("before", PARAGRAPH),
        Document.from_raw("stalls", f"{PARAGRAPH} {STALL}"),
        Document.from_raw("after", PARAGRAPH),
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_over_its_time_budget_is_rejected_and_the_run_goes_on(workers):
    runner = Runner([_Stall()], workers=workers, seconds_per_document=SMALL_BUDGET)
    started = time.monotonic()
    out = {doc.id: doc for doc in runner.run(_docs())}
    assert time.monotonic() - started < 10  # the 30 s loop was cut short
    assert not out["before"].rejected and not out["after"].rejected
    stalled = out["stalls"]
    assert stalled.rejection is not None
    assert (stalled.rejection.step, stalled.rejection.rule) == (_Stall.name, "timeout")
    assert stalled.text == f"{PARAGRAPH} {STALL}" and stalled.edits == []  # as before the step


def test_the_budget_leaves_no_timer_behind():
    import signal

    runner = Runner([_Stall()], seconds_per_document=SMALL_BUDGET)
    list(runner.run(_docs()))
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, signal.default_int_handler)


HOSTILE_PACKS = {
    "paragraph": "name: hostile\nrules:\n  - name: nested\n    paragraph: '(a|aa)+$'\n",
    "line": "name: hostile\nrules:\n  - name: loose\n    line: '(\\w|\\w\\w)+'\n",
}


def _write_hostile_run(tmp_path: Path, kind: str, line: str) -> tuple[Path, Path]:
    (tmp_path / "hostile.yaml").write_text(HOSTILE_PACKS[kind], encoding="utf-8")
    config = tmp_path / "chain.yaml"
    config.write_text("steps:\n  - step: strip_boilerplate\n    packs: [hostile.yaml]\n", encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(f"{PARAGRAPH}\n\n{PARAGRAPH}\n", encoding="utf-8")
    (raw / "b.txt").write_text(f"{PARAGRAPH}\n\n{line}\n\n{PARAGRAPH}\n", encoding="utf-8")
    return config, raw


@pytest.mark.parametrize(
    ("kind", "line"),
    [
        ("paragraph", "a" * 40 + "!"),  # 40 characters: 2^40 ways to split them
        ("line", "ab" * 20 + "!"),
        ("paragraph", "a" * 20_000 + "!"),  # one long line
        ("line", "ab" * 10_000 + "!"),
    ],
)
def test_a_hostile_pack_pattern_is_bounded(tmp_path, kind, line):
    config, raw = _write_hostile_run(tmp_path, kind, line)
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(
        ["clean", str(raw), "--out", str(out), "--config", str(config), "--workers", "1"]
        + ["--max-seconds-per-document", str(SMALL_BUDGET)]
    )
    assert code == 0
    assert time.monotonic() - started < 15
    docs = [doc for _, doc in iter_documents(out)]
    kept = [doc for doc in docs if not doc.rejected]
    rejected = [doc for doc in docs if doc.rejected]
    assert len(kept) == 1 and len(rejected) == 1
    rejection = rejected[0].rejection
    assert (rejection.step, rejection.rule) == ("strip_boilerplate", "timeout")
    assert "hostile:" in rejection.detail  # the pattern is named


def test_the_budget_holds_on_a_thread_that_gets_no_signals():
    import threading

    out: list[Document] = []
    worker = threading.Thread(
        target=lambda: out.extend(Runner([_Stall()], seconds_per_document=SMALL_BUDGET).run(_docs()))
    )
    started = time.monotonic()
    worker.start()
    worker.join(20)
    assert time.monotonic() - started < 10
    assert [doc.rejection.rule if doc.rejection else None for doc in out] == [None, "timeout", None]
