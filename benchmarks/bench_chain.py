"""Whole-chain speed and memory, with the peers side by side on the same corpus.

One command generates a seeded news corpus of the size asked for (``benchmarks/synth.py``,
written as JSONL shards of ``id, text, url, date``), then reports, in one run:

* **per step** (one process, documents in memory): seconds, documents/s and MB/s of each
  step of the chain, corpus steps with their summarize/collect/finish pass included;
* **whole chain** (``corpus-tools clean`` as a user runs it, in a fresh process each): wall
  seconds, documents/s, MB/s, MB/s per worker and peak RSS, at each ``--workers`` value,
  and the speed-up from the first to the last; with ``--ray`` the same on the Ray executor
  (a local instance; its start-up reported apart). The runs are interleaved over
  ``--repeat`` rounds (3 by default), each configuration is reported by its median run and
  the ratios also per round, so a slow spell of a shared machine does not decide a ratio;
* **peers** on the same corpus: ftfy alone, trafilatura alone (on an HTML rendering of the
  first ``--html-docs`` documents, next to our chain on the same HTML files), datasketch's
  MinHash + MinHashLSH with the dedup step's parameters (next to our dedup step alone), and
  datatrove's equivalent pipeline (FTFYFormatter, C4QualityFilter as the line filter, its
  four-stage MinHash dedup, JSONL in and out) on its local executor with the same workers;
* with ``--rss-docs N``: peak RSS of the whole chain (last ``--workers``) at N documents and at
  ``--docs``, and the growth per input document between the two; for the main process also
  its peak through the end of the last corpus pass, before the final stage (whose buffers of
  documents in flight are a fixed cost, but one that fluctuates by tens of MB from run to run).

MB are input text megabytes (10^6 bytes of UTF-8 ``text``). The chain is
``configs/default.yaml`` when it loads, else the default order restricted to the steps
registered (printed). Timings on a shared 2-core machine are noisy: rerun when quiet.

    python benchmarks/bench_chain.py --docs 20000 --ray --no-peers   # steps, 1 and 2 workers, Ray
    python benchmarks/bench_chain.py --docs 5000 --no-steps          # the peers (datatrove is slow)
    python benchmarks/bench_chain.py --docs 100000 --no-steps --no-chain --rss-docs 20000 --workers 2
"""

from __future__ import annotations

import argparse
import html
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SHARDS = 4  # JSONL files: datatrove parallelises over files, we split them anyway


def make_corpus(folder: Path, docs: int, seed: int) -> Path:
    """JSONL shards of the synthetic corpus (reused when already there)."""
    from synth import generate

    corpus = folder / f"corpus-{docs}-{seed}"
    if (corpus / "done").exists():
        return corpus
    corpus.mkdir(parents=True, exist_ok=True)
    outs = [(corpus / f"shard-{i}.jsonl").open("w", encoding="utf-8") for i in range(SHARDS)]
    per_shard = -(-docs // SHARDS)
    for number, record in enumerate(generate(docs, seed)):
        row = {key: record[key] for key in ("id", "text", "url", "date")}
        outs[number // per_shard].write(json.dumps(row, ensure_ascii=False) + "\n")
    for out in outs:
        out.close()
    (corpus / "done").touch()
    return corpus


def make_html(corpus: Path, docs: int) -> Path:
    """The first ``docs`` documents as HTML pages: header and nav, article, related aside, footer.

    synth pages are 3 header lines, title, dateline, paragraphs, 4 related lines, 4 footer lines.
    """
    folder = corpus.parent / f"{corpus.name}-html-{docs}"
    if (folder / "done").exists():
        return folder
    folder.mkdir(exist_ok=True)
    for number, record in enumerate(_records(corpus)):
        if number >= docs:
            break
        lines = [html.escape(line) for line in record["text"].split("\n")]
        header, title, dateline, body = lines[:3], lines[3], lines[4], lines[5:-8]
        related, footer = lines[-8:-4], lines[-4:]
        page = (
            f"<html><head><title>{title}</title></head><body><header><p>{header[0]}</p>"
            f"<nav>{header[1]}</nav><p>{header[2]}</p></header><article><h1>{title}</h1>"
            f"<p class='date'>{dateline}</p>{''.join(f'<p>{p}</p>' for p in body)}</article>"
            f"<aside><h2>{related[0]}</h2><ul>{''.join(f'<li>{r}</li>' for r in related[1:])}</ul></aside>"
            f"<footer>{''.join(f'<p>{f}</p>' for f in footer)}</footer></body></html>"
        )
        (folder / f"{record['id']}.html").write_text(page, encoding="utf-8")
    (folder / "done").touch()
    return folder


def _records(corpus: Path):
    for shard in sorted(corpus.glob("shard-*.jsonl")):
        with shard.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)


def _text_mb(corpus: Path) -> tuple[int, float]:
    count, size = 0, 0
    for record in _records(corpus):
        count += 1
        size += len(record["text"].encode("utf-8"))
    return count, size / 1e6


def per_step(corpus: Path, config: Path, mb: float) -> list[tuple[str, float, int]]:
    from corpus_tools.config import load_chain

    try:
        from corpus_tools.run.units import UNIT_DOCS
    except ImportError:  # run_at.py on a revision before corpus_tools.run
        from corpus_tools.pipeline import UNIT_DOCS  # type: ignore[import-not-found,no-redef]
    from corpus_tools.readers import expand_inputs, read_inputs
    from corpus_tools.steps import CorpusStep

    docs = list(read_inputs(expand_inputs([str(corpus)])))
    rows = []
    for step in load_chain(config).steps:
        live = [doc for doc in docs if not doc.rejected]
        start = time.perf_counter()
        if isinstance(step, CorpusStep):
            for unit in range(0, len(live), UNIT_DOCS):  # units, as the pipeline cuts them
                step.collect_documents(live[unit : unit + UNIT_DOCS])
            step.finish()
        for doc in live:
            step.process(doc)
        rows.append((step.name, time.perf_counter() - start, len(live)))
    return rows


def peak_rss_mb() -> float:
    """This process's peak RSS (MiB) since it started its program.

    ``/proc/self/status``'s VmHWM, where Linux has it: ``ru_maxrss`` also counts what the
    parent held when it forked this child, so a child started by a big parent (this script
    after the in-memory step timings) would report the parent's size.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(*args: str) -> dict[str, Any]:
    """This script in a fresh process (so peak RSS is the measured run's alone); its JSON line.
    Under ``run_at.py`` the child runs the same revision as this process."""
    from run_at import python_command

    done = subprocess.run(
        [*python_command(), __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _note_peak_after_corpus_passes(peaks: list[float]) -> None:
    """Wrap every corpus step's ``finish`` to append the process's peak RSS (MiB) so far as it returns."""
    from corpus_tools.steps import STEPS, CorpusStep

    def noting(finish: Any) -> Any:
        def wrapped(self: CorpusStep) -> dict[str, Any]:
            figures = finish(self)
            peaks.append(peak_rss_mb())
            return figures

        return wrapped

    for cls in STEPS.values():
        if issubclass(cls, CorpusStep):
            cls.finish = noting(cls.finish)


def _first_ray_data_job() -> None:
    import ray.data

    ray.data.range(1).materialize()


def child_chain(corpus: str, config: str, workers: int, executor: str) -> dict[str, Any]:
    from corpus_tools.cli import main

    corpus_pass_peaks: list[float] = []
    _note_peak_after_corpus_passes(corpus_pass_peaks)
    init = 0.0
    if executor == "ray":
        import ray

        start = time.perf_counter()
        ray.init(num_cpus=workers, include_dashboard=False, logging_level="WARNING")
        # What a running cluster already has is counted here, not in the run: its worker
        # processes (ray.init returns before they are up: one empty task per CPU, waited
        # for), and Ray Data's cluster services, detached actors its first job on a cluster
        # starts and every later job finds (a one-row pipeline, run from a worker so that
        # the driver still imports Ray Data itself in the run)
        ray.get([ray.remote(num_cpus=1)(lambda: None).remote() for _ in range(workers)])
        ray.get(ray.remote(num_cpus=0)(_first_ray_data_job).remote())
        init = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        args = ["-q", "clean", corpus, "--out", f"{tmp}/out", "--config", config, "--workers", str(workers)]
        start = time.perf_counter()
        assert main([*args, "--executor", executor]) == 0
        seconds = time.perf_counter() - start
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": seconds,
        "cpu_seconds": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
        "init_seconds": init,
        "rss_main_mb": peak_rss_mb(),
        "rss_main_corpus_passes_mb": max(corpus_pass_peaks, default=0.0),
        "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def child_datatrove(corpus: str, workers: int, bands: int, rows: int, shingle: int) -> dict[str, Any]:
    """FTFY -> C4 line filter -> MinHash (signatures, buckets, clusters, filter), JSONL in and out."""
    import datatrove.utils.hashes.xxhash as dt_xxhash
    import xxhash
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import (
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.pipeline.filters import C4QualityFilter
    from datatrove.pipeline.formatters import FTFYFormatter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    # datatrove 0.10.1 hands str to xxhash, which xxhash >= 3.5 refuses: encode, as it meant to
    dt_xxhash.xxhash64 = lambda text: xxhash.xxh64_intdigest(text.encode("utf-8"))
    minhash = MinhashConfig(n_grams=shingle, num_buckets=bands, hashes_per_bucket=rows)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tasks = len(list(Path(corpus).glob("*.jsonl")))
        common = {"workers": workers, "skip_completed": False, "start_method": "fork"}

        def run(pipeline: list, tasks: int, name: str) -> None:
            LocalPipelineExecutor(
                pipeline, tasks=tasks, logging_dir=str(work / f"logs-{name}"), **common
            ).run()

        start = time.perf_counter()
        run(
            [
                JsonlReader(corpus),
                FTFYFormatter(),
                C4QualityFilter(min_num_sentences=-1),  # its line filter; no spaCy sentence count
                JsonlWriter(str(work / "filtered")),
            ],
            tasks,
            "filter",
        )
        run(
            [JsonlReader(str(work / "filtered")), MinhashDedupSignature(str(work / "sigs"), minhash)],
            tasks,
            "sig",
        )
        run(
            [MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=minhash)], bands, "buckets"
        )
        run([MinhashDedupCluster(str(work / "buckets"), str(work / "remove"), config=minhash)], 1, "cluster")
        run(
            [
                JsonlReader(str(work / "filtered")),
                MinhashDedupFilter(str(work / "remove")),
                JsonlWriter(str(work / "out")),
            ],
            tasks,
            "dedup",
        )
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss_main_mb": peak_rss_mb()}


def peer_ftfy(corpus: Path) -> float:
    import ftfy

    texts = [record["text"] for record in _records(corpus)]
    start = time.perf_counter()
    for text in texts:
        ftfy.fix_text(text)
    return time.perf_counter() - start


def peer_trafilatura(pages: Path) -> float:
    import trafilatura

    texts = [path.read_text(encoding="utf-8") for path in sorted(pages.glob("*.html"))]
    start = time.perf_counter()
    for text in texts:
        trafilatura.extract(text, include_comments=False)
    return time.perf_counter() - start


def peer_datasketch(corpus: Path, bands: int, rows: int, shingle: int) -> tuple[float, int]:
    from datasketch import MinHash, MinHashLSH

    texts = [(record["id"], record["text"]) for record in _records(corpus)]
    start = time.perf_counter()
    lsh = MinHashLSH(num_perm=bands * rows, params=(bands, rows))
    duplicates = 0
    for doc_id, text in texts:
        words = text.lower().split()
        shingles = {
            " ".join(words[i : i + shingle]).encode() for i in range(max(1, len(words) - shingle + 1))
        }
        signature = MinHash(num_perm=bands * rows)
        signature.update_batch(list(shingles))
        if lsh.query(signature):
            duplicates += 1
        else:
            lsh.insert(doc_id, signature)
    return time.perf_counter() - start, duplicates


def dedup_params(config: Path) -> tuple[int, int, int]:
    from corpus_tools.config import load_chain

    for step in load_chain(config).steps:
        if step.name == "dedup":
            options = step.options
            return options.bands, options.rows, options.shingle_size
    return 20, 5, 5


# --------------------------------------------------------------------------- report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20000, help="documents in the corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", default="1,2", help="worker counts for the whole chain")
    parser.add_argument("--ray", action="store_true", help="also run the Ray executor (local instance)")
    parser.add_argument(
        "--no-peers", action="store_true", help="skip ftfy, trafilatura, datasketch, datatrove"
    )
    parser.add_argument("--no-steps", action="store_true", help="skip the per-step table")
    parser.add_argument("--no-chain", action="store_true", help="skip the whole-chain runs (and the peers)")
    parser.add_argument("--html-docs", type=int, default=1000, help="documents in the HTML variant")
    parser.add_argument("--rss-docs", type=int, default=0, help="second corpus size for RSS growth")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the whole-chain runs (medians)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "chain", help="corpus cache folder")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "chain":
            print(json.dumps(child_chain(rest[0], rest[1], int(rest[2]), rest[3])))
        else:
            print(json.dumps(child_datatrove(rest[0], *map(int, rest[1:]))))
        return

    args.out.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(args.out, args.docs, args.seed)
    from corpus_tools.config import DEFAULT_CONFIG

    config, chain_name = DEFAULT_CONFIG, "configs/default.yaml"
    docs, mb = _text_mb(corpus)
    workers = [int(w) for w in args.workers.split(",")]
    print(f"corpus: {docs} documents, {mb:.1f} MB of text ({corpus}); chain: {chain_name}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start (shared: noisy)")

    def line(label: str, seconds: float, count: int = docs, size: float = mb, extra: str = "") -> None:
        speed = f"{count / seconds:9.0f} docs/s {size / seconds:7.2f} MB/s"
        print(f"  {label:<34} {seconds:8.2f} s {speed}  {extra}")

    if not args.no_steps:
        print("\nper step, 1 process, in memory (MB/s of the whole corpus' input text):")
        total = 0.0
        for name, seconds, live in per_step(corpus, config, mb):
            total += seconds
            line(name, seconds, live, mb)
        line("sum of steps", total)

    # whole-chain runs, interleaved over --repeat rounds so a slow spell of the shared machine
    # hits every configuration alike; each is reported by its median run
    runs: dict[int | str, list[dict[str, Any]]] = {}
    for _ in range(0 if args.no_chain else args.repeat):
        for count in workers:
            runs.setdefault(count, []).append(
                run_child("chain", str(corpus), str(config), str(count), "local")
            )
        if args.ray:
            count = workers[-1]
            runs.setdefault("ray", []).append(run_child("chain", str(corpus), str(config), str(count), "ray"))
    results = {
        key: sorted(found, key=lambda run: run["seconds"])[len(found) // 2] for key, found in runs.items()
    }

    def spread(key: int | str) -> str:
        return "runs " + " ".join(f"{run['seconds']:.2f}" for run in runs[key]) if args.repeat > 1 else ""

    def ratios(top: int | str, bottom: int | str) -> str:
        values = [high["seconds"] / low["seconds"] for high, low in zip(runs[top], runs[bottom], strict=True)]
        return f" (per round {min(values):.2f}-{max(values):.2f}x)" if len(values) > 1 else ""

    if not args.no_chain:
        print(
            f"\nwhole chain (corpus-tools clean, fresh process, median of {args.repeat}; RSS main / largest"
        )
        print("worker; CPU of all):")
    for count in [] if args.no_chain else workers:
        result = results[count]
        rss = f"RSS {result['rss_main_mb']:.0f} / {result['rss_worker_mb']:.0f} MB"
        rss += f", CPU {result['cpu_seconds']:.0f} s"
        line(
            f"local, {count} worker(s)",
            result["seconds"],
            extra=f"{mb / result['seconds'] / count:.2f} MB/s/worker, {rss} {spread(count)}",
        )
    if len(workers) > 1 and not args.no_chain:
        first, last = results[workers[0]]["seconds"], results[workers[-1]]["seconds"]
        print(
            f"  speed-up {workers[0]} -> {workers[-1]} workers: {first / last:.2f}x"
            + ratios(workers[0], workers[-1])
        )
    if "ray" in results:
        ray_run = results["ray"]
        local = results[workers[-1]]["seconds"]
        line(
            f"ray, {workers[-1]} CPUs (Ray started)",
            ray_run["seconds"],
            extra=f"driver RSS {ray_run['rss_main_mb']:.0f} MB {spread('ray')}",
        )
        with_init = (ray_run["seconds"] + ray_run["init_seconds"]) / local
        print(
            f"  Ray's start-up (ray.init, workers, Ray Data's services) {ray_run['init_seconds']:.1f} s; "
            f"Ray / local: {ray_run['seconds'] / local:.2f}x without init{ratios('ray', workers[-1])}, "
            f"{with_init:.2f}x with it"
        )

    if args.rss_docs:
        small = make_corpus(args.out, args.rss_docs, args.seed)
        count = workers[-1]
        low = run_child("chain", str(small), str(config), str(count), "local")
        high = results.get(count) or run_child("chain", str(corpus), str(config), str(count), "local")
        print(f"\npeak RSS growth, whole chain, {count} worker(s):")
        for name, key in (
            ("main", "rss_main_mb"),
            ("main, through the corpus passes", "rss_main_corpus_passes_mb"),
            ("largest worker", "rss_worker_mb"),
        ):
            growth = (high[key] - low[key]) * 2**20 / (docs - args.rss_docs)
            print(
                f"  {name}: {low[key]:.0f} MB at {args.rss_docs} docs, "
                f"{high[key]:.0f} MB at {docs}: {growth:.0f} bytes per added document"
            )

    if args.no_peers or args.no_chain:
        return
    bands, rows, shingle = dedup_params(config)
    print(f"\npeers, same corpus (dedup parameters: {bands} bands x {rows} rows, {shingle}-word shingles):")
    line("ftfy.fix_text alone, 1 process", peer_ftfy(corpus))
    seconds, duplicates = peer_datasketch(corpus, bands, rows, shingle)
    line("datasketch MinHash+LSH, 1 process", seconds, extra=f"{duplicates} duplicates")
    count = workers[-1]
    result = run_child("datatrove", str(corpus), str(count), str(bands), str(rows), str(shingle))
    ours = results[count]["seconds"]
    line(f"datatrove pipeline, {count} worker(s)", result["seconds"], extra=f"ours: {ours:.1f} s")
    print(f"  our whole chain is {result['seconds'] / ours:.2f}x as fast as datatrove's pipeline")
    pages = make_html(corpus, args.html_docs)
    html_mb = sum(p.stat().st_size for p in pages.glob("*.html")) / 1e6
    print(f"  HTML variant: {args.html_docs} pages, {html_mb:.1f} MB of HTML")
    line("trafilatura.extract alone, 1 process", peer_trafilatura(pages), args.html_docs, html_mb)
    for count in workers:
        result = run_child("chain", str(pages), str(config), str(count), "local")
        line(f"our chain on the HTML, {count} worker(s)", result["seconds"], args.html_docs, html_mb)


if __name__ == "__main__":
    main()
