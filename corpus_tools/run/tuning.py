"""Process settings for a run: the garbage collector spared long-lived objects, freed heap kept.

The main process applies them for each stage (:func:`collector_spares_long_lived_objects`,
:func:`keep_freed_heap`); a worker process applies them for each stage's job it loads
(:func:`corpus_tools.executors.base.loaded_job`, through the job's ``enter_worker``). What
each saves is measured in ``benchmarks/README.md`` ("Runner changes").
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

YOUNG_COLLECTION_THRESHOLD = 10_000  # allocations between young-generation collections (default 700)
KEPT_FREE_HEAP = 256 << 20  # freed heap glibc keeps for reuse instead of returning it to the system
MMAP_THRESHOLD = 32 << 20  # only blocks over this size get their own mapping from glibc
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters, from glibc's <malloc.h>


def spare_long_lived_objects() -> tuple[int, int, int]:
    """Keep Python's cyclic garbage collector off what lives for the whole stage; returns the
    collector's previous thresholds.

    The steps, their rule packs and models, and the corpus state of the passes already
    finished are alive from start to end, and a run allocates millions of short-lived objects
    (documents, edits, lines): each full collection would walk all the long-lived ones again.
    Frozen out of it, with young collections spaced out, the collector only sees the young.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    return threshold


def keep_freed_heap() -> None:
    """Have glibc's allocator keep freed memory for the next unit instead of handing it back.

    Every unit allocates its documents, lines and arrays and frees them at its end; returned
    to the system, the next unit takes the same memory back a page fault at a time. Keeping up
    to ``KEPT_FREE_HEAP`` and mapping only blocks over ``MMAP_THRESHOLD`` avoids that (the
    peak RSS is the same: it is reached either way). Arrow's tables go to the same heap: its
    default allocator (mimalloc) takes fresh huge pages for each unit's rows, which the kernel
    zeroes. The glibc part is a no-op where the C library is not glibc.
    """
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_TRIM_THRESHOLD, KEPT_FREE_HEAP)
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


@contextmanager
def collector_spares_long_lived_objects() -> Iterator[None]:
    """:func:`spare_long_lived_objects` for one stage, undone afterwards."""
    threshold = spare_long_lived_objects()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
