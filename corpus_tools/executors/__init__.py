"""Where a chain's tasks run: ``local`` (a process pool on this machine) or ``ray`` (Ray Data)."""

EXECUTORS = ("local", "ray")

__all__ = ["EXECUTORS"]
