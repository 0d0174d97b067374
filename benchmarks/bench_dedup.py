"""Deduplication benchmark: pair precision/recall, speed and memory, ours beside datasketch.

One run generates (or reads) a synthetic corpus from ``benchmarks/synth.py`` and runs,
each in its own forked process so peak memory is measured per method:

* ``ours``: the ``dedup`` step (summarize -> collect -> finish -> process), as the
  pipeline drives it, on the article bodies (what the cleaning chain leaves);
* ``datasketch``: ``MinHash`` (xxh32 hash) + ``MinHashLSH`` with the *same* shingles,
  permutations and bands x rows, candidates verified against the same threshold and
  clustered the same way;
* ``datasketch-default``: ``MinHashLSH(threshold, num_perm=128)`` as usually shipped
  (its own bands x rows, default sha1 hash, candidates taken as duplicates).

Truth: the true Jaccard similarity of every pair inside a synthetic family (exact sets of
word shingles of the normalised text); any predicted pair across families is checked
against its texts too. A pair is *predicted* when a method puts both documents in one
cluster and its own similarity estimate for the pair reaches the threshold ("judged");
"cluster" figures count every pair of a cluster, transitivity included.

Also: signature-only cost per document of the hashing schemes we measured before choosing
(one-permutation numpy, classic ``(a*x+b)`` numpy, datasketch, rensa if installed).

    python benchmarks/bench_dedup.py --docs 20000            # side by side
    python benchmarks/bench_dedup.py --docs 100000 --only ours --scale 20000
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402

from corpus_tools.dedup.clusters import Nodes, assign  # noqa: E402
from corpus_tools.dedup.keys import exact_key  # noqa: E402
from corpus_tools.dedup.minhash import fingerprints, jaccard, shingle_hashes, signature, similarity  # noqa: E402
from corpus_tools.dedup.unionfind import connected_components  # noqa: E402
from corpus_tools.document import Document  # noqa: E402
from corpus_tools.run.units import UNIT_DOCS  # noqa: E402
from corpus_tools.steps.dedup import Dedup  # noqa: E402
from corpus_tools.steps.site_templates import SiteTemplates  # noqa: E402
from corpus_tools.textnorm import normalized_bytes  # noqa: E402


def _records(path: Path) -> Any:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _shingle_bytes(normalized: bytes, size: int) -> list[bytes]:
    words = normalized.split()
    if len(words) <= size:
        return [b" ".join(words)] if words else []
    return [b" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


# ---------------------------------------------------------------- methods (run in children)


def _units(docs: Iterable[Document]) -> Iterator[list[Document]]:
    """Documents in units of ``UNIT_DOCS``, as the pipeline hands them to a corpus pass."""
    unit: list[Document] = []
    for doc in docs:
        unit.append(doc)
        if len(unit) == UNIT_DOCS:
            yield unit
            unit = []
    if unit:
        yield unit


def run_ours(path: Path, opts: Dedup.Options) -> dict[str, Any]:
    step = Dedup(opts)
    busy = 0.0
    docs = (
        Document(record["id"], record["body"], {"url": record["url"], "date": record["date"]})
        for record in _records(path)
    )
    for unit in _units(docs):
        started = time.process_time()
        step.collect_documents(unit)
        busy += time.process_time() - started
    started = time.process_time()
    figures = step.finish()
    finish = time.process_time() - started
    peak = _rss_kib("VmHWM")  # before the scoring below allocates anything per document
    ids: list[str] = []
    cluster_of: dict[str, str] = {}
    for record in _records(path):
        doc = Document(record["id"], record["body"], {})
        step.process(doc)
        ids.append(doc.id)
        cluster_of[doc.id] = doc.rejection.duplicate_of if doc.rejected else doc.meta["cluster_id"]
    labels = _labels(ids, cluster_of)
    estimate = _signature_estimator(path, labels, opts)
    return {
        "busy": busy,
        "finish": finish,
        "peak_kib": peak,
        "labels": labels,
        "estimates": estimate,
        "figures": figures,
    }


def _labels(ids: list[str], cluster_of: dict[str, str]) -> np.ndarray:
    index = {doc_id: i for i, doc_id in enumerate(ids)}
    return np.array([index[cluster_of[doc_id]] for doc_id in ids], dtype=np.int64)


def _signature_estimator(path: Path, labels: np.ndarray, opts: Dedup.Options) -> dict[tuple[int, int], float]:
    """Our similarity for every pair inside a cluster, as the step's ``verify`` mode measures it."""
    sizes = np.bincount(labels, minlength=labels.size)
    wanted = set(np.flatnonzero(sizes[labels] > 1).tolist())
    evidence = {}
    for i, record in enumerate(_records(path)):
        if i in wanted:
            hashes = shingle_hashes(normalized_bytes(record["body"]), opts.shingle_size)
            evidence[i] = (
                fingerprints(hashes) if opts.verify == "shingles" else signature(hashes, opts.num_perm)
            )
    measure = jaccard if opts.verify == "shingles" else similarity
    return {pair: float(measure(evidence[pair[0]], evidence[pair[1]])) for pair in _cluster_pairs(labels)}


def run_datasketch(path: Path, opts: Dedup.Options, default: bool, threshold: float) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    if default:
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        make = lambda: MinHash(num_perm=128)  # noqa: E731
    else:
        lsh = MinHashLSH(num_perm=opts.num_perm, params=(opts.bands, opts.rows))
        make = lambda: MinHash(num_perm=opts.num_perm, hashfunc=xxhash.xxh32_intdigest)  # noqa: E731
    hashes: list[Any] = []
    key_rows, lengths = [], []
    busy = 0.0
    for i, record in enumerate(_records(path)):
        started = time.process_time()
        minhash = make()
        normalized = normalized_bytes(record["body"])
        minhash.update_batch(_shingle_bytes(normalized, opts.shingle_size))
        key_rows.append((i, exact_key(normalized), 0))
        lengths.append(len(record["body"]))
        lsh.insert(i, minhash, check_duplication=False)
        hashes.append(minhash)
        busy += time.process_time() - started
    keys = np.array(key_rows, dtype=np.uint64)
    started = time.process_time()
    pairs = []
    for i, minhash in enumerate(hashes):
        for j in lsh.query(minhash):
            if j > i and (default or minhash.jaccard(hashes[j]) >= threshold):
                pairs.append((i, j))
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    if default:  # as usually shipped: clusters are the components of the LSH candidates
        labels = connected_components(len(hashes), edges)
    else:  # our clustering and keep policy, on datasketch's candidates and estimates
        everyone = Nodes(np.arange(len(hashes)), keys[:, 1], None, -np.array(lengths))
        members, keepers, _, _ = assign(edges, everyone, _MinHashVerifier(hashes), opts)
        labels = np.arange(len(hashes))
        labels[members] = keepers
    finish = time.process_time() - started
    peak = _rss_kib("VmHWM")
    estimates = {pair: float(hashes[pair[0]].jaccard(hashes[pair[1]])) for pair in _cluster_pairs(labels)}
    return {
        "busy": busy,
        "finish": finish,
        "peak_kib": peak,
        "labels": labels,
        "estimates": estimates,
        "figures": {},
    }


class _MinHashVerifier:
    def __init__(self, hashes: list[Any]) -> None:
        self.hashes = hashes

    def similarities(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return np.array(
            [self.hashes[a].jaccard(self.hashes[b]) for a, b in zip(left, right, strict=True)],
            dtype=np.float32,
        )


def _in_child(target: Any, *args: Any) -> dict[str, Any]:
    """Run ``target`` in a fresh forked process; report its memory growth over its start."""

    def body(conn: Any) -> None:
        start = _rss_kib("VmRSS")
        result = target(*args)
        result["peak_kib"] -= start
        conn.send(result)
        conn.close()

    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=body, args=(child,))
    process.start()
    result = parent.recv()
    process.join()
    return result


# ---------------------------------------------------------------- truth and scoring


def _cluster_pairs(labels: np.ndarray) -> list[tuple[int, int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    sizes = np.bincount(labels, minlength=labels.size)
    for i in np.flatnonzero(sizes[labels] > 1).tolist():
        groups[int(labels[i])].append(i)
    return [pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2)]


def _shingle_set(text: str, size: int) -> np.ndarray:
    return np.unique(shingle_hashes(normalized_bytes(text), size))


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    inter = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - inter
    return inter / union if union else 1.0


def truth(path: Path, size: int) -> tuple[dict[tuple[int, int], float], list[int]]:
    """True Jaccard of every within-family pair; and each document's family."""
    pairs: dict[tuple[int, int], float] = {}
    families: list[int] = []
    current: list[tuple[int, np.ndarray]] = []
    for i, record in enumerate(itertools.chain(_records(path), [None])):
        if record is None or (current and record["family"] != families[current[0][0]]):
            for (a, sa), (b, sb) in itertools.combinations(current, 2):
                pairs[(a, b)] = _jaccard(sa, sb)
            current = []
        if record is None:
            break
        families.append(record["family"])
        current.append((i, _shingle_set(record["body"], size)))
    return pairs, families


def score(
    result: dict[str, Any], true_pairs: dict, families: list[int], path: Path, opts: Dedup.Options
) -> dict:
    threshold = opts.threshold
    positives = {pair for pair, value in true_pairs.items() if value >= threshold}
    cluster = _cluster_pairs(result["labels"])
    cross = [pair for pair in cluster if families[pair[0]] != families[pair[1]]]
    cross_true = _cross_truth(path, cross, opts.shingle_size)
    judged = {pair for pair in cluster if result["estimates"][pair] >= threshold}

    def precision_recall(predicted: set) -> tuple[float, float]:
        correct = sum(1 for pair in predicted if true_pairs.get(pair, cross_true.get(pair, 0.0)) >= threshold)
        found = len(predicted & positives)
        return (correct / len(predicted) if predicted else 1.0, found / len(positives) if positives else 1.0)

    judged_p, judged_r = precision_recall(judged)
    labels = result["labels"]

    def true_similarity(a: int, b: int) -> float:
        pair = (min(a, b), max(a, b))
        return true_pairs.get(pair, cross_true.get(pair, 0.0))

    kept_duplicates = sum(1 for a, b in positives if labels[a] == a and labels[b] == b)
    dropped = [i for i in range(labels.size) if labels[i] != i]
    wrong_drops = sum(1 for i in dropped if true_similarity(i, int(labels[i])) < threshold)
    cluster_p, cluster_r = precision_recall(set(cluster))
    n = len(families)
    return {
        "docs": n,
        "true_pairs": len(positives),
        "precision": round(judged_p, 4),
        "recall": round(judged_r, 4),
        "cluster_precision": round(cluster_p, 4),
        "cluster_recall": round(cluster_r, 4),
        "cross_family_pairs": len(cross),
        "dropped": len(dropped),
        "wrong_drops": wrong_drops,
        "kept_duplicate_pairs": kept_duplicates,
        "docs_per_s": round(n / (result["busy"] + result["finish"])),
        "us_per_doc": round(1e6 * result["busy"] / n, 1),
        "finish_s": round(result["finish"], 2),
        "peak_mib": round(result["peak_kib"] / 1024, 1),
        **{
            k: v for k, v in result["figures"].items() if k in ("state_bytes_per_document", "candidate_pairs")
        },
    }


def _cross_truth(path: Path, pairs: list[tuple[int, int]], size: int) -> dict[tuple[int, int], float]:
    wanted = {i for pair in pairs for i in pair}
    sets = {i: _shingle_set(r["body"], size) for i, r in enumerate(_records(path)) if i in wanted}
    return {(a, b): _jaccard(sets[a], sets[b]) for a, b in pairs}


# ---------------------------------------------------------------- raw pages: site templates, then dedup


def raw_pages(path: Path, opts: Dedup.Options) -> dict[str, Any]:
    """``site_templates`` on the pages with their boilerplate, then ``dedup`` on what is left.

    Scores the line removals against the generator's bodies (a removed body line is an
    error) and checks that each syndicated copy ends in its original's cluster.
    """
    templates = SiteTemplates()
    started = time.process_time()
    for unit in _units(Document(r["id"], r["text"], {"url": r["url"]}) for r in _records(path)):
        templates.collect_documents(unit)
    figures = templates.finish()
    dedup = Dedup(opts.model_copy(update={"keep": "first_seen"}))
    docs, families, kinds, unit = [], [], [], []
    boilerplate = removed_boilerplate = removed_body = 0
    for record in _records(path):
        doc = Document(record["id"], record["text"], {"url": record["url"]})
        templates.process(doc)
        body_lines = set(record["body"].split("\n"))
        boilerplate += sum(1 for line in record["text"].split("\n") if line not in body_lines)
        for edit in doc.edits:
            line = edit.before.strip("\n")
            if line in body_lines:
                removed_body += 1
            else:
                removed_boilerplate += 1
        unit.append(doc)
        if len(unit) == UNIT_DOCS:
            dedup.collect_documents(unit)
            unit = []
        docs.append(Document(doc.id, doc.text, {}))
        families.append(record["family"])
        kinds.append(record["kind"])
    dedup.collect_documents(unit)
    dedup.finish()
    seconds = time.process_time() - started
    first_of_family: dict[int, str] = {}
    merged = {"exact": 0, "near": 0, "missed": 0}
    for doc, family, kind in zip(docs, families, kinds, strict=True):
        dedup.process(doc)
        first_of_family.setdefault(family, doc.id)
        if kind == "exact":
            if doc.rejected and doc.rejection.duplicate_of == first_of_family[family]:
                merged["exact" if doc.rejection.rule == "exact_duplicate" else "near"] += 1
            else:
                merged["missed"] += 1
    return {
        "template_lines_learned": figures["template_lines"],
        "boilerplate_lines_removed": round(removed_boilerplate / boilerplate, 4) if boilerplate else 0,
        "body_lines_removed": removed_body,
        "syndicated_exact_copies": merged,
        "docs_per_s_templates_plus_dedup": round(len(docs) / seconds),
    }


# ---------------------------------------------------------------- signature-only timings


def signature_costs(path: Path, opts: Dedup.Options, sample: int = 300, repeats: int = 5) -> dict[str, float]:
    """Microseconds per document to go from body text to a signature, per scheme.

    The best of ``repeats`` passes: on a shared machine the minimum is what the code
    costs, the rest is other processes' load. ``dedup summarize+collect`` is the whole
    per-document work of the step (normalise, exact key, shingles, signature, bands,
    fingerprints, and storing them).
    """
    from datasketch import MinHash

    bodies = [r["body"] for r in itertools.islice(_records(path), sample)]
    rng = np.random.default_rng(0)
    a = rng.integers(1, 1 << 63, opts.num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, opts.num_perm, dtype=np.uint64)

    def classic(text: str) -> np.ndarray:  # (a*x+b) multiply-shift, one hash function per permutation
        x = shingle_hashes(normalized_bytes(text), opts.shingle_size) >> np.uint64(32)
        return (np.min(np.multiply.outer(x, a) + b, axis=0) >> np.uint64(32)).astype(np.uint32)

    schemes = {
        f"one-permutation numpy ({opts.num_perm})": lambda t: signature(
            shingle_hashes(normalized_bytes(t), opts.shingle_size), opts.num_perm
        ),
        f"classic (a*x+b) numpy ({opts.num_perm})": classic,
        f"datasketch xxh32 ({opts.num_perm})": lambda t: MinHash(
            num_perm=opts.num_perm, hashfunc=xxhash.xxh32_intdigest
        ).update_batch(_shingle_bytes(normalized_bytes(t), opts.shingle_size)),
    }
    try:
        import rensa

        def rensa_signature(text: str) -> Any:
            minhash = rensa.RMinHash(num_perm=opts.num_perm, seed=1)
            minhash.update([s.decode() for s in _shingle_bytes(normalized_bytes(text), opts.shingle_size)])
            return minhash.digest()

        schemes[f"rensa RMinHash ({opts.num_perm})"] = rensa_signature
    except ImportError:
        pass
    step = Dedup(opts)

    def whole_step(text: str) -> None:
        doc = Document("d", text, {})
        step.collect_documents([doc])

    schemes["dedup summarize+combine+merge"] = whole_step
    out = {}
    for name, function in schemes.items():
        best = float("inf")
        for _ in range(repeats):
            started = time.process_time()
            for text in bodies:
                function(text)
            best = min(best, time.process_time() - started)
        out[name] = round(1e6 * best / len(bodies), 1)
    step.finish()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="reuse a JSONL written by synth.py")
    parser.add_argument("--only", choices=("ours", "all"), default="all")
    parser.add_argument("--scale", type=int, help="also run ours on the first N docs and extrapolate to 1M")
    parser.add_argument("--raw", action="store_true", help="also: site_templates then dedup on the raw pages")
    parser.add_argument("--shingle-size", type=int, default=5)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--bands", type=int, default=16)
    parser.add_argument("--rows", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--memory-budget-mb", type=int, default=1024, help="0: band keys on disk too")
    args = parser.parse_args(argv)
    opts = Dedup.Options(
        shingle_size=args.shingle_size,
        num_perm=args.num_perm,
        bands=args.bands,
        rows=args.rows,
        threshold=args.threshold,
        memory_budget_mb=args.memory_budget_mb,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = args.corpus
        if path is None:
            path = Path(tmp) / "corpus.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for record in generate(args.docs, args.seed):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        results = {"ours": _in_child(run_ours, path, opts)}
        if args.only == "all":
            signature_opts = opts.model_copy(update={"verify": "signature"})
            results["ours-verify-signature"] = _in_child(run_ours, path, signature_opts)
            results["datasketch"] = _in_child(run_datasketch, path, opts, False, args.threshold)
            results["datasketch-default"] = _in_child(run_datasketch, path, opts, True, args.threshold)
        small = None
        if args.scale:
            small_path = Path(tmp) / "small.jsonl"
            with path.open(encoding="utf-8") as src, small_path.open("w", encoding="utf-8") as dst:
                dst.writelines(itertools.islice(src, args.scale))
            small = _in_child(run_ours, small_path, opts)
        true_pairs, families = truth(path, args.shingle_size)
        print(f"params: {opts.model_dump(exclude={'spill_dir', 'memory_budget_mb'})}")
        for name, result in results.items():
            print(json.dumps({"method": name, **score(result, true_pairs, families, path, opts)}))
        if small is not None:
            n_big, n_small = len(families), args.scale
            slope = (results["ours"]["peak_kib"] - small["peak_kib"]) / (n_big - n_small)
            million = results["ours"]["peak_kib"] + slope * (1_000_000 - n_big)
            print(
                json.dumps(
                    {
                        "peak_mib_small": round(small["peak_kib"] / 1024, 1),
                        "peak_mib_big": round(results["ours"]["peak_kib"] / 1024, 1),
                        "peak_bytes_per_doc_marginal": round(slope * 1024),
                        "peak_mib_1M_extrapolated": round(million / 1024),
                    }
                )
            )
        print(json.dumps({"signature_us_per_doc": signature_costs(path, opts)}))
        if args.raw:
            print(json.dumps({"raw_pages": raw_pages(path, opts)}))


if __name__ == "__main__":
    main()
