"""Chain configuration: YAML in, validated step objects out, or an error that says what to fix.

A config is read whole and checked before anything runs, so a typo in the last step never
costs a half-finished run. A chain without ``extract_html`` gets it first, with its defaults
(:func:`~corpus_tools.steps.extract_html.with_extraction`): HTML input is never fed to the
text steps as markup. Step options are the steps' own pydantic models; paths inside
them (rule packs) resolve against the folder of the config file, handed to the models as
validation context (see :func:`corpus_tools.steps.base.config_path`).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corpus_tools.budget import DEFAULT_SECONDS_PER_DOCUMENT
from corpus_tools.steps import STEPS, Step
from corpus_tools.steps.base import CONFIG_DIR
from corpus_tools.steps.extract_html import with_extraction

DEFAULT_CONFIG = CONFIG_DIR / "default.yaml"
CONFIG_SUFFIX = ".yaml"


class ConfigError(Exception):
    """A config that cannot run; the message names the file, the step and the fix."""


def shipped_configs() -> dict[str, Path]:
    """The configs shipped with the package, by name (``default``, ``encoding-only``)."""
    return {path.stem: path for path in sorted(CONFIG_DIR.glob(f"*{CONFIG_SUFFIX}"))}


def config_file(value: str | Path | None) -> Path:
    """The config a ``--config`` value names: an existing file, else a shipped config's name.

    A path wins over a name, so a file of one's own called ``default`` is never shadowed.
    """
    if value is None:
        return DEFAULT_CONFIG
    path = Path(value)
    if path.exists() or path.suffix or len(path.parts) > 1:
        return path
    shipped = shipped_configs()
    if str(value) in shipped:
        return shipped[str(value)]
    raise ConfigError(
        f"{value}: no such config file, nor a shipped config (shipped: {', '.join(shipped)}); "
        "give a path to a YAML file or one of those names"
    )


class DatasetInfo(BaseModel):
    """What the dataset card says about the corpus (Hub metadata)."""

    model_config = ConfigDict(extra="forbid")

    pretty_name: str = "Clean news corpus"
    description: str = "Articles cleaned from scraped web dumps with corpus_tools."
    license: str = Field("unknown", description="Hub license id; scraped news stays the publishers'")
    language: list[str] = Field(default_factory=lambda: ["en"])
    tags: list[str] = Field(default_factory=lambda: ["news", "web-scrape", "corpus-cleaning"])
    task_categories: list[str] = Field(default_factory=lambda: ["text-generation"])
    license_name: str | None = Field(None, description="short slug naming the license when license: other")
    license_link: str | None = Field(None, description="URL or repo file (LICENSE) of that license")
    source: str = Field("", description="where the raw inputs came from, for the card (one paragraph)")
    shard_rows: int = Field(50_000, gt=0, description="rows per parquet shard")


class ChainConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "default"
    dataset: DatasetInfo = Field(default_factory=DatasetInfo)
    max_seconds_per_document: float = Field(
        DEFAULT_SECONDS_PER_DOCUMENT,
        ge=0,
        description="time budget of one document's steps; past it the document is rejected "
        "(reason timeout); 0 = no budget. A safety net: see docs/limits.md",
    )
    steps: list[dict[str, Any]]


class Chain(BaseModel):
    """A loaded config: the validated model, the step objects, and where it came from."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: Path
    source_text: str
    config: ChainConfig
    steps: list[Step]  # as they run: ``extract_html`` first, added when the config lists none

    @property
    def listed_steps(self) -> list[Step]:
        """The steps the config lists, in its order: ``steps`` without the one added first."""
        return self.steps[len(self.steps) - len(self.config.steps) :]


def load_chain(path: str | Path | None = None) -> Chain:
    """Load and validate a config given as a path or a shipped config's name (None: ``default``)."""
    path = config_file(path)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config ({exc.strerror or exc})") from exc
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with a 'steps:' list at the top")
    try:
        config = ChainConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_explain(exc, ChainConfig)}") from exc
    steps = [_build_step(path, index, entry) for index, entry in enumerate(config.steps, 1)]
    if not steps:
        raise ConfigError(f"{path}: 'steps' is empty; list at least one step ({', '.join(sorted(STEPS))})")
    try:
        steps = with_extraction(steps)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return Chain(path=path, source_text=source, config=config, steps=steps)


def _build_step(path: Path, index: int, entry: dict[str, Any]) -> Step:
    options = dict(entry)
    name = options.pop("step", None)
    if name is None:
        raise ConfigError(f"{path}: step #{index} has no 'step:' key naming it")
    cls = STEPS.get(name)
    if cls is None:
        raise ConfigError(
            f"{path}: step #{index} '{name}' is not a known step; known: {', '.join(sorted(STEPS))}"
        )
    try:
        parsed = cls.Options.model_validate(options, context={"config_dir": path.resolve().parent})
    except ValidationError as exc:
        raise ConfigError(f"{path}: step #{index} '{name}': {_explain(exc, cls.Options)}") from exc
    try:
        return cls(parsed)
    except (ValueError, OSError) as exc:
        raise ConfigError(f"{path}: step #{index} '{name}': {exc}") from exc


def _explain(exc: ValidationError, options: type[BaseModel]) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown option '{where}'{_options_hint(where, options)}")
        else:
            parts.append(f"'{where}': {err['msg']}")
    return "; ".join(parts)


def _options_hint(key: str, options: type[BaseModel]) -> str:
    """Did you mean, and the known keys: for an unknown key at the top of a step or of the config."""
    if "." in key:
        return ""
    known = sorted(options.model_fields)
    close = difflib.get_close_matches(key, known, n=1)
    guess = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{guess}; known: {', '.join(known)}"
