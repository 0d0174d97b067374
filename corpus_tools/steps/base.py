"""What a step is, and the registry that maps config names to steps.

A :class:`Step` sees one document at a time and changes it only through
:meth:`Document.apply` or :meth:`Document.reject`, so every effect lands in the edit
record. A :class:`CorpusStep` needs to see the whole corpus first (site templates,
duplicates): its ``summarize`` runs per document wherever the per-document steps run (a
worker, a Ray task) and returns a small picklable summary, ``collect`` folds the summaries
into compact state in one place, ``finish`` closes it, and ``process`` then runs per
document again with that state. Summaries never hold the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo

from corpus_tools.document import Document

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"


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


class CorpusStep(Step):
    def summarize(self, doc: Document) -> Any:
        raise NotImplementedError

    def collect(self, doc_id: str, meta: dict[str, Any], summary: Any) -> None:
        raise NotImplementedError

    def finish(self) -> dict[str, Any]:
        """Close the corpus state; returns figures worth reporting (for the run summary)."""
        return {}


STEPS: dict[str, type[Step]] = {}


def register(cls: type[Step]) -> type[Step]:
    """Class decorator: make a step available in configs under ``cls.name``."""
    if cls.name in STEPS:
        raise ValueError(f"two steps registered as {cls.name!r}")
    STEPS[cls.name] = cls
    return cls
