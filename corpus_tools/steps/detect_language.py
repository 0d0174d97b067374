"""``detect_language``: fill ``meta["language"]`` with the text's ISO 639-1 code.

The detector is py3langid (langid.py's naive Bayes over byte n-grams, 97 languages): its
model ships inside the pip package (4 MB), so nothing is downloaded at run time and a run
is reproducible offline. It reads the first ``max_chars`` characters only: on the
boilerplate eval pages 1,000 characters gave the same answer as the whole text on every
page at about six times the speed (see ``docs/dataset.md``). A language the input already
states wins unless ``overwrite`` is set; a text too short or too mixed to call leaves the
column empty rather than guessing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import Field

from corpus_tools.document import Document
from corpus_tools.steps.base import Step, StepOptions, register


class DetectLanguageOptions(StepOptions):
    max_chars: int = Field(1_000, gt=0, description="characters read from the start of the text")
    min_chars: int = Field(20, ge=0, description="shorter texts get no language")
    min_confidence: float = Field(0.5, ge=0, le=1, description="below this probability: no language")
    languages: list[str] | None = Field(None, description="restrict the detector to these ISO 639-1 codes")
    overwrite: bool = Field(False, description="replace a language the input stated")


@cache
def _load_identifier(languages: tuple[str, ...] | None) -> Any:
    """One identifier per language set and process: loading the model takes about 2 s."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier


@register
class DetectLanguage(Step):
    name = "detect_language"
    Options = DetectLanguageOptions
    options: DetectLanguageOptions

    def __init__(self, options: DetectLanguageOptions | None = None) -> None:
        super().__init__(options)
        # Loaded here, before any worker is forked, so workers share it.
        languages = self.options.languages
        self._identifier = _load_identifier(tuple(languages) if languages else None)

    def detect(self, text: str) -> str | None:
        """The ISO 639-1 code of ``text``, or ``None`` when it is too short or too unsure to call."""
        sample = text[: self.options.max_chars]
        if len(sample.strip()) < self.options.min_chars:
            return None
        code, confidence = self._identifier.classify(sample)
        return str(code) if confidence >= self.options.min_confidence else None

    def process(self, doc: Document) -> None:
        if doc.meta.get("language") and not self.options.overwrite:
            return
        doc.meta["language"] = self.detect(doc.text)
