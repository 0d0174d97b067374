"""Spills: what each stage left for each unit, signed, keyed by what it depends on.

A stage that ends at a corpus pass writes each unit's documents (``.docs``) and partial state
(``.sum``) to its spill; the next stage's tasks read the documents back, so memory holds the
tasks in flight and the corpus state, never the corpus. A spill's key hashes the chain's
config (:func:`chain_digest`), the unit's raw bytes and, after a corpus pass, the keys of every
unit before it. Kept in a work folder beside the output, spills are what ``--resume`` reads
back instead of recomputing: an interrupted run started again skips every unit it had finished.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from corpus_tools import __version__
from corpus_tools.document import Document
from corpus_tools.run.units import Reading
from corpus_tools.safety.folders import WORK, RefusedOutput
from corpus_tools.safety.signing import SECRET_BYTES, Signer, folder_key
from corpus_tools.steps import Step

log = logging.getLogger("corpus_tools")

SPILL_FORMAT = 4  # what a spill holds (4: signed, 3: edits as tuples); older spills are not reused
PRIVATE = 0o700  # the work folder and its stage folders: the user's alone


def sha256(*parts: str) -> str:
    """The key of what ``parts`` name, surrogates included (ids may hold them)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def chain_digest(steps: list[Step], reading: Reading) -> str:
    """What every result depends on besides the input: version, reader options, steps and options.

    Files an option points at (rule packs) are keyed by their path, not their content.
    """
    parts = [__version__, str(SPILL_FORMAT), reading.text_field, reading.id_field]
    parts += [str(reading.max_record_bytes), str(reading.max_document_bytes)]
    parts += [f"{step.name}:{step.options.model_dump_json()}" for step in steps]
    return sha256(*parts)


class Spills:
    """Per stage and unit: the documents (``.docs``) and partial state (``.sum``) a stage produced.

    Each file is signed (:mod:`corpus_tools.safety.signing`) and written under a temporary
    name and renamed, the partial last, so a ``.sum`` file means the unit is finished, even
    after a kill -9 mid-write. Without a ``signer`` the key is a random one that lives as
    long as the object (spills in a temporary folder of one run). The key is not pickled with
    the spills (a stage's job is written to the work folder): a worker process gets it from
    its parent (:meth:`attach`).
    """

    def __init__(self, root: Path, signer: Signer | None = None) -> None:
        self.root = root
        self.signer: Signer | None = signer or Signer(os.urandom(SECRET_BYTES))

    def __getstate__(self) -> dict[str, Any]:
        return {"root": self.root}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.root, self.signer = state["root"], None

    def attach(self, signer: Signer) -> None:
        self.signer = signer

    def _signer(self) -> Signer:
        if self.signer is None:
            raise RuntimeError("spills used without their key: attach() it in the worker first")
        return self.signer

    def path(self, stage: int, key: str, kind: str) -> Path:
        return self.root / f"stage-{stage}" / f"{key}.{kind}"

    def prepare(self, stage: int) -> None:
        (self.root / f"stage-{stage}").mkdir(mode=PRIVATE, parents=True, exist_ok=True)

    def done(self, stage: int, key: str) -> bool:
        return self.path(stage, key, "sum").exists()

    def write(self, stage: int, key: str, docs: list[Document], partial: Any) -> None:
        for kind, value in (("docs", docs), ("sum", partial)):
            path = self.path(stage, key, kind)
            self._signer().dump(path, self._name(path), value)

    def read(self, stage: int, key: str, kind: str) -> Any:
        path = self.path(stage, key, kind)
        return self._signer().load(path, self._name(path))

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def drop_docs(self, stage: int, key: str) -> None:
        self.path(stage, key, "docs").unlink(missing_ok=True)

    def forged(self) -> list[Path]:
        """The spills a resumed run would read that this key did not sign."""
        signer = self._signer()
        spills = sorted(p for p in self.root.glob("stage-*/*") if p.suffix in (".docs", ".sum"))
        return [path for path in spills if not signer.verify(path, self._name(path))]


def open_work_folder(work_dir: Path, resume: bool) -> Spills:
    """The run's spills in ``work_dir``, made private to the user (mode 0700) and marked as the
    tool's. Without ``resume`` it starts empty. With it, what an earlier run left is reused
    only when every spill carries this user's signature: one that does not, and nothing of
    the folder is trusted (it is cleared, with a warning, and every unit computed again).
    A folder the tool did not make is refused (:class:`~corpus_tools.safety.folders.RefusedOutput`).
    """
    WORK.check(work_dir)
    if work_dir.exists() and work_dir.stat().st_uid != os.getuid():
        raise RefusedOutput(f"{work_dir} belongs to another user; choose another folder with --out")
    spills = Spills(work_dir, Signer(folder_key(work_dir)))
    if work_dir.exists() and resume:
        forged = spills.forged()
        if forged:
            log.warning(
                "%s: %d spill(s) fail their integrity check (not written by this user's corpus-tools), "
                "e.g. %s; nothing in the work folder is reused: every unit is computed again",
                work_dir,
                len(forged),
                forged[0],
            )
            resume = False
    if work_dir.exists() and not resume:
        shutil.rmtree(work_dir)
    work_dir.mkdir(mode=PRIVATE, parents=True, exist_ok=True)
    work_dir.chmod(PRIVATE)
    WORK.mark(work_dir)
    return spills
