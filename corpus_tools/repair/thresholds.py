"""The numeric thresholds of the lossy repair (:mod:`.lossy`), each with why it is what it is.

One frozen instance, :data:`LOSSY`, is read by the word and punctuation readers; nothing in
them writes a number of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LossyThresholds:
    """How much evidence each lossy decision asks for, and how far each look around reaches."""

    # -- vocabulary witnesses ----------------------------------------------------------
    # a vocabulary candidate must score this many times the next one, or the mark is ambiguous
    dominance: float = 2.0
    # a word-edge fill must score this many times the bare word, which may end with a real "?"
    edge_ratio: float = 3.0
    # a word this frequent, with a mark at its edge, is that word and punctuation
    common_word: float = 1e-4
    # below this frequency a word is unknown to the word lists (their own floor)
    known_word: float = 1e-7
    # below this frequency the letters before an apostrophe-like mark are no word ("Andr?s")
    apostrophe_prefix_word: float = 1e-6
    # no vocabulary holds a longer word: longer runs are never looked up, which keeps each
    # look-up (and the caches' keys) short whatever the text holds
    longest_word: int = 64
    # a lost space splits two words of at least this length (one letter is too often a unit)
    shortest_word: int = 2
    # a capitalised word longer than this counts as a name when no list knows it
    shortest_name: int = 2
    # letters a damaged word must keep to be matched with an intact word of the document
    min_witnessed_letters: int = 2
    # with fewer surviving letters only "?ó?"-shaped words English uses are read
    min_vocabulary_letters: int = 2
    # the score of a word the document itself writes intact (as if English wrote it always)
    witnessed_score: float = 1.0
    # damaged words asked, at most, when the unit (character or byte) is in doubt
    unit_vote_words: int = 16
    # a language is a word's home when it lists the word at 1/home_ratio of its best frequency
    home_ratio: float = 10.0
    # English use below this is a few mentions: it does not outrank the languages a text's
    # words come from (wordfreq's English list goes down to 1e-8)
    english_floor: float = 1e-7
    # votes (words that only one language's word fits) a language needs to rank candidates
    language_votes: int = 2
    # words of a text read for language votes, intact and damaged each (a prior needs no more)
    language_vote_words: int = 16
    # look-ups kept per vocabulary before the cache starts over (bounds its memory)
    lookup_cache: int = 100_000

    # -- language and case -------------------------------------------------------------
    # French function words a text with French spacing marks needs to be read as French
    french_pattern_words: int = 1
    # a word of this many capitals or more is written in capitals: its lost letters too
    all_caps_letters: int = 2
    # characters before a lost first letter searched for an article ("the ?antier")
    article_reach: int = 12
    # characters after a damaged word searched for the next word's first letter
    next_letter_reach: int = 3

    # -- punctuation and numbers -------------------------------------------------------
    # characters after a mark its punctuation rules look at (a year, a unit, a number)
    after_reach: int = 12
    # characters around a mark between digits searched for the two numbers
    number_reach: int = 24
    # characters before a mark searched for degrees and minutes ("51°30")
    degrees_reach: int = 8
    # characters before a copyright mark searched for what it protects ("photographs ?")
    credit_reach: int = 16
    # a one-letter word must be this many times as frequent in the text's language as the next
    # ("à" in French; Italian's "è" and "à" are too close to choose)
    lone_letter_dominance: float = 4.0
    # characters before a mark searched for an abbreviation before a number ("No.")
    abbreviation_reach: int = 6


LOSSY = LossyThresholds()
