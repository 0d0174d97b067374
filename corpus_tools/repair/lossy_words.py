"""The word reader of the lossy repair: letters lost inside words, and spaces lost between them.

A damaged word is matched against its witnesses, first the words the same text writes intact
(:mod:`.witnesses`), then the corpus and the word lists (:mod:`.vocabulary`); a mark that
splits off an English ending is an apostrophe, one between two known words a lost space. The
recovered letter takes the case of the word around it.
"""

from __future__ import annotations

import re
import weakref

from corpus_tools.repair.gate import may_have_lossy_marks
from corpus_tools.repair.language import document_language
from corpus_tools.repair.lossy_scan import (
    MARK_RUN,
    MARKS,
    NBSP,
    WORD_CHARS,
    MarkKind,
    MarkScan,
    internal_runs,
)
from corpus_tools.repair.thresholds import LOSSY
from corpus_tools.repair.vocabulary import Candidate, Vocabulary, byte_skeleton, char_skeleton
from corpus_tools.repair.witnesses import DocumentWords
from corpus_tools.repair.word_languages import LanguageVotes, home_languages

LATIN_END = "\u0250"  # the first code point after Latin Extended-B
APOSTROPHE_SUFFIXES = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})
# a capitalised word with a lost letter (a mark not before an English ending: "Nobody?s" is no name)
DAMAGED_NAME_NEXT = re.compile(r" [A-Z?\ufffd][^\W\d_]*[?\ufffd]+(?!(?:s|t|d|m|ll|re|ve)(?![^\W\d_]))")
DOTTED_CAPITAL_I = "\u0130"  # "İ"
ARTICLES = frozenset({"the", "a", "an", "this", "that", "these", "those"})
NAME_NEXT = re.compile(r" [A-Z?\ufffd][^\W\d_]*[?\ufffd]?[^\W\d_]")  # " Brügge", " Br?gge"


def _takes_suffix(prefix: str, suffix: str) -> bool:
    """Can English write ``prefix`` + apostrophe + ``suffix``? "’m" only after "I", "’t" only
    after a negation's "n" ("don’t", "isn’t"); the other endings after any word."""
    if suffix == "m":
        return prefix.lower() == "i"
    if suffix == "t":
        return prefix.lower().endswith("n")
    return True


def _case_like(char: str, word: str, pos: int, text: str, offset: int, english: bool) -> str:
    """The case of a recovered letter: that of the word's letters; a lost first letter is a capital.

    A lost first letter mostly starts a name ("?ód?" -> "Łódź"). The exception: a word
    English never writes, after an article and before a lower-case word, is a foreign common
    noun ("the ?antier near" -> "șantier").
    """
    letters = [character for character in word if character.isalpha() and character not in MARKS]
    if len(letters) >= LOSSY.all_caps_letters and all(character.isupper() for character in letters):
        return _capital(char)
    if pos != 0:
        return char
    previous = re.search(r"([A-Za-z]+)\s+$", text[max(0, offset - LOSSY.article_reach) : offset])
    following = re.match(
        r"\s+([^\W\d_])", text[offset + len(word) : offset + len(word) + LOSSY.next_letter_reach]
    )
    if (
        not english
        and previous is not None
        and previous[1] in ARTICLES
        and following is not None
        and following[1].islower()
    ):
        return char
    return _capital(char)


def _latin(word: str) -> bool:
    """Is ``word`` written in the Latin script the word lists cover (Latin-1 to Latin Extended-B)?"""
    return all(char < LATIN_END for char in word)


def _capital(char: str) -> str:
    """The capital of a lost letter. A lost character was never ASCII, so the Turkish dotless
    "ı" (word lists fold "Izmir" to "ızmir") comes back as "İ", not as the ASCII "I"."""
    capital = char.upper()
    return DOTTED_CAPITAL_I if capital == "I" and char != "i" else capital


def _only_mark(word: str) -> str | None:
    """The one mark character ``word`` holds; None when it holds none or both."""
    question = "?" in word
    if question == ("\ufffd" in word):
        return None
    return "?" if question else "\ufffd"


def _letters(text: str) -> int:
    """How many of the characters of ``text`` are letters (all of them, nearly always)."""
    return len(text) if text.isalpha() else sum(character.isalpha() for character in text)


def _word_end(text: str, pos: int) -> int:
    """Where the letters and marks from ``pos`` end (``WORD_CHARS`` matches everywhere, if empty)."""
    found = WORD_CHARS.match(text, pos)
    return pos if found is None else found.end()


def marked_words(text: str, runs: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Spans of the words (letters and marks) of ``text`` that hold a mark run of ``runs``.

    Grown outwards from each run, the few damaged words are found without visiting the
    many intact ones; the text is read backwards (reversed) to find where a word starts.
    """
    spans: list[tuple[int, int]] = []
    reverse = text[::-1]
    size = len(text)
    end = -1
    for mark_run in runs:
        if mark_run.start() < end:
            continue  # a later run of a word already found
        start = size - _word_end(reverse, size - mark_run.start())
        end = _word_end(text, mark_run.end())
        spans.append((start, end))
    return spans


# (start, end, char) fills, score, english, and the witness: "document", "corpus" or "vocabulary"
Reading = tuple[list[tuple[int, int, str]], float, float, str]
_LOOKUPS: weakref.WeakKeyDictionary[Vocabulary, dict[tuple[str, tuple], Reading | None]] = (
    weakref.WeakKeyDictionary()
)


def _lookups(vocab: Vocabulary) -> dict[tuple[str, tuple], Reading | None]:
    """The look-ups kept for ``vocab`` (shared by every document it serves; never changed)."""
    known = _LOOKUPS.get(vocab)
    if known is None or len(known) >= LOSSY.lookup_cache:
        known = _LOOKUPS[vocab] = {}
    return known


class WordReader:
    """Reads the damaged words of one :class:`MarkScan` (phase A of :func:`.lossy.fix_lossy`)."""

    def __init__(self, scan: MarkScan, vocab: Vocabulary | None, document: DocumentWords | None) -> None:
        self.scan = scan
        self.text = scan.text
        self.runs = scan.runs
        self.kinds = scan.kinds
        self.decided = scan.decided
        # the spans of the damaged words, read by each phase below (found once: a reversed copy
        # of the text each time)
        self.marked = marked_words(scan.text, scan.runs)
        self.vocab = vocab
        self.document = document  # the words this text writes intact: the first witness
        # the language the text is written in (its function words), for a bare word's frequency
        self.language = document_language(scan.text)
        self.preferred: frozenset[str] = frozenset()  # the languages its words come from

    def lone_letter(self) -> str:
        """The one-letter word a lone mark between spaces stands for in the text's language:
        the language's most frequent one (French "à"), if it dominates the next; '' otherwise
        (and always in English, which has none)."""
        if self.vocab is None or not self.language or self.language == "en":
            return ""
        language = (self.language,)
        ranked = sorted(
            (cand.frequency_in(language), cand.word)
            for cand in self.vocab.candidates("?", False)
            if cand.word.isalpha() and cand.word.islower()
        )
        if not ranked or ranked[-1][0] == 0:
            return ""
        if len(ranked) > 1 and ranked[-1][0] < LOSSY.lone_letter_dominance * ranked[-2][0]:
            return ""
        return ranked[-1][1]

    def read_languages(self) -> None:
        """Which languages the text's words come from (:mod:`.word_languages`): its intact
        accented words and the damaged words only one real word fits vote."""
        if self.vocab is None:
            return
        votes = LanguageVotes(self.language)
        if self.document is not None:
            for word in self.document.words()[: LOSSY.language_vote_words]:
                entry = self.vocab.entry(word)
                if entry is not None:
                    votes.add(home_languages(entry))
        for start, end in self.marked[: LOSSY.language_vote_words]:
            word = self.text[start:end]
            mark = _only_mark(word)
            if mark is None or len(word) > LOSSY.longest_word or self.kinds[mark].never:
                continue
            fitting = [candidate for candidate, _ in self._fitting(word, mark, self.vocab)]
            if len(fitting) == 1:
                votes.add(home_languages(fitting[0]))
        self.preferred = votes.preferred()

    def vote_unit(self) -> None:
        """Runs of two marks inside words fit both units ("Dvo??k": "ř" and "á", or one
        two-byte letter); the vocabulary decides: the unit in which more of the text's damaged
        words are real words ("Ji??", "Dvo??k", "Plze?" all are, one mark per character)."""
        for mark, kind in self.kinds.items():
            inside = internal_runs(self.text, self.runs, mark)
            if self.vocab is None or not kind.by_bytes or any(len(mark_run[0]) != 2 for mark_run in inside):
                continue
            votes = [0, 0]  # words found with one mark per character, per byte
            for start, end in self.marked[: LOSSY.unit_vote_words]:
                damaged = self.text[start:end]
                word = damaged.replace("\ufffd", "?")
                if mark not in damaged or _letters(word.replace("?", "")) < LOSSY.min_witnessed_letters:
                    continue
                votes[0] += bool(self.vocab.candidates(char_skeleton(word), False))
                votes[1] += bool(self.vocab.candidates(byte_skeleton(word), True))
            if votes[0] > votes[1]:
                kind.by_bytes = False

    # -- vocabulary --------------------------------------------------------------------
    def fill(self, word: str, candidate: str, kind: MarkKind) -> list[tuple[int, int, str]] | None:
        """Align a candidate word with a damaged one; the (start, end, char) fills, or None."""
        fills = []
        pos = 0
        for character in candidate:
            if pos >= len(word):
                return None
            if character.isascii():
                if word[pos].lower() != character:
                    return None
                pos += 1
                continue
            if word[pos].lower() == character:  # a letter that survived
                pos += 1
                continue
            need = len(character.encode("utf-8")) if kind.by_bytes else 1
            run = word[pos : pos + need]
            if (
                len(run) != need
                or any(mark_char != kind.char for mark_char in run)
                or not kind.allows(character, need)
            ):
                return None
            fills.append((pos, pos + need, character))
            pos += need
        return fills if pos == len(word) else None

    def lookup(self, word: str) -> Reading | None:
        """The dominant vocabulary reading of ``word`` (marks of one kind), or None.

        Kept per vocabulary, word and reading of its mark: the same damaged word recurs
        across a corpus ("Jos?", "Z??rich"), and a look-up tries every candidate.
        """
        if self.vocab is None or len(word) > LOSSY.longest_word:
            return None
        mark = _only_mark(word)
        if mark is None:
            return None
        known = _lookups(self.vocab)
        key = (word, (*self.kinds[mark].key(), self.preferred))
        if key not in known:
            known[key] = self._lookup(word, mark, self.vocab)
        return known[key]

    def _lookup(self, word: str, mark: str, vocab: Vocabulary) -> Reading | None:
        letters = _letters(word.replace(mark, ""))
        if not letters:
            return None
        if self.kinds[mark].never:
            return None
        scored = self._fitting(word, mark, vocab)
        if not scored:
            return None
        ranked = sorted(scored, key=lambda found: [-value for value in self._rank(found[0])])
        best, fills = ranked[0]
        if letters < LOSSY.min_vocabulary_letters and (
            best.english == 0 or word[0] not in MARKS or word[-1] not in MARKS
        ):
            # one surviving letter says little: only "?ó?"-shaped words that English (or this
            # corpus) uses; "?a" is a quote before an article, not "ça"
            return None
        if len(ranked) > 1:
            # the first tier the best candidate scores in decides, by dominance
            for best_value, second_value in zip(self._rank(best), self._rank(ranked[1][0]), strict=True):
                if best_value > 0:
                    if best_value < LOSSY.dominance * second_value:
                        return None
                    break
        witness = "corpus" if vocab.from_corpus(best.word) else "vocabulary"
        return fills, best.score, best.english, witness

    def _fitting(
        self, word: str, mark: str, vocab: Vocabulary
    ) -> list[tuple[Candidate, list[tuple[int, int, str]]]]:
        """The vocabulary's candidates that ``word`` (marks of one kind) can be, with their fills."""
        kind = self.kinds[mark]
        # the word's shape as the vocabulary indexes it, its marks standing for themselves
        plain = word.replace("\ufffd", "?")
        key = byte_skeleton(plain) if kind.by_bytes else char_skeleton(plain)
        return [
            (candidate, fills)
            for candidate in vocab.candidates(key, kind.by_bytes)
            if (fills := self.fill(word, candidate.word, kind))
        ]

    def _rank(self, candidate: Candidate) -> tuple[float, float, float]:
        """Tiers compared in turn: English use (and this corpus'), the use in the languages
        the text's words come from, the best frequency in any language.

        With such languages known, English use below ``LOSSY.english_floor`` (a few mentions)
        does not count: "Štefan" mentioned in English now and then says less than "Ștefan"
        being the name's Romanian spelling in a text about Brașov.
        """
        if not self.preferred:
            return candidate.english, 0.0, candidate.score
        english = candidate.english if candidate.english >= LOSSY.english_floor else 0.0
        return english, candidate.frequency_in(self.preferred), candidate.score

    def document_lookup(self, word: str) -> Reading | None:
        """The one intact word of this text that ``word`` can be, or None.

        A word written intact in the same text outweighs what the damage elsewhere says
        about the marks: a headline that kept its accents says nothing about which letters
        the body lost (the repertoire), nor whether the body lost characters or bytes. So
        both units are tried, and any character may fill a mark, as long as exactly one
        intact word fits.
        """
        mark = _only_mark(word)
        if self.document is None or mark is None or len(word) > LOSSY.longest_word:
            return None
        if _letters(word.replace(mark, "")) < LOSSY.min_witnessed_letters:
            return None
        plain = word.replace("\ufffd", "?")
        for by_bytes in (self.kinds[mark].by_bytes, not self.kinds[mark].by_bytes):
            any_char = MarkKind(mark, by_bytes=by_bytes)
            key = byte_skeleton(plain) if by_bytes else char_skeleton(plain)
            fitting = [
                fills
                for candidate in self.document.candidates(key, by_bytes)
                if (fills := self.fill(word, candidate, any_char))
            ]
            if len(fitting) == 1:
                # scored as a word English writes: the text itself writes it
                return fitting[0], LOSSY.witnessed_score, LOSSY.witnessed_score, "document"
            if fitting:
                return None  # two intact spellings of one shape ("Müller", "Möller"): no witness
        return None

    def general_lookup(self, part: str, lead: bool, trail: bool, quote_closes: bool = True) -> Reading | None:
        """The corpus' and the word lists' reading of ``part``; ``lead``/``trail``: a mark at its edge.

        A mark at a word's edge may be punctuation after (or before) an intact word: a
        common word ("spring?") is that word, and a reading must outscore the bare word.
        A lead mark before a lower-case word is an opening quote only if the line goes on
        to a place the quote may close (``quote_closes``): "Grzegorz ?muda, a teacher" and
        "?sa Lindstr?m was" lost a letter, whatever "muda" and "sa" mean alone.
        """
        bare = part.strip(MARKS)
        edge = trail or (lead and (quote_closes or not bare[:1].islower()))
        bare_freq = self.frequency(bare) if edge and len(bare) > 1 else 0.0
        if bare_freq > LOSSY.common_word:
            return None
        found = self.lookup(part)
        if found is None or found[1] < LOSSY.edge_ratio * bare_freq:
            return None
        return found

    # -- phase A: words ----------------------------------------------------------------
    def read_words(self) -> None:
        """Each word (letters and marks) that holds a mark and a letter."""
        text = self.text
        later = []  # "?sa": read once the words after it have been (whether a quote may close)
        for start, end in self.marked:
            while end > start and end - 1 in self.decided:
                end -= 1  # a space French sets before ":" (decided first) ends the word
            word = text[start:end]
            if word.strip(MARKS) and not self.scan.is_protected(start, end):
                if word[0] in MARKS and word.lstrip(MARKS)[:1].islower():
                    later.append((start, word))
                else:
                    self.read_word(start, word)
        for start, word in later:
            self.read_word(start, word)

    def is_apostrophe(self, offset: int, word: str, runs: list[tuple[int, int]]) -> bool:
        """Is the word's last mark run an apostrophe before "s", "t", "ll"...? Decides it if so."""
        if not runs:
            return False
        start, end = runs[-1]
        if start == 0 or end == len(word):
            return False
        suffix = word[end:]
        if not suffix.isalpha() or suffix.lower() not in APOSTROPHE_SUFFIXES:
            return False
        if self.scan.first_allowed(word[start:end], "’") is None:
            return False
        prefix_start = runs[-2][1] if len(runs) > 1 else 0
        prefix = word[prefix_start:start]
        if not _takes_suffix(prefix, suffix.lower()):
            return False  # "Lindstr?m": "’m" follows "I" only, "’t" a negation's "n"
        if self.vocab is None:
            return self._decide_apostrophe(offset, start, end)
        # the whole word written intact in this text ("Anaïs" in the headline): a letter
        if self.document_lookup(word) is not None or self.document_lookup(word[prefix_start:]) is not None:
            return False
        # "V?ster?s" is "Västerås": a word with another lost letter that is a real word
        if len(runs) > 1 and self.lookup(word) is not None:
            return False
        # "Andr?s" is "András" when "Andr" is no word and the vocabulary knows "andrás";
        # "Ana?s Br?gge": a name going on with a name is no possessive ("Anaïs")
        name_goes_on = word[:1].isupper() and NAME_NEXT.match(self.text, offset + len(word)) is not None
        if (self.frequency(prefix) < LOSSY.apostrophe_prefix_word or name_goes_on) and self.lookup(
            word[prefix_start:]
        ) is not None:
            return False
        return self._decide_apostrophe(offset, start, end)

    def _decide_apostrophe(self, offset: int, start: int, end: int) -> bool:
        self.scan.decide(offset + start, offset + end, "’", "apostrophe", sure=True)
        return True

    def read_word(self, offset: int, word: str) -> None:
        runs = [(mark_run.start(), mark_run.end()) for mark_run in MARK_RUN.finditer(word)]
        # 1. an apostrophe splits off the word's ending: "M?ller?s" -> "M?ller" + "’s".
        # Only the last run can: the suffix after any other one holds a mark.
        pieces_end = len(word)
        if self.is_apostrophe(offset, word, runs):
            pieces_end = runs[-1][0]
        core = word[:pieces_end]
        core_runs = [(run_start, run_end) for run_start, run_end in runs if run_end <= pieces_end]
        if not core_runs:
            return
        # 2. letters from the vocabulary: whole word, then without the edge marks
        lead = core_runs[0][0] == 0
        trail = core_runs[-1][1] == len(core)
        variants = [(0, len(core))]
        if lead:
            variants.append((core_runs[0][1], len(core)))
        if trail:
            variants.append((0, core_runs[-1][0]))
        if lead and trail and len(core_runs) > 1:
            variants.append((core_runs[0][1], core_runs[-1][0]))
        prev = self.text[offset - 1] if offset > 0 else " "
        # "Tom?? Nov?k": a name going on with a damaged name is no question ("Tom??")
        in_name = (
            trail
            and core[:1].isupper()
            and DAMAGED_NAME_NEXT.match(self.text, offset + len(core)) is not None
        )
        for part_start, part_end in variants:
            part = core[part_start:part_end]
            if not may_have_lossy_marks(part):
                continue
            if part_start == 0 and lead and prev.isdigit():
                continue  # "5?a.m.": a mark after a number is spacing, not a letter
            found = self.document_lookup(part) or self.general_lookup(
                part,
                part_start == 0 and lead,
                part_end == len(core) and trail and not in_name,
                self.scan.may_close_quote(offset + len(core)),
            )
            if found is None:
                continue
            fills, score, english, witness = found
            kind = self.kinds["?" if "?" in part else "\ufffd"]
            at_end = part_end == len(core) and trail
            sure = (
                # a mark ending a word may be the text's own question mark ("сами?" beside an
                # intact "самих"): the document's spelling decides it only with other damage
                (witness == "document" and not at_end)
                or any(run_start > 0 and run_end < len(part) for run_start, run_end, _ in fills)
                or (part_start == 0 and lead)
                or kind.by_bytes
            )
            if not sure and at_end:
                # "Kahramanmara?," and "Pozna? will": a question mark rarely sits there
                next_chars = self.text[offset + len(core) : offset + len(core) + 2]
                bare = part.rstrip(MARKS)
                sure = (
                    next_chars[:1] in (",", ";", ":")
                    or (
                        # "Wei?" beside an intact "Weiß": no question ends on a word the word
                        # lists of its script do not know ("сами?": no Cyrillic list, no evidence)
                        witness == "document"
                        and self.vocab is not None
                        and _latin(bare)
                        and self.frequency(bare) < LOSSY.known_word
                    )
                    or (
                        next_chars[:1] == " "
                        and next_chars[1:].islower()
                        and self.vocab is not None
                        and self.frequency(bare) < LOSSY.known_word
                    )
                )
            for run_start, run_end, char in fills:
                cased = _case_like(char, part, run_start, self.text, offset + part_start, english > 0)
                self.scan.decide(
                    offset + part_start + run_start,
                    offset + part_start + run_end,
                    cased,
                    f"letter_from_{witness}",
                    sure,
                )
            break
        # 3. a lost space between two words: "grants?ultra"
        for index, (run_start, run_end) in enumerate(core_runs):
            if run_start == 0 or run_end == len(core) or offset + run_start in self.decided:
                continue
            # the letters between this run and its neighbours (none when two runs touch)
            left = core[core_runs[index - 1][1] if index > 0 else 0 : run_start]
            right = core[run_end : core_runs[index + 1][0] if index + 1 < len(core_runs) else len(core)]
            run = core[run_start:run_end]
            if self.scan.first_allowed(run, f"{NBSP}\u202f\u2009") is None:
                continue
            if self._is_word(left) and self._is_word(right) and not self._is_word(left + right):
                self.scan.decide(offset + run_start, offset + run_end, " ", "lost_space", sure=True)

    def frequency(self, word: str) -> float:
        """The vocabulary's frequency of ``word`` as written; 0 for a word longer than any."""
        if self.vocab is None or len(word) > LOSSY.longest_word:
            return 0.0
        return self.vocab.known(word, self.language)

    def _is_word(self, word: str) -> bool:
        if len(word) < LOSSY.shortest_word or len(word) > LOSSY.longest_word or self.vocab is None:
            return False
        return self.frequency(word) >= LOSSY.known_word or (
            word[0].isupper() and word[1:].islower() and len(word) > LOSSY.shortest_name
        )
