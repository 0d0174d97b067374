from pathlib import Path

import pytest
from pydantic import BaseModel

from corpus_tools.cli import main
from corpus_tools.config import ConfigError, load_chain
from corpus_tools.steps import STEPS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "chain.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("steps:\n  - step: no_such_step\n", "step #1 'no_such_step' is not a known step"),
        ("steps:\n  - step: quality_filter\n    min_wordz: 3\n", "unknown option 'min_wordz'"),
        # the fix: the likely key, and every key the step takes
        ("steps:\n  - step: quality_filter\n    min_word: 3\n", "(did you mean 'min_words'?)"),
        ("steps:\n  - step: quality_filter\n    colour: red\n", "known: min_letter_share, min_words"),
        ("steps:\n  - step: quality_filter\n    min_words: many\n", "'min_words'"),
        ("steps:\n  - min_words: 3\n", "has no 'step:' key"),
        ("steps: [\n", "not valid YAML"),
        ("- just a list\n", "expected a mapping"),
        ("steps: []\n", "'steps' is empty"),
    ],
)
def test_a_broken_config_names_the_file_the_step_and_the_fix(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_chain(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_cli_exits_2_and_writes_nothing_on_a_broken_config(tmp_path, capsys, root):
    path = write(tmp_path, "steps:\n  - step: nope\n")
    out = tmp_path / "out"
    assert main(["clean", str(root / "raw"), "--out", str(out), "--config", str(path)]) == 2
    assert "nope" in capsys.readouterr().err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_cli_exits_2_on_an_input_that_matches_nothing(tmp_path, spine_config, capsys):
    assert (
        main(
            ["clean", str(tmp_path / "missing"), "--out", str(tmp_path / "o"), "--config", str(spine_config)]
        )
        == 2
    )
    assert "missing" in capsys.readouterr().err


def _undescribed(prefix: str, model: type[BaseModel]) -> list[str]:
    missing = []
    for name, info in model.model_fields.items():
        if not info.description:
            missing.append(f"{prefix}.{name}")
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            missing += _undescribed(f"{prefix}.{name}", info.annotation)
    return missing


def test_every_step_option_is_a_described_field():
    # one style for step options: a pydantic model whose every key (nested ones too) says what it does
    missing = [key for name, cls in STEPS.items() for key in _undescribed(name, cls.Options)]
    assert missing == []
