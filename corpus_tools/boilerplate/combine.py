"""One decision per line: keep it, or remove it for one named reason.

The order is the order of confidence. Whole-line pack rules come first (a site owner's
or the generic vocabulary's word is final); a comments header that opens a thread of
dated records cuts the thread, and the rest looks only above it; then the structural
signals flag captions, teasers, listings and menu runs; then the body span, computed
with everything flagged so far counting against it, turns the rest of the header and
footer zones into removals, and a teaser or comments header below the body cuts what
follows. Paragraph rules (appeals, legal lines) then look at the kept lines, and sentence
rules cut link-text sentences out of the kept paragraphs. The result is a list of
:class:`~corpus_tools.document.Change`, one per removed run of lines (same reason) or
sentence, plus the metadata (author, date) that removed lines carried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby

from corpus_tools.boilerplate import signals
from corpus_tools.boilerplate.lines import LONG_UNITS, Line, Shape, split_lines
from corpus_tools.boilerplate.packs import Rule, RuleSet
from corpus_tools.document import Change

SIGNALS = (
    "zones",
    "menu_run",
    "teaser",
    "repeated",
    "caption_credit",
    "listing",
    "dateline",
    "title",
    "comment_thread",
)
# Signals that guess from the shape of lines where the page's zones, menus, teasers, listings
# and captions are: made for dumps, where no markup says where the article is. On an
# extractor's text (HTML) the markup already made that cut, and these guesses mostly cut
# article lines (short closing lines, lists, tables of contents, a closing excerpt). What
# stays there is explicit evidence: pack rules, comment threads, repeated lines.
SHAPE_GUESSES = frozenset({"zones", "menu_run", "teaser", "listing", "caption_credit"})
# On an extractor's text, signals that would remove more than this share of its units have
# less evidence than the markup the extractor read: only pack removals are kept then.
EXTRACTED_MAX_REMOVED = 0.4
# On an extractor's text, a line this long that reads as prose and stands between the first
# and last such lines is article text unless a ``strong`` rule says otherwise.
ARTICLE_LINE_UNITS = LONG_UNITS
# On an extractor's text, what a guess (a paragraph rule that is not ``strong``) needs besides
# its words to remove a line (see ``_guard_guesses``); ``GUESS_POLICIES`` are the candidates
# ``benchmarks/eval_boilerplate.py --rule-ablation`` cross-validates. ``beside``: chrome comes
# in runs, and the measure is the margin over the extractor on every set, which it
# raises most on the set that has the least (every fold of both DEV sets picks it).
GUESS_POLICIES = ("anywhere", "outside", "outside_or_beside", "beside", "never")
GUESS_NEEDS = "beside"
TITLE_LOOKBACK = 8
INLINE_BOX = 5  # lines after a "Related" header within which article prose may resume
SECTION_RATIO = 4  # a header with over 4x more article above than below ends the article
COMMENT_HEADERS = "comments_section"  # the packs' rule name for a comments header


@dataclass(slots=True)
class Decisions:
    """What the combiner decided for one text."""

    reasons: dict[int, str] = field(default_factory=dict)  # line index -> reason of its removal
    changes: list[Change] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    body: tuple[int, int] | None = None
    title: int | None = None
    lines: list[Line] = field(default_factory=list)  # the text's lines, which the reasons index


def _whole_line_matches(
    lines: Sequence[Line], rules: RuleSet
) -> tuple[list[tuple[Line, Rule]], list[tuple[Line, Rule]]]:
    """Lines a ``line`` rule matches and lines a ``block_start`` rule matches, each with the
    first such rule: one look per line for both kinds (see ``RuleSet.whole_line_rules``)."""
    limit = max(rules.max_words.get("line", -1), rules.max_words.get("block_start", -1))
    removed: list[tuple[Line, Rule]] = []
    heads: list[tuple[Line, Rule]] = []
    whole_line_rules = rules.whole_line_rules
    for line in lines:
        if line.units > limit:
            continue
        first_line, first_head = whole_line_rules(line.text, line.units)
        if first_line >= 0:
            removed.append((line, rules.line[first_line]))
        if first_head >= 0:
            heads.append((line, rules.block_start[first_head]))
    return removed, heads


def _record(matches: list[tuple[Line, Rule]], full_line: bool, decisions: Decisions) -> None:
    """Each matched line goes for its rule's reason; a rule with ``keep_as`` keeps its value first."""
    for line, rule in matches:
        if rule.keep_as:
            match = rule.whole(line.text) if full_line else rule.find(line.text)
            value = (match.groupdict().get("value") or match.group(0)) if match else ""
            if value.strip():
                decisions.meta.setdefault(rule.keep_as, value.strip())
        decisions.reasons[line.index] = rule.reason


def _cut_block(
    lines: Sequence[Line], heads: list[tuple[int, Rule]], span: tuple[int, int], decisions: Decisions
) -> tuple[int, int]:
    """Apply teaser/comments headers found below the start of the body.

    A header with much more article above it than below starts the page's teaser or
    comment section: it and everything after it go. A header with article prose resuming
    within a few lines, and a fair share of the article still to come, heads an inline box
    ("Related articles" and two headlines): the header and the box's lines go, the article
    stays. A header before the body is only a menu entry.
    """
    first, last = span
    for position, rule in heads:
        if position <= first:
            continue
        above = sum(line.units for line in lines[first:position] if signals.is_prose(line))
        below = sum(line.units for line in lines[position + 1 : last + 1] if signals.is_prose(line))
        resume = next(
            (
                i
                for i in range(position + 1, min(len(lines), position + 1 + INLINE_BOX))
                if lines[i].index not in decisions.reasons and signals.is_prose(lines[i])
            ),
            None,
        )
        if resume is not None and below * SECTION_RATIO > above:
            for line in lines[position:resume]:
                decisions.reasons.setdefault(line.index, rule.reason)
            continue
        if above > 0 and above >= below:
            for line in lines[position:]:  # one block, one reason: the header's rule
                decisions.reasons[line.index] = rule.reason
            return (first, min(last, position - 1))
    return span


def _flag(decisions: Decisions, indexes: set[int], name: str) -> None:
    for index in sorted(indexes):
        decisions.reasons.setdefault(index, f"signals:{name}")


def _title(lines: Sequence[Line], start: int, decisions: Decisions) -> int | None:
    """The headline: the nearest headline-like line above the body that no rule removed."""
    for position in range(start - 1, max(-1, start - 1 - TITLE_LOOKBACK), -1):
        line = lines[position]
        reason = decisions.reasons.get(line.index)
        if reason is not None and reason not in ("signals:menu_run", "signals:listing"):
            continue
        if (
            3 <= line.units <= 40
            and not line.terminal
            and not line.teaser_end
            and not signals.is_date_line(line)
        ):
            return position
    return None


def _in_line_changes(lines: Sequence[Line], rules: RuleSet, text: str, decisions: Decisions) -> None:
    """Kept lines in which a ``paragraph`` rule finds its pattern go (the first such rule's
    reason); from the other kept lines, ``sentence`` rules cut the sentences they find.

    One look per line serves both kinds (see ``RuleSet.in_line_rules``); a line removed
    by a paragraph rule is not looked at for sentences.
    """
    if not rules.paragraph and not rules.sentence:
        return
    # a line longer than every paragraph rule's limit is looked at only for sentences
    longest = rules.max_words.get("paragraph", -1) if not rules.sentence else None
    reasons, in_line_rules = decisions.reasons, rules.in_line_rules
    for line in lines:
        if line.index in reasons or (longest is not None and line.units > longest):
            continue
        first_paragraph, sentences = in_line_rules(line.text, line.units, line.folded)
        if first_paragraph >= 0:
            _record([(line, rules.paragraph[first_paragraph])], False, decisions)
            continue
        if sentences:
            _sentence_changes(line, [(s, e, rules.sentence[i]) for s, e, i in sentences], text, decisions)


def _sentence_changes(
    line: Line, sentences: list[tuple[int, int, Rule]], text: str, decisions: Decisions
) -> None:
    """Cut the sentences found in ``line``, each with one run of spaces beside it: the space
    before it, or after it when it starts the line or follows another cut (two neighbouring
    cuts must not both take the space between them); cuts that cover the whole line are a
    line removal."""
    cuts: list[Change] = []
    for sentence_start, sentence_end, rule in sentences:
        start, end = line.start + sentence_start, line.start + sentence_end
        floor = cuts[-1].end if cuts else line.start
        sentence_start = start
        while start > floor and text[start - 1] in " \t":  # take the space before it with it
            start -= 1
        if start == sentence_start:  # none before it (line start, or a cut): the space after it
            while end < line.end and text[end] in " \t":
                end += 1
        cuts.append(Change(start, end, "", rule.reason))
    whole = cuts[0].start == line.start and cuts[-1].end == line.end
    if whole and all(left.end == right.start for left, right in zip(cuts, cuts[1:], strict=False)):
        decisions.reasons[line.index] = cuts[0].rule
        return
    decisions.changes.extend(cuts)


def _line_changes(lines: Sequence[Line], decisions: Decisions, text: str) -> None:
    """One change per run of consecutive removed lines that share a reason.

    A run takes the line breaks after it, so no blank line is left where it was; the first
    run of the removed tail takes the line break after the last kept line instead, so the
    text does not end in blank lines.
    """
    reasons = [decisions.reasons.get(line.index) for line in lines]
    runs = [(reason, len(list(run))) for reason, run in groupby(reasons)]
    position, tail = 0, -1  # tail: where the removed tail starts, after the last kept line
    for reason, size in runs:
        position += size
        if reason is None:
            tail = position
    position = 0
    for reason, size in runs:
        if reason is not None:
            last = position + size - 1
            start = lines[position].start
            end = lines[last + 1].start if last + 1 < len(lines) else len(text)
            if position == tail:
                start = lines[position - 1].end
                end = lines[last].end if last + 1 < len(lines) else len(text)
            decisions.changes.append(Change(start, end, "", reason))
        position += size


def decide(
    text: str,
    rules: RuleSet,
    enabled: frozenset[str] = frozenset(SIGNALS),
    gap_cost: float = 3.0,
    title: str | None = None,
    memo: dict[str, Shape] | None = None,
    lines: list[Line] | None = None,
    keep_comments: bool = False,
    extracted: bool = False,
) -> Decisions:
    """Decide every line of ``text``; ``enabled`` names the signals in use.

    ``title``, when the metadata already holds it (HTML, an exported dataset), says the
    headline is known; the headline line stays either way (the text begins with its
    headline, as a cleaned dump does, so cleaning an exported text again changes nothing);
    without it the headline above the body is looked for and kept.
    ``memo`` is passed to :func:`.split_lines` (a caller deciding a text again keeps it);
    ``lines``, when the caller has them (see :func:`.lines_left`), spares splitting ``text``.
    ``keep_comments`` leaves comment threads in: the packs' comments headers are not applied.
    ``extracted``: the text is an HTML extractor's (see :func:`_guard_extraction`).
    """
    if rules.disabled:
        enabled = frozenset(name for name in enabled if f"signals:{name}" not in rules.disabled)
    if lines is None:
        lines = split_lines(text, memo)
    decisions = Decisions(lines=lines)
    if not lines:
        return decisions
    removed, found_heads = _whole_line_matches(lines, rules)
    if keep_comments:
        found_heads = [
            (line, rule) for line, rule in found_heads if rule.reason.rpartition(":")[2] != COMMENT_HEADERS
        ]
    _record(removed, True, decisions)
    heads = [(line.index, rule) for line, rule in found_heads]
    for position, rule in heads:
        decisions.reasons.setdefault(position, rule.reason)
    # the page above a comment thread: the thread goes whole, and its dated records must not
    # make a listing of the article's own dateline, so the signals look above it only
    page = lines
    thread = next(
        ((p, rule) for p, rule in heads if "comment_thread" in enabled and signals.opens_thread(lines, p)),
        None,
    )
    if thread is not None:
        start, rule = thread
        for line in lines[start:]:
            decisions.reasons[line.index] = rule.reason
        page = lines[:start]
    elif "comment_thread" in enabled:
        found = signals.comment_thread(lines, {position for position, _ in heads})
        if found is not None:
            start, stop = found
            for line in lines[start:stop]:
                decisions.reasons[line.index] = "signals:comment_thread"
            page = lines[:start]
    lists = signals.article_lists(page) | signals.numbered_lists(page) | signals.wrapped_sentences(page)
    repeated: set[int] = set()
    if "repeated" in enabled:
        repeated = signals.repeated_lines(page, doubled=not extracted, lists=lists)
        _flag(decisions, repeated, "repeated")
    if "caption_credit" in enabled:
        credits = {index for index, reason in decisions.reasons.items() if "credit" in reason}
        _flag(decisions, signals.caption_credit(page, repeated, credits), "caption_credit")
    if "teaser" in enabled:
        _flag(decisions, signals.teaser_lines(page, decisions.reasons), "teaser")
    if "listing" in enabled:
        _flag(decisions, signals.listing(page), "listing")
    if "menu_run" in enabled:
        _flag(decisions, signals.menu_run(page, lists=lists), "menu_run")
    span = signals.body_span(lines, decisions.reasons, gap_cost, lists) if "zones" in enabled else None
    if span is not None:
        span = (span[0], signals.extend_tail(lines, span[1], decisions.reasons))
        span = _cut_block(lines, heads, span, decisions)
        decisions.body = span
        first, last = span
        headline = _title(lines, first, decisions) if "title" in enabled else None
        datelines = "dateline" in enabled
        for position, line in enumerate(lines[:first]):  # the headline, if any, is up here
            if position == headline:
                decisions.reasons.pop(line.index, None)
                decisions.title = position
                continue
            if datelines and line.dated:
                decisions.meta.setdefault("date", line.text)
            decisions.reasons.setdefault(line.index, "signals:header_zone")
        for line in lines[last + 1 :]:
            decisions.reasons.setdefault(line.index, "signals:footer_zone")
    else:  # no zones, or no prose to find a body by: all is body, teaser headers still cut
        _cut_block(lines, heads, (0, len(lines) - 1), decisions)
    _in_line_changes(lines, rules, text, decisions)
    if extracted:
        span = _guard_article(lines, rules, decisions)
        _guard_guesses(lines, rules, decisions, span)
        _guard_extraction(lines, decisions)
    _line_changes(lines, decisions, text)
    return decisions


def _guard_article(lines: Sequence[Line], rules: RuleSet, decisions: Decisions) -> tuple[int, int] | None:
    """On an extractor's text, a long prose line inside the article stays unless a ``strong``
    rule removed it, and so does a byline or dateline above the first paragraph.

    The lines under the headline (who wrote it, when) are the head of the article the
    extractor found in the markup: a rule that copies them into the metadata (``keep_as``)
    still does, and the text keeps them where the extractor put them.

    A rule that is not ``strong`` (a credit, a contact line, a legal notice) matches a few
    words of a line; on a short line those words are most of it, on a paragraph of full
    sentences between two others they are a credit at the end of a caption or a note quoting
    a copyright. The extractor kept the paragraph in the article; one match is too little
    evidence against that. The article runs from the first to the last line of
    ``ARTICLE_LINE_UNITS`` or more that reads as prose, counting the lines such a rule
    removed (they are the ones in question) but not those a strong rule, a block or a thread
    removed, so the span is the same when the kept text is decided again. Returns the span
    (positions of its first and last long lines), or None when fewer than three lines are long.
    """
    reasons, weak = decisions.reasons, rules.weak
    for line in lines:  # the article's head, above its first paragraph
        if line.prose:
            break
        if reasons.get(line.index) in rules.metadata:
            del reasons[line.index]
    long_prose = [
        position
        for position, line in enumerate(lines)
        if line.prose
        and line.units >= ARTICLE_LINE_UNITS
        and (line.index not in reasons or reasons[line.index] in weak)
    ]
    if len(long_prose) < 3:
        return None
    for line in lines[long_prose[0] + 1 : long_prose[-1]]:
        if line.units >= ARTICLE_LINE_UNITS and line.prose and reasons.get(line.index) in weak:
            del reasons[line.index]
    return long_prose[0], long_prose[-1]


def _guard_guesses(
    lines: Sequence[Line], rules: RuleSet, decisions: Decisions, span: tuple[int, int] | None
) -> None:
    """On an extractor's text, a guess removes a line only with the second signal
    ``GUESS_NEEDS`` names.

    A guess is a ``paragraph`` rule that is not ``strong``: its words (an address, a credit,
    a copyright phrase, "is a writer") are a few of the line's, and the rest of the line can
    be anything, so the words alone say little on a text the extractor already cut by its
    markup. What a site's chrome has that an article line has not is its place: it stands
    outside the article (above the first or below the last long prose line of ``span``), or
    in a run of chrome, beside a line that other evidence removed (a ``strong`` rule, a
    whole-line rule, a block). ``GUESS_NEEDS``: ``anywhere`` (the words are enough),
    ``outside``, ``outside_or_beside``, ``beside``, ``never``.
    """
    if GUESS_NEEDS == "anywhere":
        return
    reasons, guesses = decisions.reasons, rules.guesses
    first, last = span if span is not None else (len(lines), -1)
    spared = []
    for position, line in enumerate(lines):
        if reasons.get(line.index) not in guesses:
            continue
        outside = not first < position < last
        beside = any(
            0 <= other < len(lines) and _other_evidence(reasons.get(lines[other].index), guesses)
            for other in (position - 1, position + 1)
        )
        if not _second_signal(outside, beside):
            spared.append(line.index)
    for index in spared:
        del reasons[index]


def _other_evidence(reason: str | None, guesses: frozenset[str]) -> bool:
    """Whether a line was removed, and by something other than a guess."""
    return reason is not None and reason not in guesses


def _second_signal(outside: bool, beside: bool) -> bool:
    """Whether a guess's line has the second signal ``GUESS_NEEDS`` asks for."""
    return {
        "outside": outside,
        "outside_or_beside": outside or beside,
        "beside": beside,
        "never": False,
    }.get(GUESS_NEEDS, True)


def _guard_extraction(lines: Sequence[Line], decisions: Decisions) -> None:
    """On an extractor's text, signals that would take more than ``EXTRACTED_MAX_REMOVED`` of
    its units lose their say: the extractor read the markup, a line shape is weaker evidence.
    Pack removals (a rule's words) stay."""
    total = sum(line.units for line in lines)
    removed = sum(line.units for line in lines if line.index in decisions.reasons)
    if not total or removed <= EXTRACTED_MAX_REMOVED * total:
        return
    for index, reason in list(decisions.reasons.items()):
        if reason.startswith("signals:"):
            del decisions.reasons[index]
