"""Lost letters ranked in the languages a text's words come from, and the signs and symbols
read from their neighbours (invented sentences; wordfreq where a language's list decides)."""

import pytest

from corpus_tools.repair import Vocabulary, repair
from corpus_tools.repair.vocabulary import char_keys, shared_candidates
from corpus_tools.repair.word_languages import LanguageVotes


@pytest.fixture(scope="module")
def wordfreq_vocab():
    return Vocabulary()


@pytest.fixture(scope="module")
def small_vocab():
    return Vocabulary(words={"the": 5e-2, "constanța": 1e-5}, use_wordfreq=False)


def fixed(text, vocab):
    return repair(text, vocab).text


def rules(text, vocab):
    return {c.rule: c.after for c in repair(text, vocab).changes}


# -- the index and the votes ------------------------------------------------------------------
def test_a_byte_skeleton_is_read_through_the_character_index():
    assert char_keys("z??rich") == ["z?rich"]
    assert sorted(char_keys("????")) == ["?", "??"]  # one 4-byte or two 2-byte characters
    assert "zürich" in [c.word for c in shared_candidates("z??rich", True)]


def test_the_index_keeps_each_words_languages():
    stefan = {c.word: c for c in shared_candidates("?tefan", False)}
    assert stefan["ștefan"].frequency_in({"ro"}) > 0
    assert stefan["ștefan"].frequency_in({"sk"}) == 0


def test_languages_need_votes_and_the_texts_own_language_counts():
    votes = LanguageVotes("fr")
    votes.add(["ro"])
    assert votes.preferred() == {"fr"}  # one vote is not enough
    votes.add(["ro", "hu"])
    votes.add(["ro"])
    assert votes.preferred() == {"fr", "ro"}  # "hu" has less than half of "ro"'s votes


# -- letters ---------------------------------------------------------------------------------
def test_an_ambiguous_name_takes_the_language_of_the_texts_other_names(wordfreq_vocab):
    # "Bra?ov" and "Timi?oara" can only be Romanian: "?tefan" is "Ștefan", not Slovak "Štefan"
    text = "The choir of Bra?ov sang for ?tefan in Timi?oara on Sunday."
    assert fixed(text, wordfreq_vocab) == "The choir of Brașov sang for Ștefan in Timișoara on Sunday."


def test_a_lost_first_letter_before_lower_case_is_no_quote_without_a_closer(small_vocab):
    result = repair("The award went to Wojciech ?mudzki, a baker from the north.", small_vocab)
    assert "“" not in result.text
    assert result.marks_left == 1


def test_a_bare_word_counts_in_the_texts_language(wordfreq_vocab):
    # "sa" is French, not English: an English text's "?sa" lost a letter
    assert wordfreq_vocab.known("sa", "fr") > 10 * wordfreq_vocab.known("sa")


def test_an_apostrophe_needs_an_english_ending(small_vocab):
    assert fixed("Anders Bergstr?m spoke first.", small_vocab) == "Anders Bergstr?m spoke first."
    assert fixed("I?m sure it isn?t late.", small_vocab) == "I’m sure it isn’t late."


def test_the_whole_word_written_intact_beats_an_apostrophe(wordfreq_vocab):
    text = "Loïs Marchand wins\nThe prize went to Lo?s Marchand of Nantes."
    assert fixed(text, wordfreq_vocab).endswith("went to Loïs Marchand of Nantes.")


def test_a_romanian_comma_letter_fits_a_code_page_byte(small_vocab):
    assert fixed("Police in Constan\ufffda said so.", small_vocab) == "Police in Constanța said so."


# -- signs and symbols -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "sign", "rule"),
    [
        ("A bowl of noodles costs ?900 in Kyoto, the guide says.", "¥", "currency_from_place"),
        ("A coffee costs 2,40 ? at the station.", "€", "currency_from_number_format"),
        ("O pão custa 2 ? e o café 1 ? para os clientes.", "€", "currency_from_language"),
    ],
)
def test_new_currency_witnesses(text, sign, rule, small_vocab):
    assert rules(text, small_vocab).get(rule) == sign


def test_the_nearest_place_decides_each_amount(small_vocab):
    text = "It sells for ?9,000 in Osaka and ?60 in Leeds."
    assert fixed(text, small_vocab) == "It sells for ¥9,000 in Osaka and £60 in Leeds."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pour in ? cup of milk and wait ? hour.", "Pour in ½ cup of milk and wait ½ hour."),
        ("Photos ? 2023 Jan Novak.", "Photos © 2023 Jan Novak."),
        ("Maps ? the survey office.", "Maps © the survey office."),
        ("It isn?t sold by Vantora? Ltd. any more.", "It isn’t sold by Vantora™ Ltd. any more."),
    ],
)
def test_symbols_by_their_neighbours(text, expected, small_vocab):
    assert fixed(text, small_vocab) == expected


def test_a_lone_mark_is_the_one_letter_word_of_the_texts_language(wordfreq_vocab):
    text = "C?est le concert de la ville : il est ? 20 h et les billets sont ? 5 euros pour les enfants."
    assert fixed(text, wordfreq_vocab) == text.replace("C?", "C’").replace(" ? ", " à ")


@pytest.mark.parametrize(
    "text",
    [
        "Pourquoi ? Parce que le maire est parti et les élus aussi, dit la presse.",
        "Is it cheaper in Tokyo? 20 people said yes.",
        "Who took the photos? Nobody knows.",
        "Is 2,40 enough? Not for the station.",
    ],
)
def test_correct_text_stays(text, wordfreq_vocab):
    assert fixed(text, wordfreq_vocab) == text
