"""Writing the dataset: MB/s of clean text from finished documents to parquet shards and card.

Target: >= 50 MB/s, so the writer is never the bottleneck of a run. Documents come from the
seeded synthetic news corpus (``benchmarks/synth.py``), each given what a cleaned document
carries by then: metadata, and an edit record of ``--edits`` edits (boilerplate lines
removed, spaces and quotes fixed), so the nested ``edits`` column costs what it costs in a
real run. Timed: ``DatasetWriter.add`` for every document (row building, statistics,
shard flushes) and ``commit`` (digest names, card, run record, folder swap). Reported per
phase too. Generation is not timed. On a shared machine the wall figure follows the load
(printed per run): repeat, take the best, and read the CPU-time figure beside it.

    python benchmarks/bench_write.py --docs 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402

from corpus_tools.config import Chain, ChainConfig  # noqa: E402
from corpus_tools.document import Document, Edit  # noqa: E402
from corpus_tools.writers.card import render_card  # noqa: E402
from corpus_tools.writers.dataset import DatasetWriter  # noqa: E402


def documents(n_docs: int, edits: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for record in generate(n_docs, seed=seed):
        text = record["body"]
        meta = {
            "url": record["url"],
            "source": record["site"],
            "date": record["date"],
            "title": text.split("\n", 1)[0][:80],
            "author": "A. Reporter",
            "language": "en",
            "raw_path": f"raw/{record['id']}.txt",
            "raw_sha256": f"{rng.getrandbits(256):064x}",
        }
        doc = Document(record["id"], text, meta)
        for index in range(edits):  # what cleaning leaves in the record, in chain order
            start = rng.randrange(max(1, len(text) - 10))
            step, rule, before = [
                ("strip_boilerplate", "menu_run", "Home | World | Sport | Newsletter\n"),
                ("normalize", "space_runs", "  "),
                ("fix_encoding", "mojibake", "â€™"),
            ][index % 3]
            after = "" if step == "strip_boilerplate" else ("’" if step == "fix_encoding" else " ")
            doc.edits.append(Edit(step, rule, start, start + len(before), before, after))
        docs.append(doc)
    return docs


def chain() -> Chain:
    config = ChainConfig(name="bench", steps=[])
    return Chain(path=Path("bench.yaml"), source_text="name: bench\nsteps: []\n", config=config, steps=[])


def write(docs: list[Document], out: Path, shard_rows: int) -> dict[str, float]:
    bench_chain = chain()
    cpu = time.process_time()
    start = time.perf_counter()
    writer = DatasetWriter(out, shard_rows=shard_rows)
    for doc in docs:
        writer.add(doc)
    added = time.perf_counter()
    sizes = writer.split_sizes()
    writer.commit(lambda files: render_card(bench_chain, writer.stats, files, sizes, writer.samples), {})
    done = time.perf_counter()
    return {
        "add": added - start,
        "commit": done - added,
        "total": done - start,
        "cpu": time.process_time() - cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--edits", type=int, default=6, help="edits recorded per document")
    parser.add_argument("--shard-rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    docs = documents(args.docs, args.edits, args.seed)
    megabytes = sum(len(doc.text.encode("utf-8")) for doc in docs) / 1e6
    print(f"{len(docs)} documents, {megabytes:.1f} MB of text, {args.edits} edits each")
    best: dict[str, float] | None = None
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.repeat):
            times = write(docs, Path(folder) / "dataset", args.shard_rows)
            print(
                f"run {run + 1}: {megabytes / times['total']:.1f} MB/s wall, "
                f"{megabytes / times['cpu']:.1f} MB/s of CPU time "
                f"(add {times['add']:.2f} s, commit {times['commit']:.2f} s, load {os.getloadavg()[0]:.1f})"
            )
            if best is None or times["total"] < best["total"]:
                best = times
        size = sum(p.stat().st_size for p in (Path(folder) / "dataset").rglob("*.parquet")) / 1e6
    assert best is not None
    print(
        f"best: {megabytes / best['total']:.1f} MB/s of text to parquet, wall "
        f"({megabytes / best['cpu']:.1f} MB/s of CPU time; {size:.1f} MB of parquet, zstd)"
    )


if __name__ == "__main__":
    main()
