"""Time ``corpus-tools report`` (and ``stats``) against the ``clean`` run that made the dataset.

    .venv/bin/python benchmarks/bench_report.py [--docs 20000] [--work /tmp/bench-report] [--workers 1]
        [--reuse] [--report-args=--all-diffs]

Writes ``--docs`` synthetic news documents as JSONL (``benchmarks/synth.py``: sites with their
own chrome lines, exact and near copies), runs ``corpus-tools clean`` with the steps
registered today in default-chain order, then ``report`` and ``stats`` on the result, and
opens the report's index and one diff page in headless Chromium (when installed), timing the
page load as the wall time of ``--dump-dom``. Target: report < 10% of the run, page < 2 s.
Timings are wall-clock on a shared 2-core machine: noisy, take the order of magnitude.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the browser test's helpers
from headless import find_chromium, run_chromium  # noqa: E402


def write_input(path: Path, n: int) -> None:
    """``n`` records of ``benchmarks/synth.py``, as a scraper gives them (its scoring fields left out)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import synth

    keep = ("id", "text", "url", "date", "title")
    with path.open("w", encoding="utf-8") as out:
        for record in synth.generate(n):
            out.write(json.dumps({k: v for k, v in record.items() if k in keep}, ensure_ascii=False) + "\n")
    print(f"input: {n} documents from benchmarks/synth.py -> {path}")


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def browser_seconds(url: str, profile: Path, repeat: int = 3) -> float | None:
    """Best wall time of ``chromium --headless --dump-dom URL`` (start, load, render, print)."""
    chromium = find_chromium()
    if chromium is None:
        return None
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run_chromium(chromium, profile, "--dump-dom", url)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-report"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the dataset and clean times of a former run"
    )
    parser.add_argument(
        "--report-args", nargs="*", default=[], help="extra 'report' options, e.g. --report-args=--all-diffs"
    )
    args = parser.parse_args()
    work = args.work
    tool = str(Path(sys.executable).with_name("corpus-tools"))
    dataset = work / "dataset"
    timings = work / "clean-times.json"
    if args.reuse and timings.is_file():
        run_s, run_cpu = json.loads(timings.read_text(encoding="utf-8"))
        print(f"reusing {dataset} and its clean run's times")
    else:
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        write_input(work / "input.jsonl", args.docs)
        print("chain: configs/default.yaml")
        clean = [tool, "-q", "clean", str(work / "input.jsonl"), "--out", str(dataset)]
        run_s, run_cpu = timed([*clean, "--workers", str(args.workers)])
        timings.write_text(json.dumps([run_s, run_cpu]), encoding="utf-8")
    if (work / "report").exists():
        shutil.rmtree(work / "report")
    report_cmd = [tool, "-q", "report", str(dataset), "--out", str(work / "report" / "index.html")]
    report_s, report_cpu = timed(report_cmd + args.report_args)
    stats_s, stats_cpu = timed([tool, "-q", "stats", str(dataset), "--json"])
    files = list((work / "report").rglob("*.html"))
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"clean run: {run_s:7.2f} s wall, {run_cpu:7.2f} s CPU (workers {args.workers})")
    for name, wall, cpu in (("report", report_s, report_cpu), ("stats", stats_s, stats_cpu)):
        print(
            f"{name + ':':<10} {wall:7.2f} s wall, {cpu:7.2f} s CPU "
            f"= {wall / run_s:.1%} of the run's wall time, {cpu / run_cpu:.1%} of its CPU time"
        )
    print(f"report files: {len(files)} pages, {size_mb:.1f} MB ({' '.join(args.report_args) or 'defaults'})")
    index = (work / "report" / "index.html").resolve()
    blank = work / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    baseline = browser_seconds(blank.as_uri(), work / "chromium-profile")
    if baseline is None:
        print("open pages: chromium not installed")
        return 0
    print(f"chromium start + blank page: {baseline:.2f} s (subtracted below)")
    diff_page = next(iter(sorted((work / "report" / "diffs").rglob("*.html"))))
    for name, page in (
        ("index", index),
        ("diff page", diff_page),
        ("documents page 1", index.with_name("documents-0001.html")),
        ("removed lines", index.with_name("removed-lines.html")),
    ):
        seconds = browser_seconds(page.as_uri(), work / "chromium-profile") or 0.0
        print(f"open {name}: {seconds:.2f} s with start-up, {max(0.0, seconds - baseline):.2f} s page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
