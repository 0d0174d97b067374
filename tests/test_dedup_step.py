"""The ``dedup`` corpus step: which copy stays, why the others go, and what it costs."""

from __future__ import annotations

import pickle
import random

import pytest
from corpus_pass import run_corpus_pass

from corpus_tools.document import Document
from corpus_tools.executors.local import LocalExecutor
from corpus_tools.run import DocumentSink, Runner
from corpus_tools.steps.dedup import Dedup


def prose(seed: int, paragraphs: int = 6) -> str:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for _ in range(paragraphs):
        sentence = [
            "".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(rng.randint(60, 90))
        ]
        out.append(" ".join(sentence).capitalize() + ".")
    return "\n".join(out)


def run(docs: list[Document], **options) -> tuple[Dedup, dict]:
    step = Dedup(Dedup.Options(**options))
    return step, run_corpus_pass(step, docs)


def kept(docs: list[Document]) -> list[str]:
    return [doc.id for doc in docs if not doc.rejected]


def test_syndicated_article_under_two_sites_ends_as_one_document():
    body = prose(1)
    # what the cleaning chain leaves of two sites' pages: same article, other typography
    site_a = Document("site-a/1", body.replace(". ", ".  ").replace("\n", "\n\n"), {"source": "a"})
    site_b = Document("site-b/9", body.upper(), {"source": "b"})
    other = Document("site-b/10", prose(2), {"source": "b"})
    _, figures = run([site_a, site_b, other], keep="first_seen")
    assert kept([site_a, site_b, other]) == ["site-a/1", "site-b/10"]
    assert site_b.rejection.rule == "exact_duplicate"
    assert site_b.rejection.duplicate_of == "site-a/1" and site_b.rejection.similarity == 1.0
    assert site_a.meta["cluster_id"] == "site-a/1" and site_a.meta["cluster_size"] == 2
    assert other.meta["cluster_id"] == "site-b/10" and other.meta["cluster_size"] == 1
    assert figures["exact_duplicates"] == 1 and figures["near_duplicates"] == 0


def test_near_copies_are_dropped_with_their_similarity_and_distinct_articles_stay():
    body = prose(3)
    words = body.split(" ")
    truncated = Document("cut", " ".join(words[: int(len(words) * 0.9)]), {})
    edited_words = list(words)
    for i in range(0, len(edited_words), 60):
        edited_words[i] = edited_words[i][::-1]  # one word in 60 changed, same length
    edited = Document("edited", " ".join(edited_words), {})
    moved = body.split("\n")
    moved.insert(0, moved.pop())
    reordered = Document("moved", "\n".join(moved), {})
    full = Document("full", body, {})
    unrelated = Document("unrelated", prose(4), {})
    docs = [truncated, full, edited, reordered, unrelated]
    run(docs, keep="longest")  # full, edited and moved tie on length: the first seen wins
    assert kept(docs) == ["full", "unrelated"]
    for doc in (truncated, edited, reordered):
        assert doc.rejection.rule == "near_duplicate"
        assert doc.rejection.duplicate_of == "full"
        assert 0.8 <= doc.rejection.similarity < 1.0
        assert "full" in doc.rejection.detail
    assert full.meta["cluster_size"] == 4


def test_a_pair_below_the_threshold_is_kept():
    words = prose(5).split(" ")
    half = Document("half", " ".join(words[: len(words) // 2]), {})
    whole = Document("whole", " ".join(words), {})
    run([half, whole])
    assert kept([half, whole]) == ["half", "whole"]


def test_chains_do_not_drop_a_document_unlike_the_kept_one():
    """A~B and B~C but A and C differ: C is not dropped as a copy of A."""
    words = prose(6, paragraphs=8).split(" ")
    n = len(words)
    a = Document("a", " ".join(words[: int(n * 0.80)]), {})
    b = Document("b", " ".join(words[int(n * 0.08) : int(n * 0.88)]), {})  # 0.82 like a, and like c
    c = Document("c", " ".join(words[int(n * 0.16) : int(n * 0.96)]), {})
    run([a, b, c], keep="first_seen")
    assert not a.rejected
    assert b.rejected and b.rejection.duplicate_of == "a"
    assert not c.rejected  # only 0.67 like a


@pytest.mark.parametrize(
    ("policy", "winner"),
    [("longest", "long"), ("earliest_date", "early"), ("most_metadata", "rich"), ("first_seen", "first")],
)
def test_keep_policies(policy, winner):
    body = prose(7)
    docs = [
        Document("first", body, {"date": "2024-05-03"}),
        Document("early", body, {"date": "2024-05-01"}),
        Document(
            "rich", body, {"date": "2024-05-04", "title": "T", "author": "A", "url": "https://x.example/1"}
        ),
        Document("long", body + " Extra closing words here.", {"date": "2024-05-05"}),
    ]
    for doc in docs[1:3]:
        doc.text = doc.text.replace(" ", "  ", 1)  # exact duplicates once normalised
    run(docs, keep=policy)
    assert kept(docs) == [winner]
    assert all(doc.rejection.duplicate_of == winner for doc in docs if doc.rejected)


def test_by_url_catches_a_page_fetched_twice():
    first = Document("fetch-1", prose(8), {"url": "https://www.news.example/story/"})
    second = Document("fetch-2", prose(9), {"url": "http://news.example/story"})
    no_url = Document("no-url-1", prose(10), {})
    no_url_2 = Document("no-url-2", prose(11), {})
    run([first, second, no_url, no_url_2], by_url=True, keep="first_seen")
    assert kept([first, second, no_url, no_url_2]) == ["fetch-1", "no-url-1", "no-url-2"]
    assert second.rejection.rule == "same_url" and second.rejection.duplicate_of == "fetch-1"


def test_empty_texts_are_exact_duplicates_of_each_other_only():
    docs = [Document("e1", "", {}), Document("e2", "...", {}), Document("full", prose(12), {})]
    run(docs, keep="first_seen")
    assert kept(docs) == ["e1", "full"]


def test_signature_verification_and_spilled_state_give_the_same_decisions(tmp_path):
    base = prose(13).split(" ")

    def corpus():
        return [
            Document("a", " ".join(base), {}),
            Document("b", " ".join(base[:-30]), {}),
            Document("c", prose(14), {}),
        ]

    reference = corpus()
    run(reference)
    spilled = corpus()
    _, figures = run(spilled, memory_budget_mb=0, spill_dir=str(tmp_path))
    assert figures["state_bytes_per_document"] == 0  # everything went to disk
    assert [d.rejection for d in spilled] == [d.rejection for d in reference]
    assert list(tmp_path.iterdir()) == []  # state files removed after finish
    by_signature = corpus()
    run(by_signature, verify="signature", num_perm=256)
    assert kept(by_signature) == kept(reference) == ["a", "c"]


def test_state_is_small_and_the_finished_step_travels_to_workers():
    docs = [Document(f"d{i}", prose(100 + i, paragraphs=2), {}) for i in range(30)]
    step, figures = run(docs)
    assert figures["state_bytes_per_document"] <= 200
    clone = pickle.loads(pickle.dumps(step))
    again = Document("d3", docs[3].text, {})
    clone.process(again)
    assert again.meta["cluster_size"] == 1


def test_process_before_finish_is_an_error():
    with pytest.raises(RuntimeError):
        Dedup().process(Document("x", "text", {}))


def test_options_reject_bands_that_do_not_fit():
    with pytest.raises(ValueError):
        Dedup.Options(num_perm=64, bands=20, rows=5)


def test_runs_inside_the_pipeline():
    body = prose(15)
    docs = [Document("one", body, {}), Document("two", body + "!", {}), Document("three", prose(16), {})]
    runner = Runner([Dedup(Dedup.Options(keep="first_seen"))], LocalExecutor(), DocumentSink())
    out = [doc for unit in runner.run(docs) for doc in unit]
    assert [d.id for d in out if not d.rejected] == ["one", "three"]
    assert runner.figures["dedup"]["exact_duplicates"] == 1


def test_deduplicating_the_kept_documents_again_drops_nothing():
    words = prose(17, paragraphs=8).split(" ")
    n = len(words)
    docs = [
        Document(f"v{k}", " ".join(words[int(n * 0.04 * k) : int(n * (0.8 + 0.04 * k))]), {})
        for k in range(6)
    ]
    docs.append(Document("other", prose(18), {}))
    run(docs, keep="first_seen")
    survivors = [Document(d.id, d.text, {}) for d in docs if not d.rejected]
    assert len(survivors) < len(docs)
    run(survivors, keep="first_seen")
    assert not any(d.rejected for d in survivors)
