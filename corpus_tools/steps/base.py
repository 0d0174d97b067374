"""What a step is, and the registry that maps config names to steps.

A :class:`Step` sees one document at a time and changes it only through
:meth:`Document.apply` or :meth:`Document.reject`, so every effect lands in the edit
record. A :class:`CorpusStep` needs to see the whole corpus first (site templates,
duplicates). Its corpus pass is a map-side combine and an ordered merge:

- ``summarize`` runs per document wherever the per-document steps run (a worker, a Ray
  task) and returns what ``combine`` needs of it: keys, or a normalised form of the text
  that ``combine`` then hashes for the whole unit at once (numpy's cost is per call);
- ``combine`` folds one unit's summaries, still in that worker, into a *partial* state
  (counts, arrays), so what crosses to the main process is one compact object per unit,
  never a text, nor one object per document with its metadata;
- ``merge`` folds each unit's partial into the corpus state, in input order, in one place;
  ``finish`` closes it, and ``process`` then runs per document again with that state.

A simple corpus step may implement ``collect`` (one document's summary) instead of
``combine`` and ``merge``: the defaults hand the summaries over as they are and collect
them one by one.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo

from corpus_tools.document import Document


def _shipped_configs() -> Path:
    """The configs and rule packs shipped as package data (``corpus_tools/configs/``; the
    repository's top-level ``configs/`` is a link to it, so there is one copy to edit).

    Found through ``importlib.resources``, so a regular install finds them as an editable one
    does; the package is installed unzipped, which makes the resource a real folder.
    """
    folder = files("corpus_tools") / "configs"
    if not isinstance(folder, Path):
        raise RuntimeError(f"corpus_tools/configs is not a folder on disk ({folder}); install unzipped")
    return folder


CONFIG_DIR = _shipped_configs()


def config_path(value: str | Path, info: ValidationInfo) -> Path:
    """Resolve a path option against the config file's folder, which the loader hands to the
    options model as validation context (``configs/`` when a model is built without one)."""
    base = (info.context or {}).get("config_dir", CONFIG_DIR)
    path = Path(value)
    return path if path.is_absolute() else Path(base) / path


class StepOptions(BaseModel):
    """Options of a step; unknown keys are errors so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Step:
    name: ClassVar[str]
    Options: ClassVar[type[StepOptions]] = StepOptions

    def __init__(self, options: StepOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()

    def process(self, doc: Document) -> None:
        raise NotImplementedError

    def files_read(self) -> list[Path]:
        """Files the step's options named and it read at load (rule packs): a dataset folder
        carries a copy of each, so the chain that made it can run again from the folder alone."""
        return []


Entry = tuple[str, dict[str, Any], Any]  # (doc id, meta, the document's summary)


class CorpusStep(Step):
    def summarize(self, doc: Document) -> Any:
        raise NotImplementedError

    def combine(self, entries: list[Entry]) -> Any:
        """One unit's summaries, in input order, folded into a partial state (in the worker)."""
        return entries

    def merge(self, partial: Any) -> None:
        """Fold one unit's partial into the corpus state; units arrive in input order."""
        for doc_id, meta, summary in partial:
            self.collect(doc_id, meta, summary)

    def collect(self, doc_id: str, meta: dict[str, Any], summary: Any) -> None:
        raise NotImplementedError(f"{self.name}: implement collect, or combine and merge")

    def collect_documents(self, docs: Iterable[Document]) -> None:
        """Summarize, combine and merge documents held in hand (one process: tests, benchmarks)."""
        self.merge(self.combine([(doc.id, doc.meta, self.summarize(doc)) for doc in docs]))

    def finish(self) -> dict[str, Any]:
        """Close the corpus state; returns figures worth reporting (for the run summary)."""
        return {}

    state_out: Path | None = None  # where ``finish`` saves the state an update goes on from
    seed_from: Path | None = None  # a dataset folder whose saved state the corpus state starts from

    def keep_state(self, folder: Path) -> None:
        """Have ``finish`` save into ``folder`` what a later update needs to go on from this
        corpus (docs/update.md); a pass whose decisions need no corpus state saves nothing."""
        self.state_out = folder

    def seed(self, dataset: Path) -> None:
        """Start the corpus state from what ``dataset`` (a folder written with ``keep_state``)
        saved, before the new documents' partials are merged."""
        self.seed_from = dataset


STEPS: dict[str, type[Step]] = {}


def register(cls: type[Step]) -> type[Step]:
    """Class decorator: make a step available in configs under ``cls.name``."""
    if cls.name in STEPS:
        raise ValueError(f"two steps registered as {cls.name!r}")
    STEPS[cls.name] = cls
    return cls
