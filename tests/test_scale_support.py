"""Shared by the scale tests: a small corpus, test-only steps, and a CLI entry for subprocesses.

The steps here exist for the tests alone (production code has no test hooks):
``scale_test_exact_dup`` is an order-sensitive corpus pass (the first copy is kept), so any
reordering between workers shows in the output; ``scale_test_log`` records which documents
a process actually computed, ``scale_test_pid`` which processes computed them;
``scale_test_tripwire`` stops the run at a chosen document so a test can kill it there.
Run as a script, this module is ``corpus-tools`` with these steps registered and small
units, so a subprocess can be killed mid-run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import zstandard

from corpus_tools.document import Document
from corpus_tools.steps import STEPS, CorpusStep, Step, register

_SENTENCE = (
    "the council said on monday that a new budget for schools and roads would be published after "
    "talks with unions and local firms over the coming weeks while critics warned of delays"
)
WORDS = _SENTENCE.split()
SMALL_UNIT_BYTES = 3000  # many units from a small corpus, so parallelism and resume are exercised


def _text(rng: random.Random, paragraphs: int) -> str:
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40))).capitalize() + "."
        for _ in range(paragraphs)
    )


def write_corpus(root: Path, seed: int = 7) -> Path:
    """About 300 documents: JSONL (plain, .gz, .zst) and .txt files, with copies and junk."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    texts = [_text(rng, rng.randint(1, 5)) for _ in range(240)]
    records = []
    for number, text in enumerate(texts):
        records.append(
            {"id": f"doc-{number:04d}", "text": text, "url": f"https://site{number % 3}.example/a"}
        )
        if number % 10 == 3:  # a copy that differs only in spacing: equal once normalized
            copy = text.replace(" ", "  ", 2) + "  \r\n"
            records.append({"id": f"copy-{number:04d}", "text": copy})
        if number % 25 == 0:
            records.append({"id": f"short-{number:04d}", "text": "Too short."})
    records.append({"id": "bad-line"})  # no text field: a rejected document
    third = len(records) // 3
    plain = "".join(json.dumps(r) + "\n" for r in records[:third])
    (root / "a.jsonl").write_text(plain, encoding="utf-8")
    gz = "".join(json.dumps(r) + "\n" for r in records[third : 2 * third])
    (root / "b.jsonl.gz").write_bytes(gzip.compress(gz.encode()))
    zst = "".join(json.dumps(r) + "\n" for r in records[2 * third :])
    (root / "c.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(zst.encode()))
    pages = root / "pages"
    pages.mkdir(exist_ok=True)
    for number in range(30):
        (pages / f"p{number:02d}.txt").write_text(texts[number * 7], encoding="utf-8")  # copies too
    return root


def write_config(path: Path, tripwire_stage: int | None = None, passes: int = 2) -> Path:
    """Two corpus passes (three stages) or one; the tripwire goes in the stage asked for."""
    tripwire = [{"step": "scale_test_tripwire"}]
    steps = [
        {"step": "scale_test_log"},
        *(tripwire if tripwire_stage == 0 else []),
        {"step": "normalize"},
        {"step": "scale_test_exact_dup"},
        *(tripwire if tripwire_stage == 1 else []),
        {"step": "quality_filter", "min_words": 5},
        *([{"step": "scale_test_exact_dup"}] if passes == 2 else []),
    ]
    path.write_text(json.dumps({"steps": steps}), encoding="utf-8")  # JSON is YAML
    return path


def dataset_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def write_previous_dataset(out: Path) -> dict[str, bytes]:
    """A stand-in for an earlier run's dataset in ``out`` (marked as the tool's, so a run may
    replace it); returns its files, to check it is left as it was."""
    from corpus_tools.safety.folders import DATASET

    (out / "data").mkdir(parents=True)
    (out / "data" / "train-00000-of-00001-0123456789ab.parquet").write_bytes(b"the previous dataset")
    DATASET.mark(out)
    return dataset_files(out)


def _register(cls: type[Step]) -> None:
    if cls.name not in STEPS:  # imported both as a test module and by the subprocess script
        register(cls)


class ExactDuplicates(CorpusStep):
    """Keeps the first document (in input order) of each exact text; rejects the others."""

    name = "scale_test_exact_dup"

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.first: dict[str, str] = {}

    @staticmethod
    def _key(doc: Document) -> str:
        return hashlib.sha256(doc.text.encode()).hexdigest()

    def summarize(self, doc: Document) -> str:
        return self._key(doc)

    def collect(self, doc_id: str, meta: dict[str, Any], summary: Any) -> None:
        self.first.setdefault(summary, doc_id)

    def finish(self) -> dict[str, Any]:
        return {"distinct_texts": len(self.first)}

    def process(self, doc: Document) -> None:
        first = self.first.get(self._key(doc))
        if first is not None and first != doc.id:
            doc.reject(self.name, "exact", f"same text as {first}", duplicate_of=first)


class Log(Step):
    """Appends each document id it sees to the file named by SCALE_TEST_LOG, if set."""

    name = "scale_test_log"
    variable = "SCALE_TEST_LOG"

    def line(self, doc: Document) -> str:
        return doc.id

    def process(self, doc: Document) -> None:
        target = os.environ.get(self.variable)
        if target:
            with open(target, "a", encoding="utf-8") as log:
                log.write(self.line(doc) + "\n")


class Pid(Log):
    """Appends the id of the process that saw each document to the file named by SCALE_TEST_PIDS."""

    name = "scale_test_pid"
    variable = "SCALE_TEST_PIDS"

    def line(self, doc: Document) -> str:
        return str(os.getpid())


class Tripwire(Step):
    """At the document named by SCALE_TEST_HANG_ON: touch SCALE_TEST_MARKER and wait to be killed;
    at the one named by SCALE_TEST_INTERRUPT_ON: raise KeyboardInterrupt, as Ctrl-C does."""

    name = "scale_test_tripwire"

    def process(self, doc: Document) -> None:
        if doc.id == os.environ.get("SCALE_TEST_HANG_ON"):
            Path(os.environ["SCALE_TEST_MARKER"]).touch()
            time.sleep(120)
        if doc.id == os.environ.get("SCALE_TEST_INTERRUPT_ON"):
            raise KeyboardInterrupt


for _cls in (ExactDuplicates, Log, Pid, Tripwire):
    _register(_cls)


if __name__ == "__main__":
    from corpus_tools.cli import main
    from corpus_tools.run import units

    units.UNIT_BYTES = SMALL_UNIT_BYTES
    sys.exit(main(sys.argv[1:]))
