"""The RE2 gate in front of the whole-line rules may name too many rules, never too few."""

from __future__ import annotations

import pickle
import random
import sys
from pathlib import Path

import pytest
import re2
import regex

from corpus_tools.boilerplate.gate import LineGate, Untranslatable, superset_pattern
from corpus_tools.boilerplate.lines import units_of
from corpus_tools.boilerplate.packs import load_pack
from corpus_tools.steps import STEPS

ROOT = Path(__file__).resolve().parent.parent
EVERY_CHARACTER = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


@pytest.mark.parametrize(
    "pattern", [r"\w", r"\d", r"\s", r"\W", r"\D", r"\S", r"[\w]", r"[\d.]", r"[\s,]", r"[\W]", r"[\S]"]
)
def test_widened_shorthand_contains_every_character_regex_gives_it(pattern: str) -> None:
    wanted = "".join(regex.findall(pattern, EVERY_CHARACTER))
    assert wanted
    widened = superset_pattern(pattern)
    if not re2.fullmatch(f"(?:{widened})*", wanted):  # one call into RE2; the slow way names the misses
        missing = [hex(ord(c)) for c in wanted if not re2.fullmatch(widened, c)]
        pytest.fail(f"{pattern} -> {widened} misses {missing[:10]}")


@pytest.mark.parametrize(
    ("pattern", "line"),
    [
        (r"(?i)by\b\s+\w+", "BY Ana"),
        (r"(?<!x)read more(?! now)", "read more"),  # lookarounds dropped
        (r"(?>ab|a)c", "ac"),  # atomic group: no backtracking in regex, the gate is wider
        (r"a++b", "aab"),  # possessive
        (r"x{,3}y", "xxy"),  # regex's {,n}
        (r"\p{Lu}\w+ / Reuters", "Ana / Reuters"),  # property: any character
        (r"[^\d]+", "abc"),  # negated class with a shorthand: any character
        (r"(?i:photo)s?: .{0,80}", "PHOTOs: a" + "b" * 70),  # bounded repeat made unbounded
        (r"caf\xe9|\u00e9t\u00e9", "café"),
        (r"(?P<value>\w+) \| AP", "Ana | AP"),
    ],
)
def test_superset_pattern_keeps_the_lines_the_rule_matches(pattern: str, line: str) -> None:
    assert regex.fullmatch(pattern, line)
    assert re2.fullmatch(superset_pattern(pattern), line)


@pytest.mark.parametrize(
    "pattern", [r"(a)\1", r"(?(1)a|b)", r"(?x) a b", r"(?:ab){e<=1}", r"\N{BULLET}", r"a(?i)b"]
)
def test_constructs_the_gate_cannot_widen_are_refused(pattern: str) -> None:
    with pytest.raises(Untranslatable):
        superset_pattern(pattern)


def test_a_rule_the_gate_cannot_widen_is_always_tried() -> None:
    gate = LineGate((r"(\w)\1 and", r"(?i)menu", r"(?i)home"))
    assert gate.candidates("aa and") == [0]
    assert gate.candidates("HOME") == [0, 2]


def test_a_line_re2_cannot_read_names_every_rule() -> None:
    gate = LineGate((r"(?i)menu", r"(?i)home"))
    assert gate.candidates("menu \ud800") == [0, 1]


def test_gate_survives_pickling_as_workers_receive_it() -> None:
    gate = LineGate((r"(?i)menu", r"(?i)home\W*"))
    copy = pickle.loads(pickle.dumps(gate))
    assert copy.candidates("Home »") == gate.candidates("Home »") == [1]


def _lines() -> list[str]:
    """Lines of the seed dumps, and chrome-like lines built at random from pack vocabulary."""
    lines = set()
    for path in sorted((ROOT / "raw").iterdir()):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines.update(line.strip() for line in text.split("\n") if line.strip())
    words = [
        "By", "Ana", "Silva", "|", "Reuters", "Getty Images", "/", "AP Photo", "Share", "Tweet", "Email",
        "Photo:", "Credit", "©", "2019", "Nov.", "18,", "min read", "5", "ago", "hours", "Posted", "by",
        "Related:", "More", "Stories", "Read more", "Comments", "(3)", "Advertisement", "Sign up", "for",
        "our", "newsletter", "Skip to content", "Menu", "Поделиться", "Anzeige", "foto", "…", "»", "é",
    ]  # fmt: skip
    rng = random.Random(7)
    for _ in range(4000):
        lines.add(" ".join(rng.choice(words) for _ in range(rng.randint(1, 7))))
    return sorted(lines)


def test_gated_rules_decide_every_line_as_trying_every_rule_does() -> None:
    """The pack rules of the seeds' sites and the generic pack, on thousands of lines."""
    step = STEPS["strip_boilerplate"](STEPS["strip_boilerplate"].Options())
    generic = load_pack(ROOT / "configs/packs/generic.yaml")
    assert any(rule.kind == "line" for rule in generic.rules)
    lines = _lines()
    decided = 0
    for site in (None, "www.gzeromedia.com", "meduza.io"):
        rules = step.rules_for(site)
        for line in lines:
            units = units_of(line)
            expected = tuple(
                next((i for i, r in enumerate(kind) if units <= r.max_words and r.regex.fullmatch(line)), -1)
                for kind in (rules.line, rules.block_start)
            )
            assert rules.whole_line_rules(line, units) == expected, (site, line)
            decided += expected != (-1, -1)
    assert decided > 500  # the lines do exercise the rules
