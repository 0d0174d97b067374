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
from typing import Any, Literal

import re2
import regex
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from corpus_tools.boilerplate.gate import LineGate
from corpus_tools.budget import bounded

RuleKind = Literal["line", "block_start", "sentence", "paragraph"]
KINDS: tuple[RuleKind, ...] = ("line", "block_start", "sentence", "paragraph")
VERDICT_CACHE_SIZE = 50_000
# A sentence: up to its final punctuation (and closing quotes) before a space, or the line's end.
SENTENCE = regex.compile(r"\S.*?(?:[.!?。！？…]+[\"'”’»)\]]*(?=\s|$)|$)", regex.S)
# Longest line a rule of each kind looks at unless it says otherwise: chrome is short, and
# bounding the length keeps a pattern from eating an article paragraph (and saves time).
DEFAULT_MAX_WORDS: dict[str, int] = {"line": 20, "block_start": 12, "sentence": 10_000, "paragraph": 120}


class PackError(ValueError):
    """A rule pack that cannot be used; the message names the file and the rule."""


class RuleSpec(BaseModel):
    """One named rule; exactly one of the four pattern fields is set.

    - ``line``: the whole stripped line matches (``fullmatch``) -> the line goes.
    - ``block_start``: a line that fullmatches heads a teaser or comments section below
      the article body -> it and all that follows go, provided more article lies above
      it than below; when article prose resumes within a few lines it heads an inline
      box instead, and only the box goes. Above the body it is a menu entry: ignored.
    - ``sentence``: the pattern is found in a sentence of a kept paragraph -> that
      sentence goes (``^``/``$`` anchor at the sentence's ends).
    - ``paragraph``: the pattern is found anywhere in a kept paragraph -> it goes.

    ``max_words`` bounds the lines a rule may touch (an appeal is short; an article
    paragraph that merely mentions donations is not); see ``DEFAULT_MAX_WORDS``.
    ``keep_as`` copies the named group ``value`` (or the whole match) into ``doc.meta``
    before the line goes. ``strong``: the rule's words alone say the line is chrome (an
    appeal, a newsletter box), wherever it stands; on an extractor's text only such a rule
    removes a long prose line inside the article (see ``combine._guard_article``).
    ``hints`` are lower-case strings one of which a line must contain before the regex is
    tried: a free gate, since regex searches are the step's hot path.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    line: str | None = None
    block_start: str | None = None
    sentence: str | None = None
    paragraph: str | None = None
    max_words: int | None = None
    keep_as: Literal["author", "date"] | None = None
    hints: list[str] = []
    strong: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> RuleSpec:
        given = [kind for kind in KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(
                f"rule {self.name!r}: give exactly one of {', '.join(KINDS)} (got {given or 'none'})"
            )
        upper = [hint for hint in self.hints if not hint or hint != hint.casefold()]
        if upper:
            raise ValueError(f"rule {self.name!r}: hints must be non-empty and lower case (got {upper})")
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
    hints: tuple[str, ...] = ()
    strong: bool = False

    def search(self, text: str, folded: str) -> regex.Match[str] | None:
        """The rule's match in ``text`` (``folded`` is its casefold, for the hints gate)."""
        if self.hints and not any(hint in folded for hint in self.hints):
            return None
        return self.find(text)

    def find(self, text: str) -> regex.Match[str] | None:
        """``regex.search``, within the time a user pattern gets (:func:`~corpus_tools.budget.bounded`)."""
        return bounded(self.reason, self.regex.search, text)

    def whole(self, text: str) -> regex.Match[str] | None:
        """``regex.fullmatch``, within the time a user pattern gets."""
        return bounded(self.reason, self.regex.fullmatch, text)


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
        reason = f"{spec.name}:{rule.name}"
        rules.append(
            Rule(reason, rule.kind, compiled, max_words, rule.keep_as, tuple(rule.hints), rule.strong)
        )
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


class HintIndex:
    """Which of a list of rules may match a line: those with a hint in it, and those with none.

    All hints of all rules go into one RE2 set of literals (google-re2, as the line gate),
    so one DFA pass over the folded line, in C, names every hint it holds, each once:
    about 150 MB/s on news paragraphs, against 56 MB/s for a pyahocorasick automaton (whose
    hits, one per occurrence, Python then folds) and 18 MB/s for the alternation of the 54
    generic hints as a factored regex. Most lines hold no hint, and then no rule regex runs
    at all. Picklable (by its rules), since steps travel to worker processes and Ray tasks.
    """

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.unhinted = sum(1 << i for i, rule in enumerate(rules) if not rule.hints)
        masks: dict[str, int] = {}  # hint -> bit mask of the rules it gates
        for index, rule in enumerate(rules):
            for hint in rule.hints:
                masks[hint] = masks.get(hint, 0) | 1 << index
        self._hints = list(masks)
        self._masks = list(masks.values())  # set member -> mask
        self._set: re2.Set | None = None
        if masks:
            options = re2.Options()
            options.never_capture = True
            literals = re2.Set.SearchSet(options)
            for hint in self._hints:
                literals.Add(re2.escape(hint))
            literals.Compile()
            self._set = literals
        self._unhinted_list = _indexes(self.unhinted)

    def __reduce__(self) -> tuple[type, tuple[list[Rule]]]:
        return (HintIndex, (self.rules,))

    def candidates(self, folded: str) -> list[int]:
        """Indexes of the rules to try on a line whose casefold is ``folded``, in rule order."""
        mask = self.unhinted
        if self._set is not None:
            try:
                found = self._set.Match(folded) or ()  # None when it holds no hint
            except UnicodeEncodeError:  # a lone surrogate: RE2 cannot read it, so look for each hint
                found = [member for member, hint in enumerate(self._hints) if hint in folded]
            for member in found:
                mask |= self._masks[member]
        return self._unhinted_list if mask == self.unhinted else _indexes(mask)


def _indexes(mask: int) -> list[int]:
    """The positions of the set bits of ``mask``, lowest first."""
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


@dataclass(slots=True)
class RuleSet:
    """The rules that apply to one document, grouped by kind, and what is switched off."""

    line: list[Rule] = field(default_factory=list)
    block_start: list[Rule] = field(default_factory=list)
    sentence: list[Rule] = field(default_factory=list)
    paragraph: list[Rule] = field(default_factory=list)
    disabled: frozenset[str] = frozenset()
    max_words: dict[str, int] = field(default_factory=dict)
    gate: LineGate | None = None  # over the line rules, then the block_start rules
    hints: HintIndex | None = None  # over the paragraph rules, then the sentence rules
    # verdicts by line text: menus and footers repeat across a site's pages, and the step
    # looks at each kept line twice, so many lines are decided by a lookup; bounded, then
    # started afresh
    whole_line: dict[str, tuple[int, int]] = field(default_factory=dict)
    in_line: dict[str, tuple[int, tuple[tuple[int, int, int], ...]]] = field(default_factory=dict)
    # reasons of the line and paragraph rules that are not ``strong``: on an extractor's text
    # they do not remove a long prose line inside the article
    weak: frozenset[str] = frozenset()
    # reasons of the ``paragraph`` rules that are not ``strong``: their words are a few of the
    # line's (an address, a credit, a copyright phrase), the rest of the line is anything
    guesses: frozenset[str] = frozenset()
    # reasons of the rules that copy a value into the metadata (``keep_as``: a byline, a date)
    metadata: frozenset[str] = frozenset()

    def in_line_rules(
        self, text: str, units: int, folded: str
    ) -> tuple[int, tuple[tuple[int, int, int], ...]]:
        """What the rules that search inside a line find in it (``units`` long, ``folded``
        its casefold, as :func:`.fold` gives it):
        the index of the first ``paragraph`` rule found within its ``max_words`` (or -1),
        and ``(start, end, rule index)`` of each sentence a ``sentence`` rule finds.

        One pass of the hint set over the casefolded line names the rules of both kinds
        whose hints it holds; only those are tried.
        """
        verdict = self.in_line.get(text)
        if verdict is None:
            paragraph_verdict = -1
            hits = []
            count = len(self.paragraph)
            candidates = self.hints.candidates(folded) if self.hints is not None else []
            sentence_rules = []
            for i in candidates:
                if i >= count:
                    sentence_rules.append((i - count, self.sentence[i - count]))
                elif paragraph_verdict < 0:
                    rule = self.paragraph[i]
                    if units <= rule.max_words and rule.find(text):
                        paragraph_verdict = i
            if sentence_rules:
                for sentence in SENTENCE.finditer(text):
                    part = sentence.group(0)
                    folded = part.casefold()
                    index = next((i for i, rule in sentence_rules if rule.search(part, folded)), -1)
                    if index >= 0:
                        hits.append((sentence.start(), sentence.end(), index))
            verdict = _remember(self.in_line, text, (paragraph_verdict, tuple(hits)))
        return verdict

    def whole_line_rules(self, text: str, units: int) -> tuple[int, int]:
        """Index of the first ``line`` rule and of the first ``block_start`` rule that
        fullmatches the line (``units`` long) within its ``max_words``, or -1 for none.

        One gate call names the rules of both kinds that may match; only those are tried.
        """
        verdict = self.whole_line.get(text)
        if verdict is None:
            line_verdict = block_verdict = -1
            if self.gate is not None:
                count = len(self.line)
                for i in self.gate.candidates(text):
                    if i < count and line_verdict >= 0:
                        continue
                    rule = self.line[i] if i < count else self.block_start[i - count]
                    if units <= rule.max_words and rule.whole(text):
                        if i >= count:
                            block_verdict = i - count
                            break
                        line_verdict = i
            verdict = _remember(self.whole_line, text, (line_verdict, block_verdict))
        return verdict

    def compile(self) -> RuleSet:
        whole = self.line + self.block_start
        self.gate = LineGate(tuple(rule.regex.pattern for rule in whole)) if whole else None
        in_line = self.paragraph + self.sentence
        self.hints = HintIndex(in_line) if in_line else None
        self.max_words = {
            kind: max(rule.max_words for rule in rules) for kind in KINDS if (rules := getattr(self, kind))
        }
        self.weak = frozenset(rule.reason for rule in self.line + self.paragraph if not rule.strong)
        self.guesses = frozenset(rule.reason for rule in self.paragraph if not rule.strong)
        self.metadata = frozenset(rule.reason for rule in self.line + self.paragraph if rule.keep_as)
        return self


def _remember(cache: dict[str, Any], text: str, verdict: Any) -> Any:
    """Keep ``verdict`` for ``text`` in a bounded cache (emptied when full); returns it."""
    if len(cache) >= VERDICT_CACHE_SIZE:
        cache.clear()
    cache[text] = verdict
    return verdict


def active_packs(packs: list[Pack], source: str | None) -> tuple[Pack, ...]:
    """The packs that apply to ``source``, site packs first."""
    return tuple(sorted((pack for pack in packs if pack.applies_to(source)), key=lambda pack: not pack.sites))


def select_rules(packs: list[Pack], source: str | None) -> RuleSet:
    """Rules of the packs that apply to ``source``, minus those a pack switches off.

    Site packs come before the generic ones, so a line both match is recorded under the
    site's rule. A pack switches off a rule by its full reason (``generic:donate_appeal``) or a signal
    by ``signals:<name>``; the switch only holds for the documents the pack applies to.
    """
    active = active_packs(packs, source)
    disabled = frozenset().union(*(pack.disable for pack in active))
    ruleset = RuleSet(disabled=disabled)
    for pack in active:
        for rule in pack.rules:
            if rule.reason not in disabled:
                getattr(ruleset, rule.kind).append(rule)
    return ruleset.compile()
