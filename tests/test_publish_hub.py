"""``corpus-tools publish``: everything up to the network call (the upload itself needs the Hub)."""

from __future__ import annotations

import pytest
from dataset_corpus import build, snapshot
from huggingface_hub.errors import HfHubHTTPError

import corpus_tools.publish as publish_module
from corpus_tools.cli import main


class FakeHub:
    """Stands in for ``HfApi``: records the calls, or fails the way the network does."""

    calls: list[tuple[str, dict]] = []
    fail_with: Exception | None = None

    def __init__(self, token=None):
        self.calls.append(("init", {"token": token}))

    def _call(self, name, **kwargs):
        self.calls.append((name, kwargs))
        if self.fail_with is not None:
            raise self.fail_with

    def create_repo(self, repo_id, **kwargs):
        self._call("create_repo", repo_id=repo_id, **kwargs)

    def create_branch(self, repo_id, **kwargs):
        self._call("create_branch", repo_id=repo_id, **kwargs)

    remote: list = []  # the repository's files (RepoFile-like), for list_repo_tree

    def list_repo_tree(self, repo_id, **kwargs):
        self._call("list_repo_tree", repo_id=repo_id, **kwargs)
        return list(self.remote)

    def upload_folder(self, **kwargs):
        self._call("upload_folder", **kwargs)
        return type("Commit", (), {"commit_url": f"https://hub.test/datasets/{kwargs['repo_id']}/commit/1"})()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return build(tmp_path_factory.mktemp("publish"))


@pytest.fixture
def hub(monkeypatch):
    FakeHub.calls = []
    FakeHub.fail_with = None
    FakeHub.remote = []
    monkeypatch.setattr(publish_module, "HfApi", FakeHub)
    monkeypatch.setattr(publish_module, "get_token", lambda: "hf_test_token")
    return FakeHub


def dataset_files(folder):
    """The files a dataset folder holds, its hidden ones (the tool's marker) aside."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(".")
    )


def test_dry_run_lists_the_files_and_calls_nothing(dataset, hub, capsys):
    assert main(["publish", str(dataset), "--repo-id", "org/news", "--dry-run"]) == 0
    out = capsys.readouterr().out
    listed = [line.split("\t")[0].strip() for line in out.splitlines()[1:]]
    assert listed == dataset_files(dataset)
    assert "README.md" in listed and "run.json" in listed
    assert sum(name.startswith("data/") for name in listed) == 2
    assert "datasets/org/news" in out
    assert hub.calls == []


def test_hidden_files_stay_local(dataset, tmp_path, hub):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(dataset, copy)
    (copy / ".cache").mkdir()
    (copy / ".cache" / "lock").write_text("x")
    paths = [f.path for f in publish_module.upload_plan(copy)]
    assert paths == dataset_files(dataset)


def test_publish_creates_the_repo_and_uploads_in_one_commit(dataset, hub, capsys):
    code = main(
        [
            "publish",
            str(dataset),
            "--repo-id",
            "org/news",
            "--private",
            "--revision",
            "v1",
            "--message",
            "first",
        ]
    )
    assert code == 0
    names = [name for name, _ in hub.calls]
    assert names == ["init", "create_repo", "create_branch", "list_repo_tree", "upload_folder"]
    calls = dict(hub.calls)
    assert calls["init"] == {"token": "hf_test_token"}
    assert calls["create_repo"] == {
        "repo_id": "org/news",
        "repo_type": "dataset",
        "private": True,
        "exist_ok": True,
    }
    assert calls["create_branch"]["branch"] == "v1" and calls["create_branch"]["exist_ok"] is True
    upload = calls["upload_folder"]
    assert (
        upload["repo_type"] == "dataset"
        and upload["revision"] == "v1"
        and upload["commit_message"] == "first"
    )
    assert upload["folder_path"] == str(dataset)
    assert sorted(upload["allow_patterns"]) == dataset_files(dataset)
    assert upload["delete_patterns"] is None  # a new repository: nothing of an earlier run to delete
    assert "https://hub.test/datasets/org/news/commit/1" in capsys.readouterr().err


def test_without_revision_no_branch_is_made(dataset, hub):
    assert main(["publish", str(dataset), "--repo-id", "org/news"]) == 0
    assert [name for name, _ in hub.calls] == ["init", "create_repo", "list_repo_tree", "upload_folder"]
    assert dict(hub.calls)["create_repo"]["private"] is False


def test_no_token_is_a_clear_error_and_nothing_changes(dataset, hub, monkeypatch, capsys):
    monkeypatch.setattr(publish_module, "get_token", lambda: None)
    before = snapshot(dataset)
    assert main(["publish", str(dataset), "--repo-id", "org/news"]) == 1
    err = capsys.readouterr().err
    assert "no Hugging Face token" in err and "HF_TOKEN" in err
    assert hub.calls == []
    assert snapshot(dataset) == before


def test_no_network_is_a_clear_error_and_nothing_changes(dataset, hub, capsys):
    hub.fail_with = ConnectionError("Name or service not known")
    before = snapshot(dataset)
    assert main(["publish", str(dataset), "--repo-id", "org/news"]) == 1
    err = capsys.readouterr().err
    assert "could not reach the Hugging Face Hub" in err and "no commit was made" in err
    assert snapshot(dataset) == before


def test_a_refused_token_is_named(dataset, hub, capsys):
    response = type("Response", (), {"status_code": 401, "headers": {}, "request": None})()
    hub.fail_with = HfHubHTTPError("401 Unauthorized", response=response)
    assert main(["publish", str(dataset), "--repo-id", "org/news"]) == 1
    assert "refused the token" in capsys.readouterr().err


@pytest.mark.parametrize("repo_id", ["news", "org/news/extra", "org/bad--name", "org/.hidden"])
def test_bad_repo_ids_exit_2_before_anything(dataset, hub, repo_id, capsys):
    assert main(["publish", str(dataset), "--repo-id", repo_id]) == 2
    assert "--repo-id" in capsys.readouterr().err
    assert hub.calls == []


def test_an_invalid_card_or_missing_shard_is_not_uploaded(dataset, tmp_path, hub, capsys):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(dataset, copy)
    card = copy / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("license: cc-by-4.0", "license: cc-4"))
    assert main(["publish", str(copy), "--repo-id", "org/news"]) == 2
    assert "not a Hub license id" in capsys.readouterr().err
    shutil.rmtree(copy)
    shutil.copytree(dataset, copy)
    next((copy / "data").glob("train-*.parquet")).unlink()
    assert main(["publish", str(copy), "--repo-id", "org/news", "--dry-run"]) == 2
    assert "missing" in capsys.readouterr().err
    assert main(["publish", str(tmp_path / "nowhere"), "--repo-id", "org/news"]) == 2
    assert hub.calls == []
