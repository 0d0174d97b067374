"""Rule packs: validation with clear errors, site selection, adding and switching off rules."""

from __future__ import annotations

import pickle

import pytest

from corpus_tools.boilerplate import PackError, decide, load_pack, parse_pack, select_rules
from corpus_tools.boilerplate.packs import HintIndex, resolve_pack_paths
from corpus_tools.config import CONFIG_DIR
from corpus_tools.document import Document
from corpus_tools.steps.strip_boilerplate import StripBoilerplate, StripBoilerplateOptions

PARA = "The council voted on Tuesday to extend the program for another year, officials said."
PARA2 = "Opponents argued that the money would be better spent on roads, schools and the clinic."


def test_shipped_packs_load():
    packs = [load_pack(path) for path in resolve_pack_paths(["packs/*.yaml"], CONFIG_DIR)]
    names = {pack.name for pack in packs}
    assert {"generic", "gzeromedia", "meduza"} <= names


def test_bad_regex_names_file_and_rule(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nrules:\n  - name: broken\n    line: '(unclosed'\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"bad\.yaml.*'broken'.*regex"):
        load_pack(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "p", "rules": [{"name": "r"}]}, "exactly one of"),
        ({"name": "p", "rules": [{"name": "r", "line": "a", "sentence": "b"}]}, "exactly one of"),
        ({"name": "p", "rules": [{"name": "r", "line": "a", "colour": "red"}]}, "colour"),
        ({"name": "p", "rules": [{"name": "r", "line": "a"}, {"name": "r", "line": "b"}]}, "two rules named"),
        ({"rules": []}, "name"),
    ],
)
def test_invalid_packs_are_rejected(data, message):
    with pytest.raises(PackError, match=message):
        parse_pack(data, "test.yaml")


def test_site_pack_applies_by_host():
    pack = parse_pack({"name": "s", "sites": ["www.example.com"], "rules": []}, "s.yaml")
    assert pack.applies_to("example.com")
    assert pack.applies_to("news.example.com")
    assert not pack.applies_to("notexample.com")
    assert not pack.applies_to(None)
    assert parse_pack({"name": "g", "rules": []}, "g.yaml").applies_to(None)


def test_pack_adds_a_rule_and_switches_one_off():
    generic = parse_pack(
        {"name": "generic", "rules": [{"name": "donate", "paragraph": "(?i)donate today"}]}, "generic.yaml"
    )
    site = parse_pack(
        {
            "name": "site",
            "sites": ["example.com"],
            "disable": ["generic:donate"],
            "rules": [{"name": "promo", "line": "Buy the book!"}],
        },
        "site.yaml",
    )
    text = "\n\n".join([PARA, "Please donate today to keep us going.", "Buy the book!", PARA2])
    elsewhere = decide(text, select_rules([generic, site], "other.org"))
    assert sorted(elsewhere.reasons.values()) == ["generic:donate"]
    here = decide(text, select_rules([generic, site], "example.com"))
    assert sorted(here.reasons.values()) == ["site:promo"]


def test_pack_switches_off_a_signal():
    site = parse_pack({"name": "site", "sites": ["example.com"], "disable": ["signals:zones"]}, "site.yaml")
    text = "\n".join(["Home", "Sport and more", PARA, PARA2])
    assert decide(text, select_rules([site], "other.org")).reasons
    assert not decide(text, select_rules([site], "example.com")).reasons


def test_step_loads_packs_from_options(tmp_path):
    pack = tmp_path / "mine.yaml"
    pack.write_text("name: mine\nrules:\n  - name: promo\n    line: 'Buy the book!'\n", encoding="utf-8")
    step = StripBoilerplate(StripBoilerplateOptions(packs=[str(pack)]))
    doc = Document.from_raw("d", "\n\n".join([PARA, "Buy the book!", PARA2]))
    step.process(doc)
    assert [edit.rule for edit in doc.edits] == ["mine:promo"]


def test_step_reports_a_bad_pack_when_built(tmp_path):
    pack = tmp_path / "broken.yaml"
    pack.write_text("name: broken\nrules:\n  - name: oops\n    sentence: '[a-'\n", encoding="utf-8")
    with pytest.raises(PackError, match="broken.yaml.*oops"):
        StripBoilerplate(StripBoilerplateOptions(packs=[str(pack)]))
    with pytest.raises(PackError, match="matches no file"):
        StripBoilerplate(StripBoilerplateOptions(packs=[str(tmp_path / "none-*.yaml")]))


def test_block_start_cuts_a_teaser_section_but_only_the_box_of_an_inline_one():
    rule = {"name": "teasers", "block_start": "Related|More For You"}
    pack = parse_pack({"name": "p", "rules": [rule]}, "p.yaml")
    paragraphs = [
        "The council voted on Tuesday to extend the program for another year, officials said.",
        "Opponents argued that the money would be better spent on roads, schools and the clinic.",
        "Related",
        "Mayor wins second term",
        "The vote was seven to two, and the mayor said she would sign the measure this week.",
        "Critics vowed to bring the question back to voters in a referendum next spring.",
        "The program has paid for two new buses and a night shelter since it began in 2019.",
        "More For You",
        "Another town votes",
        "Elsewhere, councils have been voting on similar measures across the state this year.",
    ]
    decisions = decide("\n".join(paragraphs), select_rules([pack], None))
    removed = sorted(index for index, reason in decisions.reasons.items() if reason == "p:teasers")
    assert removed == [2, 3, 7, 8, 9]


def test_block_start_above_the_body_is_only_a_menu_entry():
    pack = parse_pack({"name": "p", "rules": [{"name": "teasers", "block_start": "Related"}]}, "p.yaml")
    text = "\n".join(["Related", PARA, PARA2])
    decisions = decide(text, select_rules([pack], None))
    assert decisions.reasons == {0: "p:teasers"}  # the entry goes, the article below stays


def test_hints_gate_rules_case_insensitively_and_must_be_lower_case():
    rules = [
        {"name": "donate", "paragraph": "(?i)donate today", "hints": ["donate", "don"]},
        {"name": "tip", "paragraph": "(?i)send us a tip", "hints": ["tip"]},
    ]
    ruleset = select_rules([parse_pack({"name": "g", "rules": rules}, "g.yaml")], None)
    text = "\n\n".join([PARA, "Please DONATE TODAY to keep us going.", "Send us a TIP.", PARA2])
    assert sorted(decide(text, ruleset).reasons.values()) == ["g:donate", "g:tip"]
    with pytest.raises(PackError, match="lower case"):
        parse_pack({"name": "g", "rules": [{"name": "r", "paragraph": "x", "hints": ["Donate"]}]}, "g.yaml")


def test_hint_index_names_the_rules_whose_hints_a_line_holds():
    """The RE2 set of hints gives what looking for each hint with ``in`` gives, lone surrogates included."""
    generic = load_pack(CONFIG_DIR / "packs" / "generic.yaml")
    ruleset = select_rules([generic], "example.com")
    rules = ruleset.paragraph + ruleset.sentence
    index = HintIndex(rules)
    copy = pickle.loads(pickle.dumps(index))
    lines = [
        PARA,
        PARA2,
        "Read more here",
        "© 2024 Example. Все права защищены",
        "无关",
        "a.b*c",
        "tip \ud800",
    ]
    for text in [line.casefold() for line in lines]:
        expected = [i for i, rule in enumerate(rules) if not rule.hints or any(h in text for h in rule.hints)]
        assert index.candidates(text) == copy.candidates(text) == expected, text


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Sign Up for e-mail newsletters", "generic:newsletter_signup"),
        ("Leave a Comment Cancel Reply", "generic:comments_section"),
        ("Most Read Most Shared", "generic:more_for_you_teasers"),
        ("Copyright ⓒ Example.co.kr. 무단전재 및 재배포 금지", "generic:legal_footer"),
        ("Alex Wong | Getty Images", "generic:photo_credit"),
        ("© Jane Doe", "generic:photo_credit"),
        # a year after © makes it a copyright notice, not a credit
        ("© 2024 Example Media. All rights reserved.", "generic:legal_footer"),
        ("Print this article", "generic:share_buttons"),
        ("Subscribe to Example Insider on YouTube", "generic:subscribe_appeal"),
        ("Want more stories like this?", "generic:newsletter_signup"),
        ("The mayor speaks in the city hall. (AP Photo/Jane Doe) less", "generic:caption_with_credit"),
        ("The mayor speaks on Tuesday in the city hall during a ... more", "generic:caption_with_credit"),
        # a caption with the wire credit appended, as news sites print them
        ("Protesters march in Lima on Monday. © Reuters / Ana Torres", "generic:caption_with_credit"),
        ("Jane Doe speaks in the Capitol on May 2, 2021.John Smith / AP file", "generic:caption_with_credit"),
        ("Local news alerts, straight to your inbox every morning.", "generic:newsletter_signup"),
        ("Follow The Daily Example on", "generic:share_prompts"),
        ("Trending News", "generic:more_for_you_teasers"),
    ],
)
def test_the_generic_pack_knows_common_chrome_inside_an_article(line, rule):
    generic = load_pack(CONFIG_DIR / "packs" / "generic.yaml")
    text = "\n".join([PARA, PARA2, line, PARA, PARA2])
    reasons = decide(text, select_rules([generic], "example.com")).reasons
    assert reasons.get(2) == rule, reasons


@pytest.mark.parametrize(
    "line",
    [
        "The vote was 52/48 in favour, the agency said, and the count ends on Friday.",
        "Prices rose 3% on the year, Reuters reported, citing two officials who asked not to be named.",
        "We follow the money on every story we publish, and we will keep doing so.",
    ],
)
def test_the_generic_pack_keeps_prose_that_looks_like_a_credit_or_a_widget(line):
    generic = load_pack(CONFIG_DIR / "packs" / "generic.yaml")
    text = "\n".join([PARA, PARA2, line, PARA, PARA2])
    assert 2 not in decide(text, select_rules([generic], "example.com")).reasons


@pytest.mark.parametrize(
    ("cut", "kept"),
    [
        ("alpha|beta|gamma", ""),
        ("alpha|beta", "Gamma follows on the page."),
        ("beta|gamma", "Click alpha for more."),
        ("beta|gamma", "Click alpha for more. Delta ends it."),
    ],
)
def test_sentence_rules_cutting_neighbouring_sentences_do_not_overlap(tmp_path, cut, kept):
    """Each cut takes one space with it (after the first sentence, before the others): two
    neighbouring cuts must not both take the space between them."""
    pack = tmp_path / "mine.yaml"
    pack.write_text(f"name: mine\nrules:\n  - name: cut\n    sentence: '(?i){cut}'\n", encoding="utf-8")
    step = StripBoilerplate(StripBoilerplateOptions(packs=[str(pack)]))
    three = "Click alpha for more. Then beta comes next. Gamma follows on the page."
    if kept.endswith("Delta ends it."):
        three += " Delta ends it."
    doc = Document.from_raw("d", "\n\n".join([PARA, three, PARA2]))
    step.process(doc)
    assert doc.text.replace("\n", "") == PARA + kept + PARA2
    assert {edit.rule for edit in doc.edits} == {"mine:cut"}


def test_a_link_call_goes_but_an_article_sentence_ending_in_here_stays():
    pack = load_pack(CONFIG_DIR / "packs" / "generic.yaml")
    rule = next(rule for rule in pack.rules if rule.reason.endswith("read_more_here"))
    calls = ("Read more here.", "You can read all about it here.", "And for our look at the vote, see here.")
    for call in calls:
        assert rule.search(call, call.lower()), call
    for sentence in (
        "Half of the doctors asked said they would not prescribe the new pill (read here).",
        "The inspectors left after an hour, saying there was nothing to see here.",
    ):
        assert not rule.search(sentence, sentence.lower()), sentence
