"""CPU seconds (user + system, every process of the run) of one ``corpus-tools clean``.

On a shared machine wall time moves with the neighbours' load; the CPU a run takes moves far
less, so it is what a before/after comparison of the runner reads. Run it at two revisions in
turns with ``run_at.py``:

    python benchmarks/run_at.py main benchmarks/bench_clean_cpu.py CORPUS --workers 2

The corpus is any input ``clean`` takes (``bench_chain.py`` leaves its synthetic one under
``benchmarks/out/chain/``). Prints one JSON line: workers, CPU and wall seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run_at import python_command  # noqa: E402

MAIN = "import sys\nfrom corpus_tools.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--workers", default="1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "clean_main.py"  # run_at.py runs a script, not ``-c``
        script.write_text(MAIN, encoding="utf-8")
        command = [*python_command(), str(script), "clean", args.corpus, "--out", f"{scratch}/out"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([*command, "--workers", args.workers, "-q"], check=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(json.dumps({"workers": int(args.workers), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2)}))


if __name__ == "__main__":
    main()
