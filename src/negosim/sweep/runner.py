"""Running a sweep: chunks out to an executor, results streamed to disk as they finish.

The driver keeps a bounded number of chunks in flight (twice the workers), writes each
finished chunk at once and forgets it, so memory stays flat however large the sweep; it
alone reports progress. An interrupted sweep keeps every finished chunk; ``resume`` redoes
only the rest, and the result is identical to an uninterrupted run.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from negosim.exit_codes import Terminated
from negosim.results import versions
from negosim.results_lock import LOCK_NAME, ResultsBusyError, results_lock
from negosim.sweep.executors import make_executor
from negosim.sweep.experiment import Experiment
from negosim.sweep.plan import Chunk, balanced_chunk_runs, plan_chunks
from negosim.sweep.store import (
    DamagedSweepError,
    SweepDirectoryError,
    SweepStore,
    SweepWriteError,
    check_stored_points,
    finish,
    invocation,
    new_manifest,
    open_store,
)
from negosim.sweep.worker import ChunkTask, run_chunk


@dataclass(frozen=True)
class SweepOutcome:
    """What a call to :func:`run_sweep` did."""

    root: Path
    chunks: int
    chunks_run: int
    runs_run: int
    executor: str


def _keep(choice: object) -> tuple[str, ...] | None:
    """keep: 'all' → None (everything), 'none' → (), a list → that tuple."""
    if choice == "all":
        return None
    if choice == "none":
        return ()
    return tuple(choice)  # type: ignore[arg-type]


def _tasks(experiment: Experiment, chunks: list[Chunk]) -> list[ChunkTask]:
    spec = experiment.spec
    return [
        ChunkTask(
            identity=experiment.sha256,
            base_data=experiment.base_data,
            overrides={p.point: experiment.points[p.point] for p in chunk.pieces},
            chunk=chunk,
            master_seed=spec.seed,
            common_random_numbers=experiment.common_random_numbers,
            rounds=experiment.rounds,
            keep_runs=_keep(spec.keep.runs),
            keep_rounds=_keep(spec.keep.rounds),
        )
        for chunk in chunks
    ]


def choose_executor(requested: str | None, scheduler: str | None, todo_chunks: int) -> str:
    """Pick inline for a single chunk, dask when a scheduler is named, else a process pool."""
    if requested:
        return requested
    if scheduler:
        return "dask"
    return "inline" if todo_chunks <= 1 else "process"


def _progress(total: int, initial: int, enabled: bool):  # noqa: ANN202
    import tqdm as tqdm_module
    from tqdm import tqdm

    # tqdm's monitor thread outlives the bar; a driver with extra threads could not fork
    tqdm_module.tqdm.monitor_interval = 0
    return tqdm(
        total=total,
        initial=initial,
        unit="run",
        unit_scale=True,
        dynamic_ncols=True,
        disable=None if enabled else True,
        file=sys.stderr,
        desc="sweep",
        smoothing=0.1,
    )


def run_sweep(
    experiment: Experiment,
    out: Path,
    workers: int | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    chunk_runs: int | None = None,
    progress: bool = True,
    command: Sequence[str] | None = None,
) -> SweepOutcome:
    """Run (or finish) ``experiment`` into ``out``; see the module docstring.

    ``command`` is the command line recorded in the manifest (default ``sys.argv``).
    The directory's lock (:mod:`negosim.results_lock`) is held throughout: a second sweep
    or resume into ``out`` is refused with :class:`SweepDirectoryError`.
    """
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SweepWriteError(out, err, out, None) from err
    try:
        with ExitStack() as stack:
            try:
                stack.enter_context(results_lock(out / LOCK_NAME, str(out), command))
            except ResultsBusyError as err:
                raise SweepDirectoryError(str(err)) from None
            except OSError as err:  # the lock file itself could not be made
                raise SweepWriteError(out / LOCK_NAME, err, out, None) from err
            return _run_locked(
                experiment, out, workers, executor, scheduler, resume, chunk_runs, progress, command
            )
    finally:
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # refused before anything was written: leave no trace


def _run_locked(
    experiment: Experiment,
    out: Path,
    workers: int | None,
    executor: str | None,
    scheduler: str | None,
    resume: bool,
    chunk_runs: int | None,
    progress: bool,
    command: Sequence[str] | None,
) -> SweepOutcome:
    workers = workers or os.cpu_count() or 1
    store, manifest = open_store(out, experiment, resume)
    store.discard_partial()  # temporary files of a killed writer (the lock is ours)
    fresh = manifest is None
    if fresh:
        chunk_runs = (
            chunk_runs
            or experiment.spec.chunk_size
            or balanced_chunk_runs(experiment.total_runs, 1 if executor == "inline" else workers)
        )
        chunks = plan_chunks(len(experiment.points), experiment.spec.replicates, chunk_runs)
        manifest = new_manifest(experiment, chunk_runs, len(chunks), command)
        done: set[int] = set()
        rewrite_parameters = True
    else:
        assert manifest is not None
        chunks = plan_chunks(
            len(experiment.points), experiment.spec.replicates, manifest["chunk_runs"]
        )
        done = store.done_chunks()
        rewrite_parameters = _parameters_lost(store, experiment, manifest, done)
        for problem in store.discard_damaged(manifest, done).values():
            print(f"negosim sweep: redoing a damaged chunk: {problem}", file=sys.stderr)
        done = store.done_chunks()
        manifest.setdefault("resumed", []).append(manifest.get("finished") or "unfinished")
        manifest.setdefault("resumed_by", []).append(invocation(command))
    todo = [c for c in chunks if c.index not in done]
    kind = choose_executor(executor, scheduler, len(todo))
    manifest["executor"] = {"kind": kind, "workers": workers}  # informational only
    runs_done = sum(c.runs for c in chunks if c.index in done)
    # The pool starts (forks) before any Parquet I/O or progress bar starts threads.
    with make_executor(kind if todo else "inline", workers, scheduler) as pool:
        store.write_manifest(manifest)  # first: a directory without one is fresh
        if rewrite_parameters:
            store.write_parameters(experiment, manifest)
        with _progress(experiment.total_runs, runs_done, progress) as bar:
            _drive(store, manifest, _tasks(experiment, todo), pool, workers, bar)
    finish(store, manifest)
    return SweepOutcome(out, len(chunks), len(todo), sum(c.runs for c in todo), kind)


def _parameters_lost(
    store: SweepStore, experiment: Experiment, manifest: dict, done: set[int]
) -> bool:
    """Check the stored design points; True when parameters.parquet must be written again.

    A sweep killed between its manifest and its parameter table, or a damaged table, is
    repaired from the experiment when that is safe: no chunk ran yet, or the libraries that
    compute the points are the versions that wrote the manifest.
    """
    try:
        check_stored_points(store, experiment)
    except DamagedSweepError:
        if done and manifest.get("versions") != versions():
            raise
        return True
    return False


def _drive(
    store: SweepStore,
    manifest: dict,
    tasks: list[ChunkTask],
    pool: Executor,
    workers: int,
    bar: object,
) -> None:
    """Submit tasks with at most 2 × workers in flight; write each result as it arrives."""
    if not tasks:
        return
    queue = iter(tasks)
    in_flight: dict[Future[object], ChunkTask] = {}
    points = _PointCounter(tasks)

    def submit_next() -> None:
        task = next(queue, None)
        if task is not None:
            in_flight[pool.submit(run_chunk, task)] = task

    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if main else None
    if main:  # kill → the same clean stop as Ctrl-C (signals are the main thread's only)
        signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        for _ in range(2 * workers):
            submit_next()
        while in_flight:
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                task = in_flight.pop(future)
                result = future.result()
                store.write_chunk(result.index, result.runs, result.rounds, manifest)
                bar.set_postfix_str(points.finish(task), refresh=False)  # type: ignore[attr-defined]
                bar.update(task.chunk.runs)  # type: ignore[attr-defined]
                submit_next()
    except BaseException:
        for future in in_flight:
            future.cancel()
        raise
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


class _PointCounter:
    """Counts design points whose every run is written, for the progress bar."""

    def __init__(self, tasks: list[ChunkTask]) -> None:
        self.remaining: dict[int, int] = {}
        for task in tasks:
            for piece in task.chunk.pieces:
                self.remaining[piece.point] = self.remaining.get(piece.point, 0) + piece.runs
        self.total = len(self.remaining)
        self.done = 0

    def finish(self, task: ChunkTask) -> str:
        """Record a written chunk; return 'points k/n' (of the points this call runs)."""
        for piece in task.chunk.pieces:
            self.remaining[piece.point] -= piece.runs
            self.done += self.remaining[piece.point] == 0
        return f"points {self.done}/{self.total}"


def _raise_interrupt(signum: int, frame: object) -> None:
    raise Terminated  # a KeyboardInterrupt: the same clean stop, exit status 143
