"""A full disk (or quota) is one clear line, never a traceback: :func:`writing` names the file."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def disk_full(exc: BaseException | None) -> OSError | None:
    """The disk-full error in ``exc`` or its causes (a worker's comes wrapped), if any."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and (
            exc.errno in DISK_FULL or os.strerror(errno.ENOSPC).lower() in str(exc).lower()
        ):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


@contextlib.contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Name ``path`` in a disk-full error raised inside (``write`` errors name no file)."""
    try:
        yield
    except OSError as exc:
        if disk_full(exc) is not None and not exc.filename:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from exc
        raise


def disk_full_message(exc: OSError) -> str:
    where = exc.filename or "the output"
    return (
        f"no space left on device while writing {where}; nothing was replaced, the previous output is "
        "as it was: free some space and run again ('clean --resume' reuses the units it finished)"
    )
