"""The registered step: corpus pass, edit record, counts, idempotence, seeds-like input."""

from corpus_pass import run_corpus_pass

from corpus_tools.document import Change, Document
from corpus_tools.edits import revert
from corpus_tools.repair import repair_text
from corpus_tools.repair.compose import apply_changes, compose
from corpus_tools.repair.witnesses import undamaged_words
from corpus_tools.steps import STEPS
from corpus_tools.steps.fix_encoding import FixEncoding


def run(texts, **options):
    step = FixEncoding(FixEncoding.Options(wordfreq=False, **options))
    docs = [Document.from_raw(f"d{i}", t) for i, t in enumerate(texts)]
    return docs, run_corpus_pass(step, docs)


def test_registered():
    assert STEPS["fix_encoding"] is FixEncoding


def test_corpus_words_restore_a_lost_letter():
    docs, figures = run(
        [
            "The festival in Brønnøysund opened on Friday.",
            "Crowds came to Br?nn?ysund again?s harbour, the mayor?s office said.",
        ]
    )
    assert docs[1].text == "Crowds came to Brønnøysund again’s harbour, the mayor’s office said."
    assert figures["corpus_words"] == 1
    rules = [e.rule for e in docs[1].edits]
    assert rules.count("letter_from_corpus") == 2 and rules.count("apostrophe") == 2
    assert docs[1].meta["encoding_marks_left"] == 0


def test_summary_holds_only_undamaged_accented_words():
    assert undamaged_words("Brønnøysund and Tromsø, not Br?nn?ysund nor plain words") == {
        "brønnøysund",
        "tromsø",
    }
    step = FixEncoding(FixEncoding.Options(wordfreq=False))
    summary = step.summarize(Document("x", "A cafÃ© in KrakÃ³w charges €4."))
    assert summary.words == ("café", "kraków") and summary.currencies == "€"


def test_tokenising_only_chunks_with_a_non_ascii_letter_finds_what_tokenising_all_finds():
    """The oracle tokenises the whole text, as the summary did before it skipped ASCII chunks."""
    import random
    import re

    from corpus_tools.repair.gate import may_be_mojibake
    from corpus_tools.repair.witnesses import _WORD, _redecodes

    def every_word(text):
        found = set()
        for m in _WORD.finditer(text):
            word, before, after = m[0], text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
            marked = "?" in before + after or "\ufffd" in before + after
            if (
                word.isascii()
                or not 2 <= len(word) <= 40
                or marked
                or (may_be_mojibake(word) and _redecodes(word))
            ):
                continue
            found |= {part.lower() for part in re.split("['’]", word) if not part.isascii() and len(part) > 1}
        return found

    rng = random.Random(3)
    alphabet = list("ab é’'?\n\tЖ\ufffd-Ã©x.") + ["Ã¡", "Tromsø"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert undamaged_words(text) == every_word(text), text


def test_edit_record_is_fine_grained_and_reverts_to_raw():
    raw = "The ministerâ€™s aide said it wasn?t &quot;final&quot; ? yet.\nG\ufffdteborg?s port"
    docs, _ = run([raw])
    doc = docs[0]
    assert revert(doc.text, doc.edits) == raw
    assert all(len(e.before) <= 6 for e in doc.edits)
    assert {"mojibake", "apostrophe", "html_entity", "dash"} <= {e.rule for e in doc.edits}
    assert doc.meta["encoding_marks_left"] == 1  # "G\ufffdteborg": no vocabulary knows it here


def test_left_marks_are_counted_and_kept():
    docs, _ = run(["Xq\ufffdzt and Vr?wp met."])
    assert docs[0].text == "Xq\ufffdzt and Vr?wp met."
    assert docs[0].meta["encoding_marks_left"] == 2


def test_with_wordfreq_lost_spaces_and_letters():
    """The one test that loads wordfreq (a few seconds): real word lists, no hand-made vocabulary."""
    step = FixEncoding()
    doc = Document.from_raw(
        "seed",
        "A policy that grants?senior?officials exemptions? Critics in K?benhavn and "
        "Gda?sk disagree: solve this problem? Read https://example.com/a?b=c first.",
    )
    step.process(doc)
    assert doc.text == (
        "A policy that grants senior officials exemptions? Critics in København and "
        "Gdańsk disagree: solve this problem? Read https://example.com/a?b=c first."
    )


def test_idempotent_and_controls_untouched():
    texts = [
        "The ministerâ€™s aide said ?no? ? twice.",
        "Who won? “Nobody,” she said — see https://example.org/r?id=7.",
        "‘I tell them: don’t go’",
    ]
    docs, _ = run(texts)
    assert docs[1].text == texts[1] and docs[1].edits == []
    assert docs[2].text == texts[2]
    again, _ = run([d.text for d in docs])
    assert [d.text for d in again] == [d.text for d in docs]
    assert all(d.edits == [] for d in again)


def test_reversible_only_option():
    docs, _ = run(["The cafÃ© and the mayor?s office"], recover_lossy=False)
    assert docs[0].text == "The café and the mayor?s office"


def test_compose_merges_overlapping_stages():
    text0 = "aâ€?b and x"
    first = [Change(1, 4, "\ufffd", "mojibake")]
    middle = apply_changes(text0, first)
    second = [Change(1, 2, "”", "close_quote"), Change(8, 9, "y", "other")]
    composed = compose(first, second, middle)
    assert apply_changes(text0, composed) == "a”b and y"
    assert [c.rule for c in composed] == ["mojibake+close_quote", "other"]


def test_words_from_entity_and_mojibake_documents_count_too():
    docs, figures = run(["Mr Ot&aacute;vio spoke.", "Then OtÃ¡vio left.", "Ot?vio?s return"])
    assert figures["corpus_words"] == 1
    assert docs[2].text == "Otávio’s return"


def test_a_word_whose_letters_only_look_like_mojibake_is_a_witness():
    # "áš" pairs a Windows-1252 lead with a continuation, but "Tomáš" encodes to no UTF-8
    assert undamaged_words("Tomáš and MÄšSTO") == {"tomáš"}  # "MĚSTO" read as Windows-1252


def test_a_control_character_inside_a_word_is_a_lost_letter_the_word_decides():
    # Mac Roman's "í" (byte 0x92) read as Latin-1: Windows-1252 would say "’" inside the word
    text, changes = repair_text("Un museo hist\x92rico en la ciudad.")
    assert text == "Un museo histórico en la ciudad."
    assert changes[0].rule.startswith("mojibake+letter_")
    # an apostrophe before an English ending is still read as one
    assert repair_text("We didn\x92t go.")[0] == "We didn’t go."
    # a letter Windows-1252 writes there is kept ("š", 0x9A)
    assert repair_text("Ko\x9aice is in Slovakia.")[0] == "Košice is in Slovakia."
