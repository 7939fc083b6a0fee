"""The negosim side of ``sweep_speed.py``, each run in a fresh child process: the sweep
alone in a warm process, the phases of one ``negosim sweep`` command, and where a 2-worker
sweep's time goes (timeline and cProfile of one chunk).

Heavy imports (negosim, pyarrow) happen inside the functions: the parent imports this
module's names only to dispatch, and must stay small.
"""

from __future__ import annotations

import cProfile
import gc
import json
import os
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import (
    CHECK_COLUMNS,
    EXPERIMENT,
    OMEGA,
    THREAT,
    Json,
    children_rusage,
    cpu_seconds,
    machine_busy_s,
    maxrss_mb,
    others_cores,
    profile_stats,
    ranked_rows,
    summary_of,
)


# -- the sweep alone ---------------------------------------------------------------------
def runs_digest(out: Path) -> tuple[str, Any]:
    """A hash of the outcomes of every run, in (point, replicate) order; and the table."""
    import hashlib

    import pyarrow.parquet as pq

    table = pq.read_table(out / "runs").sort_by(
        [("point", "ascending"), ("replicate", "ascending")]
    )
    digest = hashlib.sha256()
    for name in ("point", "replicate", "seed", *CHECK_COLUMNS, "final_tariff", "japan_utility"):
        digest.update(name.encode() + table.column(name).to_numpy().tobytes())
    return digest.hexdigest(), table


def check_rows(experiment: Any, table: Any, per_point: int) -> list[Json]:
    """A few runs of the sweep, with and without a deal, spread over the grid."""
    points = len(experiment.points)
    chosen: list[Json] = []
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    for point in sorted({0, points // 4, points // 2, 3 * points // 4, points - 1}):
        for wanted in (True, False):
            matches = [
                i
                for i, (p, deal) in enumerate(
                    zip(columns["point"], columns["deal_reached"], strict=True)
                )
                if p == point and deal is wanted
            ][:per_point]
            for i in matches:
                chosen.append(
                    {
                        "point": point,
                        "replicate": columns["replicate"][i],
                        "seed": int(columns["seed"][i]),
                        "omega": experiment.points[point][OMEGA],
                        "threat_probability": experiment.points[point][THREAT],
                        # files store "no deal" as null; the model (and batch_run) as -1
                        **{
                            name: -1 if columns[name][i] is None else columns[name][i]
                            for name in CHECK_COLUMNS
                        },
                    }
                )
    return chosen


def keep_driver_single_threaded() -> None:
    """Switch off tqdm's monitor thread (tqdm's own knob) before the first sweep.

    tqdm starts a monitor thread with its first bar, even a disabled one, and the thread
    outlives the bar. negosim's process pool forks only from a single-threaded driver and
    uses a fork server otherwise, so without this every sweep after the first in a process
    would take another path than the command line's (which runs one sweep per process).
    """
    from tqdm import tqdm

    tqdm.monitor_interval = 0


def child_sweep(executor: str, workers: int, repeats: int, checks: int) -> Json:
    """run_sweep in this (warm) process: one untimed sweep, then ``repeats`` timed ones."""
    from negosim.sweep import load_experiment, run_sweep

    keep_driver_single_threaded()
    experiment = load_experiment(EXPERIMENT)
    walls, driver_cpu, worker_cpu, others = [], [], [], []
    threads = 0
    with tempfile.TemporaryDirectory(prefix="negosim-sweep-bench-") as tmp:
        for i in range(repeats + 1):
            out = Path(tmp) / f"sweep-{i}"
            gc.collect()
            threads = max(threads, threading.active_count())
            before, cpu0, busy0 = children_rusage(), time.process_time(), machine_busy_s()
            start = time.perf_counter()
            outcome = run_sweep(experiment, out, workers=workers, executor=executor, progress=False)
            wall = time.perf_counter() - start
            if i == 0:
                first_s = wall  # the warm-up: lazy imports, first fork, caches
            else:
                walls.append(wall)
                driver_cpu.append(time.process_time() - cpu0)
                worker_cpu.append(cpu_seconds(before, children_rusage()))
                ours = driver_cpu[-1] + worker_cpu[-1]
                others.append(others_cores(machine_busy_s() - busy0, ours, wall))
            if i < repeats:
                shutil.rmtree(out)
        digest, table = runs_digest(out)
        rows = check_rows(experiment, table, checks) if checks else []
    assert outcome.runs_run == experiment.total_runs
    return {
        "executor": outcome.executor,
        "workers": workers,
        "runs": experiment.total_runs,
        "points": len(experiment.points),
        "replicates": experiment.spec.replicates,
        "chunks": outcome.chunks,
        "warmup_s": first_s,
        "wall_s": summary_of(walls),
        "driver_cpu_s": summary_of(driver_cpu),
        "worker_cpu_s": summary_of(worker_cpu),
        "others_cores": summary_of(others),
        "driver_threads_before_sweeps": threads,
        "driver_maxrss_mb": maxrss_mb(resource.RUSAGE_SELF),
        "largest_worker_maxrss_mb": maxrss_mb(resource.RUSAGE_CHILDREN),
        "runs_digest": digest,
        "check_rows": rows,
    }


def child_phases(workers: int, launched: float) -> Json:
    """The work of ``negosim sweep`` in one fresh process, phase by phase."""
    at_main = time.time()
    t0 = time.perf_counter()
    import negosim.cli  # what the console script imports first
    from negosim.sweep import load_experiment, load_sweep, run_sweep
    from negosim.sweep.report import report_and_files

    del negosim  # imported for its cost only
    t1 = time.perf_counter()
    experiment = load_experiment(EXPERIMENT)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="negosim-sweep-bench-") as tmp:
        out = Path(tmp) / "sweep"
        run_sweep(experiment, out, workers=workers, progress=False)
        t3 = time.perf_counter()
        report = report_and_files(load_sweep(out), experiment.spec.report)  # as the CLI does
        t4 = time.perf_counter()
    return {
        "workers": workers,
        "startup_s": at_main - launched,
        "imports_s": t1 - t0,
        "load_experiment_s": t2 - t1,
        "run_sweep_s": t3 - t2,
        "report_s": t4 - t3,
        "report_chars": len(report),
        "in_process_s": t4 - t0,
    }


# -- profile of a 2-worker sweep -------------------------------------------------------------
def _timed_run_chunk(task: Any) -> Any:
    """run_chunk, logging when it ran and where (a fork of the profiling child finds it)."""
    from negosim.sweep.worker import run_chunk

    start = time.monotonic()
    result = run_chunk(task)
    end = time.monotonic()
    log = Path(os.environ["NEGOSIM_BENCH_TIMELINE"]) / f"chunk-{task.chunk.index}.json"
    log.write_text(
        json.dumps(
            {
                "chunk": task.chunk.index,
                "pid": os.getpid(),
                "start": start,
                "end": end,
                "runs": task.chunk.runs,
            }
        )
    )
    return result


def child_profile(workers: int, top: int) -> Json:
    """Where the time of a warm ``workers``-worker sweep goes: a timeline of the driver and
    of each chunk, and cProfile of one chunk's work as a worker does it.
    """
    import negosim.sweep.runner as runner
    import negosim.sweep.worker as worker
    from negosim.sweep import load_experiment, run_sweep
    from negosim.sweep.store import SweepStore

    keep_driver_single_threaded()
    experiment = load_experiment(EXPERIMENT)
    writes: list[tuple[float, float]] = []
    original_write = SweepStore.write_chunk

    def timed_write(self: Any, index: int, runs: Any, rounds: Any) -> None:
        start = time.monotonic()
        original_write(self, index, runs, rounds)
        writes.append((start, time.monotonic()))

    with tempfile.TemporaryDirectory(prefix="negosim-sweep-bench-") as tmp:
        run_sweep(experiment, Path(tmp) / "warmup", workers=workers, progress=False)
        log = Path(tmp) / "timeline"
        log.mkdir()
        os.environ["NEGOSIM_BENCH_TIMELINE"] = str(log)
        runner.run_chunk = _timed_run_chunk  # type: ignore[assignment]
        SweepStore.write_chunk = timed_write  # type: ignore[method-assign]
        try:
            start = time.monotonic()
            run_sweep(experiment, Path(tmp) / "timed", workers=workers, progress=False)
            end = time.monotonic()
        finally:
            runner.run_chunk = worker.run_chunk
            SweepStore.write_chunk = original_write  # type: ignore[method-assign]
        chunks = sorted(
            (json.loads(p.read_text()) for p in log.glob("chunk-*.json")),
            key=lambda c: c["start"],
        )
        # cProfile of one chunk as a fresh worker runs it (empty per-point cache)
        task = runner._tasks(
            experiment,
            runner.plan_chunks(
                len(experiment.points),
                experiment.spec.replicates,
                experiment.spec.chunk_size
                or runner.balanced_chunk_runs(experiment.total_runs, workers),
            ),
        )[0]
        worker._CACHE.clear()
        profiler = cProfile.Profile()
        chunk_start = time.perf_counter()
        profiler.enable()
        worker.run_chunk(task)
        profiler.disable()
        chunk_profiled_s = time.perf_counter() - chunk_start
        worker._CACHE.clear()
        chunk_start = time.perf_counter()
        worker.run_chunk(task)
        chunk_plain_s = time.perf_counter() - chunk_start
    pids = {
        c["pid"]: f"worker {i + 1}" for i, c in enumerate({c["pid"]: c for c in chunks}.values())
    }
    stats = profile_stats(profiler)

    def cumulative(path_end: str, function: str) -> float:
        return sum(
            row[3] for key, row in stats.items() if key[0].endswith(path_end) and key[2] == function
        )

    # the parts of run_chunk (negosim/sweep/worker.py), cumulative seconds under cProfile
    parts = {
        "scenario and value tables (_point)": cumulative("sweep/worker.py", "_point"),
        "NegotiationModel(...) construction": cumulative("negosim/model.py", "__init__"),
        "NegotiationModel.run (12 rounds)": cumulative("negosim/model.py", "run"),
        "summarize": cumulative("negosim/outcomes.py", "summarize"),
        "round_table": cumulative("negosim/outcomes.py", "round_table"),
        "Arrow tables (_select, concat)": cumulative("sweep/worker.py", "_select"),
    }

    return {
        "workers": workers,
        "sweep_s": end - start,
        "chunks": [
            {
                "chunk": c["chunk"],
                "where": pids[c["pid"]],
                "runs": c["runs"],
                "start_s": c["start"] - start,
                "end_s": c["end"] - start,
            }
            for c in chunks
        ],
        "writes": [{"start_s": a - start, "end_s": b - start} for a, b in writes],
        "chunk_runs": task.chunk.runs,
        "chunk_points": len(task.chunk.pieces),
        "chunk_plain_s": chunk_plain_s,
        "chunk_profiled_s": chunk_profiled_s,
        "chunk_parts_s": parts,
        "chunk_total_profiled_s": cumulative("sweep/worker.py", "run_chunk"),
        **ranked_rows(stats, top, leave_out=str(Path(__file__).resolve())),
    }
