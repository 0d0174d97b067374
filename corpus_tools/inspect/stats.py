"""The run's figures, folded again from the dataset's rows.

:class:`~corpus_tools.stats.RunStats` is the one fold the writer used while cleaning; here it
reads the rows back (clean text, edit record, rejection), so ``corpus-tools stats`` and the
report print what the dataset holds. Only the corpus passes' own figures (duplicate
thresholds, template counts) are not in the rows: they are read from ``run.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from corpus_tools.document import Document
from corpus_tools.inspect.load import iter_documents, run_info
from corpus_tools.stats import RunStats


def fold(documents: Iterable[Document], corpus_passes: dict | None = None) -> RunStats:
    stats = RunStats()
    for doc in documents:
        stats.add(doc)
    stats.corpus_passes = dict(corpus_passes or {})
    return stats


def dataset_stats(dataset: Path) -> RunStats:
    passes = run_info(dataset).get("stats", {}).get("corpus_passes", {})
    return fold((doc for _, doc in iter_documents(dataset)), passes)


def text_report(stats: RunStats) -> str:
    """The closing summary of ``clean``, then every rule with its edits and characters removed."""
    figures = stats.as_dict()
    lines = stats.summary_lines()
    lines.append(f"  words out {figures['words_out']}, characters out {figures['chars_out']}")
    clusters = figures["duplicate_clusters"]
    lines.append(
        f"  duplicate clusters {clusters['clusters']} "
        f"({clusters['documents_in_clusters']} documents in them, one kept each)"
    )
    if stats.edits_by_rule:
        width = max(len(rule) for rule in figures["edits_by_rule"])
        lines.append(f"  {'rule':<{width}} {'edits':>8} {'chars removed':>14}")
        for rule, count in figures["edits_by_rule"].items():
            removed = stats.chars_removed_by_rule[rule]
            lines.append(f"  {rule:<{width}} {count:>8} {removed:>14}")
    for name, values in sorted(stats.corpus_passes.items()):
        shown = ", ".join(
            f"{key} {'-' if value in ('', None) else value}" for key, value in sorted(values.items())
        )
        lines.append(f"corpus pass {name}: {shown}")
    return "\n".join(lines) + "\n"
