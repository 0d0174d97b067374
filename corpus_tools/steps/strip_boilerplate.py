"""``strip_boilerplate``: remove site chrome from a document, one named reason per removal.

The work is done by :func:`corpus_tools.boilerplate.decide`; this step loads the rule
packs once (a bad pack fails the config load), picks the rules for each document's site
(one rule set per combination of packs, so sites without a pack of their own share the
generic one and its caches), applies the changes, and copies the author and date that a
byline or dateline carried into ``doc.meta`` (never overwriting what a reader found).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from corpus_tools.boilerplate import SIGNALS, RuleSet, decide, load_pack, select_rules
from corpus_tools.boilerplate.combine import SHAPE_GUESSES
from corpus_tools.boilerplate.html import is_extracted
from corpus_tools.boilerplate.lines import Line, lines_left
from corpus_tools.boilerplate.packs import Pack, active_packs, resolve_pack_paths
from corpus_tools.document import Document
from corpus_tools.sites import site_of
from corpus_tools.steps.base import CONFIG_DIR, Step, StepOptions, config_path, register

MAX_PASSES = 4
SITE_CACHE_SIZE = 10_000


class SignalToggles(BaseModel):
    """Switch each text signal on or off (all on by default); ``docs/steps.md`` lists what each finds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zones: bool = Field(True, description="everything outside the article body (header_zone, footer_zone)")
    menu_run: bool = Field(True, description="three or more short, capitalised, unpunctuated lines in a row")
    teaser: bool = Field(True, description="blurbs that trail off, next to each other or under a headline")
    repeated: bool = Field(True, description="a line printed twice in a row, or an unpunctuated one 3+ times")
    caption_credit: bool = Field(True, description="the credit under a repeated caption, and the reverse")
    listing: bool = Field(True, description="teaser lists and comment threads: a record shape repeated")
    dateline: bool = Field(True, description="the dateline above the body, copied into meta.date")
    title: bool = Field(True, description="the headline kept first; its repeat of the title metadata removed")
    comment_thread: bool = Field(
        True, description="a comments header followed by dated records, and all after"
    )

    def enabled(self) -> frozenset[str]:
        return frozenset(name for name in SIGNALS if getattr(self, name))


class StripBoilerplateOptions(StepOptions):
    """Keys of a ``strip_boilerplate`` step in a chain's YAML."""

    packs: list[str] = Field(
        ["packs/*.yaml"], description="rule pack files or globs, relative to the config's folder"
    )
    signals: SignalToggles = Field(SignalToggles(), description="each text signal on or off")
    gap_cost: float = Field(3.0, description="what a non-prose line costs the body span (zones)")
    keep_comments: bool = Field(
        False,
        description="keep reader comment threads: comment_thread and the packs' comments headers not applied",
    )

    @field_validator("packs")
    @classmethod
    def _resolve(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return [str(config_path(pattern, info)) for pattern in value]


@register
class StripBoilerplate(Step):
    name = "strip_boilerplate"
    Options = StripBoilerplateOptions
    options: StripBoilerplateOptions

    def __init__(self, options: StripBoilerplateOptions | None = None) -> None:
        super().__init__(options)
        self._rules: dict[tuple[str, ...], RuleSet] = {}
        self._site_rules: dict[str | None, RuleSet] = {}
        self._enabled = self.options.signals.enabled()
        if self.options.keep_comments:
            self._enabled = self._enabled - {"comment_thread"}
        # an HTML extractor's text: its markup found the article; no shape guesses on it
        self._extracted_enabled = self._enabled - SHAPE_GUESSES
        # loaded here, not lazily, so a bad pack fails when the config is loaded
        self.packs: list[Pack] = [
            load_pack(path) for path in resolve_pack_paths(self.options.packs, CONFIG_DIR)
        ]

    def files_read(self) -> list[Path]:
        return [Path(pack.path) for pack in self.packs if pack.path]

    def rules_for(self, site: str | None) -> RuleSet:
        """The rules for a site; sites with the same packs share one rule set (and its caches).

        Remembered by site too (bounded, then started afresh): a site's pages come in runs.
        """
        rules = self._site_rules.get(site)
        if rules is None:
            active = active_packs(self.packs, site)
            key = tuple(pack.path or pack.name for pack in active)
            if key not in self._rules:
                self._rules[key] = select_rules(list(active), site)
            if len(self._site_rules) >= SITE_CACHE_SIZE:
                self._site_rules.clear()
            rules = self._site_rules[site] = self._rules[key]
        return rules

    def process(self, doc: Document) -> None:
        """Strip until nothing more goes, so that stripping the output again removes nothing.

        Removing a caption can bring two menu lines together, or end the body earlier;
        a second look settles that. It almost always stops after one or two passes. When a
        pass removed whole lines only, the next one takes the lines it kept as they were.
        """
        rules = self.rules_for(site_of(doc.meta))
        extracted = is_extracted(doc.meta)
        enabled = self._extracted_enabled if extracted else self._enabled
        memo: dict = {}  # shapes of the long lines, for a pass that must split the text again
        lines: list[Line] | None = None
        for _ in range(MAX_PASSES):
            decisions = decide(
                doc.text,
                rules,
                enabled,
                self.options.gap_cost,
                title=doc.meta.get("title"),
                memo=memo,
                lines=lines,
                keep_comments=self.options.keep_comments,
                extracted=extracted,
            )
            for key, value in decisions.meta.items():
                if not doc.meta.get(key):
                    doc.meta[key] = value
            if not doc.apply(self.name, decisions.changes):
                break
            lines = lines_left(decisions.lines, decisions.reasons, doc.text)
