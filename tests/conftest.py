"""Shared fixtures: the repository root, and a small chain config made of the spine's own steps."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def spine_config(tmp_path: Path) -> Path:
    """A config using only per-document layout steps, for tests of the machinery itself."""
    path = tmp_path / "spine.yaml"
    path.write_text(
        "name: spine\nsteps:\n  - step: normalize\n  - step: extract_metadata\n"
        "  - step: quality_filter\n    min_words: 3\n",
        encoding="utf-8",
    )
    return path
