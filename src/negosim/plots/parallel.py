"""Drawing a list of charts on every core: forked workers that share the summaries.

A sweep's charts are independent once the one pass over its files has summarised them
(:func:`negosim.plots.sweep.charts`), and rendering them, mostly Agg rasterising and PNG
encoding, takes several times as long as the pass. Forked children inherit the summaries
and the drawing closures without pickling them; each draws and saves the charts it is
handed and returns the path and any warnings it raised, which the parent re-issues in
chart order. Where fork is unsafe (the caller runs other Python threads, as a notebook
or a test runner may, or the platform has no fork) the charts are drawn one after the
other in the calling process: the files are the same bytes either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

#: Fewer charts than this are drawn in the calling process: a fork costs more than it saves.
MIN_PARALLEL = 4

Job = Callable[[], Path | None]

#: The jobs of the draw in progress, inherited by forked children (never pickled).
_JOBS: Sequence[Job] = ()


def _run(index: int) -> tuple[Path | None, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = _JOBS[index]()
    return path, [str(w.message) for w in caught]


def can_fork() -> bool:
    """Whether forking workers is safe here: Linux and no other Python thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def draw_jobs(jobs: Sequence[Job], workers: int | None = None) -> list[Path]:
    """Run every job (each draws and saves one chart, or returns None); the paths, in order.

    ``workers`` defaults to the number of cores; 1 (or an unsafe fork) draws in-process.
    """
    global _JOBS
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count < 2 or len(jobs) < MIN_PARALLEL or not can_fork():
        return [path for job in jobs if (path := job()) is not None]
    _JOBS = jobs
    try:
        with warnings.catch_warnings():  # Arrow's C++ threads are fork-aware (pthread_atfork)
            warnings.filterwarnings("ignore", "This process .* is multi-threaded")
            with multiprocessing.get_context("fork").Pool(count) as pool:
                results = pool.map(_run, range(len(jobs)), chunksize=1)
    finally:
        _JOBS = ()
    for _, messages in results:
        for message in messages:
            warnings.warn(message, stacklevel=2)
    return [path for path, _ in results if path is not None]
