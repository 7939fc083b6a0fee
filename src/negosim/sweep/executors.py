"""Executors behind one interface: ``concurrent.futures.Executor``.

The runner submits chunk tasks and waits on futures; it does not care where they run:
- ``inline``: in the driver's process, for tiny sweeps and debugging;
- ``process``: a local process pool (the default);
- ``dask``: a Dask distributed cluster through ``Client.get_executor()``, at a scheduler
  address or on a local cluster started for the sweep.
``mpi4py.futures.MPIPoolExecutor`` has the same interface and would slot in the same way.

Workers must not leak nondeterminism: BLAS and OpenMP thread pools are pinned to one thread
(a reduction's order would otherwise depend on the thread count), the string hash seed is
fixed for spawned interpreters, and pool workers exit when the driver dies, so a killed
sweep leaves no orphans behind.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

DETERMINISM_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}


class InlineExecutor(Executor):
    """Runs each task at submission, in the calling process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run ``fn`` now and return a completed future."""
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # the runner re-raises it from future.result()
            if isinstance(err, KeyboardInterrupt):
                raise
            future.set_exception(err)
        return future


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, killed but not yet reaped, counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _watch_driver(driver: int, parent: int, interval: float = 0.5) -> None:
    while True:
        time.sleep(interval)
        if os.getppid() != parent or not _alive(driver):
            os._exit(70)  # the driver died: nothing will collect our results


def _init_worker(driver: int) -> None:
    """Pool-worker start-up: pin thread pools, ignore Ctrl-C, and die with the driver.

    The worker's parent is the driver (fork, spawn) or a fork server; it watches both its
    parent and the driver itself, so it exits when either goes away.
    """
    for name, value in DETERMINISM_ENV.items():
        os.environ[name] = value
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    threading.Thread(target=_watch_driver, args=(driver, os.getppid()), daemon=True).start()


def _context() -> multiprocessing.context.BaseContext:
    """Use fork on Linux while the driver is single-threaded; forkserver or spawn otherwise.

    fork starts workers instantly with negosim already imported, but forking a process that
    runs other Python threads (a notebook, a test runner, a Dask client) can deadlock the
    child; there a fork server, started clean with negosim preloaded, forks the workers
    instead. Arrow's C++ threads (started by importing pyarrow) are fork-aware: Arrow
    re-creates its pools in the child through pthread_atfork.
    """
    if sys.platform.startswith("linux"):
        if threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["negosim.sweep.worker"])
        return context
    return multiprocessing.get_context("spawn")


@contextmanager
def make_executor(kind: str, workers: int, scheduler: str | None = None) -> Iterator[Executor]:
    """Open the executor of ``kind`` ('inline', 'process' or 'dask') and close it after."""
    for name, value in DETERMINISM_ENV.items():
        os.environ.setdefault(name, value)  # inherited by spawned and forked workers
    if kind == "inline":
        yield InlineExecutor()
        return
    if kind == "process":
        context = _context()
        if context.get_start_method() == "fork":
            from negosim.core.kernels import warm_up

            warm_up()  # forked workers inherit the loaded compiled loops
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(os.getpid(),),
        )
        try:
            # start (fork) every worker now, while the driver has no other threads yet
            with warnings.catch_warnings():  # see _context: only fork-aware C++ threads
                warnings.filterwarnings("ignore", "This process .* is multi-threaded")
                for future in [pool.submit(os.getpid) for _ in range(workers)]:
                    future.result()
            yield pool
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    if kind == "dask":
        with _dask_executor(workers, scheduler) as executor:
            yield executor
        return
    raise ValueError(f"unknown executor {kind!r}: use inline, process or dask")


@contextmanager
def _dask_executor(workers: int, scheduler: str | None) -> Iterator[Executor]:
    """A Dask ClientExecutor on ``scheduler``, or on a local cluster of ``workers``."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client.get_executor(pure=False)
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client.get_executor(pure=False)
