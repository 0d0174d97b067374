"""Upload a dataset folder to the Hugging Face Hub as a dataset repository.

Everything that can be checked without the network is checked first, in this order, so a
mistake costs no upload: the repository id, the folder (a card, and the shards the card
lists), the card itself (:func:`corpus_tools.writers.card.card_problems`), then the token.
Only then is the Hub called: ``create_repo(exist_ok=True)``, the branch when one is asked
for, then the repository's file list, and one ``upload_folder`` commit that brings only the
files whose content the repository does not already hold (by sha256 for LFS files, by git
blob id for the others: after ``clean --update`` that is the new shards, the card,
``run.json`` and ``state/``) and deletes the repository's old shards, packs and state that
the folder no longer has (shard names carry a content digest, so a re-publish would
otherwise leave the previous run's files beside the new ones). The local folder is only
ever read.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import HfApi, get_token
from huggingface_hub.errors import HfHubHTTPError, HFValidationError
from huggingface_hub.utils import validate_repo_id

from corpus_tools.shards import ExportError, split_files
from corpus_tools.writers.card import card_problems

REPO_TYPE = "dataset"
# files from earlier uploads that this commit does not bring: old shards, an old run's rule packs
DELETE_PATTERNS = ["data/*.parquet", "reproduce/**", "state/**"]


class PublishError(Exception):
    """A publish that cannot or did not happen; ``exit_code`` 2 = fix the input, 1 = failed."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True, slots=True)
class UploadFile:
    path: str  # relative to the folder, POSIX
    size: int


def check_repo_id(repo_id: str) -> None:
    if repo_id.count("/") != 1:
        raise PublishError(
            f"--repo-id {repo_id!r}: give it as ORG/NAME (your user name or an organization)", 2
        )
    try:
        validate_repo_id(repo_id)
    except HFValidationError as exc:
        raise PublishError(f"--repo-id {repo_id!r}: {exc}", 2) from exc


def upload_plan(folder: str | Path) -> list[UploadFile]:
    """The files that would be uploaded, after checking the folder is a valid dataset.

    Hidden files and folders (``.cache``, editor leftovers) stay local.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PublishError(f"{folder}: no such folder", 2)
    try:
        for split in ("train", "rejected"):
            split_files(folder, split)
    except ExportError as exc:
        raise PublishError(str(exc), 2) from exc
    problems = card_problems((folder / "README.md").read_text(encoding="utf-8"))
    if problems:
        raise PublishError(f"{folder}/README.md is not a valid dataset card: " + "; ".join(problems), 2)
    files = []
    for path in _walk(folder):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files.append(UploadFile(relative.as_posix(), path.stat().st_size))
    return sorted(files, key=lambda file: file.path)


def _walk(folder: Path) -> list[Path]:
    """Every entry under ``folder`` without following links; a link that leads out of the folder
    stops the publish (it would upload a file the folder does not hold, a key or a home folder)."""
    root = folder.resolve()
    found = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        for name in dirs + names:
            path = Path(parent) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                raise PublishError(
                    f"{path} is a symbolic link to {path.resolve()}, outside the dataset folder; "
                    "publish uploads only what the folder holds: remove the link or copy the file in",
                    2,
                )
            found.append(path)
    return found


def find_token() -> str:
    """``HF_TOKEN``, else the token saved by ``hf auth login`` (huggingface_hub reads both)."""
    token = get_token()
    if not token:
        raise PublishError(
            "no Hugging Face token: set HF_TOKEN or log in with `hf auth login` "
            "(a token with write access, from https://huggingface.co/settings/tokens)"
        )
    return token


def publish(
    folder: str | Path,
    repo_id: str,
    *,
    private: bool = False,
    revision: str | None = None,
    message: str | None = None,
) -> str | None:
    """Create the repository if needed and upload, in one commit, the files it does not hold yet;
    returns the commit URL, or None when the repository holds them all (no commit)."""
    check_repo_id(repo_id)
    files = upload_plan(folder)
    api = HfApi(token=find_token())
    try:
        api.create_repo(repo_id, repo_type=REPO_TYPE, private=private, exist_ok=True)
        if revision:
            api.create_branch(repo_id, branch=revision, repo_type=REPO_TYPE, exist_ok=True)
        remote = {
            entry.path: entry
            for entry in api.list_repo_tree(repo_id, recursive=True, revision=revision, repo_type=REPO_TYPE)
            if hasattr(entry, "blob_id")  # files, not folders
        }
        changed = [
            file for file in files if not _same_content(Path(folder) / file.path, remote.get(file.path))
        ]
        local = {file.path for file in files}
        stale = sorted(
            path
            for path in remote
            if path not in local and any(fnmatch.fnmatch(path, pattern) for pattern in DELETE_PATTERNS)
        )
        if not changed and not stale:
            return None
        commit = api.upload_folder(
            repo_id=repo_id,
            folder_path=str(folder),
            repo_type=REPO_TYPE,
            revision=revision,
            commit_message=message
            or f"Upload dataset ({len(changed)} of {len(files)} files) with corpus-tools",
            allow_patterns=[file.path for file in changed],
            delete_patterns=stale or None,
        )
    except HfHubHTTPError as exc:
        status = getattr(exc.response, "status_code", None)
        if status in (401, 403):
            raise PublishError(f"the Hub refused the token for {repo_id} ({status}): {exc}") from exc
        raise PublishError(f"the Hub answered with an error for {repo_id}: {exc}") from exc
    except Exception as exc:  # connection, DNS, TLS, timeout: whatever the HTTP stack raises
        raise PublishError(
            f"could not reach the Hugging Face Hub ({type(exc).__name__}: {exc}); no commit was made"
        ) from exc
    return str(getattr(commit, "commit_url", commit))


def _same_content(path: Path, remote: object) -> bool:
    """Whether the repository's file (a ``RepoFile``, or None) holds the bytes of ``path``."""
    if remote is None or getattr(remote, "size", None) != path.stat().st_size:
        return False
    lfs = getattr(remote, "lfs", None)
    if lfs:
        sha256 = lfs.get("sha256") if isinstance(lfs, dict) else getattr(lfs, "sha256", None)
        return sha256 == _digest(path, hashlib.sha256())
    blob = hashlib.sha1(f"blob {path.stat().st_size}\0".encode(), usedforsecurity=False)
    return getattr(remote, "blob_id", None) == _digest(path, blob)


def _digest(path: Path, digest: hashlib._Hash) -> str:
    with path.open("rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
