from corpus_tools.document import Document
from corpus_tools.repair.gate import may_be_mojibake
from corpus_tools.repair.mojibake import diff_changes, fix_mojibake, lone_sequences


def _fix(text):
    doc = Document("d", text)
    doc.apply("fix_encoding", fix_mojibake(text))
    return doc


def test_mojibake_is_fixed_in_small_spans():
    doc = _fix("The cafÃ©â€™s owner met the mayor of GdaÅ„sk.")
    assert doc.text == "The café’s owner met the mayor of Gdańsk."
    assert all(e.rule == "mojibake" for e in doc.edits)
    assert max(len(e.before) for e in doc.edits) <= 5  # marks, not the whole sentence
    assert "".join(e.after for e in doc.edits) == "é’ń"


def test_double_mojibake_and_nbsp_byte():
    assert _fix("a crÃƒÂ¨me brÃƒÂ»lÃƒÂ©e").text == "a crème brûlée"
    assert _fix("a 10Â\u00a0km walk").text == "a 10\u00a0km walk"


def test_curly_quotes_and_clean_lines_untouched():
    text = "“We’ll see,” she said — ‘maybe’.\nThe cafÃ© line is broken."
    doc = _fix(text)
    assert doc.text.split("\n")[0] == text.split("\n")[0]
    assert all(e.start >= text.index("\n") for e in doc.edits)


def test_lost_third_byte_becomes_a_replacement_character():
    # ” is E2 80 9D; with 9D stripped, "â€" is left before the space
    assert _fix("the â€œbestâ€ offer").text == "the “best\ufffd offer"


def test_lone_sequence_letter_and_currency():
    changes = lone_sequences("in EskiÅŸehir")
    assert [(c.after, c.rule) for c in changes] == [("ş", "mojibake_letter")]
    assert lone_sequences("NESTLÉ® and SÃO") == []  # no Latin letter, no glued lower case
    assert [c.after for c in lone_sequences("costs в‚¬5")] == ["€"]  # UTF-8 read as Windows-1251


def test_diff_changes_is_minimal_and_reapplies():
    before, after = "naÃ¯ve cafÃ©", "naïve café"
    doc = Document("d", before)
    doc.apply("s", diff_changes(before, after, "mojibake"))
    assert doc.text == after
    assert [e.before for e in doc.edits] == ["Ã¯", "Ã©"]


def test_sequences_ftfy_leaves_in_a_line_it_repairs():
    # "Ł" lost its C1 byte, so the line no longer decodes whole; the pairs around still do
    doc = _fix("in GdaÅ„sk and â€œnoâ€\x9d; ÅŒsaka too")
    assert doc.text == "in Gdańsk and “no”; Ōsaka too"


def test_cyrillic_capitals_are_not_read_as_mojibake():
    assert lone_sequences("ЗДІМ і Дім") == []


def test_utf8_read_as_dos_code_page_437():
    # box-drawing characters: UTF-8 read through the old DOS code page
    assert _fix("Dvo┼Ö├ík v Plzni").text == "Dvořák v Plzni"


def test_a_capital_before_a_no_break_space_is_no_lone_sequence():
    # "Ä" and a no-break space read as UTF-8 would be "Ġ", a letter of no language these
    # Windows code pages write: the capital and the space are what they look like
    text = "KYLÄ\u00a0JA\u00a0KAUPUNKI"
    assert _fix(text).text == text


def test_an_apostrophe_or_trademark_after_a_letter_is_not_a_sequence():
    # "Ã" then "’s", and a Romanian "Ă" then "™": each sign as written, not one letter's bytes
    for text in ("the two Ã’s of the logo", "MARCA CASĂ™ is new"):
        assert lone_sequences(text) == []
    assert [c.after for c in lone_sequences("in KahramanmaraÅŸ today")] == ["ş"]


def test_a_lead_before_a_replacement_character_reaches_ftfy():
    # "č" is C4 8D in UTF-8; Windows-1252 has no byte 0x8D, so a strict decoder left U+FFFD
    # after the lead "Ä": the gate must pass the line, and ftfy turns the pair into one lost
    # character for the lossy repair
    text = "Celkem po\u00c4\ufffdet"
    assert may_be_mojibake(text)
    assert [c.after for c in fix_mojibake(text)] == ["\ufffd"]


def _layers(text, n):
    for _ in range(n):
        text = text.encode("utf-8").decode("cp1252", errors="replace")
    return text


def test_a_line_ftfy_judges_bad_but_cannot_read_is_left_whole():
    # lower-cased mojibake of several layers: ftfy flags it and finds no reading, so neither
    # the lost third byte nor a lone sequence in it is decoded on the chain's own evidence
    garble = _layers("l’été “à” côté", 3).lower()
    assert fix_mojibake(garble) == []
    # one pair beside an intact en dash, which no code page's misreading would leave intact
    mixed = "Sail notes – GrÃ¥sten"
    assert fix_mojibake(mixed) == []
    # the same pair after an ASCII hyphen: nothing contradicts the misreading, ftfy decodes it
    assert [c.after for c in fix_mojibake("Sail notes - GrÃ¥sten")] == ["å"]


def test_a_lone_a_grave_lead_before_a_word_is_restored_where_its_page_shows_mojibake():
    # UTF-8 read as Windows-1251 ("Г©" is "é"); "à" lost its A0 byte and stands alone
    doc = _fix("il pense Г tout, mГ©me Г demain")
    assert doc.text == "il pense à tout, méme à demain"
    # no mojibake of that page in the line: a Cyrillic capital before a word stays
    text = "Г не буква, а Г слово"
    assert _fix(text).text == text
    # ftfy's own rule decides the lines it reads ("Ã s" stays "às" for it)
    assert _fix("ensinou Ã s crianÃ§as").text == "ensinou às crianças"
