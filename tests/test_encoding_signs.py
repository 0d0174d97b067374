"""A lost currency sign comes back only from a witness the text offers; otherwise it stays."""

from collections import Counter

import pytest

from corpus_tools.repair import Vocabulary, repair
from corpus_tools.repair.signs import dominant, language_sign, named_sign


@pytest.fixture(scope="module")
def vocab():
    return Vocabulary(words={"the": 5e-2}, use_wordfreq=False)


def test_a_lone_sign_without_witness_stays_and_is_counted(vocab):
    result = repair("The club paid ?35m for the striker. Was it worth it?", vocab)
    assert result.text.startswith("The club paid ?35m")
    assert result.marks_left == 1


@pytest.mark.parametrize(
    ("text", "sign", "rule"),
    [
        # a sign that survived rules itself out for a `?` (see the code page), not for a U+FFFD
        ("Tickets are £12 at the door and \ufffd10 online.", "£", "currency_from_document"),
        ("Lunch costs ?980, a thousand yen with tax.", "¥", "currency_from_name"),
        ("It costs £5 in Derby and ?6 in Lille, a café owner said.", "€", "currency_from_code_page"),
        ("Workers earning less than ?2?000 a month pay no tax.", "€", "currency_from_grouping"),
        ("Die Karte kostet ?12 und ist nicht teuer, sagt der Wirt.", "€", "currency_from_language"),
    ],
)
def test_each_witness_names_itself(text, sign, rule, vocab):
    result = repair(text, vocab)
    rules = {c.rule: c.after for c in result.changes}
    assert rules.get(rule) == sign, result.changes


def test_the_corpus_sign_is_the_last_strong_witness(vocab):
    text = "The club paid ?35m for the striker."
    assert repair(text, vocab, corpus_sign="£").text == "The club paid £35m for the striker."
    # the document's own sign beats the corpus'
    own = repair("It was €3 here and \ufffd35 there.", vocab, corpus_sign="£")
    assert own.text == "It was €3 here and €35 there."


def test_a_sign_after_the_amount_needs_a_strong_witness(vocab):
    fr = "Le billet coûte 20 ? pour les adultes, et la visite est gratuite pour les enfants."
    assert repair(fr, vocab).text == fr.replace("20 ?", "20 €")
    # "20?" with no witness is a question
    assert repair("Was it 20? Nobody knows ?how? many.", vocab).text.startswith("Was it 20?")


def test_corpus_sign_needs_support_and_dominance():
    assert dominant(Counter({"€": 8, "£": 6}), 5) == ""
    assert dominant(Counter({"£": 2}), 5) == ""
    assert dominant(Counter({"£": 12, "€": 5}), 5) == "£"


def test_names_and_language_are_read_once_and_only_when_unambiguous():
    assert named_sign("paid in euros, not in sterling") == ""
    assert named_sign("a pound of flour") == ""
    assert language_sign("The mayor said that the plan is over.") == ""
    assert language_sign("Le maire a dit que le plan est fini pour la ville.") == "€"


@pytest.mark.parametrize(
    ("damaged", "repaired", "rule"),
    [
        (
            "All rights reserved ? 2024, the author?s own.",
            "All rights reserved © 2024, the author’s own.",
            "copyright",
        ),
        ("? 1998 Example Press\nThe editor?s note", "© 1998 Example Press\nThe editor’s note", "copyright"),
        (
            "The fort lies at 51?30?N, the town?s edge.",
            "The fort lies at 51°30′N, the town’s edge.",
            "degree",
        ),
        ("It took 2? hours, the driver?s log says.", "It took 2½ hours, the driver’s log says.", "fraction"),
        ("The Walkman? brand, the firm?s pride.", "The Walkman™ brand, the firm’s pride.", "trademark"),
    ],
)
def test_symbols_by_context(damaged, repaired, rule, vocab):
    result = repair(damaged, vocab)
    assert result.text == repaired
    assert rule in {c.rule for c in result.changes}


@pytest.mark.parametrize(
    "text",
    [
        "Sales fell in 1998 ? 2024 was better, the firm?s report says.",  # a dash between clauses
        "Was it 2? Nobody knew, the pilot?s log says.",
        "Did you see Anna? The pilot?s log says so.",
    ],
)
def test_symbols_need_their_context(text, vocab):
    out = repair(text, vocab).text
    assert "©" not in out and "½" not in out and "™" not in out


def test_french_spacing_guillemets_and_elision(vocab):
    original = "« C’est la fin\u202f», a dit le maire\u202f; « pourquoi maintenant\u202f? »"
    result = repair(original.encode("ascii", "replace").decode("ascii"), vocab)
    assert result.text == original
    assert {"guillemet", "nbsp", "apostrophe"} <= {c.rule for c in result.changes}


def test_french_spacing_needs_a_french_text(vocab):
    # the same marks in English are a question and a quote, not French spacing
    out = repair("Did he go?! Nobody knows?: the plan is ?secret?.", vocab).text
    assert "\u202f" not in out and "«" not in out


def test_a_name_that_lost_its_last_letter_is_no_brand(vocab):
    out = repair("The show, curated by J?rgen Wei?, opens in the town?s hall.", vocab).text
    assert "™" not in out
