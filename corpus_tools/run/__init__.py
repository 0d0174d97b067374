"""Running a chain over a corpus: stages, units, spills, tasks, the runner and process tuning."""

from corpus_tools.run.runner import Runner
from corpus_tools.run.sinks import DocumentSink, Sink
from corpus_tools.run.units import Reading

__all__ = ["DocumentSink", "Reading", "Runner", "Sink"]
