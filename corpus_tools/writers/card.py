"""The dataset card: Hub YAML header plus a body a person can reproduce the corpus from.

Everything on it is read from the run: the config text, the run statistics (themselves
folded from the edit records) and the shard list. Nothing is timestamped, so the same
run writes the same card.

The header is checked offline with the same code the ecosystem reads it with
(:func:`card_problems`): huggingface_hub parses the card and its metadata, ``datasets``
parses ``configs`` and ``dataset_info`` the way ``load_dataset`` will, and the values the
Hub restricts (license ids, language codes, size and task categories) are checked against
the lists ``datasets`` ships and the Hub's published license table. The Hub's own
``RepoCard.validate`` needs the network, so it is left to ``corpus-tools publish``'s upload.
"""

from __future__ import annotations

import ast
import html
import json
import logging
import re
import sys
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from corpus_tools import __version__
from corpus_tools.config import Chain
from corpus_tools.document import Document
from corpus_tools.escape import printable
from corpus_tools.stats import METADATA_KEYS, RunStats
from corpus_tools.steps import Step
from corpus_tools.writers.schema import COLUMNS, REJECTION_COLUMNS, row_of, schema_for

# The license ids the Hub accepts in a card (hub-docs, "Licenses").
HUB_LICENSES = frozenset(
    """
    apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0
    bigcode-openrail-m afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear
    c-uda cc cc0-1.0 cc-by-2.0 cc-by-2.5 cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0
    cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0 cc-by-nc-nd-4.0 cc-by-nc-sa-2.0
    cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0 cdla-permissive-1.0 cdla-permissive-2.0 wtfpl
    ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1
    lgpl-3.0 isc lppl-1.3c ms-pl mpl-2.0 odc-by odbl openrail++ osl-3.0 postgresql ofl-1.1 ncsa
    unlicense zlib pddl lgpl-lr deepfloyd-if-license llama2 gemma unknown other
    """.split()  # noqa: SIM905 (a table of ids reads and diffs better as words)
)
SIZE_BOUNDS = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
    (10_000_000_000, "1B<n<10B"),
    (100_000_000_000, "10B<n<100B"),
    (1_000_000_000_000, "100B<n<1T"),
]
log = logging.getLogger("corpus_tools")

SAMPLE_CHARS = 400  # characters of text shown per sample row
TOP = 10  # rows of the "top" tables (sources, rules)


def size_category(n: int) -> str:
    for bound, label in SIZE_BOUNDS:
        if n < bound:
            return label
    return "n>1T"


def _datasets_folder() -> Path:
    """Where the ``datasets`` package is installed, found without importing it: the import
    costs half a second, which every run would pay once more before it writes its card."""
    spec = find_spec("datasets")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the datasets package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _datasets_resource(name: str) -> frozenset[str]:
    """A list the ``datasets`` package ships for card validation (languages, size categories)."""
    text = (_datasets_folder() / "utils" / "resources" / name).read_text(encoding="utf-8")
    return frozenset(json.loads(text))


@cache
def _known_task_ids() -> frozenset[str]:
    """``datasets.utils.metadata.known_task_ids``, read from that module's source (a literal)."""
    source = (_datasets_folder() / "utils" / "metadata.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "known_task_ids" for target in node.targets
        ):
            return frozenset(ast.literal_eval(node.value))
    raise LookupError("datasets.utils.metadata no longer defines known_task_ids")


# Arrow type names that ``datasets`` spells differently in a card's ``features``
_DTYPE_OF_ARROW = {"float": "float32", "double": "float64", "halffloat": "float16"}


def features_yaml(schema: pa.Schema) -> list[dict[str, Any]]:
    """The ``features`` list of a card's ``dataset_info``, as ``datasets`` writes it
    (``Features.from_arrow_schema(schema)._to_yaml_list()``, which a test compares this with),
    without importing ``datasets``."""
    return [{"name": item.name, **_feature_yaml(item.type)} for item in schema]


def _feature_yaml(kind: pa.DataType) -> dict[str, Any]:
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        inner = _feature_yaml(kind.value_type)
        return {
            "large_list" if pa.types.is_large_list(kind) else "list": inner.get("dtype", inner.get("struct"))
        }
    if pa.types.is_struct(kind):
        return {"struct": [{"name": item.name, **_feature_yaml(item.type)} for item in kind]}
    return {"dtype": _DTYPE_OF_ARROW.get(str(kind), str(kind))}


def card_metadata(
    chain: Chain, data_files: dict[str, list[str]], sizes: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    info = chain.config.dataset
    meta: dict[str, Any] = {"pretty_name": info.pretty_name, "license": info.license}
    if info.license_name:
        meta["license_name"] = info.license_name
    if info.license_link:
        meta["license_link"] = info.license_link
    # Both configs always: an empty split is a shard with the schema and no row group, which
    # ``load_dataset`` reads as zero rows, so code written against ``rejected`` never breaks.
    configs = [("default", "train"), ("rejected", "rejected")]
    meta.update(
        {
            "language": list(info.language),
            "task_categories": list(info.task_categories),
            "size_categories": [size_category(sizes["train"][0])],
            "tags": list(info.tags),
            "configs": [
                {
                    "config_name": name,
                    **({"default": True} if name == "default" else {}),
                    "data_files": [{"split": "train", "path": data_files[split]}],
                }
                for name, split in configs
            ],
            "dataset_info": [
                {
                    "config_name": config_name,
                    "features": features_yaml(schema_for(split)),
                    "splits": [
                        {"name": "train", "num_bytes": sizes[split][1], "num_examples": sizes[split][0]}
                    ],
                }
                for config_name, split in configs
            ],
        }
    )
    return meta


def metadata_problems(meta: dict[str, Any]) -> list[str]:
    """What the Hub would refuse or flag in a card header, checked without the network."""
    problems = []
    license_id = meta.get("license")
    if license_id not in HUB_LICENSES:
        problems.append(
            f"license {license_id!r} is not a Hub license id (huggingface.co/docs/hub/repositories-licenses)"
        )
    if license_id == "other" and not meta.get("license_name"):
        problems.append("license 'other' needs license_name (and license_link) in the config's dataset:")
    languages = _datasets_resource("languages.json")
    for code in meta.get("language") or []:
        if code not in languages:
            problems.append(f"language {code!r} is not a known language code (ISO 639-1, e.g. 'en')")
    for size in meta.get("size_categories") or []:
        if size not in _datasets_resource("size_categories.json"):
            problems.append(f"size category {size!r} is not one of the Hub's")
    for task in meta.get("task_categories") or []:
        if task not in _known_task_ids():
            problems.append(f"task category {task!r} is not a Hub task id (e.g. 'text-generation')")
    if not isinstance(meta.get("pretty_name"), str) or not meta["pretty_name"].strip():
        problems.append("pretty_name is empty")
    return problems


def card_problems(text: str) -> list[str]:
    """Parse a card the way the Hub libraries do; list everything wrong with it (empty = valid)."""
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    try:
        card = DatasetCard(text)
    except (ValueError, yaml.YAMLError) as exc:
        return [f"huggingface_hub cannot read the card: {exc}"]
    meta = card.data.to_dict()
    problems = metadata_problems(meta)
    try:
        configs = MetadataConfigs.from_dataset_card_data(card.data)
        configs.get_default_config_name()
        infos = DatasetInfosDict.from_dataset_card_data(card.data)
    except (ValueError, TypeError, KeyError) as exc:
        return [*problems, f"datasets cannot read the configs/dataset_info: {exc}"]
    if "default" not in configs:
        problems.append("no 'default' config")
    for name in configs:
        if name not in infos or infos[name].features is None:
            problems.append(f"no features for the '{name}' config")
    if not card.text.strip():
        problems.append("the card has no body")
    return problems


def render_card(
    chain: Chain,
    stats: RunStats,
    data_files: dict[str, list[str]],
    sizes: dict[str, tuple[int, int]],
    samples: list[Document],
    inputs: list[str] | None = None,
) -> str:
    meta = card_metadata(chain, data_files, sizes)
    header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    figures = stats.as_dict()
    sections = [
        ["---", header.rstrip(), "---", ""],
        _summary(chain, figures),
        _origin(chain, figures, inputs),
        _making(chain),
        _statistics(figures),
        _columns(),
        _sample(samples),
        _loading(data_files, sizes["rejected"][0]),
        _limitations(chain, figures),
    ]
    text = "\n".join(line for section in sections for line in section).rstrip() + "\n"
    for problem in metadata_problems(meta):
        log.warning("dataset card: %s", problem)
    return text


def _cell(value: object) -> str:
    """A value that cannot break a Markdown table row."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]()#!|~])")


def _inert(value: object) -> str:
    """A value from the data (a source host, a language code) as plain Markdown text: HTML and
    Markdown syntax escaped, terminal controls made visible, on one line. A scraped
    ``<script>`` or ``[link](…)`` must read as what it is, not become part of the card."""
    text = html.escape(printable(str(value), layout=False), quote=False)
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)


def _share(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.0f}%)" if whole else str(part)


def _summary(chain: Chain, figures: dict[str, Any]) -> list[str]:
    info = chain.config.dataset
    out = figures["documents_out"]
    sources = [s for s in figures["sources"] if s]
    return [
        f"# {info.pretty_name}",
        "",
        info.description,
        "",
        f"**{out} documents** ({figures['words_out']} words) in the `train` split, "
        f"{figures['documents_dropped']} dropped documents with their reason in the `rejected` config"
        + (f", from {len(sources)} source site(s)" if sources else "")
        + f"; made by corpus_tools {__version__}.",
        "",
    ]


def _origin(chain: Chain, figures: dict[str, Any], inputs: list[str] | None) -> list[str]:
    info = chain.config.dataset
    lines = ["## Where it came from", ""]
    if info.source:
        lines += [info.source.strip(), ""]
    if inputs:
        lines += ["Raw inputs given to the run (also in `run.json`):", ""]
        lines += [f"- `{_cell(item)}`" for item in inputs]
        lines.append("")
    lines += [
        "Each row keeps `raw_path` and the `raw_sha256` of its raw input, so every document can be",
        "traced to the exact bytes it was made from.",
        "",
    ]
    out = figures["documents_out"]
    if any(figures["sources"]):
        lines += ["| source | documents |", "|---|---|"]
        for source, count in list(figures["sources"].items())[:TOP]:
            lines.append(f"| {_inert(source) or '(not known)'} | {_share(count, out)} |")
        if len(figures["sources"]) > TOP:
            lines.append(f"| … {len(figures['sources']) - TOP} more | |")
        lines.append("")
    if figures["languages"]:
        lines += ["| language | documents |", "|---|---|"]
        for code, count in figures["languages"].items():
            lines.append(f"| {_inert(code) or '(not detected)'} | {_share(count, out)} |")
        lines.append("")
    return lines


def _step_summary(step: Step) -> str:
    """First line of the step module's docstring: each step says there what it does and why."""
    doc = (sys.modules[type(step).__module__].__doc__ or "").strip().splitlines()
    first = doc[0].removeprefix(f"``{type(step).name}``:").strip() if doc else ""
    return first.replace("``", "`")


def _making(chain: Chain) -> list[str]:
    lines = [
        "## How it was made",
        "",
        f"With corpus_tools {__version__}, chain `{chain.config.name}`, steps in this order:",
        "",
    ]
    added = len(chain.steps) - len(chain.listed_steps)
    for index, step in enumerate(chain.steps, 1):
        note = " (not in the config: every chain starts with it)" if index <= added else ""
        lines.append(f"{index}. `{type(step).name}`: {_step_summary(step) or 'see the config below'}{note}")
    lines += [
        "",
        "Every change a step made is kept in the `edits` column (step, rule, span, text before and",
        "after), so the raw text of any row can be rebuilt and every removal traced to its rule;",
        "a dropped document is kept in the `rejected` config with the step and rule that dropped it.",
        "",
        "The exact config, as loaded (a copy is in `reproduce/config.yaml`, with the rule packs it",
        "read beside it):",
        "",
        "```yaml",
        chain.source_text.rstrip().replace("```", "'''"),
        "```",
        "",
        *_recipe(),
    ]
    return lines


def _recipe() -> list[str]:
    """How to make the corpus again from this folder: the bundle ``reproduce/`` holds the config,
    its rule packs and the pinned version; only the raw inputs come from elsewhere."""
    return [
        "## Reproduce it",
        "",
        f"`reproduce/` holds the config, the rule packs it read and the version (corpus_tools {__version__},",
        "`reproduce/requirements.txt`). From this folder, with the raw inputs listed above (their",
        "sha256 are in the `raw_sha256` column) in place of `INPUTS...`:",
        "",
        "```bash",
        "pip install -r reproduce/requirements.txt",
        "corpus-tools clean INPUTS... --out ../reproduced --config reproduce/config.yaml",
        "```",
        "",
        "The same inputs, given by the same paths, give byte-identical parquet files.",
        "",
    ]


def _statistics(figures: dict[str, Any]) -> list[str]:
    clusters = figures["duplicate_clusters"]
    lines = [
        "## Statistics",
        "",
        "| figure | value |",
        "|---|---|",
        f"| documents in | {figures['documents_in']} |",
        f"| documents out (`train`) | {figures['documents_out']} |",
        f"| documents dropped (`rejected`) | {figures['documents_dropped']} |",
        f"| words out | {figures['words_out']} |",
        f"| characters out | {figures['chars_out']} |",
        f"| characters removed by edits | {sum(figures['chars_removed_by_step'].values())} |",
        f"| duplicate clusters (kept documents with copies) | {clusters['clusters']} |",
        f"| documents in those clusters (kept + dropped copies) | {clusters['documents_in_clusters']} |",
        "",
    ]
    if figures["dropped_by_reason"]:
        lines += ["Dropped, by reason (`step:rule`):", "", "| reason | documents |", "|---|---|"]
        lines += [
            f"| `{_cell(reason)}` | {count} |" for reason, count in figures["dropped_by_reason"].items()
        ]
        lines.append("")
    if figures["edits_by_step"]:
        lines += [
            "Edits per step:",
            "",
            "| step | edits | characters removed | characters added |",
            "|---|---|---|---|",
        ]
        for step, count in figures["edits_by_step"].items():
            lines.append(
                f"| `{_cell(step)}` | {count} | {figures['chars_removed_by_step'].get(step, 0)} "
                f"| {figures['chars_added_by_step'].get(step, 0)} |"
            )
        lines += [
            "",
            f"Top {TOP} rules by characters removed:",
            "",
            "| rule | edits | characters removed |",
            "|---|---|---|",
        ]
        for rule, removed in list(figures["chars_removed_by_rule"].items())[:TOP]:
            lines.append(f"| `{_cell(rule)}` | {figures['edits_by_rule'][rule]} | {removed} |")
        lines.append("")
    if figures["corpus_passes"]:
        lines += ["Corpus-level passes reported:", "", "| step | figures |", "|---|---|"]
        for step, values in figures["corpus_passes"].items():
            # a figure that differs run to run (a timing) would make the card differ too
            kept = {key: value for key, value in values.items() if not key.endswith("_seconds")}
            text = json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str)
            lines.append(f"| `{_cell(step)}` | `{_cell(text)}` |")
        lines.append("")
    out = figures["documents_out"]
    lines += ["Metadata filled (documents out):", "", "| column | documents |", "|---|---|"]
    lines += [f"| `{key}` | {_share(figures['metadata_filled'].get(key, 0), out)} |" for key in METADATA_KEYS]
    lines.append("")
    return lines


def _type_name(kind: pa.DataType) -> str:
    if pa.types.is_list(kind):
        return f"list of {_type_name(kind.value_type)}"
    if pa.types.is_struct(kind):
        return "{" + ", ".join(f"{field.name}: {_type_name(field.type)}" for field in kind) + "}"
    return {"float": "float32", "double": "float64"}.get(str(kind), str(kind))


def _columns() -> list[str]:
    lines = ["## Columns", "", "| column | type | meaning |", "|---|---|---|"]
    for name, kind, meaning in COLUMNS + REJECTION_COLUMNS:
        lines.append(f"| `{name}` | `{_type_name(kind)}` | {_cell(meaning)} |")
    lines += [
        "",
        "The last " + str(len(REJECTION_COLUMNS)) + " columns are in the `rejected` config only. "
        "Empty metadata is null, never a guess.",
        "",
    ]
    return lines


def _sample(samples: list[Document]) -> list[str]:
    if not samples:
        return []
    row = row_of(samples[0])
    if len(row["text"]) > SAMPLE_CHARS:
        row["text"] = row["text"][:SAMPLE_CHARS] + "…"
    edits = [edit.as_dict() for edit in samples[0].edits]
    row["edits"] = edits[:2] + ([f"… {len(edits) - 2} more"] if len(edits) > 2 else [])
    fields = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, default=str)}" for k, v in row.items()]
    text = printable("{\n" + ",\n".join(fields).replace("```", "'''") + "\n}")
    return [
        "## Sample",
        "",
        f"The first row of `train` (text cut at {SAMPLE_CHARS} characters, edits at 2):",
        "",
        "```json",
        text,
        "```",
        "",
    ]


def _loading(data_files: dict[str, list[str]], rejected_rows: int) -> list[str]:
    shards = len(data_files["train"])
    lines = [
        "## Load it",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        'clean = load_dataset("ORG/NAME", split="train")  # or a local folder path',
    ]
    if rejected_rows:
        lines += [
            'rejected = load_dataset("ORG/NAME", "rejected", split="train")  # dropped documents',
            'print(rejected.to_pandas().groupby(["reject_step", "reject_rule"]).size())',
            "```",
            "",
        ]
    else:  # ``datasets`` refuses a split with no rows unless it streams it
        lines += [
            'rejected = load_dataset("ORG/NAME", "rejected", split="train", streaming=True)  # empty here',
            "```",
            "",
            "No document was dropped: the `rejected` config is there with its columns and no rows.",
            "",
        ]
    return lines + [
        f"The data is parquet (`data/`, {shards} train shard(s), zstd), readable without `datasets` too",
        "(pandas, polars, duckdb), or exported with",
        "`corpus-tools export DIR --format jsonl|parquet|txt [--split train|rejected]`.",
        "",
    ]


def _limitations(chain: Chain, figures: dict[str, Any]) -> list[str]:
    out = figures["documents_out"]
    lines = [
        "## Known limitations",
        "",
        "- Cleaning decides on rules and statistics, not on meaning: some boilerplate glued inside a",
        "  paragraph can survive, and a short real paragraph that looks like boilerplate can go. The",
        "  `edits` column shows every removal, so both can be audited.",
        "- Encoding repair leaves a lost character as it is when the context does not settle it.",
        "- The text is what the publishers put on their pages: it keeps their views, errors and any",
        "  personal names they printed; the rights in it stay with them (check `license`).",
    ]
    missing = [key for key in ("url", "date", "author") if figures["metadata_filled"].get(key, 0) < out]
    if out and missing:
        counts = ", ".join(
            f"`{key}` {out - figures['metadata_filled'].get(key, 0)} of {out}" for key in missing
        )
        lines.append(
            f"- Metadata is only as good as the input (text dumps carry no URL or date); null in {counts}."
        )
    declared = set(chain.config.dataset.language)
    other = {code: n for code, n in figures["languages"].items() if code and code not in declared}
    if other:
        listed = ", ".join(f"{_inert(code)} {n}" for code, n in other.items())
        lines.append(f"- Some documents' `language` is outside the declared language(s): {listed}.")
    if not any(step.name == "detect_language" for step in chain.steps):
        lines.append("- No language detection ran: `language` is only what the input stated.")
    lines.append("")
    return lines
