"""File names from document ids: any id, a path every common file system accepts, inside the folder.

An id is whatever the input says (a JSONL field, a path): it may be 10,000 characters long,
hold ``/``, ``..``, NUL or control characters, be ``CON`` (reserved on Windows), or be both
a name (``x``) and a folder of another id (``x.txt/y``). :func:`safe_relative_path` maps it,
deterministically, to a relative path that

* keeps the id readable where it can: each ``/``-separated part becomes a folder or the name;
* never leaves the folder: empty, ``.`` and ``..`` parts are dropped, a leading dot is replaced;
* keeps each part under :data:`MAX_NAME_BYTES` (a longer one is cut and ends with a hash of
  what was cut, so two long ids stay apart), and the whole under :data:`MAX_PATH_BYTES` and
  :data:`MAX_FOLDERS` deep (else the id becomes one flat name with a hash);
* never makes a folder whose name ends with the files' suffix, so a file and a folder cannot
  claim one name (``x`` gives ``x.txt``; ``x.txt/y`` gives ``x.txt_/y.txt``).

Two ids may still map to one path (``a b`` and ``a_b``): the caller numbers the clash.
"""

from __future__ import annotations

import hashlib
import re

MAX_NAME_BYTES = 120  # per part; file systems allow 255, room is left for a "~N" clash number
MAX_PATH_BYTES = 1_000  # the whole relative path (Linux allows 4,096 for the absolute one)
MAX_FOLDERS = 32  # folders deep
HASH_CHARS = 12  # hex digits of the hash a shortened name ends with
_UNSAFE = re.compile(r"[^\w.\-]+")  # \w is Unicode letters, digits and "_"; NUL and controls go
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{stem}{n}" for stem in ("com", "lpt") for n in range(1, 10)]
)


def _digest(text: str) -> str:
    return hashlib.blake2s(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()[:HASH_CHARS]


def _cut(part: str, budget: int) -> str:
    """``part`` in at most ``budget`` UTF-8 bytes: its start, then a hash of all of it."""
    if len(part.encode("utf-8", "surrogatepass")) <= budget:
        return part
    head = part.encode("utf-8", "surrogatepass")[: budget - HASH_CHARS - 1].decode("utf-8", "ignore")
    return f"{head}-{_digest(part)}"


def _safe_part(part: str) -> str:
    part = _UNSAFE.sub("_", part)
    if part in ("", ".", ".."):
        return ""
    if part.startswith("."):
        part = "_" + part[1:]
    if part.endswith("."):  # Windows drops trailing dots: "a." would become "a"
        part += "_"
    if part.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        part = "_" + part
    return _cut(part, MAX_NAME_BYTES)


def safe_relative_path(doc_id: str, suffix: str) -> str:
    """The relative path (``/``-separated, ending with ``suffix``) that names ``doc_id``."""
    parts = [safe for part in doc_id.replace("\\", "/").split("/") if (safe := _safe_part(part))]
    if not parts:
        parts = ["_"]
    folders = [f"{name}_" if name.lower().endswith(suffix.lower()) else name for name in parts[:-1]]
    path = "/".join([*folders, parts[-1]]) + suffix
    if len(folders) > MAX_FOLDERS or len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        flat = _cut("_".join(parts), MAX_NAME_BYTES - HASH_CHARS - 1)
        path = f"{flat}-{_digest(doc_id)}{suffix}"
    return path
