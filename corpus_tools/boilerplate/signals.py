"""Text-only boilerplate signals: pure functions from line features to the lines they flag.

Each signal looks at the shape of lines and their neighbours, never at a word list, so it
carries over to sites and languages nobody wrote a rule for. A signal returns the indexes
(into the list of non-blank lines) it would remove; :mod:`.combine` turns those into one
decision per line with the signal's name as the reason (``signals:<name>``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from functools import cache, lru_cache

from corpus_tools.boilerplate.lines import LONG_UNITS, PROSE_UNITS, Line, fold


@cache
def _cycle_runs(period: int, min_repeats: int) -> re.Pattern[str]:
    """Longest runs of positions (``min_repeats - 1`` cycles or more) whose shape letter
    recurs ``period`` lines later: the stretches of a shape string that follow a cycle."""
    gap, least = period - 1, max(1, (min_repeats - 1) * period)
    return re.compile(rf"(?:(.)(?=.{{{gap}}}\1)){{{least},}}")


def is_prose(line: Line) -> bool:
    """A line that reads as article text (``Line.prose``, decided once in :mod:`.lines`)."""
    return line.prose


def is_headline_like(line: Line) -> bool:
    """A headline or teaser title: several words, a capital first, no final stop
    (``Line.headline``, decided once in :mod:`.lines`)."""
    return line.headline


def is_date_line(line: Line) -> bool:
    """A short line that is mostly a date or a time stamp: the dateline of an item."""
    return line.dated


def shape(line: Line) -> str:
    """One letter per line for pattern matching: Prose, Date, Headline, Short.

    A date line is a D, else prose a P, else a headline-like line an H (``Line.letter``,
    decided once in :mod:`.lines`).
    """
    return line.letter


LIST_SCORE = 1.0  # what a line of an article's list scores in a body span, as a list item does
GAP_RUN = 6  # costly lines in a row in a body span after which each further one costs more


def body_span(
    lines: Sequence[Line], removed: Container[int], gap_cost: float = 3.0, lists: Container[int] = ()
) -> tuple[int, int] | None:
    """The article body: the run of lines that maximises prose minus everything else.

    This is body-text extraction (Finn et al.'s BTE) at line level: prose lines score their
    length, every other line costs ``gap_cost`` (lines already removed by a rule or signal
    cost double), and the best-scoring contiguous run is the body. Header and footer zones
    are what lies outside it. Short lines inside the body (subheadings, list items, table
    cells) survive because the prose around them pays for them; a long menu does not.
    Past ``GAP_RUN`` costly lines in a row, the n-th costs ``n / GAP_RUN`` times more, so a gap's
    cost grows with the square of its length: an article's subheadings and captions come a
    few at a time, while a wall of sidebar links, teaser headlines or a comment form is long,
    and the long prose lines beyond it (a sidebar's blurb, a disclaimer) would otherwise pay
    for bridging it. The cost grows smoothly, with no step at a fitted length where a gap
    one line longer costs three times more.
    What a kept line scores is ``Line.body_score``, decided once in :mod:`.lines`; a line of
    ``lists`` (:func:`article_lists`) scores as a list item.

    A line scores ``MAX_BODY_SCORE`` at most, so that one long sidebar blurb or disclaimer does
    not outweigh an article. But a short post may be one long paragraph, and a list of headlines
    that each read as a short sentence then outscores it. So the page's longest paragraph (a
    prose line that ends as a sentence) gets its full length back in one comparison: when the
    best run through it lies apart from the best span and, so scored, beats it, that run is
    the body. A disclaimer under an article is no rival: the run through it holds the article.
    """
    scores = _span_scores(lines, removed, gap_cost, lists)
    best, best_span = 0.0, None
    running, run_start = 0.0, 0
    for position, score in enumerate(scores):
        if running <= 0:
            running, run_start = 0.0, position
        running += score
        if running > best:
            best, best_span = running, (run_start, position)
    longest = _longest_paragraph(lines, removed)
    if best_span is None or longest is None or best_span[0] <= longest <= best_span[1]:
        return best_span
    through, score = _span_through(scores, longest)
    apart = through[1] < best_span[0] or through[0] > best_span[1]
    if apart and score + lines[longest].units - lines[longest].body_score > best:
        return through
    return best_span


def _span_scores(
    lines: Sequence[Line], removed: Container[int], gap_cost: float, lists: Container[int]
) -> list[float]:
    """What each line adds to a body span that holds it (see :func:`body_span`)."""
    scores: list[float] = []
    removed_cost, gap = -2 * gap_cost, -gap_cost
    in_gap = 0  # lines in a row that cost the span
    for line in lines:
        if line.index in removed:
            score = removed_cost
        else:
            score = line.body_score or (LIST_SCORE if line.index in lists else gap)
        in_gap = in_gap + 1 if score < 0 else 0
        if in_gap > GAP_RUN:
            score *= in_gap / GAP_RUN
        scores.append(score)
    return scores


def _longest_paragraph(lines: Sequence[Line], removed: Container[int]) -> int | None:
    """The position of the page's longest paragraph (a kept prose line that ends as a sentence
    and is no run of names), or None."""
    best, at = 0, None
    for position, line in enumerate(lines):
        if line.index in removed or not line.prose or not line.terminal or not line.body_score:
            continue
        if line.units > best:
            best, at = line.units, position
    return at


def _span_through(scores: Sequence[float], position: int) -> tuple[tuple[int, int], float]:
    """The best-scoring run of ``scores`` that holds ``position``, and its score: the best run
    ending there, extended by the best run starting right after it when that adds anything."""
    start, total, before = position, 0.0, float("-inf")
    for p in range(position, -1, -1):
        total += scores[p]
        if total > before:
            before, start = total, p
    stop, total, after = position, 0.0, 0.0
    for p in range(position + 1, len(scores)):
        total += scores[p]
        if total > after:
            after, stop = total, p
    return (start, stop), before + after


# A quantity: a count that opens the line ("2 Eggs", "½ Lemon"), or a number and a short unit
# ("200 g", "45 cm", "6.5 kg", "2 EL", "20 %").
_NUMBER = r"(?:\d+(?:[.,/]\d+)?|[½¼¾⅓⅔⅛])"
QUANTITY = re.compile(rf"^{_NUMBER}\s|(?<![\w.,]){_NUMBER}\s?(?:%|°|[^\W\d_]{{1,4}}\b)")
LIST_ITEM_UNITS = 7  # a list item of an article (an ingredient, a measurement, a thing to pack) at most
LEAD_IN_UNITS = 3  # a list's own first line that ends in a colon opens it from this length ("Tags:" does not)


def measured(line: Line) -> bool:
    """Whether ``line`` holds a quantity (:data:`QUANTITY`): an ingredient, a measurement."""
    return QUANTITY.search(line.text) is not None


def article_lists(lines: Sequence[Line]) -> set[int]:
    """Runs of short lines that are lists of the article, not chrome: their indexes.

    An article introduces its lists with its own text: an ingredient list, a product's
    measurements or a listicle's items stand right under a paragraph, with their headings
    ("Ingredients", "Care") among them. A run of short lines (no prose, no date line) with
    prose right above it is such a list when half of its lines or more hold a quantity
    (menus and teasers do not measure), or when a lead-in opens it (the paragraph above, or
    the run's first line of ``LEAD_IN_UNITS`` or more, ends in a colon: "What to pack:") and
    prose follows right below it. Prose above and below alone is no evidence: a sidebar, a
    comment form or a tag list between the article and a comment stand so too.
    """
    found: set[int] = set()
    run: list[int] = []
    for position, line in enumerate([*lines, None]):
        if line is not None and not line.prose and not line.dated and line.units <= LIST_ITEM_UNITS:
            run.append(position)
            continue
        if len(run) >= 2 and run[0] > 0:
            listed, quantities = _listed_run(lines, run, below=line is not None and line.prose)
            found.update(listed)
            if listed and quantities:
                found.update(_method(lines, run[-1] + 1))
        run = []
    return found


METHOD_LINES = 12  # lines after an ingredient list within which its method ends in a sentence


def _method(lines: Sequence[Line], start: int) -> list[int]:
    """The indexes of the steps that follow an ingredient list, when they end in a sentence.

    A recipe prints its method right under its ingredients; a scraper that drops the step
    numbers leaves steps that often have no full stop ("Peel and slice the apples"), shaped
    like headlines. Short lines right after a measured list, up to a line that ends as a
    sentence within ``METHOD_LINES``, are that method: a sidebar or a footer under a list
    does not end in a sentence.
    """
    steps: list[int] = []
    for line in lines[start : start + METHOD_LINES]:
        if line.dated or line.units > LONG_UNITS:
            return []
        steps.append(line.index)
        if line.terminal and line.units >= LEAD_IN_UNITS:
            return steps
        if line.prose:
            return []
    return []


def _listed_run(lines: Sequence[Line], run: list[int], below: bool) -> tuple[list[int], bool]:
    """The indexes of the run of short lines at positions ``run`` if it is an article's list
    (see :func:`article_lists`; ``below``: prose follows it), with its lead-in line; and
    whether half of its lines or more hold a quantity (an ingredient list, whose method
    follows it)."""
    above, first = lines[run[0] - 1], lines[run[0]]
    # a lead-in may be a sentence too short to read as prose: "We asked readers, and they said:"
    lead_line = above.text.endswith(":") and above.units >= PROSE_UNITS
    if not above.prose and not lead_line:
        return [], False
    lead_in = lead_line or (first.text.endswith(":") and first.units >= LEAD_IN_UNITS)
    quantities = 2 * sum(measured(lines[p]) for p in run) >= len(run)
    if quantities and above.prose:
        return [lines[p].index for p in run], quantities
    if lead_in and below:
        return [lines[p].index for p in run] + ([] if above.prose else [above.index]), quantities
    return [], quantities


# A numbered item: "1. Preheat the oven", "2) Tent and pegs" (a "Step 3" label line is not one).
NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+\S")
NUMBERED_ITEMS = 3  # consecutive numbers from 1 that make an article's numbered list


def numbered_lists(lines: Sequence[Line]) -> set[int]:
    """The lines of an article's numbered lists: ``NUMBERED_ITEMS`` or more lines in a row
    numbered 1, 2, 3, ... (a recipe's steps, a listicle's items, an instruction's stages).

    An article numbers its list because its order matters; a menu, a tag list or a share bar
    never counts its entries. Each line of such a run is the article's, whatever its ending
    (recipe steps often have no full stop).
    """
    found: set[int] = set()
    run: list[int] = []
    for line in [*lines, None]:
        match = NUMBERED.match(line.text) if line is not None else None
        number = int(match.group(1)) if match is not None else 0
        if line is not None and number == len(run) + 1:
            run.append(line.index)
            continue
        if len(run) >= NUMBERED_ITEMS:
            found.update(run)
        run = [line.index] if line is not None and number == 1 else []
    return found


WRAP_ENDS = (",", ";", "-", "–", "—")
VERSE_UNITS = 3  # a line of a wrapped sentence has at least this many units ("Reply", "oh joy" do not)


def _wraps(line: Line) -> bool:
    """Whether ``line`` stops inside a sentence: it ends in a comma, a dash, or a lower-case word
    of letters (not a stamp's "pm" or a link's "Permalink")."""
    if line.text.endswith(WRAP_ENDS):
        return True
    last = line.text.rsplit(" ", 1)[-1]
    return last.isalpha() and last[0].islower() and not line.dated and TIME_OF_DAY.search(line.text) is None


def wrapped_sentences(lines: Sequence[Line]) -> set[int]:
    """The lines of sentences broken over several lines: a poem's verses, a hard-wrapped text.

    A line that stops inside a sentence (a comma, a dash, a lower-case word at its end) and is
    followed by a line that starts in lower case is continued there; a group of such lines that
    ends as a sentence and holds ``PROSE_UNITS`` or more is prose, though no line of it is long
    enough to read as prose alone. Each line holds ``VERSE_UNITS`` or more: a one-word button
    ("Reply") or a tag stops nowhere in a sentence. Menus, tags and headlines start with a
    capital, end in a capitalised word, and do not end as sentences.
    """
    found: set[int] = set()
    group: list[Line] = []
    for line in [*lines, None]:
        if (
            line is not None
            and group
            and _wraps(group[-1])
            and line.text[0].islower()
            and VERSE_UNITS <= line.units < LONG_UNITS
            and "://" not in line.text
            and not line.dated
            and TIME_OF_DAY.search(line.text) is None
        ):
            group.append(line)
            continue
        if len(group) >= 2 and group[-1].terminal and sum(item.units for item in group) >= PROSE_UNITS:
            found.update(item.index for item in group)
        group = [line] if line is not None and VERSE_UNITS <= line.units < LONG_UNITS else []
    return found


def menu_run(lines: Sequence[Line], min_run: int = 3, lists: Container[int] = ()) -> set[int]:
    """Runs of ``min_run`` or more menu-like lines (``Line.menu_like``): navigation, tag clouds,
    share buttons. A run whose lines hold quantities, half of them or more, is an ingredient
    list or a product's measurements: menus do not measure. Lines of ``lists`` (indexes:
    :func:`article_lists`) are the article's and break a run."""
    flagged: set[int] = set()
    run: list[Line] = []
    for line in [*lines, None]:
        if line is not None and line.menu_like and line.index not in lists:
            run.append(line)
            continue
        if len(run) >= min_run and 2 * sum(measured(item) for item in run) < len(run):
            flagged.update(item.index for item in run)
        run = []
    return flagged


def teaser_lines(lines: Sequence[Line], removed: Container[int] = ()) -> set[int]:
    """Teaser blurbs ("... the push to end the war is intensifying [...]") and their titles.

    A blurb is a sentence-length line that trails off. One ending in "[...]", or one next to
    another blurb or under a headline-like line, is a teaser (the headline goes with it); a
    lone "..." in the middle of prose is kept. A scraper that glues a teaser's fields into one
    line leaves the cut inside it ("Title… May09 The blurb… Read more"): ``GLUED_RECORDS`` such
    lines together are teasers too (:func:`_together`).
    """
    flagged: set[int] = set()
    trailing = {i for i, line in enumerate(lines) if line.teaser_end and line.units >= TRAILING_UNITS}
    records = [i for i, line in enumerate(lines) if line.units >= TRAILING_UNITS and _cut_inside(line)]
    trailing.update(_together(records))
    ordered = sorted(trailing)
    beside = {p: (group[0] - 1, group[-1] + 1) for group in clusters(ordered, 1) for p in group}
    for i in ordered:
        if _quoted_in_article(lines, i, beside[i], removed):
            continue
        near = any(j in trailing for j in range(i - TEASER_NEAR, i + TEASER_NEAR + 1) if j != i)
        after_headline = i > 0 and is_headline_like(lines[i - 1]) and not lines[i - 1].text.endswith(":")
        bracketed = lines[i].text.rstrip().endswith("]")
        if near or after_headline or bracketed:
            flagged.add(lines[i].index)
            if after_headline:
                flagged.add(lines[i - 1].index)
    return flagged


# A field cut short inside a line: an ellipsis with more text after it ("Title of the… Aug09 The
# blurb… Read Article"), where a scraper glued a teaser's title, date, blurb and link into one line.
INNER_CUT = re.compile(r"(?:\.\.\.|…)(?=\s+\S)")
TRAILING_UNITS = 12  # a line cut short is a teaser's blurb from this length ("More..." is a label)
TEASER_NEAR = 3  # lines within which teasers stand together
GLUED_RECORDS = 3  # lines cut inside, within TEASER_NEAR of each other, that make a teaser list


def _cut_inside(line: Line) -> bool:
    """Whether a field of ``line`` is cut short inside it (an ellipsis with text after it)."""
    return ("…" in line.text or "..." in line.text) and INNER_CUT.search(line.text) is not None


def _together(positions: Sequence[int]) -> set[int]:
    """The positions (sorted) that stand in a group of ``GLUED_RECORDS`` or more, each within
    ``TEASER_NEAR`` lines of the next: one ellipsis in a paragraph is a writer's, the same cut in
    three lines in a row is a template's (a teaser list whose records were glued into lines)."""
    return {
        position
        for group in clusters(positions, TEASER_NEAR)
        if len(group) >= GLUED_RECORDS
        for position in group
    }


def clusters(positions: Iterable[int], within: int) -> Iterator[list[int]]:
    """``positions`` (sorted) in groups, each position within ``within`` of the one before it:
    the records of one teaser list, listing or comment thread."""
    group: list[int] = []
    for position in positions:
        if group and position - group[-1] > within:
            yield group
            group = []
        group.append(position)
    if group:
        yield group


def _quoted_in_article(
    lines: Sequence[Line], i: int, beside: tuple[int, int], removed: Container[int]
) -> bool:
    """Whether the line ``i`` that ends in "[...]" (with the trailing lines next to it) is an
    excerpt inside the article: article prose that does not trail off stands right above and right
    below the group (``beside``: the positions just outside it; kept: not in ``removed``, which
    captions are), where a teaser list has headlines, sources, captions and dates around its
    blurbs."""
    if not lines[i].text.rstrip().endswith("]"):
        return False  # an editor's "[...]": a bare "..." cuts captions and teasers as often
    above, below = beside
    return (
        above >= 0
        and below < len(lines)
        and lines[above].prose
        and lines[below].prose
        and lines[above].index not in removed
        and lines[below].index not in removed
        and not lines[above].teaser_end
        and not lines[below].teaser_end
    )


def repeated_lines(
    lines: Sequence[Line],
    min_units: int = 3,
    min_count: int = 3,
    doubled: bool = True,
    lists: Container[int] = (),
) -> set[int]:
    """Captions and template lines printed more than once.

    A line printed twice in a row is an image's alt text next to its caption (``doubled``);
    a line with no sentence ending printed three times or more in one page is a widget (a
    caption carousel, a promo). Article paragraphs are not repeated, so every copy goes;
    sentences that recur (an interview's standing questions) are kept. An HTML extractor
    does not print alt text, so on its text (``doubled=False``) lines in a row that say the
    same are the author's (a refrain), and only widgets go. A line of an article's list
    (``lists``: :func:`article_lists`) is no widget: a recipe repeats an ingredient in each of
    its lists ("2 tbsp sugar" for the base and for the topping).
    """
    keys = [line.key if line.units >= min_units and not line.listed else "" for line in lines]
    looked_at = [key for key in keys if key]
    if len(set(looked_at)) == len(looked_at):  # no line printed twice (most pages)
        return set()
    counts = Counter(keys)
    flagged: set[int] = set()
    for i, key in enumerate(keys):
        if not key:
            continue
        widget = counts[key] >= min_count and not lines[i].terminal and lines[i].index not in lists
        twice = doubled and i + 1 < len(keys) and keys[i + 1] == key
        if widget or twice:
            flagged.add(lines[i].index)
            if twice:
                flagged.add(lines[i + 1].index)
    return flagged


def extend_tail(lines: Sequence[Line], last: int, removed: Container[int], limit: int = 3) -> int:
    """Move the body's end over a few short closing lines: "(Reporting by ...)", "— Name".

    The body span ends at its last scoring line; an article's closing sentence, an
    attribution or an editor's note often is too short to score, but it ends like a
    sentence or is bracketed, where the footer that follows is menus and links.
    """
    end = last
    while end + 1 < len(lines) and end - last < limit:
        line = lines[end + 1]
        closing = line.terminal or line.text.startswith(("(", "[", "—", "–", "― ")) or line.text.endswith(")")
        if line.index in removed or not closing or line.units > LONG_UNITS or line.units < 2:
            break
        end += 1
    return end


def caption_credit(lines: Sequence[Line], captions: Container[int], credits: Container[int] = ()) -> set[int]:
    """Photo furniture found from its neighbour: the credit under a caption, the caption over a credit.

    The short line right after a caption (no sentence ending) is its credit; the line right
    above a photographer's credit ("Name/Agency", found by a rule) is its caption.
    """
    flagged: set[int] = set()
    for i in range(1, len(lines)):
        line, above = lines[i], lines[i - 1]
        if above.index in captions and line.index not in captions and line.units <= 6 and not line.terminal:
            flagged.add(line.index)
        if line.index in credits and "/" in line.text and above.units <= 40 and above.index not in credits:
            flagged.add(above.index)
    return flagged


def listing(lines: Sequence[Line], min_repeats: int = 3) -> set[int]:
    """Teaser lists and comment threads: the same record shape repeated, or dated items.

    A teaser list prints records of the same shape (headline, source, date, blurb) one
    after the other, and a comment thread dates every comment. Articles alternate prose
    and headings irregularly and rarely print a bare date line, so a shape cycle repeated
    ``min_repeats`` times that holds a date line (or one short blurb and two or more
    title/source lines), or three dated items close together, marks a listing. A record
    that holds paragraphs in a row is a post under its dateline, and stays
    (:func:`_teaser_records`).
    """
    listed, blurb_blocks = _listing_spans("".join([line.letter for line in lines]), min_repeats)
    flagged: set[int] = set()
    for start, stop in listed:
        if not _live_updates(lines, start, stop):
            flagged.update(line.index for line in _teaser_records(lines, start, stop))
    for block_start, start, stop in blurb_blocks:
        if _clocked_updates(lines, block_start, stop):
            continue
        prose = [line.units for line in lines[block_start:stop] if is_prose(line)]
        if prose and sum(prose) / len(prose) < BLURB_UNITS:  # short blurbs, not article paragraphs
            flagged.update(line.index for line in lines[start:stop])
    return flagged


def _live_updates(lines: Sequence[Line], start: int, stop: int) -> bool:
    """Whether the dated records in ``lines[start:stop]`` are a live blog's updates: most dates
    head a headline with prose under it (:func:`_titled`), and the records hold more prose
    than a teaser's blurb (``BLURB_UNITS`` a record on average)."""
    dated = [p for p in range(start, stop) if lines[p].dated]
    if not dated or 2 * sum(_titled(lines, p) for p in dated) <= len(dated):
        return False
    prose = sum(line.units for line in lines[start:stop] if line.prose)
    return prose >= BLURB_UNITS * len(dated)


# A stamp that is only a time of day: "14:05", "11:05 BST", "10.42 am", "9h30".
CLOCK = re.compile(r"^(\d{1,2})[:h.](\d\d)(?:\s?[^\W\d_]{1,4}\.?){0,2}$")
CLOCK_UNITS = 3


def _clock(line: Line) -> tuple[int, str] | None:
    """The minute of the day of a time-only stamp, and its format (digits as 0), or None."""
    if line.units > CLOCK_UNITS:
        return None
    match = CLOCK.match(line.text)
    if match is None or int(match.group(1)) > 24 or int(match.group(2)) > 59:
        return None
    return int(match.group(1)) * 60 + int(match.group(2)), re.sub(r"\d+", "0", line.text)


def _clocked_updates(lines: Sequence[Line], start: int, stop: int) -> bool:
    """Whether ``lines[start:stop]`` holds a live blog's updates stamped with a time alone.

    A live blog stamps its updates with the time of day when the day is the page's: its stamps
    run in time order (newest first, or oldest first), all in one format, and every update
    holds prose of its own under its stamp. A teaser list's times are not the page's order of
    anything written there, and its records are titles, not prose.
    """
    stamps = [(p, clock) for p in range(start, stop) if (clock := _clock(lines[p])) is not None]
    if len(stamps) < THREAD_STAMPS or len({form for _, (_, form) in stamps}) > 1:
        return False
    minutes = [minute for _, (minute, _) in stamps]
    ordered = all(a <= b for a, b in zip(minutes, minutes[1:], strict=False)) or all(
        a >= b for a, b in zip(minutes, minutes[1:], strict=False)
    )
    if not ordered or len(set(minutes)) < 2:
        return False
    bounds = [p for p, _ in stamps] + [min(len(lines), stop + RECORD_GAP)]
    return all(any(line.prose for line in lines[a + 1 : b]) for a, b in zip(bounds, bounds[1:], strict=False))


def _teaser_records(lines: Sequence[Line], start: int, stop: int) -> list[Line]:
    """The lines of the listing ``lines[start:stop]`` less its records that are posts.

    The records are cut at the date lines. A teaser prints one blurb under its title; a
    record with ``POST_PARAGRAPHS`` prose lines in a row is a post under its dateline (a blog
    prints the post between its date and the next, or the page's archive), not a teaser.
    """
    dated = [p for p in range(start, stop) if lines[p].dated]
    bounds = [start, *dated[1:], stop]
    kept: list[Line] = []
    for first, last in zip(bounds, bounds[1:], strict=False):
        record = lines[first:last]
        if not _paragraphs_in_a_row(record, POST_PARAGRAPHS):
            kept.extend(record)
    return kept


def _paragraphs_in_a_row(lines: Sequence[Line], count: int) -> bool:
    """Whether ``count`` prose lines follow each other in ``lines``."""
    run = 0
    for line in lines:
        run = run + 1 if line.prose else 0
        if run >= count:
            return True
    return False


POST_PARAGRAPHS = 3  # prose lines in a row that make a listing's record a post, not a teaser
LISTING_CACHE_SIZE = 4096
BLURB_UNITS = 40  # a teaser's blurb is shorter than this on average; article paragraphs are not


@lru_cache(maxsize=LISTING_CACHE_SIZE)
def _listing_spans(
    shapes: str, min_repeats: int
) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int, int], ...]]:
    """What :func:`listing` can tell from the shape letters alone: the ``(start, stop)`` spans
    of lines it flags, and the ``(block start, start, stop)`` of the cycles with one prose
    line, flagged if their prose lines are short blurbs. Cached: a site's pages print the
    same template, so the same letters recur, and the cycle search is most of the work.
    """
    listed: list[tuple[int, int]] = []
    blurb_blocks: list[tuple[int, int, int]] = []
    n = len(shapes)
    for period in range(2, 7):
        if n < min_repeats * period:  # too few lines for this cycle, or any longer one, to repeat
            break
        for run in _cycle_runs(period, min_repeats).finditer(shapes):
            i, j = run.span()
            span = j - i + period  # lines from i that follow the cycle
            cycle = shapes[i : i + period]
            if span < min_repeats * period or len(set(cycle)) < 2:
                continue
            start = i + next(k for k, s in enumerate(cycle) if s != "P")  # records open with a title
            if "D" in cycle:
                listed.append((start, i + span))
            elif cycle.count("P") == 1 and len(cycle) >= 3:
                blurb_blocks.append((i, start, i + span))
    dated = [i for i, s in enumerate(shapes) if s == "D"]
    for cluster in clusters(dated, 8):
        if len(cluster) >= min_repeats:
            gap = max(
                1, round(sum(b - a for a, b in zip(cluster, cluster[1:], strict=False)) / (len(cluster) - 1))
            )
            first, last = max(0, cluster[0] - 1), min(n - 1, cluster[-1] + gap - 1)
            listed.append((first, last + 1))
    return tuple(listed), tuple(blurb_blocks)


THREAD_OPENS = 2  # lines after a section header within which the first dated record must come
THREAD_SPAN = 40  # lines after the header in which the thread must date three records
THREAD_RECORDS = 3


def opens_thread(lines: Sequence[Line], position: int) -> bool:
    """Whether the header at ``position`` ("Comments", "3 Responses") opens a thread of dated
    records ("Ana on 12 May 2018 at 4:47 pm said:"), with article prose above it.

    Comment systems stamp every comment with its author and date, so a section header
    followed at once by a dated line, and by three within the next lines, is the comment
    thread: it goes whatever its length, where a long thread under a short post would
    otherwise outweigh the post and be taken for the article.
    """
    after = lines[position + 1 : position + 1 + THREAD_SPAN]
    if not any(line.dated for line in after[:THREAD_OPENS]):
        return False
    # a record stamped with a time of day right under the header is a comment ("1 Comment",
    # "Ana says:", "May 9, 2019 at 4:47 pm"): one is enough, a thread may hold one comment
    if not any(is_timed(line) for line in after[:THREAD_OPENS]) and (
        sum(line.dated for line in after) < THREAD_RECORDS
    ):
        return False
    return sum(line.units for line in lines[:position] if line.prose) >= LONG_UNITS


# A comment's stamp: a short line with a time of day and a date beside it ("Ana on 9 May 2018
# at 4:47 pm", "11.06.12 at 11:06 am", "July 24, @12:29PM"): systems stamp every comment so.
TIME_OF_DAY = re.compile(r"(?<!\d)\d{1,2}[:h.]\d\d(?![\d.])")
NUMBER = re.compile(r"(?<![\d:])\d+(?![\d:])")
STAMP_UNITS = 16
RECORD_GAP = 20  # lines between two stamps of one thread at most
THREAD_STAMPS = 3  # stamps that make a thread when an opener heads it
LONE_THREAD_STAMPS = 5  # stamps that make a thread on their own
OPENER_UNITS = 12
OPENER_LOOKBACK = 4  # lines above the first stamp in which the opener ("45 comments") stands


def is_timed(line: Line) -> bool:
    """A short line with a time of day and another number (the date): a comment's stamp."""
    if line.units > STAMP_UNITS:
        return False
    time = TIME_OF_DAY.search(line.text)
    if time is None:
        return False
    return NUMBER.search(line.text[: time.start()] + " " + line.text[time.end() :]) is not None


def is_stamp(line: Line) -> bool:
    """A record's stamp: a timed line or a date line (an embedded post's "— Name, May 9, 2019")."""
    return line.dated or is_timed(line)


def is_opener(line: Line) -> bool:
    """A thread opener: a short line that counts something in its first words and does not
    end as a sentence ("45 comments", "{ 53 comments… read them below }", "8 users responded
    in ..."): a sentence that opens with a number is article text."""
    return (
        not line.terminal
        and line.units <= OPENER_UNITS
        and not is_stamp(line)
        and any(word.strip("{}()[]#").isdigit() for word in line.text.split()[:3])
    )


def comment_thread(lines: Sequence[Line], openers: Container[int] = ()) -> tuple[int, int] | None:
    """Where a comment thread lies: ``(start, stop)`` positions in ``lines``, or None.

    Evidence: stamped records (a date, a time, or an author line: :func:`_author_lines`),
    ``THREAD_STAMPS`` or more, each within ``RECORD_GAP`` lines of the one before, below at
    least ``LONG_UNITS`` of article prose; and either an opener just above one of them with
    ``THREAD_STAMPS`` stamps from it on (a counting line, or a line in ``openers``: a comments
    header a rule found), where the thread then starts, or ``LONE_THREAD_STAMPS`` timed stamps,
    where it starts at the first stamp (the first comment's text may stay: without an
    opener nothing says where it starts). Stamps without words in between (a list of dates)
    are a listing, not a thread.
    """
    stamps = _stamps_below_prose(lines)
    if len(stamps) < THREAD_STAMPS:
        return None
    for cluster in clusters(stamps, RECORD_GAP):
        start = _thread_start(lines, cluster, openers)
        if start is not None:
            return start
    return None


def _stamps_below_prose(lines: Sequence[Line]) -> list[int]:
    """Positions of the stamps with at least ``LONG_UNITS`` of article prose above them: the
    article's own dateline and a "date | Permalink" line under a short post are not records of
    a thread below it, and would otherwise chain into it and leave it no prose above."""
    stamps, prose = [], 0
    authors = _author_lines(lines)
    for position, line in enumerate(lines):
        if line.units <= STAMP_UNITS and (is_stamp(line) or position in authors):
            if prose >= LONG_UNITS:
                stamps.append(position)
        elif line.prose:
            prose += line.units
    return stamps


AUTHOR_UNITS = 8  # an author line ("Ana said,", "by Ana (1234) writes:") is at most this long
AUTHOR_ENDS = (":", ",", "...", "…")


def _author_lines(lines: Sequence[Line]) -> set[int]:
    """Positions of the author lines of a comment thread: "Ana said,", "by Ana (1234) writes:".

    Some comment systems stamp a comment with no date, only with its author and a verb that
    introduces the text under it. Such a line is short, ends as a lead-in (a colon, a comma, an
    ellipsis), has prose right under it, and its last word recurs on ``THREAD_STAMPS`` or more
    of them: every record is printed by the same template. Which word it is does not matter.
    """
    by_word: dict[str, list[int]] = {}
    for position in range(len(lines) - 1):
        line = lines[position]
        if line.prose or line.units > AUTHOR_UNITS or not line.text.endswith(AUTHOR_ENDS):
            continue
        if not lines[position + 1].prose:
            continue
        words = line.text.rstrip(":,.… ").split()
        if len(words) >= 2:
            by_word.setdefault(fold(words[-1]), []).append(position)
    return {p for positions in by_word.values() if len(positions) >= THREAD_STAMPS for p in positions}


def _titled(lines: Sequence[Line], position: int) -> bool:
    """Whether the stamp at ``position`` heads an update with its own headline: a headline-like
    line (not an author's "Ana said:" or "Ana wrote,") right under it, and prose under that.

    A live blog stamps every update as a comment system stamps every comment, but an update
    carries a headline and a comment does not: a thread of such records is the article.
    """
    if position + 2 >= len(lines):
        return False
    title, text = lines[position + 1], lines[position + 2]
    return is_headline_like(title) and not title.text.endswith((":", ",")) and text.prose


def _opener_above(
    lines: Sequence[Line], cluster: list[int], lookback: int, openers: Container[int]
) -> int | None:
    """The opener within ``lookback`` lines above a stamp of ``cluster`` that still has
    ``THREAD_STAMPS`` stamps from it on; the first stamps may be the post's own (a "posted
    at" line at its foot, with prose above it) that chain with the thread's records."""
    for stamp in cluster[: len(cluster) - THREAD_STAMPS + 1]:
        for p in range(stamp - 1, max(-1, stamp - 1 - lookback), -1):
            if lines[p].index in openers or is_opener(lines[p]):
                return p
    return None


def _thread_start(
    lines: Sequence[Line], cluster: list[int], openers: Container[int]
) -> tuple[int, int] | None:
    if len(cluster) < THREAD_STAMPS:
        return None
    gaps = sorted(b - a for a, b in zip(cluster, cluster[1:], strict=False))
    if sum(gaps) < 2 * len(gaps):
        return None  # stamps one under the other: a list of dates
    if 2 * sum(_titled(lines, p) for p in cluster) > len(cluster):
        return None  # stamped updates with headlines: a live blog, not a thread
    first = cluster[0]
    timed = sum(is_timed(lines[p]) for p in cluster)
    # a stamp may close its record ("by Ana on May 9 at 4:47 pm. Reply" under the comment):
    # the opener then stands one record above the first stamp, and no record is longer than
    # the longest gap between two stamps. Only records stamped with a time of day say so
    # (a date alone also marks a post's dateline or a URL in its text).
    lookback = max(OPENER_LOOKBACK, gaps[-1]) if timed >= THREAD_STAMPS else OPENER_LOOKBACK
    opener = _opener_above(lines, cluster, lookback, openers)
    if opener is None and timed < LONE_THREAD_STAMPS:
        return None
    start = first if opener is None else opener
    if sum(line.units for line in lines[:start] if line.prose) < LONG_UNITS:
        return None
    stop = len(lines) if opener is not None else min(len(lines), cluster[-1] + gaps[len(gaps) // 2])
    return start, stop
