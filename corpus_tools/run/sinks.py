"""Sinks: what the last stage makes of a unit's documents, in the worker that cleaned them.

The runner hands each unit's finished documents to its sink where they were cleaned, so the
main process only receives and writes. A dataset writer's sink makes Arrow rows
(:class:`corpus_tools.writers.schema.RowSink`); :class:`DocumentSink` hands the documents
back as they are (the library interface).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from corpus_tools.document import Document

T = TypeVar("T")


class Sink(Protocol[T]):
    """Turns a unit's documents into the runner's output; it travels to the workers (picklable)."""

    def make(self, docs: list[Document]) -> T:
        """In the worker: the unit's output, from its documents in input order."""
        ...

    def hand_over(self, made: T, stem: str) -> T:
        """In a worker process: ``made`` made light to send to the main process (its bulk in
        files named from ``stem``, in the work folder), or ``made`` itself."""
        ...

    def take_over(self, made: T) -> T:
        """In the main process: ``made`` whole again (what :meth:`hand_over` put in files read back)."""
        ...

    def warm_up(self) -> None:
        """In an idle worker, before the last stage: import what :meth:`make` imports on first use."""
        ...


@dataclass(frozen=True, slots=True)
class DocumentSink:
    """The documents themselves, a list per unit."""

    def make(self, docs: list[Document]) -> list[Document]:
        return docs

    def hand_over(self, made: list[Document], stem: str) -> list[Document]:
        return made

    def take_over(self, made: list[Document]) -> list[Document]:
        return made

    def warm_up(self) -> None:
        return None
