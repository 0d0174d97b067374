"""The dataset card: Hub YAML header plus a body a person can reproduce the corpus from.

Everything on it is read from the run: the config text, the run statistics (themselves
folded from the edit records) and the shard list. Nothing is timestamped, so the same
run writes the same card.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from datasets import Features

from corpus_tools import __version__
from corpus_tools.config import Chain
from corpus_tools.document import Document
from corpus_tools.stats import RunStats
from corpus_tools.writers.schema import columns_for, schema_for

SIZE_CATEGORIES = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
]


def size_category(n: int) -> str:
    for bound, label in SIZE_CATEGORIES:
        if n < bound:
            return label
    return "n>1T" if n > 10**12 else "100M<n<1B"


def card_metadata(
    chain: Chain, data_files: dict[str, list[str]], sizes: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    info = chain.config.dataset
    return {
        "pretty_name": info.pretty_name,
        "license": info.license,
        "language": list(info.language),
        "task_categories": ["text-generation"],
        "size_categories": [size_category(sizes["train"][0])],
        "tags": list(info.tags),
        "configs": [
            {
                "config_name": "default",
                "default": True,
                "data_files": [{"split": "train", "path": data_files["train"]}],
            },
            {"config_name": "rejected", "data_files": [{"split": "train", "path": data_files["rejected"]}]},
        ],
        "dataset_info": [
            {
                "config_name": config_name,
                "features": Features.from_arrow_schema(schema_for(split))._to_yaml_list(),
                "splits": [{"name": "train", "num_bytes": sizes[split][1], "num_examples": sizes[split][0]}],
            }
            for config_name, split in (("default", "train"), ("rejected", "rejected"))
        ],
    }


def render_card(
    chain: Chain,
    stats: RunStats,
    data_files: dict[str, list[str]],
    sizes: dict[str, tuple[int, int]],
    samples: list[Document],
) -> str:
    header = yaml.safe_dump(card_metadata(chain, data_files, sizes), sort_keys=False, allow_unicode=True)
    figures = stats.as_dict()
    info = chain.config.dataset
    step_names = [type(step).name for step in chain.steps]
    lines = [
        "---",
        header.rstrip(),
        "---",
        "",
        f"# {info.pretty_name}",
        "",
        info.description,
        "",
        "## How it was made",
        "",
        f"Made with corpus_tools {__version__} from the raw inputs listed in `run.json`, by the chain "
        f"`{chain.config.name}`: " + " → ".join(f"`{name}`" for name in step_names) + ".",
        "Every change a step made is kept in the `edits` column (step, rule, span, text before and after),",
        "so the raw text of any row can be rebuilt and every removal traced to its rule.",
        "",
        "The exact config:",
        "",
        "```yaml",
        chain.source_text.rstrip(),
        "```",
        "",
        "Reproduce with `corpus-tools clean <inputs> --out <dir> --config <this config>`.",
        "",
        "## Statistics",
        "",
        "| figure | value |",
        "|---|---|",
        f"| documents in | {figures['documents_in']} |",
        f"| documents out (`train`) | {figures['documents_out']} |",
        f"| documents dropped (`rejected`) | {figures['documents_dropped']} |",
        f"| words out | {figures['words_out']} |",
        f"| characters out | {figures['chars_out']} |",
        f"| duplicate clusters | {figures['duplicate_clusters']['clusters']} |",
        "",
    ]
    if figures["dropped_by_reason"]:
        lines += ["Dropped, by reason:", "", "| reason | documents |", "|---|---|"]
        lines += [f"| `{reason}` | {count} |" for reason, count in figures["dropped_by_reason"].items()]
        lines.append("")
    lines += [
        "Edits per step:",
        "",
        "| step | edits | characters removed | characters added |",
        "|---|---|---|---|",
    ]
    for step, count in figures["edits_by_step"].items():
        lines.append(
            f"| `{step}` | {count} | {figures['chars_removed_by_step'].get(step, 0)} "
            f"| {figures['chars_added_by_step'].get(step, 0)} |"
        )
    lines += [
        "",
        "Top rules by characters removed:",
        "",
        "| rule | edits | characters removed |",
        "|---|---|---|",
    ]
    for rule, removed in list(figures["chars_removed_by_rule"].items())[:15]:
        lines.append(f"| `{rule}` | {figures['edits_by_rule'][rule]} | {removed} |")
    lines += ["", "## Columns", "", "| column | type | meaning |", "|---|---|---|"]
    for name, kind, meaning in columns_for("rejected"):
        lines.append(f"| `{name}` | `{kind}` | {meaning} |")
    lines += [
        "",
        "The `reject_*`, `duplicate_of` and `similarity` columns are in the `rejected` config only.",
        "",
        "## Load it",
        "",
        "```python",
        "from datasets import load_dataset",
        'clean = load_dataset("PATH_OR_REPO", split="train")',
        'rejected = load_dataset("PATH_OR_REPO", "rejected", split="train")',
        "```",
        "",
    ]
    if samples:
        lines += ["## Sample", ""]
        for doc in samples[:2]:
            excerpt = doc.text[:300].replace("\n", " ")
            lines += [f"- `{doc.id}` ({doc.meta.get('title') or 'untitled'}): {json.dumps(excerpt)[1:-1]}…"]
        lines.append("")
    lines += [
        "## Known limitations",
        "",
        "- Boilerplate removal decides line by line on text: chrome glued inside a paragraph can survive,",
        "  and a short real paragraph that looks like chrome can go (the `edits` column shows which).",
        "- Encoding repair leaves a lost character as it is when the context does not settle it.",
        "- Metadata (title, author, date) is only as good as the input: text dumps carry no URL or date.",
        "",
    ]
    return "\n".join(lines)
