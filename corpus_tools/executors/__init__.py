"""Where a chain's tasks run: ``local`` (a process pool on this machine) or ``ray`` (Ray Data)."""

from corpus_tools.executors.base import Executor, ExecutorError, ExecutorOptions, create, names

EXECUTORS = names()

__all__ = ["EXECUTORS", "Executor", "ExecutorError", "ExecutorOptions", "create", "names"]
