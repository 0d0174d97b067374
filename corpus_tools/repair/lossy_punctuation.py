"""The punctuation reader of the lossy repair: quotes, dashes, spaces and signs between words.

A mark between words, numbers and punctuation is read from its neighbours: an opening or a
closing quote, a clause or range dash, a no-break space, a degree, minus, currency, copyright
or trademark sign, an ellipsis; in a French text, the spacing French sets around its
punctuation and inside guillemets. A decision a real question mark could also explain is not
"sure" (see :class:`.lossy_scan.Decision`).
"""

from __future__ import annotations

import bisect
import re

from corpus_tools.repair.gate import may_have_lossy_marks
from corpus_tools.repair.language import document_language
from corpus_tools.repair.lossy_scan import MARKS, NBSP, NNBSP, MarkScan
from corpus_tools.repair.signs import CURRENCIES, CurrencyWitness
from corpus_tools.repair.thresholds import LOSSY

CLOSING_QUOTES = '”’"»›“‘„«'  # any quote right after a `?` makes it a question mark
NEXT_OPENER = re.compile(r"(?<=[\s(])[?\ufffd“](?=[^\W\d_])")
SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009?\ufffd]+\d{3})+(?!\d)")  # "2 000", "2?000"
YEAR = re.compile(r" ?(?:1[89]|20)\d\d(?!\d)")  # a year after "©"
COPYRIGHT_LINE = re.compile(r"(?i)copyright|rights reserved")
COORDINATE = re.compile(r"\d{1,2}[?\ufffd]\s?[NSEW](?![^\W\d_])")  # "30?N" after "51?"
MINUTES = re.compile(r"[°?\ufffd](\d{1,2})$")  # "51°30" before the mark: minutes of arc
# a capitalised name and the word before it (which must be intact: "J?rgen Wei?" lost a letter)
BRAND_BEFORE = re.compile(r"(\S+)\s+[A-Z][^\W\d_]{2,}$")
HIGH_PUNCTUATION = set(":;!?")  # French sets a no-break space before these
CLAUSE_END = set(" ,.;:\n")  # what may follow a closing guillemet or a question's "?"
ELISION = re.compile(r"(?i)(?<![^\W\d_])(?:[cdjlmnst]|qu)[?\ufffd][aeiouyhàâéèêîôû]\Z")  # French elision
LONE_CLOSER = re.compile(r" [?\ufffd](?:[\s,.;:]|$)")
# what only French spacing explains: a mark glued between a word and ":" ";" "!" "?", or
# "??" closing a word (" ?" or " »"); a spaced "?" alone is more often a dash
FRENCH_SPOT = re.compile(
    r"(?<=[^\W_])(?:[?\ufffd]+[:;!?]|[?\ufffd]{2}(?:[\s,.;:]|$))"
)  # starts at a mark: fast
SIGN_END = set(" .,;:)\n")  # what may follow a sign written after the amount
# a measure a fraction counts ("? cup", "? hour"): units of cooking, time, distance, weight
MEASURE_AFTER = re.compile(
    r" (?:cups?|teaspoons?|tablespoons?|spoons?|pints?|litres?|liters?|gallons?|ounces?|pounds?|"
    r"kilos?|grams?|inch(?:es)?|feet|foot|miles?|metres?|meters?|hours?|minutes?|days?|weeks?|"
    r"months?|years?|dozen|loaf|glass|bottle)(?![^\W\d_])"
)
# a credit before a copyright sign: what the sign protects ("Text ? 2024", "photographs ? the")
CREDIT_BEFORE = re.compile(
    r"(?i)(?<![^\W\d_])(?:text|photos?|photographs?|images?|pictures?|illustrations?|maps?|"
    r"graphics?|video|footage|artwork|design|content|logo)s? $"
)
# a company suffix after a brand: "MegaCorp? Ltd."
COMPANY_AFTER = re.compile(r" (?:Ltd|Inc|plc|PLC|GmbH|AG|LLC|Corp|SA|NV|BV)\b")
LONE_WORD_NEXT = re.compile(r" [\da-zà-ÿ]")  # "à 18", "à la": a number or a lower-case word
OPEN_CONTEXT = set(" \t\n\u00a0([{\"'‘“«—–-/")


class Behind:
    """What the text holds before a position, kept as the reader moves forward.

    Each update searches only the characters passed since the last one, so reading a whole
    text visits each character a fixed number of times, however many marks one line holds.
    The line start is kept at every mark; the quotes and full stops only where a closing
    mark asks for them (:meth:`quotes_to`).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line_start = 0
        self.quotes_at = 0  # how far the facts below are up to date
        self.last_open = -1  # the last "“" of the current line, or -1
        self.last_close = -1  # the last "”" of the current line, or -1
        self.last_stop = -1  # the last "." of the text
        self.last_inverted = -1  # the last "¿" of the text
        self.guillemets_at = 0  # how far ``last_guillemet`` is up to date
        self.last_guillemet = -1  # the last "«" of the current line, or -1

    def advance(self, to: int) -> None:
        if to <= self.at:
            return
        newline = self.text.rfind("\n", self.at, to)
        if newline >= 0:
            self.line_start = newline + 1
        self.at = to

    def quotes_to(self, to: int) -> None:
        """Bring the quotes and full stops up to ``to`` (the current mark, on the current line)."""
        text, since = self.text, self.quotes_at
        if to <= since:
            return
        if since < self.line_start:  # a new line since: its quotes only
            self.last_open = self.last_close = -1
        line_since = max(since, self.line_start)
        self.last_open = max(self.last_open, text.rfind("“", line_since, to))
        self.last_close = max(self.last_close, text.rfind("”", line_since, to))
        self.last_stop = max(self.last_stop, text.rfind(".", since, to))
        self.last_inverted = max(self.last_inverted, text.rfind("¿", since, to))
        self.quotes_at = to

    def guillemet_to(self, to: int) -> int:
        """The last "«" of the current line before ``to`` (the current mark), or -1."""
        since = self.guillemets_at
        if to <= since:
            return self.last_guillemet
        if since < self.line_start:  # a new line since: its guillemets only
            self.last_guillemet = -1
        self.last_guillemet = max(self.last_guillemet, self.text.rfind("«", max(since, self.line_start), to))
        self.guillemets_at = to
        return self.last_guillemet

    def in_spanish_question(self) -> bool:
        """Did this sentence open with "¿"? (since the last full stop)"""
        return self.last_inverted >= max(0, self.last_stop)


STRONGER_CLOSER = re.compile(r"[,.;](?=[?\ufffd])")


class Ahead:
    """Where the lines end, quotations open and marks close a quotation, found once per text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.next_newline = -1
        self._openers: list[int] | None = None
        self._closers: list[int] | None = None

    def line_end(self, pos: int) -> int:
        if self.next_newline < pos:
            found = self.text.find("\n", pos)
            self.next_newline = len(self.text) if found < 0 else found
        return self.next_newline

    def quotation_end(self, pos: int) -> int:
        """The end of the line holding ``pos`` or the next opening mark after it, the first."""
        if self._openers is None:
            self._openers = [found.start() for found in NEXT_OPENER.finditer(self.text)]
        index = bisect.bisect_right(self._openers, pos)
        opener = self._openers[index] if index < len(self._openers) else len(self.text)
        return min(opener, self.line_end(pos))

    def stronger_closer(self, start: int, stop: int) -> bool:
        """Does a mark after ",", "." or ";", or one right at ``stop``, lie in ``start:stop``?"""
        if stop - 1 >= start and self.text[stop - 1] in MARKS:
            return True
        if self._closers is None:
            self._closers = [found.start() for found in STRONGER_CLOSER.finditer(self.text)]
        index = bisect.bisect_left(self._closers, start)
        return index < len(self._closers) and self._closers[index] + 1 < stop


def _glued_to_letters(text: str, end: int) -> bool:
    """Do the digits before ``end`` follow a letter ("CSS3", "A4"), rather than stand alone?"""
    pos = end
    while pos > 0 and text[pos - 1].isdigit():
        pos -= 1
    return pos > 0 and text[pos - 1].isalpha()


class PunctuationReader:
    """Reads the marks between words of one :class:`MarkScan` (phases 0 and B of :func:`.lossy.fix_lossy`)."""

    def __init__(self, scan: MarkScan, corpus_sign: str) -> None:
        self.scan = scan
        self.text = scan.text
        self.runs = scan.runs
        self.decided = scan.decided
        self.signs = CurrencyWitness(scan.text, corpus_sign)
        self.lone_letter = ""  # the one-letter word a lone mark is in this text's language, if any
        self.cursor = Behind(scan.text)
        self.ahead = Ahead(scan.text)

    # -- phase 0: French spacing -------------------------------------------------------
    def read_french_spacing(self) -> None:
        """A French text sets a (narrow) no-break space before ":" ";" "!" "?" and inside « »,
        and elides with "’" ("C?est"). Spacing is read where its pattern shows and one French
        function word agrees; elision alone in any text French by its function words."""
        text = self.text
        spacing = (
            FRENCH_SPOT.search(text) is not None
            and document_language(text, LOSSY.french_pattern_words) == "fr"
        )
        if not spacing and document_language(text) != "fr":
            return
        open_at = -1  # where the last « on this line is (intact or decided)
        behind = Behind(text)  # the line start and the last «, read once however many marks a line holds
        for mark_run in self.runs:
            start, end, run = mark_run.start(), mark_run.end(), mark_run[0]
            if self.scan.is_protected(start, end) or self.scan.kind(run).by_bytes:
                continue
            behind.advance(start)
            if open_at < behind.line_start:
                open_at = behind.guillemet_to(start)
            prev_char = text[start - 1] if start > 0 else "\n"
            next_char = text[end] if end < len(text) else "\n"
            after = text[end + 1 : end + 2] if end + 1 < len(text) else ""
            if len(run) == 1 and ELISION.search(text, max(0, start - 3), end + 1):
                self.scan.decide_first(start, end, run, "’", "apostrophe")  # "C?est", "qu?il", "l?été"
            elif not spacing:
                continue
            elif (
                prev_char in "\n ("
                and next_char == " "
                and after.isalpha()
                and self.scan.decide_first(start, end, run, "«", "guillemet")
            ):
                open_at = start
            elif prev_char.isalnum() and next_char in HIGH_PUNCTUATION:
                # "demand??:": the letter, then the space before the colon
                self.scan.decide_first(end - 1, end, run[-1], NNBSP + NBSP, "nbsp")
            elif prev_char.isalnum() and len(run) == 2 and next_char in CLAUSE_END:
                closer_follows = LONE_CLOSER.match(text, end) is not None  # "maintenant?? ?": " ? »"
                if (
                    open_at >= 0
                    and not closer_follows
                    and self.scan.decide_first(end - 1, end, run[-1], "»", "guillemet")
                ):
                    open_at = -1  # "victoire??," : the space, then the closing guillemet
                self.scan.decide_first(start, start + 1, run[0], NNBSP + NBSP, "nbsp")  # "maintenant??": " ?"
            elif (
                prev_char == " "
                and next_char in CLAUSE_END
                and open_at >= 0
                and self.scan.decide_first(start, end, run, "»", "guillemet")
            ):
                open_at = -1

    # -- phase B: punctuation ----------------------------------------------------------
    def read_punctuation(self) -> None:
        text = self.text
        pending_open = False  # an opening quote decided on this line and not closed yet
        line_start = 0
        for mark_run in self.runs:
            start, end, run = mark_run.start(), mark_run.end(), mark_run[0]
            self.cursor.advance(start)
            if self.cursor.line_start != line_start:
                pending_open = False
                line_start = self.cursor.line_start
            if start in self.decided or self.scan.is_protected(start, end):
                continue
            prev_char = text[start - 1] if start > 0 else "\n"
            next_char = text[end] if end < len(text) else "\n"
            before_prev = text[start - 2] if start > 1 else "\n"
            after = text[end : end + LOSSY.after_reach]
            if self.is_copyright(start, end, prev_char, next_char, after) and self.scan.decide_first(
                start, end, run, "©", "copyright"
            ):
                continue
            if (prev_char in OPEN_CONTEXT or start == 0) and (next_char.isalnum()):
                if next_char.isdigit():
                    self.read_before_number(start, end, run, prev_char, after)
                elif (not next_char.islower() or self.scan.may_close_quote(end)) and self.scan.decide_first(
                    start, end, run, "“", "open_quote"
                ):
                    # before a lower-case word only where the quotation may close on the line
                    pending_open = True
                continue
            # "20 ? pour", "20? pro Person": the sign after the amount, as the euro languages
            # write it; a question mark does not go on in lower case
            if (
                (prev_char in " " + NBSP and before_prev.isdigit() or prev_char.isdigit())
                and next_char in SIGN_END
                and self.decide_currency(start, end, run, weak_ok=False, sure=after[1:2].islower())
            ):
                continue
            if (
                prev_char == " "
                and next_char == " "
                and MEASURE_AFTER.match(text, end)
                and self.scan.decide_first(start, end, run, "½", "fraction")
            ):
                continue  # "Add ? cup", "for ? hour": a fraction before a measure, never a dash
            if (
                prev_char == " "
                and next_char == " "
                and self.lone_letter
                and LONE_WORD_NEXT.match(text, end)
                and self.scan.decide_first(
                    start, end, run, self.lone_letter, "letter_from_language", sure=False
                )
            ):
                # French "est ? 18 ?": the one-letter word "à" of the text's language, before a
                # lower-case word or a number ("Pourquoi ? Parce que" is a question)
                continue
            if prev_char == " " and next_char == " " and start > 0:
                # "war ? and": a clause dash. Before a capital it may be a French question
                # typed with a plain space ("c'est ? Non"), so only in a damaged text.
                self.scan.decide_first(
                    start, end, run, "—–", "dash", sure=not text[end + 1 : end + 2].isupper()
                )
                continue
            if prev_char == NBSP and next_char == " " and before_prev.isdigit() and after[1:2].islower():
                self.decide_currency(start, end, run)
                continue
            if prev_char.isdigit() and next_char.isdigit():
                self.read_between_digits(start, end, run)
                continue
            if prev_char.isdigit() and next_char == "%":
                # "12 %", as French and German set it
                self.scan.decide_first(start, end, run, f"{NBSP}\u202f", "nbsp")
                continue
            if prev_char.isdigit() and next_char.isalpha():
                self.read_after_number(start, end, run, after)
                continue
            if (
                prev_char == "."
                and next_char.isdigit()
                and re.search(
                    r"(?:^|[\s(])[A-Za-z]{1,4}\.$", text[max(0, start - LOSSY.abbreviation_reach) : start]
                )
            ):
                self.scan.decide_first(start, end, run, f"{NBSP}\u202f", "nbsp")
                continue
            if prev_char.isalpha() and next_char.isdigit():
                self.scan.decide_first(start, end, run, f"{NBSP}\u202f", "nbsp", sure=False)
                continue
            if (
                prev_char.isdigit()
                and next_char == " "
                and after[1:2].islower()
                and self.scan.decide_first(start, end, run, "½", "fraction", sure=False)
            ):
                continue  # "2? hours": a fraction glued to a number, before a unit or noun
            if (prev_char.isalnum() or prev_char in ".,;!?…") and not next_char.isalnum():
                pending_open = self.read_closing(start, end, run, prev_char, next_char, pending_open)
                continue

    def decide_currency(
        self, start: int, end: int, run: str, weak_ok: bool = True, sure: bool = True
    ) -> bool:
        """A currency sign, if a witness names one the mark may stand for (see :mod:`.signs`).

        ``weak_ok=False`` for a mark after the amount, which may also end a question."""
        kind = self.scan.kind(run)
        grouped = SPACE_GROUPED.match(self.text, end) is not None
        found = self.signs.decide(
            lambda character: kind.allows(character, len(run)), start, weak_ok=weak_ok, grouped=grouped
        )
        if found is not None:
            self.scan.decide(start, end, found[0], found[1], sure=sure)
        return found is not None

    def read_before_number(self, start: int, end: int, run: str, prev_char: str, after: str) -> None:
        # a signed temperature or percentage ("?6°C", "?0.5%"): a minus sign, not money
        if re.match(r"\d+(?:[.,]\d+)?\s?(?:°|[?\ufffd]+[CF]\b|%)", after):
            self.scan.decide_first(start, end, run, "−–", "minus")
            return
        if re.match(r"\d0s\b", after):
            self.scan.decide_first(start, end, run, "’", "apostrophe")
            return
        self.decide_currency(start, end, run)

    def is_copyright(self, start: int, end: int, prev_char: str, next_char: str, after: str) -> bool:
        """ "? 2024" at a line's start or on a line that says "copyright" / "rights reserved"."""
        if not (prev_char in OPEN_CONTEXT or start == 0):
            return False
        if YEAR.match(after) is None:
            # "photographs ? the city archive": a credit, then who holds it
            return (
                prev_char == " "
                and next_char == " "
                and CREDIT_BEFORE.search(self.text, max(0, start - LOSSY.credit_reach), start) is not None
            )
        line_start = self.text.rfind("\n", 0, start) + 1
        if not self.text[line_start:start].strip():
            return True
        if CREDIT_BEFORE.search(self.text, max(line_start, start - LOSSY.credit_reach), start):
            return True  # "Text ? 2024 the authors"
        line_end = self.text.find("\n", end)
        line = self.text[line_start : len(self.text) if line_end < 0 else line_end]
        return COPYRIGHT_LINE.search(line) is not None

    def after_degrees(self, start: int) -> bool:
        """Do degrees and minutes ("51°30", or "51?30" whose mark was read as "°") end here?"""
        found = MINUTES.search(self.text, max(0, start - LOSSY.degrees_reach), start)
        if found is None:
            return False
        sign = found.start()
        return self.text[sign] == "°" or (sign in self.decided and self.decided[sign].after == "°")

    def read_between_digits(self, start: int, end: int, run: str) -> None:
        if COORDINATE.match(self.text, end) and self.scan.decide_first(start, end, run, "°", "degree"):
            return  # "51?30?N": degrees, then minutes (the next mark)
        if self.after_degrees(start) and self.scan.decide_first(start, end, run, "′", "degree"):
            return  # "51°30?15": minutes of arc
        left = re.search(r"\d+$", self.text[max(0, start - LOSSY.number_reach) : start])
        right = re.match(r"\d+", self.text[end : end + LOSSY.number_reach])
        if left is None or right is None:
            return
        left_number, right_number = left[0], right[0]
        after_right = self.text[end + len(right_number) : end + len(right_number) + 1]
        before_left = self.text[max(0, start - len(left_number) - 1) : start - len(left_number)]
        after_amount = (before_left != "" and before_left in CURRENCIES) or (
            start - len(left_number) in self.scan.currency_ends
        )
        # "2?500" after a currency sign, "12?000", "250?300?000": digit groups, not a range
        thousands = (
            len(right_number) == 3
            and len(left_number) <= 3
            and (
                right_number[0] == "0"
                or int(right_number) <= int(left_number)
                or len(left_number) < len(right_number)  # "1?200 passengers": a range spans like magnitudes
                or after_amount
                or (after_right != "" and after_right in MARKS)
            )
            and not after_right.isdigit()
        )
        # the likelier reading first; a byte run that only fits the other one takes that
        readings = [(f"{NBSP}\u202f\u2009", "nbsp"), ("–—", "range_dash")]
        for chars, rule in readings if thousands else readings[::-1]:
            if self.scan.decide_first(start, end, run, chars, rule):
                return

    def read_after_number(self, start: int, end: int, run: str, after: str) -> None:
        if re.match(r"[CF](?![^\W\d_])", after) and self.scan.decide_first(start, end, run, "°", "degree"):
            return
        if re.match(r"[NSEW](?![^\W\d_])", after) and (
            self.after_degrees(start)
            and self.scan.decide_first(start, end, run, "′", "degree")
            or self.scan.decide_first(start, end, run, "°", "degree")
        ):
            return  # "51?N", "51°30?N"
        if re.match(r"s(?![^\W\d_])", after) and self.scan.decide_first(start, end, run, "’", "apostrophe"):
            return
        if _glued_to_letters(self.text, start):
            return  # "CSS3?s", "MP3?s": a name that ends in a digit is no quantity before a unit
        self.scan.decide_first(start, end, run, f"{NBSP}\u202f", "nbsp")

    def is_brand(self, start: int) -> bool:
        """Does a capitalised word ("Walkman", "MegaCorp"), not a sentence's first, end here
        after an intact word?"""
        found = BRAND_BEFORE.search(self.text, max(0, start - LOSSY.longest_word), start)
        return found is not None and found[1][-1] not in ".!?" and not may_have_lossy_marks(found[1])

    def read_closing(
        self, start: int, end: int, run: str, prev_char: str, next_char: str, pending_open: bool
    ) -> bool:
        """A mark after a word or punctuation, before a space or punctuation; returns pending_open."""
        kind = self.scan.kind(run)
        text = self.text
        if next_char in CLOSING_QUOTES:
            return pending_open  # "end?”": the quote survived, so this is a question mark
        # "gone??" (one mark per character) and "gone????" (per byte): the question mark,
        # then the quote
        last = run[-1]
        if kind.by_bytes:
            last = run[1:] if len(run) == 4 else run
        last_start = end - len(last)
        close = self.scan.first_allowed(last, "”")
        if close is None:
            return pending_open
        lower_next = next_char == " " and text[end + 1 : end + 2].islower()
        if prev_char in ",.;" and run == last:
            self.scan.decide(last_start, end, close, "close_quote", sure=True)
            return False
        cursor = self.cursor
        cursor.quotes_to(start)
        closed = max(
            cursor.last_close,
            self.scan.last_close_quote if self.scan.last_close_quote >= cursor.line_start else -1,
        )
        if cursor.last_open > closed:
            pending_open = True
        if (
            pending_open
            and next_char == " "
            and text[end + 1 : end + 2].isupper()
            and prev_char.isalpha()
            and run == last
        ):
            return pending_open  # "holding? Residents": a question ends the sentence
        if pending_open:
            # the rest of the quotation: up to the line's end or the next opening mark
            stop = self.ahead.quotation_end(end)
            second = text[end + 1] if end + 1 < stop else ""
            if (
                next_char == " "
                and second.islower()
                and self.ahead.stronger_closer(end, stop)
                and prev_char.isalpha()
            ):
                # A stronger closer follows and the quote goes on in lower case: a pause
                # inside the quotation ("options… nothing is off the table").
                char = self.scan.first_allowed(run, "…") if run == last else None
                if char:
                    self.scan.decide(start, end, char, "ellipsis", sure=False)
                return pending_open
            self.scan.decide(last_start, end, close, "close_quote", sure=True)
            return False
        certain = kind.by_bytes or run[0] == "\ufffd"  # cannot be a question mark
        if prev_char == "s" and lower_next and run == last:
            char = self.scan.first_allowed(run, "’")
            if char and not cursor.in_spanish_question():
                self.scan.decide(start, end, char, "apostrophe", sure=certain)
            return pending_open
        company_next = COMPANY_AFTER.match(text, end) is not None  # "MegaCorp? Ltd."
        if (
            run == last
            and prev_char.isalpha()
            and (lower_next or next_char in ",;" or company_next)
            and self.is_brand(start)
        ):
            # "the Walkman? brand": a question does not go on in lower case after a name
            self.scan.decide_first(start, end, run, "™", "trademark", sure=False)
            return pending_open
        if certain and run == last and lower_next:
            # no quotation open, the sentence goes on: a pause ("on Tuesday… the third")
            self.scan.decide_first(start, end, run, "…", "ellipsis")
        # Before a capital or the line's end with no quotation open, a closing quote would
        # be a guess: the mark stays (and is counted).
        return pending_open
