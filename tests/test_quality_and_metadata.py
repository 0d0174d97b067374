from corpus_tools.document import Document
from corpus_tools.steps.extract_metadata import ExtractMetadata, headline
from corpus_tools.steps.quality_filter import QualityFilter, character_counts


def filtered(text: str, **options) -> Document:
    doc = Document("d", text)
    QualityFilter(QualityFilter.Options(**options)).process(doc)
    return doc


def test_a_page_with_too_few_words_is_dropped_with_the_count():
    doc = filtered("Page not found. Go home.")
    assert doc.rejection.rule == "too_few_words"
    assert "5 words" in doc.rejection.detail


def test_a_page_of_figures_is_dropped_for_too_few_letters():
    doc = filtered(" ".join(str(n) for n in range(40)) + " scores")
    assert doc.rejection.rule == "too_few_letters"


def test_an_article_in_any_script_passes():
    assert filtered("Москва объявила о новых мерах поддержки для жителей региона. " * 4).rejection is None
    assert (
        filtered("A short news brief about the weather in the north of the country. " * 3).rejection is None
    )


def test_letters_and_visible_characters_are_counted_in_every_script():
    texts = [
        "Café “déjà” vu — 42 ½",
        "Привет, мир! 2024",
        "東京 3³ naïve_x",
        "",
        "\ud800 a",
        " a\u00a0b\u3000c\x1cd\u2028e\x85f\tg\r\n",  # spaces str.split() splits on, in and out of ASCII
        "\u200bzero\ufeffwidth",  # not spaces
    ]
    for text in texts:
        letters = sum(char.isalpha() for char in text)
        assert character_counts(text) == (letters, sum(map(len, text.split()))), text


def test_the_word_count_is_exact_below_the_minimum():
    doc = filtered("one two  three\n\nfour\u00a0five ", min_words=6)
    assert doc.rejection.detail == "5 words < 6"
    assert filtered("one two three four five six", min_words=6).rejection is None


def test_the_first_short_unpunctuated_paragraph_is_the_title():
    assert headline("Storm hits the coast\n\nThe storm arrived at night.", 30) == "Storm hits the coast"
    assert headline("The storm arrived at night.\n\nMore text.", 30) is None


def test_an_input_title_is_kept():
    doc = Document("d", "Another headline\n\nBody.", {"title": "From the page"})
    ExtractMetadata().process(doc)
    assert doc.meta["title"] == "From the page"
