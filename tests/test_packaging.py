"""The package as a user gets it: a wheel with the configs in it, installed outside the source
tree, runs the README's main command from a folder holding only ``raw/``; shipped configs are
found by name and copied out with ``config init``."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from corpus_tools.cli import main
from corpus_tools.config import ConfigError, config_file, load_chain, shipped_configs

ROOT = Path(__file__).resolve().parent.parent


def _source_copy(target: Path) -> Path:
    """What the wheel is built from, without the checkout's ``build/``: setuptools reuses
    ``build/lib``, where a module since renamed or deleted would still be, and ship it."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, target / name)
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "corpus_tools", target / "corpus_tools", ignore=ignored)
    return target


def test_wheel_installed_outside_the_tree_runs_the_main_command(tmp_path):
    wheels = tmp_path / "wheels"
    source = _source_copy(tmp_path / "source")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(source), "-w", str(wheels)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("corpus_tools-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        members = {info.filename: info for info in archive.infolist()}
    for name in ("default.yaml", "encoding-only.yaml", "packs/generic.yaml"):
        info = members[f"corpus_tools/configs/{name}"]
        assert info.file_size > 0 and (info.external_attr >> 16) & 0o170000 == 0o100000  # a file, not a link

    # a fresh venv; the dependencies come from this one's site-packages, added as a plain path
    # (its .pth files, among them the editable install of the source tree, are not run)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(target) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
    )
    if installed.returncode != 0 and "no such option: --python" in installed.stderr:
        with zipfile.ZipFile(wheel) as archive:  # pip < 22.3: a wheel is a zip to unpack
            archive.extractall(target)
        (env_dir / "bin" / "corpus-tools").write_text(
            f"#!{python}\nimport sys\nfrom corpus_tools.cli import main\nsys.exit(main())\n", encoding="utf-8"
        )
        (env_dir / "bin" / "corpus-tools").chmod(0o755)
    else:
        assert installed.returncode == 0, installed.stderr

    project = tmp_path / "empty"
    shutil.copytree(ROOT / "raw", project / "raw")
    run = subprocess.run(
        [str(env_dir / "bin" / "corpus-tools"), "clean", "raw/", "--out", "clean/"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    where = subprocess.run(
        [str(python), "-c", "import corpus_tools; print(corpus_tools.__file__)"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(env_dir)), where  # the wheel's copy ran, not the source tree
    assert sorted(p.name for p in (project / "clean").iterdir()) == [
        ".corpus-tools-dataset",
        "README.md",
        "data",
        "reproduce",
        "run.json",
        "state",
    ]
    assert (project / "clean" / "reproduce" / "packs" / "generic.yaml").is_file()


def test_the_top_level_configs_folder_is_the_package_data():
    assert (ROOT / "configs").resolve() == (ROOT / "corpus_tools" / "configs").resolve()
    assert set(shipped_configs()) == {"default", "encoding-only"}


def test_config_takes_a_shipped_name_or_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_chain("encoding-only").config.name == "encoding-only"
    assert config_file("default") == shipped_configs()["default"]
    own = tmp_path / "default"  # a file of one's own wins over the shipped name
    own.write_text("name: mine\nsteps:\n  - step: normalize\n", encoding="utf-8")
    assert load_chain("default").config.name == "mine"
    try:
        load_chain("nonesuch")
    except ConfigError as exc:
        assert "shipped: default, encoding-only" in str(exc)
    else:
        raise AssertionError("an unknown name must be an error")


def test_config_init_writes_configs_and_packs_and_never_overwrites(tmp_path, capsys):
    folder = tmp_path / "my-configs"
    assert main(["config", "init", str(folder)]) == 0
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml"))
    assert written == sorted(
        p.relative_to(ROOT / "configs").as_posix() for p in (ROOT / "configs").rglob("*.yaml")
    )
    chain = load_chain(folder / "default.yaml")  # its packs are found beside it
    assert all(path.is_relative_to(folder) for step in chain.steps for path in step.files_read())
    (folder / "default.yaml").write_text("# mine\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["config", "init", str(folder)]) == 2
    assert "already exist" in capsys.readouterr().err
    assert (folder / "default.yaml").read_text(encoding="utf-8") == "# mine\n"
