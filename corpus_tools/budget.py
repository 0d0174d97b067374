"""A time budget per document: a step that runs too long on one document rejects that
document (reason ``timeout``, the step named) instead of stalling the run.

Every step is meant to be linear in the document's size, and user patterns are bounded
(:mod:`corpus_tools.boilerplate.packs`); the budget is the safety net for what slips
through. Its default is far beyond what any real document takes, because a timeout makes
the output depend on the machine's speed: a document near the limit may be kept on one
machine and rejected on a slower one. Only a pathological document should ever reach it.

The clock is an interval timer (``SIGALRM``) whose handler raises :class:`DocumentTimeout`
in the thread running the steps, once the current document's deadline has passed. Python
runs a signal handler between bytecodes, and both ``re`` and ``regex`` check for signals
while they backtrack, so a runaway pure-Python loop or regex is interrupted too. The timer
ticks for a whole unit of work and each document only moves a deadline (a float), which
costs nothing per document; a tick every ``TICKS_PER_BUDGET``-th of the budget (at most
``MAX_TICK`` seconds) bounds the overshoot. Signals reach only a process's main thread:
where the steps run on another thread, a watchdog thread raises the exception in that
thread instead (``PyThreadState_SetAsyncExc``), with the same deadlines.
"""

from __future__ import annotations

import ctypes
import logging
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TypeVar

from corpus_tools.document import Document, Rejection

log = logging.getLogger("corpus_tools")

DEFAULT_SECONDS_PER_DOCUMENT = 60.0  # no real document comes near it; see the module docstring
MAX_TICK = 0.25  # seconds between two looks at the deadline, at most
PATTERN_SECONDS = 1.0  # one user pattern on one line: shipped rules take microseconds
TICKS_PER_BUDGET = 4  # looks per budget, for small budgets (tests)


class DocumentTimeout(BaseException):
    """The current document ran out of time.

    A ``BaseException``, as ``KeyboardInterrupt`` is: a step's ``except Exception`` must not
    swallow it and carry on with the same document.
    """


class DocumentClock:
    """Deadlines for the documents a unit of work runs, one at a time.

    ``start(doc)`` before a document's steps, ``at(step, doc)`` before each step,
    ``stop()`` after them; while started, :class:`DocumentTimeout` may be raised in the
    running thread once the budget is spent, at most once per document. ``reject(doc)``
    then puts the document back as it stood before the interrupted step (whose edits may
    be half recorded) and rejects it, naming the step.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.step = ""
        self.pattern = ""  # the user pattern running under a narrower deadline, if any
        self._deadline = math.inf
        self._spent = False  # the current document's time ran out
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread_id: int | None = None
        self._fired = False  # a watchdog's exception was sent and may still be pending
        # the document before the current step: text, number of edits, meta, rejection
        self._before: tuple[str, int, dict[str, Any], Rejection | None] | None = None

    @property
    def tick(self) -> float:
        assert self.seconds is not None
        return min(MAX_TICK, self.seconds / TICKS_PER_BUDGET)

    def start(self, doc: Document) -> None:
        self.step = self.pattern = ""
        self._spent = False
        self._before = None
        if self.seconds is not None:
            self._deadline = time.monotonic() + self.seconds

    def at(self, step: str, doc: Document) -> None:
        self.step = step
        if self.seconds is not None:
            self._before = (doc.text, len(doc.edits), dict(doc.meta), doc.rejection)

    def narrow(self, pattern: str, seconds: float) -> float:
        """Give ``pattern`` (a user pattern about to run) at most ``seconds``; returns the
        document's deadline, for :meth:`widen`."""
        saved = self._deadline
        self.pattern = pattern
        self._deadline = min(saved, time.monotonic() + seconds)
        return saved

    def widen(self, saved: float) -> None:
        """Back to the document's deadline after a pattern that finished in time."""
        if not self._spent:
            self._deadline = saved
            self.pattern = ""

    def reject(self, doc: Document) -> None:
        """Reject ``doc`` for running out of time in the current step, as it stood before it."""
        if self._before is not None:
            doc.text, edits, doc.meta, doc.rejection = self._before
            del doc.edits[edits:]
        why = f"the document's steps took more than {self.seconds:g} s (--max-seconds-per-document)"
        if self.pattern:
            why = (
                f"rule pattern {self.pattern} ran out of time (at most {PATTERN_SECONDS:g} s on one line, "
                f"{self.seconds:g} s for the document's steps: --max-seconds-per-document)"
            )
        log.warning("%s: rejected in step %s: %s", doc.id, self.step, why)
        doc.reject(self.step, "timeout", f"{why}; the document is as it stood before this step")

    def stop(self) -> None:
        with self._lock:
            self._deadline = math.inf
            if self._fired and self._thread_id is not None:  # not delivered yet: withdraw it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread_id), None)
            self._fired = False

    def _expired(self) -> bool:
        if time.monotonic() < self._deadline:
            return False
        self._deadline = math.inf  # once per document
        self._spent = True
        return True

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        if self._expired():
            raise DocumentTimeout(self.step)

    def _watch(self) -> None:
        while not self._stopped.wait(self.tick):
            with self._lock:
                if self._expired() and self._thread_id is not None:
                    self._fired = True
                    exception = ctypes.py_object(DocumentTimeout)
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread_id), exception)

    @contextmanager
    def running(self) -> Iterator[DocumentClock]:
        """Keep the clock ticking for the block (a unit of work); no budget, no clock."""
        global _running
        if self.seconds is None:
            yield self
            return
        _running = self
        try:
            with self._ticking():
                yield self
        finally:
            _running = None

    @contextmanager
    def _ticking(self) -> Iterator[None]:
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGALRM, self._on_alarm)
            signal.siginterrupt(signal.SIGALRM, False)  # a tick restarts system calls, not fails them
            started = time.monotonic()
            delay, interval = signal.setitimer(signal.ITIMER_REAL, self.tick, self.tick)
            try:
                yield
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                if delay:  # someone else's timer (pytest-timeout, say): give it back, less the time spent
                    left = max(delay - (time.monotonic() - started), 1e-3)
                    signal.setitimer(signal.ITIMER_REAL, left, interval)
            return
        self._thread_id = threading.get_ident()
        self._stopped.clear()
        watchdog = threading.Thread(target=self._watch, name="document-clock", daemon=True)
        watchdog.start()
        try:
            yield
        finally:
            self._stopped.set()
            watchdog.join()
            self.stop()
            self._thread_id = None


UNTIMED = DocumentClock(None)  # for a stage run outside ``Stage.run_many``: no budget
_running: DocumentClock | None = None  # the clock ticking in this process, if any
Result = TypeVar("Result")


def bounded(pattern: str, call: Callable[[str], Result], text: str) -> Result:
    """``call(text)`` for a user pattern (named ``pattern``), within ``PATTERN_SECONDS``:
    past it the document is rejected with reason ``timeout``, the pattern named. Outside a
    running clock (a step called directly) the call is not bounded."""
    clock = _running
    if clock is None:
        return call(text)
    saved = clock.narrow(pattern, PATTERN_SECONDS)
    try:
        return call(text)
    finally:
        clock.widen(saved)
