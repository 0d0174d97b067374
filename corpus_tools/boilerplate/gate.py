"""A DFA gate for whole-line rules: RE2 says which rules may match, ``regex`` decides.

Every short line of every document is tried against every ``line`` and ``block_start``
rule, and almost none match. The ``regex`` module, a backtracking engine, spends about
8 µs a line on the generic pack's alternation, however it is written; an ``RE2::Set``
(google-re2, a DFA over all the patterns at once) answers "which of them could match"
in under 1 µs. RE2 does not speak all of ``regex``'s dialect, and where it does its
``\\w``, ``\\s`` and ``\\b`` are ASCII, so it is not used to decide anything: each pattern is
translated into an RE2 pattern that matches *at least* the same lines (its language is
a superset), and only the rules the gate names are then tried with ``regex``, in order.
The result is exactly what trying every rule with ``regex`` gives; a rule whose pattern
cannot be widened into RE2's dialect is simply always tried.

The widening, construct by construct:

- ``\\w``, ``\\d``, ``\\s`` become Unicode classes that contain ``regex``'s (the tests check
  every code point); ``\\W``, ``\\D``, ``\\S`` stay: RE2's ASCII versions are wider.
- ``\\b``, ``\\B`` and lookarounds are dropped: without a condition a pattern matches more.
- ``\\p{..}`` and any class holding one, and negated classes holding a shorthand, become
  "any character" (a property under ``(?i)`` folds differently in the two engines).
- Atomic groups and possessive quantifiers become plain ones (backtracking into them
  can only add matches); ``{m,n}`` becomes ``{m,}``: RE2 compiles ``.{0,80}`` into 80
  copies, which made building the gate cost 90 ms, and an upper bound seldom is what
  rules a line out.
- Backreferences, conditionals, fuzzy matching, verbose mode and anything unknown: no
  translation, so the rule is always tried.
"""

from __future__ import annotations

import re

import re2

ANY = r"(?s:.)"
# supersets of regex's \w, \d and \s (for str patterns), inside a class; the tests check
# every code point. \w is widened to "not ASCII space": a class of all Unicode letters
# and marks made building the gate cost three times as much. regex knows newer digits
# than RE2's tables, all outside the BMP, so \d takes every astral character.
WORD = r"\S"
DIGIT = r"\p{N}\x{10000}-\x{10FFFF}"
SPACE = r"\s\p{Z}\x{85}\x{0B}\x{1C}-\x{1F}"
WIDENED = {"w": f"[{WORD}]", "d": f"[{DIGIT}]", "s": f"[{SPACE}]"}
IN_CLASS = {"w": WORD, "d": DIGIT, "s": SPACE, "W": r"\W", "D": r"\D", "S": r"\S", "b": r"\x{8}"}
SAME = {"W", "D", "S", "A", "n", "t", "r", "f", "v", "a"}
INLINE_FLAGS = set("ims")
REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")


class Untranslatable(ValueError):
    """The pattern uses something the gate cannot widen into RE2's dialect."""


def _hex_escape(pattern: str, i: int) -> tuple[str, int]:
    """``\\xhh``, ``\\uhhhh``, ``\\Uhhhhhhhh`` at ``pattern[i]`` (the backslash) -> ``\\x{..}``."""
    width = {"x": 2, "u": 4, "U": 8}[pattern[i + 1]]
    if pattern[i + 1] == "x" and pattern[i + 2 : i + 3] == "{":
        end = pattern.index("}", i)
        return pattern[i : end + 1], end + 1
    digits = pattern[i + 2 : i + 2 + width]
    if len(digits) != width or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise Untranslatable(f"bad hex escape at {i}")
    return rf"\x{{{digits}}}", i + 2 + width


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """The widened form of the escape at ``pattern[i]`` and the index after it."""
    if i + 1 >= len(pattern):
        raise Untranslatable("trailing backslash")
    c = pattern[i + 1]
    if c in "xuU":
        return _hex_escape(pattern, i)
    if c in "pP":
        raise Untranslatable("property")  # the caller widens the class or the escape
    if in_class and c in IN_CLASS:
        return IN_CLASS[c], i + 2
    if not in_class:
        if c in WIDENED:
            return WIDENED[c], i + 2
        if c in "bB":
            return "", i + 2
        if c == "Z":
            return r"\z", i + 2
    if c in SAME:
        return pattern[i : i + 2], i + 2
    if not c.isalnum():
        return pattern[i : i + 2], i + 2
    raise Untranslatable(f"escape \\{c}")


def _class(pattern: str, i: int) -> tuple[str, int]:
    """The widened form of the character class starting at ``pattern[i]`` (``[``)."""
    j = i + 1
    negated = pattern[j : j + 1] == "^"
    j += negated
    parts: list[str] = []
    wide = False
    if pattern[j : j + 1] == "]":  # a leading ] is a literal
        parts.append(r"\]")
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        c = pattern[j]
        if c == "\\":
            if pattern[j + 1 : j + 2] in ("p", "P"):
                close = pattern.find("}", j) if pattern[j + 2 : j + 3] == "{" else j + 2
                wide, j = True, close + 1
                continue
            if pattern[j + 1 : j + 2] in IN_CLASS and pattern[j + 1] != "b":
                wide = wide or negated
            text, j = _escape(pattern, j, in_class=True)
            parts.append(text)
        elif c == "[":
            if pattern[j + 1 : j + 2] in (":", "=", "."):
                raise Untranslatable("POSIX class")
            parts.append(r"\[")
            j += 1
        else:
            parts.append(c)
            j += 1
    if j >= len(pattern):
        raise Untranslatable("unterminated class")
    if wide:
        return ANY, j + 1
    return "[" + ("^" if negated else "") + "".join(parts) + "]", j + 1


def _group_end(pattern: str, i: int) -> int:
    """Index just after the group opening at ``pattern[i]``, skipping escapes and classes."""
    depth, j = 0, i
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class(pattern, j)[1] if pattern[j + 1 : j + 2] not in (":", "=", ".") else j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise Untranslatable("unbalanced parenthesis")


def _group_open(pattern: str, i: int, out: list[str]) -> int:
    """Translate a group opening at ``pattern[i]``; returns where to go on."""
    rest = pattern[i:]
    if not rest.startswith("(?"):
        out.append("(")
        return i + 1
    if rest.startswith(("(?=", "(?!", "(?<=", "(?<!")):
        return _group_end(pattern, i)  # an assertion dropped: the pattern matches more
    if rest.startswith(("(?:", "(?>")):
        out.append("(?:")
        return i + 3
    if rest.startswith(("(?P<", "(?<")):
        close = pattern.index(">", i)
        out.append("(")
        return close + 1
    j = i + 2
    while j < len(pattern) and pattern[j] in INLINE_FLAGS | {"-"}:
        j += 1
    if j > i + 2 and j < len(pattern) and pattern[j] in ":)":
        if pattern[j] == ")" and i != 0:
            raise Untranslatable("inline flags after the start")  # regex makes them global
        out.append(pattern[i : j + 1])
        return j + 1
    raise Untranslatable(f"group {rest[:4]!r}")


def superset_pattern(pattern: str) -> str:
    """An RE2 pattern that matches every string ``pattern`` (``regex`` V0 syntax) matches.

    Raises :class:`Untranslatable` for a construct the gate cannot widen.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if pattern[i + 1 : i + 2] in ("p", "P"):
                close = pattern.find("}", i) if pattern[i + 2 : i + 3] == "{" else i + 2
                out.append(ANY)
                i = close + 1
                continue
            text, i = _escape(pattern, i, in_class=False)
            out.append(text)
        elif c == "[":
            text, i = _class(pattern, i)
            out.append(text)
        elif c == "(":
            i = _group_open(pattern, i, out)
        elif c == "{":
            repeat = REPEAT.match(pattern, i)
            if repeat is None:
                raise Untranslatable(f"brace at {i}")  # fuzzy matching, or a literal: not worth it
            low, comma, high = repeat.groups()
            # {m,n} -> {m,}: unbounded, a far smaller automaton
            out.append(f"{{{low or 0},}}" if comma and high else repeat.group(0))
            i = repeat.end()
        elif c == "+" and i > 0 and pattern[i - 1] in "*+?}" and not _escaped(pattern, i - 1):
            i += 1  # possessive: the plain quantifier matches at least as much
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _escaped(pattern: str, i: int) -> bool:
    """Whether ``pattern[i]`` is escaped by an odd run of backslashes."""
    count = 0
    while i - 1 - count >= 0 and pattern[i - 1 - count] == "\\":
        count += 1
    return count % 2 == 1


def _options() -> re2.Options:
    options = re2.Options()
    options.never_capture = True  # the gate only asks which patterns match
    options.max_mem = 64 << 20  # room for the DFA of a large pack: a full cache costs speed
    return options


class LineGate:
    """Which of a list of full-line patterns may match a line: a superset, in pattern order.

    Picklable (by its patterns), since steps travel to worker processes and Ray tasks.
    """

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        self.always: tuple[int, ...] = ()
        self._set: re2.Set | None = None
        self._index: list[int] = []  # set member -> pattern index
        members: list[tuple[int, str]] = []
        always = []
        for index, pattern in enumerate(patterns):
            try:
                members.append((index, superset_pattern(pattern)))
            except Untranslatable:
                always.append(index)
        if members:
            gate = re2.Set.FullMatchSet(_options())
            for index, widened in members:
                try:
                    gate.Add(widened)
                except re2.error:  # beyond RE2 (a repeat count over 1000, say)
                    always.append(index)
                    continue
                self._index.append(index)
            gate.Compile()
            self._set = gate
        self.always = tuple(sorted(always))

    def __reduce__(self) -> tuple[type, tuple[tuple[str, ...]]]:
        return (LineGate, (self.patterns,))

    def candidates(self, text: str) -> list[int]:
        """Indexes of the patterns that may fullmatch ``text``, in order."""
        if self._set is None:
            return list(self.always)
        try:
            found = self._set.Match(text)  # None when no member matches
        except UnicodeEncodeError:  # a lone surrogate: RE2 cannot read it, so try every pattern
            return list(range(len(self.patterns)))
        if not found:
            return list(self.always)
        return sorted({self._index[member] for member in found}.union(self.always))
