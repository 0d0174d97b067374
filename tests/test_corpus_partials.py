"""A corpus pass gives the same state however the corpus is cut into units.

Workers combine each unit's summaries into a partial state and the main process merges
the partials in input order; the number of workers and the unit size change how the
corpus is cut, so they must not change what the pass decides.
"""

from __future__ import annotations

import random

import pytest

from corpus_tools.document import Document
from corpus_tools.steps import STEPS, CorpusStep

WORDS = "harbour bridge council engineers market prices library students spring valley".split()  # noqa: SIM905
ACCENTED = ["Sigurðsson", "Kraków", "café", "Zürich", "São", "Müller"]


def corpus(seed: int = 3) -> list[Document]:
    """Three sites with template lines, exact and near copies, accented words and lost letters."""
    rng = random.Random(seed)
    docs = []
    for index in range(60):
        site = f"site{index % 3}.example"
        damaged = index % 7 == 0  # lost its non-ASCII letters to "?", as a lossy export does
        body = [
            " ".join(rng.choice(WORDS) for _ in range(14)).capitalize()
            + ("." if damaged else f" {rng.choice(ACCENTED)}.")
            for _ in range(4)
        ]
        if damaged:
            body.append("Reporting by Sigur?sson in Krak?w, the mayor?s office said; it?s M?ller?s view.")
        text = "\n".join(
            [f"{site} | Home | News", *body, f"Subscribe to {site} today.", "All rights reserved."]
        )
        docs.append(
            Document(
                f"d{index}",
                text,
                {"url": f"https://{site}/a/{index}", "date": f"2024-01-{index % 28 + 1:02d}"},
            )
        )
    docs.append(Document("copy", docs[4].text, dict(docs[4].meta)))  # an exact copy
    near = docs[10].text.replace("Home", "Start", 1)
    docs.append(Document("near", near, dict(docs[10].meta)))
    return docs


def outcome(name: str, unit: int, options: dict | None = None) -> tuple:
    step: CorpusStep = STEPS[name](STEPS[name].Options(**(options or {})))
    docs = corpus()
    for start in range(0, len(docs), unit):
        step.collect_documents(docs[start : start + unit])
    figures = step.finish()
    for doc in docs:
        step.process(doc)
    return figures, [(doc.text, doc.meta, doc.rejection) for doc in docs]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("fix_encoding", {"wordfreq": False}),  # the corpus' own words decide the lost letters
        ("site_templates", {"min_site_docs": 5}),
        ("dedup", {}),
        ("dedup", {"verify": "signature", "keep": "earliest_date"}),
    ],
)
@pytest.mark.parametrize("unit", [1, 7])
def test_partials_merged_unit_by_unit_decide_as_one_unit_does(name: str, options: dict, unit: int) -> None:
    whole = outcome(name, 10_000, options)
    assert outcome(name, unit, options) == whole
    figures, documents = whole
    edited = [
        text
        for (text, _, rejection), doc in zip(documents, corpus(), strict=True)
        if text != doc.text or rejection
    ]
    assert edited, f"{name} changed nothing: the corpus does not exercise it"
