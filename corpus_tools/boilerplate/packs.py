"""Rule packs: the site- and language-specific vocabulary of boilerplate, kept in YAML.

The structural signals (:mod:`corpus_tools.boilerplate.signals`) know nothing of words;
what a "donate" appeal or a photo credit says is vocabulary, and vocabulary differs by
site and by language. So it lives in rule packs that a user can read, extend and switch
off without touching Python. A pack names the sites it applies to (an empty list means
every document), its rules, and the generic rules or signals it switches off for those
sites. Packs are validated with pydantic when loaded; a rule whose regex does not compile
is reported with the file and the rule name, never at the first document.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

RuleKind = Literal["line", "block_start", "sentence", "paragraph"]
KINDS: tuple[RuleKind, ...] = ("line", "block_start", "sentence", "paragraph")
# Longest line a rule of each kind looks at unless it says otherwise: chrome is short, and
# bounding the length keeps a pattern from eating an article paragraph (and saves time).
DEFAULT_MAX_WORDS: dict[str, int] = {"line": 40, "block_start": 12, "sentence": 10_000, "paragraph": 120}


class PackError(ValueError):
    """A rule pack that cannot be used; the message names the file and the rule."""


class RuleSpec(BaseModel):
    """One named rule; exactly one of the four pattern fields is set.

    - ``line``: the whole stripped line matches (``fullmatch``) -> the line goes.
    - ``block_start``: a line that fullmatches starts a block that runs to the end of the
      text (a teaser or comments section) -> it and all that follows go, but only once
      article text has been seen above it, so a menu entry of the same name is harmless.
    - ``sentence``: the pattern is found in a sentence of a kept paragraph -> that
      sentence goes (``^``/``$`` anchor at the sentence's ends).
    - ``paragraph``: the pattern is found anywhere in a kept paragraph -> it goes.

    ``max_words`` bounds the lines a rule may touch (an appeal is short; an article
    paragraph that merely mentions donations is not); see ``DEFAULT_MAX_WORDS``.
    ``keep_as`` copies the named group
    ``value`` (or the whole match) into ``doc.meta`` before the line goes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    line: str | None = None
    block_start: str | None = None
    sentence: str | None = None
    paragraph: str | None = None
    max_words: int | None = None
    keep_as: Literal["author", "date"] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> RuleSpec:
        given = [kind for kind in KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(
                f"rule {self.name!r}: give exactly one of {', '.join(KINDS)} (got {given or 'none'})"
            )
        return self

    @property
    def kind(self) -> RuleKind:
        return next(kind for kind in KINDS if getattr(self, kind) is not None)

    @property
    def pattern(self) -> str:
        return getattr(self, self.kind)


class PackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    sites: list[str] = []
    disable: list[str] = []
    rules: list[RuleSpec] = []


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule; ``reason`` is what the edit record shows (``pack:rule``)."""

    reason: str
    kind: RuleKind
    regex: regex.Pattern[str]
    max_words: int
    keep_as: str | None


@dataclass(frozen=True, slots=True)
class Pack:
    name: str
    sites: tuple[str, ...]
    disable: frozenset[str]
    rules: tuple[Rule, ...]
    path: str = ""

    def applies_to(self, source: str | None) -> bool:
        """A pack with no sites applies everywhere; else the host must be a site or its subdomain."""
        if not self.sites:
            return True
        if not source:
            return False
        host = source.lower().removeprefix("www.")
        return any(host == site or host.endswith("." + site) for site in self.sites)


def parse_pack(data: object, origin: str) -> Pack:
    """Validate and compile one pack; ``origin`` names it in errors (usually the file)."""
    try:
        spec = PackSpec.model_validate(data)
    except ValidationError as error:
        raise PackError(f"{origin}: invalid rule pack:\n{error}") from None
    names = [rule.name for rule in spec.rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise PackError(f"{origin}: pack {spec.name!r} has two rules named {duplicates[0]!r}")
    rules = []
    for rule in spec.rules:
        try:
            compiled = regex.compile(rule.pattern, regex.V0)
        except regex.error as error:
            raise PackError(
                f"{origin}: rule {rule.name!r} of pack {spec.name!r}: bad {rule.kind} regex "
                f"{rule.pattern!r}: {error}"
            ) from None
        max_words = DEFAULT_MAX_WORDS[rule.kind] if rule.max_words is None else rule.max_words
        rules.append(Rule(f"{spec.name}:{rule.name}", rule.kind, compiled, max_words, rule.keep_as))
    sites = tuple(site.lower().removeprefix("www.") for site in spec.sites)
    return Pack(spec.name, sites, frozenset(spec.disable), tuple(rules), origin)


def load_pack(path: str | Path) -> Pack:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PackError(f"{path}: cannot read rule pack: {error}") from None
    except yaml.YAMLError as error:
        raise PackError(f"{path}: not valid YAML: {error}") from None
    return parse_pack(data, str(path))


def resolve_pack_paths(patterns: list[str], base: Path) -> list[Path]:
    """Pack files from names or globs relative to ``base`` (the configs folder), in order."""
    paths: list[Path] = []
    for pattern in patterns:
        full = pattern if Path(pattern).is_absolute() else str(base / pattern)
        matches = sorted(glob.glob(full)) if glob.has_magic(full) else [full]
        if not matches:
            raise PackError(f"rule packs: {pattern!r} matches no file under {base}")
        paths.extend(Path(m) for m in matches if Path(m) not in paths)
    return paths


_LEADING_FLAGS = regex.compile(r"^\(\?([a-zA-Z]+)\)")


def _scoped(pattern: str) -> str:
    """``(?i)abc`` -> ``(?i:abc)``, so patterns keep their own flags inside one alternation."""
    match = _LEADING_FLAGS.match(pattern)
    if match is None:
        return f"(?:{pattern})"
    return f"(?{match.group(1)}:{pattern[match.end() :]})"


def _prefilter(rules: list[Rule]) -> regex.Pattern[str] | None:
    """One alternation of a kind's rules, tried once per line before the rules one by one.

    Most lines match no rule; one call into the regex engine tells so, where trying twenty
    patterns would cost more than the rest of the step. Only a line that passes is checked
    rule by rule (which also applies ``max_words`` and picks the rule's name).
    """
    if not rules:
        return None
    return regex.compile("|".join(_scoped(rule.regex.pattern) for rule in rules), regex.V0)


@dataclass(slots=True)
class RuleSet:
    """The rules that apply to one document, grouped by kind, and what is switched off."""

    line: list[Rule] = field(default_factory=list)
    block_start: list[Rule] = field(default_factory=list)
    sentence: list[Rule] = field(default_factory=list)
    paragraph: list[Rule] = field(default_factory=list)
    disabled: frozenset[str] = frozenset()
    prefilters: dict[str, regex.Pattern[str] | None] = field(default_factory=dict)
    max_words: dict[str, int] = field(default_factory=dict)

    def compile(self) -> RuleSet:
        self.prefilters = {kind: _prefilter(getattr(self, kind)) for kind in KINDS}
        self.max_words = {
            kind: max(rule.max_words for rule in rules) for kind in KINDS if (rules := getattr(self, kind))
        }
        return self


def select_rules(packs: list[Pack], source: str | None) -> RuleSet:
    """Rules of the packs that apply to ``source``, minus those a pack switches off.

    Site packs come before the generic ones, so a line both match is recorded under the
    site's rule.
    A pack switches off a rule by its full reason (``generic:donate_appeal``) or a signal
    by ``signals:<name>``; the switch only holds for the documents the pack applies to.
    """
    # site packs first: where a site rule and a generic rule both match, the site's name it
    active = sorted((pack for pack in packs if pack.applies_to(source)), key=lambda pack: not pack.sites)
    disabled = frozenset().union(*(pack.disable for pack in active))
    ruleset = RuleSet(disabled=disabled)
    for pack in active:
        for rule in pack.rules:
            if rule.reason not in disabled:
                getattr(ruleset, rule.kind).append(rule)
    return ruleset.compile()
