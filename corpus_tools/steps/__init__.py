"""Every module in this package registers its steps on import; importing the package loads them all."""

import importlib
import pkgutil

from corpus_tools.steps.base import STEPS, CorpusStep, Step, StepOptions, register

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["STEPS", "CorpusStep", "Step", "StepOptions", "register"]
