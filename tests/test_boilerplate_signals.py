"""Each text signal on small invented pages: what it flags, and what it must leave alone."""

from __future__ import annotations

from corpus_tools.boilerplate import signals
from corpus_tools.boilerplate.combine import Decisions, _line_changes
from corpus_tools.boilerplate.lines import key_of, lines_left, split_lines, units_of
from corpus_tools.document import Document

PARA = "The council voted on Tuesday to extend the program for another year, officials said."


def lines_of(*texts: str):
    return split_lines("\n".join(texts))


def test_line_features_shape():
    line = split_lines("  HomeWorld News  \n")[0]
    assert line.text == "HomeWorld News"
    assert line.glued and line.capitalised and not line.terminal
    prose = split_lines(PARA)[0]
    assert prose.terminal and signals.is_prose(prose)
    teaser = split_lines("Summits convene near daily while everyone scrambles to shape the [...]")[0]
    assert teaser.teaser_end and not signals.is_prose(teaser)


def test_units_count_unspaced_scripts_by_characters():
    assert units_of("three plain words") == 3
    assert units_of("東京都は新しい計画を発表しました") >= 4


def test_body_span_skips_menus_and_keeps_subheadings():
    lines = lines_of(
        "Home", "World", "Sport", "Weather", PARA, "A subheading", PARA, PARA, "About us", "Contact"
    )
    assert signals.body_span(lines, set()) == (4, 7)


def test_body_span_language_independent():
    ru = "Совет проголосовал во вторник за продление программы ещё на один год, сообщили чиновники."
    lines = lines_of("Главная", "Новости", "Спорт", ru, ru, "Контакты", "Реклама")
    assert signals.body_span(lines, set()) == (3, 4)


def test_menu_run_needs_a_run_of_capitalised_short_lines():
    lines = lines_of(
        "Home", "News", "Sport", PARA, "Our kit is simple.", "water bottle", "snack bars", "camera"
    )
    flagged = signals.menu_run(lines)
    assert flagged == {0, 1, 2}  # the lower-case list items in the article stay


def test_teaser_lines_flag_trailing_blurbs_and_their_headlines():
    blurb = "Nearly four years into the war, the push to end it is intensifying while envoys shuttle [...]"
    lines = lines_of(PARA, "Envoys shuttle between the capitals again", blurb, PARA)
    assert signals.teaser_lines(lines) == {1, 2}
    lone = lines_of(PARA, "And then he said the words we had all been waiting for, and more…", PARA)
    assert signals.teaser_lines(lone) == set()


def test_repeated_lines_catch_alt_text_next_to_caption():
    lines = lines_of(PARA, "The president speaks in Moscow.", "The president speaks in Moscow.", PARA)
    assert signals.repeated_lines(lines) == {1, 2}


def test_repeated_sentences_far_apart_are_kept():
    question = "What inspired you to start cooking?"
    lines = lines_of(question, PARA, question, PARA, question, PARA)
    assert signals.repeated_lines(lines) == set()


def test_caption_credit_follows_a_caption():
    lines = lines_of("A boy at the protest.", "A boy at the protest.", "Jane Doe", PARA)
    captions = signals.repeated_lines(lines)
    assert signals.caption_credit(lines, captions) == {2}


def test_listing_finds_dated_records():
    record = ["Markets rally on trade hopes", "Jane Doe", "Tuesday November 19, 2019", PARA]
    lines = lines_of(PARA, PARA, *(record * 4))
    flagged = signals.listing(lines)
    assert {0, 1}.isdisjoint(flagged)
    assert set(range(3, 18)) <= flagged


def test_listing_leaves_an_article_with_headings_alone():
    lines = lines_of(PARA, "First point", PARA, PARA, "Second point", PARA, "Third", PARA, PARA, PARA)
    assert signals.listing(lines) == set()


def test_date_lines():
    assert signals.is_date_line(split_lines("November 19, 2019 at 6:34 am")[0])
    assert signals.is_date_line(split_lines("32 min ago")[0])
    assert not signals.is_date_line(split_lines(PARA + " In 2019 it grew by 4 percent.")[0])


def test_extend_tail_takes_closing_attribution():
    lines = lines_of(PARA, PARA, "(Reporting by Jane Doe)", "Home", "Sport")
    assert signals.extend_tail(lines, 1, set()) == 2


def test_word_counts_and_repeat_keys_take_the_fast_path_only_for_single_spaced_lines():
    import random

    spaces = [" ", "  ", "\t", "\xa0", "\u2009", "\u3000", "\x1c", "\x85", "\u2028", "\u200b"]
    letters = ["a", "É", "東", "1", "."]
    rng = random.Random(5)
    for _ in range(5000):
        text = "".join(rng.choice(spaces + letters) for _ in range(rng.randint(1, 14))).strip()
        if not text:
            continue
        assert units_of(text) == units_of(text, len(text.split())), repr(text)
        assert key_of(text) == " ".join(text.casefold().split()), repr(text)


def _fields(lines):
    return [(line.index, line.start, line.end, line.text, line.shape) for line in lines]


def test_lines_left_after_whole_line_removals_are_what_splitting_finds():
    """The next pass of the step takes the kept lines as they were: the same as splitting anew."""
    texts = [
        "\n".join(["Home", "  World  ", "", PARA, "\t- an item", "A photo.", PARA, "About us", "Contact  "]),
        "\n\n  Menu\r\n" + PARA + "\n \n| a | b |\n\u2028Footer\n",
        "Only line",
    ]
    for text in texts:
        lines = split_lines(text)
        for mask in range(1 << len(lines)):
            removed = {line.index: "r" for line in lines if mask >> line.index & 1}
            decisions = Decisions(reasons=removed, lines=lines)
            _line_changes(lines, decisions, text)
            doc = Document("d", text)
            doc.apply("strip_boilerplate", decisions.changes)
            left = lines_left(lines, removed, doc.text)
            assert left is not None and _fields(left) == _fields(split_lines(doc.text)), (text, removed)


def test_lines_left_refuses_a_text_cut_inside_a_line():
    lines = split_lines("Home\nOne sentence. Another sentence.\nFooter")
    assert lines_left(lines, {0: "r"}, "One sentence.\nFooter") is None
    assert lines_left(lines, {}, "Home One sentence. Another sentence.\nFooter") is None  # glued
    assert lines_left(lines, {}, "Home\nOne sentence. Another sentence.\nFooter\nMore") is None
