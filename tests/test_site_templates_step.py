"""The ``site_templates`` corpus step: lines a site repeats are learned and removed."""

from __future__ import annotations

import random

from corpus_pass import run_corpus_pass

from corpus_tools.document import Document
from corpus_tools.edits import revert
from corpus_tools.sites import site_of
from corpus_tools.steps.site_templates import SiteTemplates


def sentence(rng: random.Random, words: int = 14) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return (
        " ".join(
            "".join(rng.choice(letters) for _ in range(rng.randint(2, 8))) for _ in range(words)
        ).capitalize()
        + "."
    )


def site_docs(site: str, count: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        body = [sentence(rng) for _ in range(5)]
        lines = [
            f"{site.title()} | Home | World | Sport",
            *body,
            f"Published {rng.randint(1, 28)} May 2025",  # differs by its digits only
            f"Sign up for the {site} newsletter.",
            f"(c) 2025 {site}. All rights reserved.",
        ]
        docs.append(Document(f"{site}/{i}", "\n".join(lines), {"url": f"https://www.{site}.example/a/{i}"}))
    return docs


def run(docs: list[Document], **options) -> tuple[SiteTemplates, dict]:
    step = SiteTemplates(SiteTemplates.Options(**options))
    return step, run_corpus_pass(step, docs)


def test_template_lines_are_removed_and_the_article_stays():
    docs = site_docs("alpha", 20, seed=1)
    originals = [doc.text for doc in docs]
    _, figures = run(docs)
    assert figures["sites_with_templates"] == 1 and figures["template_lines"] == 4
    for doc, raw in zip(docs, originals, strict=True):
        body = raw.split("\n")[1:6]
        assert doc.text == "\n".join(body)  # no dangling line break either
        assert {edit.rule for edit in doc.edits} == {"site_template"}
        assert len(doc.edits) == 4
        assert revert(doc.text, doc.edits) == raw


def test_a_quote_shared_by_two_articles_is_not_a_template():
    docs = site_docs("beta", 20, seed=2)
    quote = '"We will not give up," the mayor said on Tuesday.'
    for doc in docs[3], docs[11]:
        lines = doc.text.split("\n")
        lines.insert(3, quote)
        doc.text = "\n".join(lines)
    run(docs)
    assert quote in docs[3].text and quote in docs[11].text


def test_a_line_in_few_of_a_large_sites_documents_is_kept():
    docs = site_docs("gamma", 200, seed=3)
    shared = "Correction: an earlier version of this article misstated a date."
    for doc in docs[:8]:  # 8 documents: above min_docs, under 10% of the site
        doc.text = doc.text.replace("\nPublished", f"\n{shared}\nPublished", 1)
    run(docs)
    assert all(shared in doc.text for doc in docs[:8])
    assert all("newsletter" not in doc.text for doc in docs)


def test_sites_are_learned_apart_and_small_sites_learn_nothing():
    big = site_docs("delta", 15, seed=4)
    small = site_docs("epsilon", 5, seed=5)
    _, figures = run(big + small)
    assert figures["sites"] == 2 and figures["sites_with_templates"] == 1
    assert all("newsletter" not in doc.text for doc in big)
    assert all("newsletter" in doc.text and not doc.edits for doc in small)


def test_site_comes_from_source_then_url_then_folder():
    assert site_of({"source": "www.Example.com", "url": "https://other.example/x"}) == "example.com"
    assert site_of({"url": "https://www.news.example/a/b"}) == "news.example"
    assert site_of({"raw_dir": "raw/siteA"}) == "dir:raw/siteA"
    assert site_of({}) is None


def test_idempotent():
    docs = site_docs("zeta", 12, seed=6)
    step, _ = run(docs)
    cleaned = [doc.text for doc in docs]
    for doc in docs:
        step.process(doc)
    assert [doc.text for doc in docs] == cleaned


def test_counts_spilled_in_small_batches_give_the_same_templates(monkeypatch):
    from corpus_tools.steps import site_templates

    docs = site_docs("eta", 30, seed=7) + site_docs("theta", 30, seed=8)
    reference = SiteTemplates()
    reference.collect_documents(docs)  # one unit
    reference.finish()
    monkeypatch.setattr(site_templates, "_BUFFER_LINES", 7)  # flushes, and units longer than the buffer
    batched = SiteTemplates()
    for start in range(0, len(docs), 4):  # units of 4 documents, some holding both sites
        batched.collect_documents(docs[start + 1 : start + 4] + docs[start : start + 1])
    batched.finish()
    assert batched._templates == reference._templates and reference._templates


def test_one_article_under_five_urls_is_not_a_template():
    # the article served as tracking, AMP and print variants: its lines recur in 5 documents
    # of the site, but in one text; dedup, not the template pass, handles the copies
    docs = site_docs("daily", 20, seed=11)
    article = docs[0]
    base = "https://www.daily.example/a/0"
    for number, url in enumerate(
        [
            f"{base}?utm_source=x&utm_medium=y",
            f"{base}?amp=1",
            f"{base}/amp",
            f"{base}/print",
            f"{base}?fbclid=z",
        ]
    ):
        docs.append(Document(f"daily/copy{number}", article.text, {"url": url}))
    body = article.text.split("\n")[1:6]
    run(docs, min_docs=5, min_share=0.2)
    for doc in [article, *docs[-5:]]:
        assert body and all(line in doc.text for line in body), doc.id
        assert doc.text == "\n".join(body)


def test_the_template_pass_never_empties_a_document():
    docs = site_docs("tiny", 20, seed=12)
    chrome_only = Document(
        "tiny/menu", "\n".join(docs[0].text.split("\n")[:1] + docs[1].text.split("\n")[-2:])
    )
    chrome_only.meta["url"] = "https://www.tiny.example/menu"
    run([*docs, chrome_only], min_docs=5, min_share=0.2)
    assert chrome_only.text.strip()
    assert not chrome_only.edits


def test_one_article_under_five_urls_through_the_default_chain_is_one_kept_four_duplicates():
    # the article at its address and under 4 variants (tracking, AMP, print): 5 documents;
    # the whole chain: the site's template pass must leave the copies whole for dedup
    from corpus_tools.config import load_chain
    from corpus_tools.executors.local import LocalExecutor
    from corpus_tools.run import DocumentSink, Runner

    rng = random.Random(21)
    docs = []
    for i in range(14):  # enough of the site's texts for the template pass to learn its chrome
        body = "\n\n".join(sentence(rng, 22) for _ in range(5))
        text = f"Daily | Home | World | Sport\n\n{body}\n\nSign up for the daily newsletter."
        docs.append(Document(f"daily/{i}", text, {"url": f"https://www.daily.example/a/{i}"}))
    article = docs[0].text
    base = "https://www.daily.example/a/0"
    variants = [
        f"{base}?utm_source=x&utm_medium=y",
        f"{base}?amp=1",
        f"{base}/amp/",
        f"{base}/print",
    ]
    copies = [Document(f"daily/copy{n}", article, {"url": url}) for n, url in enumerate(variants)]
    runner = Runner(load_chain().steps, LocalExecutor(), DocumentSink())
    out = {doc.id: doc for unit in runner.run([*docs, *copies]) for doc in unit}
    group = [out["daily/0"], *(out[doc.id] for doc in copies)]
    kept = [doc for doc in group if not doc.rejected]
    assert len(kept) == 1
    rejected = [doc for doc in group if doc.rejected]
    assert len(rejected) == 4
    assert all(doc.rejection.step == "dedup" and "exact" in doc.rejection.rule for doc in rejected)
    paragraphs = article.split("\n\n")[1:6]
    assert all(paragraph in kept[0].text for paragraph in paragraphs)
    assert "Daily | Home" not in kept[0].text  # the site's chrome is learned and goes
