"""Score ``fix_encoding`` per kind of damage: ftfy alone, the chain before (a git revision), the chain now.

Three case sets, each scored as ``score.py`` of the shared DEV set defines it (EXACT,
EQUIV after folding spaces, quotes, dashes and "…"; FALSE_CHANGE on control cases):

* ``dev``: ``../shared/eval/encoding/cases.jsonl`` when it is there (its ``score.py`` also
  prints its own last line for the chain now, as a cross-check);
* ``own`` and ``heldout``: the tune and held-out splits of ``benchmarks/encoding_cases.py``
  (written for this project; no rule is tuned on ``heldout``);
* ``ftfy``: ftfy's public test cases (``benchmarks/data/ftfy_test_cases.json``), expecting
  ftfy's encoding fix alone (the case's ``fixed-encoding`` where given, else ``fixed``; a
  second line scores every case against ``fixed``, ftfy's full default output): kind
  ``control_ftfy_negative`` where the expected output is the input, ``ftfy_expected_fail``
  where ftfy marks its own result as wrong, ``ftfy_mojibake`` otherwise.

"ftfy alone" is ``ftfy.fix_text(text, uncurl_quotes=False)`` (its defaults, quotes as written).
The chain before runs in a subprocess on the package of ``--before`` (``run_at.py``). The
step sees only each case's ``damaged`` text; ``--mode corpus`` (default) runs each set as one
corpus through the step's corpus pass, as ``corpus-tools clean`` does; ``--mode single``
repairs each case alone with wordfreq only. Every ftfy case where the chain now and ftfy
alone differ is listed at the end.

usage: python benchmarks/eval_encoding.py [--sets dev,own,heldout,ftfy,articles] [--before main]
                                          [--mode corpus|single] [--show N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import ftfy
from encoding_cases import cases as own_cases
from run_at import python_command

from corpus_tools.document import Document
from corpus_tools.repair import repair_text
from corpus_tools.steps.fix_encoding import FixEncoding

HERE = Path(__file__).resolve().parent
DEV_DIR = HERE.parents[1] / "shared" / "eval" / "encoding"
ARTICLE_DIRS = [HERE.parents[1] / "shared" / "eval" / name for name in ("boilerplate", "boilerplate2")]
FTFY_CASES = HERE / "data" / "ftfy_test_cases.json"
OUT = HERE / "out"
SYSTEMS = ("ftfy", "before", "after")

_FOLD = {
    ord(c): " " for c in "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
}
_FOLD.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"})
_FOLD.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033"})
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_FOLD[0x2026] = "..."


def fold(text: str) -> str:
    """Visible equivalence, as the DEV set's ``score.py`` defines it."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").split("\n") if line.strip()]


def ftfy_cases() -> list[dict]:
    rows = []
    for n, case in enumerate(json.loads(FTFY_CASES.read_text("utf-8")), 1):
        # what ftfy's encoding fix alone gives, where the case says: an encoding repair
        # is not asked to undo ligatures, full-width forms or control characters
        expected = case.get("fixed-encoding", case["fixed"])
        if case["original"] == expected:
            kind = "control_ftfy_negative"
        elif case["expect"] == "fail":
            kind = "ftfy_expected_fail"
        else:
            kind = "ftfy_mojibake"
        rows.append(
            {
                "id": f"ftfy-{n:03d}",
                "damaged": case["original"],
                "original": expected,
                "fixed": case["fixed"],
                "kind": kind,
                "label": case["label"],
            }
        )
    return rows


def case_sets(names: Iterable[str]) -> dict[str, list[dict]]:
    sets = {}
    for name in names:
        if name == "dev":
            if (DEV_DIR / "cases.jsonl").exists():
                sets[name] = read_jsonl(DEV_DIR / "cases.jsonl")
            else:
                print(f"# no DEV set at {DEV_DIR}: skipped")
        elif name == "own":
            sets[name] = list(own_cases("tune"))
        elif name == "heldout":
            sets[name] = list(own_cases("heldout"))
        elif name == "ftfy":
            sets[name] = ftfy_cases()
        elif name == "articles":
            sets[name] = article_controls()
    return sets


def article_controls() -> list[dict]:
    """The hand-made gold article texts of the boilerplate DEV sets, as correct texts: real
    prose with real question marks (and, in a few, real damage the gold kept), so a repair
    that changes one is most likely a false change. The kind says whether the text holds a
    `?` or U+FFFD at all."""
    rows = []
    for folder in ARTICLE_DIRS:
        if not (folder / "dev.jsonl").exists():
            print(f"# no article set at {folder}: skipped")
            continue
        for row in read_jsonl(folder / "dev.jsonl"):
            text = row["gold_text"]
            marks = "?" in text or "\ufffd" in text
            kind = "control_article_marks" if marks else "control_article"
            case_id = f"{folder.name}/{row['id']}"
            rows.append({"id": case_id, "damaged": text, "original": text, "kind": kind})
    return rows


def predict(cases: list[dict], mode: str) -> dict[str, str]:
    if mode == "single":
        return {c["id"]: repair_text(c["damaged"])[0] for c in cases}
    step = FixEncoding()
    docs = [Document.from_raw(c["id"], c["damaged"]) for c in cases]
    step.collect_documents(docs)
    step.finish()
    for doc in docs:
        step.process(doc)
    return {doc.id: doc.text for doc in docs}


def write_predictions(path: Path, predictions: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for case_id, text in predictions.items():
            fh.write(json.dumps({"id": case_id, "text": text}, ensure_ascii=False) + "\n")


def predict_before(name: str, cases: list[dict], revision: str, mode: str) -> dict[str, str]:
    """The chain at ``revision``, in a subprocess importing that revision's package."""
    cases_path, out_path = OUT / f"cases-{name}.jsonl", OUT / f"pred-{name}-before.jsonl"
    cases_path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), "utf-8")
    command = [sys.executable, str(HERE / "run_at.py"), revision, __file__, "--predict", str(cases_path)]
    subprocess.run([*command, "--out", str(out_path), "--mode", mode], check=True)
    return {row["id"]: row["text"] for row in read_jsonl(out_path)}


def score(cases: list[dict], predictions: dict[str, str]) -> dict[str, dict[str, int]]:
    """Per kind: n, exact, equiv (for control kinds, exact means unchanged)."""
    stats: dict[str, dict[str, int]] = {}
    for case in cases:
        got = predictions.get(case["id"])
        row = stats.setdefault(case["kind"], {"n": 0, "exact": 0, "equiv": 0})
        row["n"] += 1
        row["exact"] += got == case["original"]
        row["equiv"] += got is not None and fold(got) == fold(case["original"])
    return stats


def print_table(name: str, scores: dict[str, dict[str, dict[str, int]]]) -> None:
    kinds = sorted(scores["after"], key=lambda k: (k.startswith("control"), k))
    head = "".join(f"{s + ' EQ/EX':>16}" for s in SYSTEMS)
    print(
        f"\n## {name}: EQUIV/EXACT per damaged kind, changed share per control kind\n"
        f"{'kind':<26}{'n':>5}{head}"
    )
    totals = {s: {"n": 0, "exact": 0, "equiv": 0} for s in SYSTEMS}
    control = {s: {"n": 0, "exact": 0} for s in SYSTEMS}
    for kind in kinds:
        cells = []
        for system in SYSTEMS:
            row = scores[system][kind]
            if kind.startswith("control"):
                cells.append(f"{'changed ' + format(1 - row['exact'] / row['n'], '.3f'):>16}")
                control[system]["n"] += row["n"]
                control[system]["exact"] += row["exact"]
            else:
                cells.append(f"{row['equiv'] / row['n']:>10.3f}/{row['exact'] / row['n']:.3f}")
                for key in ("n", "exact", "equiv"):
                    totals[system][key] += row[key]
        print(f"{kind:<26}{scores['after'][kind]['n']:>5}{''.join(cells)}")
    for system in SYSTEMS:
        done, ctl = totals[system], control[system]
        if not done["n"]:  # controls only
            print(f"{name} {system:<7} changed {ctl['n'] - ctl['exact']} of {ctl['n']} correct texts")
            continue
        false_change = 1 - ctl["exact"] / ctl["n"] if ctl["n"] else 0.0
        print(
            f"{name} {system:<7} EXACT {done['exact'] / max(done['n'], 1):.4f} "
            f"EQUIV {done['equiv'] / max(done['n'], 1):.4f} FALSE_CHANGE {false_change:.4f}"
        )


def list_differences(cases: list[dict], ftfy_out: dict[str, str], chain_out: dict[str, str]) -> None:
    differ = [c for c in cases if ftfy_out[c["id"]] != chain_out[c["id"]]]
    print(f"\n## ftfy cases where the chain and ftfy alone differ: {len(differ)} of {len(cases)}")
    for case in differ:
        right = [
            s
            for s, out in (("ftfy", ftfy_out), ("chain", chain_out))
            if fold(out[case["id"]]) == fold(case["original"])
        ]
        print(
            f"--- {case['id']} [{case['kind']}] {case['label']} "
            f"(equivalent to expected: {', '.join(right) or 'neither'})"
        )
        print(f"  input   : {case['damaged']!r}")
        print(f"  expected: {case['original']!r}")
        print(f"  ftfy    : {ftfy_out[case['id']]!r}")
        print(f"  chain   : {chain_out[case['id']]!r}")


def show_failures(cases: list[dict], predictions: dict[str, str], limit: int) -> None:
    shown: dict[str, int] = {}
    for case in cases:
        got = predictions[case["id"]]
        if fold(got) == fold(case["original"]) or shown.get(case["kind"], 0) >= limit:
            continue
        shown[case["kind"]] = shown.get(case["kind"], 0) + 1
        print(f"--- {case['id']} [{case['kind']}]\n  damaged : {case['damaged']!r}")
        print(f"  expected: {case['original']!r}\n  got     : {got!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="dev,own,heldout,ftfy,articles")
    ap.add_argument("--before", default="main", help="git revision of the chain before")
    ap.add_argument("--mode", choices=("corpus", "single"), default="corpus")
    ap.add_argument("--show", type=int, default=0, help="failures of the chain now to print per kind")
    ap.add_argument("--predict", type=Path, help=argparse.SUPPRESS)  # one side, for predict_before
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.predict:
        write_predictions(args.out, predict(read_jsonl(args.predict), args.mode))
        return 0
    OUT.mkdir(exist_ok=True)
    for name, cases in case_sets(args.sets.split(",")).items():
        outputs = {
            "ftfy": {c["id"]: ftfy.fix_text(c["damaged"], uncurl_quotes=False) for c in cases},
            "before": predict_before(name, cases, args.before, args.mode),
            "after": predict(cases, args.mode),
        }
        print_table(name, {system: score(cases, out) for system, out in outputs.items()})
        if name == "dev" and (DEV_DIR / "score.py").exists():
            write_predictions(OUT / "pred-dev-after.jsonl", outputs["after"])
            command = [*python_command()[:1], str(DEV_DIR / "score.py"), str(OUT / "pred-dev-after.jsonl")]
            report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            print(f"dev after, by score.py: {report.strip().splitlines()[-1]}")
        if args.show:
            show_failures(cases, outputs["after"], args.show)
        if name == "ftfy":
            for system, out in outputs.items():
                right = sum(fold(out[c["id"]]) == fold(c["fixed"]) for c in cases)
                print(
                    f"ftfy {system:<7} EQUIV against ftfy's full output ('fixed'), all cases: "
                    f"{right / len(cases):.4f}"
                )
            list_differences(cases, outputs["ftfy"], outputs["after"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
