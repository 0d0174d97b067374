"""One run at a time per output: an exclusive lock, taken at once or refused.

The lock is ``filelock``'s (``flock`` on Linux and macOS): the kernel drops it when the
process ends, even on kill -9, so a crashed run never leaves the output locked. Its file,
``.NAME.lock`` beside the output, is empty and stays after the run (deleting a lock file
others may have open lets two runs lock two different files).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout


class RefusedOutput(Exception):
    """Writing there could destroy what the tool did not write; nothing was changed."""


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def output_lock(target: Path) -> Iterator[None]:
    """Hold ``target``'s lock, or raise :class:`RefusedOutput` at once if another run has it."""
    path = lock_path(target)
    lock = FileLock(str(path), timeout=0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:  # before OSError, of which it is a kind
        raise RefusedOutput(
            f"another corpus-tools run is writing {target} (it holds {path}); wait for it to end, "
            "or choose another folder with --out"
        ) from None
    except OSError as exc:  # a folder the user may not write to, a read-only file system
        raise RefusedOutput(
            f"cannot lock {target}: {exc.strerror or exc} ({path}); choose another folder with --out"
        ) from None
    try:
        yield
    finally:
        lock.release()
