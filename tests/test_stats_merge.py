"""Workers fold statistics per batch and the writer merges them: the sums must not depend on it."""

from corpus_tools.document import Change, Document
from corpus_tools.stats import RunStats


def documents() -> list[Document]:
    docs = []
    for number in range(6):
        meta = {"language": "en", "source": f"s{number % 2}"}
        doc = Document(f"d{number}", f"Menu\nStory {number} text.", meta)
        doc.apply("strip_boilerplate", [Change(0, 5, "", "generic:nav_words")])
        doc.meta.update(n_words=3, cluster_size=2 if number == 1 else 1)
        if number == 4:
            doc.reject("dedup", "near_duplicate", "of d1")
        docs.append(doc)
    return docs


def test_merging_batch_statistics_equals_adding_documents_one_by_one():
    whole = RunStats()
    for doc in documents():
        whole.add(doc)
    merged, first, second = RunStats(), RunStats(), RunStats()
    docs = documents()
    for doc in docs[:2]:
        first.add(doc)
    for doc in docs[2:]:
        second.add(doc)
    merged.merge(first)
    merged.merge(second)
    assert merged.as_dict() == whole.as_dict()
    assert merged.documents_dropped == 1 and merged.edits_by_rule["strip_boilerplate:generic:nav_words"] == 6
