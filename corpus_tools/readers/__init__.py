"""Readers turn input paths into a stream of documents; bad input becomes a rejected document."""

from corpus_tools.readers.files import expand_inputs
from corpus_tools.readers.inputs import read_inputs

__all__ = ["expand_inputs", "read_inputs"]
