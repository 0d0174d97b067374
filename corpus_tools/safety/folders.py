"""The output rule: a command replaces a folder (or file) only when it can prove it wrote it.

Proof is a marker the tool writes into each folder it makes (``.corpus-tools-dataset``,
``.corpus-tools-report``, ``.corpus-tools-export``: a small JSON naming the tool, the kind
of folder and the marker's format), and a folder is replaced only when, besides its
marker, it holds nothing but the files that kind of folder is made of: a file a user put
there since is never deleted. An exported file gets a hidden sidecar beside it
(``.NAME.corpus-tools``) with the file's sha256, so an export is replaced only while its
bytes are the ones written. Folders written by versions older than the marker are
recognised by their content alone where it is unambiguous (a dataset: ``README.md``,
``run.json`` naming ``corpus_tools_version``, and ``data/`` holding only shards named as
the writer names them).

Anything else is refused before anything is touched (:class:`RefusedOutput`, exit code 2),
as is an output that is, holds or lies inside an input, the file system root, a mount
point, or the folder the user stands in. :func:`claim_output` applies the whole rule and
holds the output's lock (:mod:`.lock`) while the command writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus_tools.safety.lock import RefusedOutput, output_lock
from corpus_tools.safety.processes import signals_deferred

log = logging.getLogger("corpus_tools")

TOOL = "corpus-tools"
MARKER_FORMAT = 1  # what a marker holds; a marker of another format is still this tool's
LISTED = 5  # foreign files named in a refusal; the rest are counted
HOW_TO_CHOOSE = "choose a new folder with --out"


def _marker_text(kind: str) -> str:
    return json.dumps({"format": MARKER_FORMAT, "kind": kind, "tool": TOOL}, sort_keys=True) + "\n"


def _marker_says(path: Path, kind: str) -> bool:
    """Whether ``path`` is a marker of this tool for ``kind`` (any format)."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(content, dict) and content.get("tool") == TOOL and content.get("kind") == kind


@dataclass(frozen=True)
class FolderKind:
    """A kind of folder the tool writes: its marker and the entries such a folder is made of."""

    name: str
    marker: str
    description: str
    owned_dirs: re.Pattern[str]  # relative POSIX paths of the folders inside
    owned_files: re.Pattern[str]  # relative POSIX paths of the files inside (the marker aside)
    older: Callable[[Path], bool] | None = None  # recognises a folder written before the marker

    def mark(self, folder: Path) -> None:
        (folder / self.marker).write_text(_marker_text(self.name), encoding="utf-8")

    def check(self, target: Path) -> None:
        """Raise :class:`RefusedOutput` unless ``target`` may be replaced (absent, empty, or ours)."""
        if not target.exists():
            return
        if not target.is_dir():
            raise RefusedOutput(f"{target} is a file, not a {self.description}; {HOW_TO_CHOOSE}")
        entries = list(_entries(target))
        if not entries:
            return  # an empty folder holds nothing to lose
        marked = _marker_says(target / self.marker, self.name)
        if not marked and not (self.older is not None and self.older(target)):
            raise RefusedOutput(
                f"{target} exists and was not written by corpus-tools (it has no {self.marker} marker), "
                f"so it is not replaced; nothing was changed. {HOW_TO_CHOOSE.capitalize()}, or delete "
                f"{target} yourself if you no longer need it"
            )
        foreign = [name for name, is_dir in entries if not self.owns(name, is_dir)]
        if foreign:
            shown = ", ".join(foreign[:LISTED]) + (
                f" and {len(foreign) - LISTED} more" if len(foreign) > LISTED else ""
            )
            raise RefusedOutput(
                f"{target} is a {self.description} written by corpus-tools, but it also holds files "
                f"corpus-tools does not write ({shown}), so it is not replaced; nothing was changed. "
                f"Move those files out, or {HOW_TO_CHOOSE}"
            )

    def owns(self, name: str, is_dir: bool) -> bool:
        if is_dir:
            return bool(self.owned_dirs.fullmatch(name))
        return name == self.marker or bool(self.owned_files.fullmatch(name))


def _entries(folder: Path) -> Iterator[tuple[str, bool]]:
    """Every entry under ``folder`` as ``(relative POSIX path, is a folder)``; links are not followed."""
    for top, dirs, files in os.walk(folder):
        here = Path(top).relative_to(folder)
        for name in dirs:
            path = Path(top, name)
            yield (here / name).as_posix(), not path.is_symlink()
        for name in files:
            yield (here / name).as_posix(), False


def _older_dataset(folder: Path) -> bool:
    """A dataset folder of a version before the marker: its card and a run record naming the tool."""
    try:
        record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(record, dict) and "corpus_tools_version" in record and (folder / "README.md").is_file()


def _older_report(folder: Path) -> bool:
    """A report of a version before the JSON marker: the same file name, a sentence in it."""
    try:
        text = (folder / REPORT.marker).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return text.startswith("written by corpus-tools report")


DATASET = FolderKind(
    "dataset",
    ".corpus-tools-dataset",
    "dataset folder",
    # reproduce/: the config and the files it read; state/: what an update goes on from (docs/update.md)
    re.compile(r"data|state|reproduce(/[^/]+)*"),
    re.compile(
        r"README\.md|run\.json|data/(train|rejected)(-update\d{3})?-\d{5}-of-\d{5}-[0-9a-f]{12}\.parquet"
        r"|state/[a-z-]+\.(npy|parquet|json)|reproduce/.+"
    ),
    _older_dataset,
)
REPORT = FolderKind(
    "report",
    ".corpus-tools-report",
    "report folder",
    re.compile(r"diffs(/[^/]+)*"),
    re.compile(r"(diffs/([^/]+/)*)?[^/]+\.html?"),
    _older_report,
)
EXPORT_TEXT = FolderKind(
    "export", ".corpus-tools-export", "text export folder", re.compile(r".+"), re.compile(r".+\.txt")
)
# The work folder of a run (spills): everything in it is the tool's; older ones had no marker.
WORK = FolderKind(
    "work",
    ".corpus-tools-work",
    "work folder",
    re.compile(r"stage-\d+"),
    re.compile(r"stage-\d+/[^/]+"),
    lambda folder: True,
)


@dataclass(frozen=True)
class FileKind:
    """A file the tool writes (an export): proven ours by a sidecar holding its sha256."""

    name: str

    @staticmethod
    def sidecar(target: Path) -> Path:
        return target.with_name(f".{target.name}.corpus-tools")

    def mark(self, written: Path, target: Path) -> None:
        """Record ``written`` (about to be moved to ``target``) as this tool's."""
        record = json.loads(_marker_text(self.name))
        record["sha256"] = file_sha256(written)
        self.sidecar(target).write_text(json.dumps(record, sort_keys=True) + "\n", encoding="utf-8")

    def check(self, target: Path) -> None:
        if not target.exists():
            return
        if target.is_dir():
            raise RefusedOutput(f"{target} is a folder; give a file name; {HOW_TO_CHOOSE}")
        sidecar = self.sidecar(target)
        if _marker_says(sidecar, self.name):
            recorded = json.loads(sidecar.read_text(encoding="utf-8")).get("sha256")
            if recorded == file_sha256(target):
                return
            raise RefusedOutput(
                f"{target} was written by corpus-tools but has changed since, so it is not replaced; "
                f"nothing was changed. Give another file name with --out, or delete {target} yourself"
            )
        raise RefusedOutput(
            f"{target} exists and was not written by corpus-tools, so it is not replaced; nothing was "
            f"changed. Give another file name with --out, or delete {target} yourself"
        )


EXPORT_FILE = FileKind("export")


def file_sha256(path: Path) -> str:
    """Hex digest of a file, read a block at a time: a shard or an export can be hundreds of MB."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def check_place(out: Path, inputs: Iterable[Path]) -> Path:
    """``out`` resolved (links followed), or :class:`RefusedOutput` when no output may go there."""
    target = Path(os.path.abspath(out)).resolve()
    if target.parent == target:
        raise RefusedOutput(f"--out {out}: the file system root is not an output folder; {HOW_TO_CHOOSE}")
    for item in inputs:
        source = Path(os.path.abspath(item)).resolve()
        if target == source or target.is_relative_to(source) or source.is_relative_to(target):
            raise RefusedOutput(
                f"--out {out} is, holds or lies inside the input {item}; corpus-tools never writes over "
                f"its input: {HOW_TO_CHOOSE} outside it"
            )
    if Path.cwd().resolve().is_relative_to(target):
        raise RefusedOutput(
            f"--out {out} is the current folder or holds it, which a run would replace; {HOW_TO_CHOOSE} "
            "(e.g. --out clean/)"
        )
    if target.exists() and os.path.ismount(target):
        raise RefusedOutput(f"--out {out} is a mount point and cannot be replaced; {HOW_TO_CHOOSE} inside it")
    return target


@contextlib.contextmanager
def claim_output(out: Path, kind: FolderKind | FileKind, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """Check the rule, lock the output, check again under the lock; yields the resolved output.

    The first check runs before the lock so that a refused command leaves not even a lock
    file; the second, under the lock, sees what a run that just finished left.
    """
    target = check_place(out, list(inputs))
    kind.check(target)
    with output_lock(target):
        remove_abandoned(target)
        kind.check(target)
        yield target


def staging(target: Path) -> Path:
    """Where a new version of ``target`` is made, beside it (same file system: a rename moves it)."""
    return target.parent / f".{target.name}.partial-{os.getpid()}"


def remove_abandoned(target: Path) -> None:
    """Clear what runs into ``target`` that are gone (killed with -9) left beside it.

    Staging folders of dead processes go. A previous version set aside by a run killed
    between the two renames of :func:`swap_in` is put back when ``target`` is missing,
    else removed. Called under the output's lock.
    """
    for stale in sorted(target.parent.glob(f".{target.name}.partial-*")):
        if _dead(stale):
            _remove(stale)
    for old in sorted(target.parent.glob(f".{target.name}.old-*")):
        if not _dead(old):
            continue
        if not target.exists() and not target.is_symlink():
            old.rename(target)
            log.warning(
                "%s: put back the previous version, left aside by a run killed while replacing it", target
            )
        else:
            _remove(old)


def _dead(path: Path) -> bool:
    pid = path.name.rsplit("-", 1)[-1]
    return pid.isdigit() and (int(pid) == os.getpid() or not _alive(int(pid)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def swap_in(stage: Path, target: Path) -> None:
    """Move the finished ``stage`` to ``target``; the previous version goes only once it is in place.

    Ctrl-C and SIGTERM wait for the two renames, so an interrupted run never leaves the
    output missing; a kill -9 between them is repaired by the next run (:func:`remove_abandoned`).
    """
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    with signals_deferred():
        if target.exists():
            target.rename(old)
        stage.rename(target)
    if old.exists():
        _remove(old)
