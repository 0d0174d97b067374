"""The lossy reader's work grows linearly with the text (issue 16, item 6).

Work is counted, not timed: the text handed to :func:`fix_lossy` is a ``str`` whose slices
and searches count the characters they copy or pass over (and whose slices count too),
so a reader that re-slices a word or a line once per mark shows its quadratic cost here.
"""

from __future__ import annotations

import pytest

from corpus_tools.repair import Vocabulary
from corpus_tools.repair.lossy import fix_lossy
from corpus_tools.repair.witnesses import undamaged_words


class Counter:
    def __init__(self) -> None:
        self.chars = 0


class CountingStr(str):
    """A ``str`` that counts the characters its slices copy and its searches pass over."""

    counter: Counter

    def __new__(cls, value: str, counter: Counter) -> CountingStr:
        made = super().__new__(cls, value)
        made.counter = counter
        return made

    def _wrap(self, value: str) -> CountingStr:
        return CountingStr(value, self.counter)

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        part = str.__getitem__(self, key)
        self.counter.chars += len(part)
        return self._wrap(part)

    def _span(self, args: tuple) -> int:
        start = args[1] if len(args) > 1 and args[1] is not None else 0
        end = args[2] if len(args) > 2 and args[2] is not None else len(self)
        start = start + len(self) if start < 0 else start
        end = end + len(self) if end < 0 else end
        return max(0, min(end, len(self)) - max(0, start))

    def find(self, *args):  # type: ignore[no-untyped-def]
        found = str.find(self, *args)
        start = args[1] if len(args) > 1 else 0
        self.counter.chars += (found - start + 1) if found >= 0 else self._span(args)
        return found

    def rfind(self, *args):  # type: ignore[no-untyped-def]
        found = str.rfind(self, *args)
        end = args[2] if len(args) > 2 else len(self)
        self.counter.chars += (end - found) if found >= 0 else self._span(args)
        return found

    def index(self, *args):  # type: ignore[no-untyped-def]
        found = self.find(*args)
        if found < 0:
            raise ValueError("substring not found")
        return found


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(words={"müller": 1e-5, "kraków": 4e-5, "the": 5e-2}, use_wordfreq=False)


def work(text: str, vocab: Vocabulary) -> int:
    counter = Counter()
    fix_lossy(CountingStr(text, counter), vocab)
    return counter.chars


# One damaged word that is all marks and letters; one line full of marks of every kind
# the punctuation reader handles (quotes, numbers, clauses, apostrophes).
SHAPES = {
    "latin word": "a?b",
    "cjk word": "東京?大",
    "one line of marks": "M?ller said ?yes,? the 10?000 ? from 2?3 p.?12 ?5 ",
    "closing marks": "it? the word?s end? ",
    "one french line": "Il a dit : « oui » et c?est l?été de la ville ? Paris, dans les rues ? ",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_lossy_work_grows_linearly(shape: str, vocab: Vocabulary) -> None:
    unit = SHAPES[shape]
    small, large = work(unit * 200, vocab), work(unit * 1600, vocab)
    # eight times the text, at most about eight times the work (a quadratic reader does 64x)
    assert large <= 10 * max(small, 1), (small, large)


def witness_work(text: str) -> int:
    counter = Counter()
    undamaged_words(CountingStr(text, counter))
    return counter.chars


def test_witness_search_grows_linearly_on_one_long_line() -> None:
    # words with non-ASCII letters on one line: no line break to find, ever
    unit = "café naïve word "
    small, large = witness_work(unit * 200), witness_work(unit * 1600)
    # eight times the text, at most about eight times the work (a quadratic reader does 64x)
    assert large <= 10 * max(small, 1), (small, large)
