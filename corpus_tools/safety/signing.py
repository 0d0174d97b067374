"""Signed pickles: the work folder's files are unpickled only when this user's tool wrote them.

A spill (and a stage's job file) is ``MAGIC``, an HMAC-SHA256 tag, then the pickle. The
tag covers the file's name in the work folder and its bytes, so a file cannot be forged,
edited, or moved to another unit's name. It is checked before a byte is unpickled: a file
that fails is never loaded (unpickling runs code).

The key is never in the work folder: whoever can write that folder could replace a key
kept there. It is derived from a secret of the user's (32 random bytes, made on first
use in ``$XDG_CACHE_HOME/corpus-tools/secret``, default ``~/.cache``, in a folder only
the user may enter, the file readable by the user alone) and the work folder's path:
per output, stable across an interrupted run and its ``--resume``. Where no such private
place exists, a run uses a random key of its own: it works, but cannot be resumed.
Worker processes receive the key from their parent (the process pool's initializer,
or Ray's task arguments), never through a file.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus_tools.safety.disk import writing

log = logging.getLogger("corpus_tools")

MAGIC = b"corpus-tools signed 1\n"
TAG_BYTES = hashlib.sha256().digest_size
SECRET_BYTES = 32
PRIVATE = 0o077  # permission bits that must be clear on the secret and its folder


class TamperedFile(Exception):
    """A signed file whose tag does not match its content: it is never unpickled."""


def secret_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corpus-tools"


def _private(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & PRIVATE


def user_secret() -> bytes | None:
    """This user's secret, made on first use; ``None`` when it has no private place."""
    folder = secret_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return None
        if info.st_mode & PRIVATE:
            folder.chmod(0o700)  # the user's own folder, made before with looser permissions
        path = folder / "secret"
        if not path.exists():
            _make_secret(path)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            if not _private(os.fstat(descriptor)):
                return None
            secret = os.read(descriptor, SECRET_BYTES + 1)
        finally:
            os.close(descriptor)
    except OSError:
        return None
    return secret if len(secret) == SECRET_BYTES else None


def _make_secret(path: Path) -> None:
    """Write the secret whole under a temporary name and link it in: a concurrent first run
    either links first or reads the one that did."""
    temporary = path.with_name(f"secret.{os.getpid()}.tmp")
    descriptor = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
    )
    try:
        os.write(descriptor, os.urandom(SECRET_BYTES))
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def folder_key(folder: Path) -> bytes:
    """The key for the files of the work folder ``folder``: stable for this user and folder."""
    secret = user_secret()
    if secret is None:
        log.warning(
            "no private place for corpus-tools' secret in %s (it must be a folder and a file of yours "
            "that only you can read); this run's work folder cannot be resumed",
            secret_dir(),
        )
        return os.urandom(SECRET_BYTES)
    return hmac.new(secret, b"work folder\0" + os.fsencode(folder.resolve()), hashlib.sha256).digest()


@dataclass(frozen=True)
class Signer:
    """Writes and reads signed pickles with one key."""

    key: bytes

    def _tag(self, name: str, payload: bytes | memoryview) -> bytes:
        mac = hmac.new(self.key, name.encode("utf-8") + b"\0", hashlib.sha256)
        mac.update(payload)
        return mac.digest()

    def dump(self, path: Path, name: str, value: Any) -> None:
        """Pickle ``value`` to ``path`` whole or not at all (temporary name, then rename)."""
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            with writing(temporary), temporary.open("wb") as out:
                out.write(MAGIC + self._tag(name, payload))
                out.write(payload)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def _payload(self, path: Path, name: str) -> memoryview:
        data = memoryview(path.read_bytes())
        head = len(MAGIC) + TAG_BYTES
        if bytes(data[: len(MAGIC)]) != MAGIC or not hmac.compare_digest(
            bytes(data[len(MAGIC) : head]), self._tag(name, data[head:])
        ):
            raise TamperedFile(
                f"{path} fails its integrity check: it was not written by this user's corpus-tools"
            )
        return data[head:]

    def load(self, path: Path, name: str) -> Any:
        """The value in ``path``; :class:`TamperedFile` (nothing unpickled) unless this key signed it."""
        return pickle.loads(self._payload(path, name))

    def verify(self, path: Path, name: str) -> bool:
        try:
            self._payload(path, name)
        except (TamperedFile, OSError):
            return False
        return True
