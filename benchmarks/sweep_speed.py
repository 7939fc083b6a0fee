"""How fast is a negosim sweep, side by side with mesa.batch_run on the same model and grid?

What it measures, on ``experiments/bench_grid.yaml`` (the baseline, 12 rounds, a 20-point
grid of ``china.omega`` × ``agents.us.tariff_threat.probability``, 500 replicates each:
10,000 runs, the per-run table and four per-round columns kept as Parquet):

1. **negosim, sweep alone.** ``run_sweep`` in a warm process (the experiment loaded and one
   untimed sweep run first), with a process pool of 1 and of 2 workers, and inline in the
   driver for context: wall time, runs per second, the driver's CPU and the workers' CPU.
   The runs table of every setting is hashed: the results must not depend on it.
2. **negosim, whole command.** ``negosim sweep experiments/bench_grid.yaml --workers N
   --no-progress`` as a subprocess, start-up and the printed report included, and the
   phases of the same work timed in one fresh process (start-up, imports, loading the
   experiment, the sweep, the report).
3. **Peak memory of the process tree** (driver + workers), one extra run of each: the tree
   is sampled every 50 ms with psutil (sum of RSS, which counts pages a forked worker
   shares with the driver once per process, and sum of PSS, which splits shared pages
   fairly), plus ``ru_maxrss`` of the driver and of its largest worker from getrusage.
4. **mesa.batch_run** on the same model and grid, one replicate per model (how Mesa users
   sweep): a thin ``mesa.Model`` adapter (a ``NegotiationModel`` subclass taking ``omega``,
   ``threat_probability`` and ``rng``, with a ``DataCollector``) run for about a minute
   with 1 and with 2 processes. Then the check that both paths give the same outcome for
   the same model and seed.
5. **Ratios and goals:** negosim's runs per second over batch_run's, and whether the
   product owner's goals are met: 10,000 baseline runs in under 2 s wall on this 2-core
   machine, and at least 100 times the runs per second of batch_run.

Every heavy step runs in a child process of this script; the parent imports nothing heavy
until the end, so it does not disturb the children's ``ru_maxrss`` (Linux starts a child's
high-water mark from its parent's). Output directories go under a temporary directory and
are deleted. The machine is shared and noisy: timings are repeated and reported as median
(typical) and min (least disturbed), with CPU time beside wall time and, as "others", the
cores other processes on the machine used meanwhile (from /proc/stat). The code's commit
and a hash of src/negosim are taken at the start and at the end, and a change is flagged.

batch_run is called with ``rng=[seed, ...]``: in mesa 3.5 ``iterations=k`` is deprecated
and means ``rng=[None] * k`` (unseeded); explicit seeds cost the same and make the runs
comparable with negosim's.

Usage (from the project root)::

    .venv/bin/python benchmarks/sweep_speed.py              # full, about 3 minutes
    .venv/bin/python benchmarks/sweep_speed.py --quick      # 3 repeats, 10 s of batch_run
    .venv/bin/python benchmarks/sweep_speed.py --json out/sweep_speed.json
    .venv/bin/python benchmarks/sweep_speed.py --profile    # also: where a sweep's time goes

This is a script that prints figures, not a test: it asserts nothing about speed (it
does exit with status 1 if the two paths disagree on an outcome).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from run_speed import (
    fmt_s,
    load_average,
    machine_info,
    negosim_executable,
    print_profile_tables,
    short_name,
    source_fingerprint,
    summary_of,
)

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENT = ROOT / "experiments" / "bench_grid.yaml"
CONFIG = ROOT / "configs" / "baseline.yaml"
OMEGA = "china.omega"
THREAT = "agents.us.tariff_threat.probability"
ROUNDS = 12
GOAL_WALL_S = 2.0  # 10,000 baseline runs in under 2 s wall
GOAL_RATIO = 100.0  # at least 100 x the runs per second of mesa.batch_run
MESA_SEED0 = 20251125  # batch_run seeds: MESA_SEED0 + iteration
SAMPLE_INTERVAL_S = 0.05
MB = 1024.0 * 1024.0
ADAPTER_NAME = "MesaNegotiationModel"
CHECK_COLUMNS = ("deal_reached", "china_max_level", "first_deal_round")
SWEEP_SETTINGS = (("process", 1), ("process", 2), ("inline", 1))

Json = dict[str, Any]


# -- the mesa.Model adapter ------------------------------------------------------------------
# batch_run pickles the model class by reference and (on every platform, mesa 3.5.1 forces
# it) starts its pool with "spawn": each worker imports this script afresh as __mp_main__
# and looks the class up by name. The class is built on first lookup (PEP 562 module
# __getattr__), so the parent process imports neither mesa nor negosim by importing this.
_ADAPTER: type | None = None
_BASE_DATA: dict[str, object] | None = None


def base_data() -> dict[str, object]:
    """The baseline scenario's YAML mapping, parsed once per process."""
    global _BASE_DATA
    if _BASE_DATA is None:
        import yaml

        _BASE_DATA = yaml.safe_load(CONFIG.read_text())
    return _BASE_DATA


def point_scenario(omega: float, threat_probability: float) -> Any:
    """The baseline with the two grid parameters set, validated (as a sweep worker does)."""
    from negosim.scenario import apply_overrides, scenario_from_mapping

    data = apply_overrides(base_data(), {OMEGA: omega, THREAT: threat_probability})
    # text="" as in negosim.sweep.worker: without it the mapping is dumped back to YAML
    # just to hash it, about 9 ms per model.
    return scenario_from_mapping(data, f"omega={omega}, threat={threat_probability}", text="")


def _max_coercion(model: Any) -> int:
    return int(max(rec.columns["coercion_level"][0] for rec in model.history))


def _define_adapter() -> type:
    import mesa
    import numpy as np

    from negosim.model import NegotiationModel

    class MesaNegotiationModel(NegotiationModel):
        """One replicate of the negotiation at one grid point, shaped for mesa.batch_run."""

        def __init__(
            self, omega: float = 0.5, threat_probability: float = 0.15, rng: Any = None
        ) -> None:
            if rng is None:  # batch_run(iterations=k) passes rng=None: a fresh seed
                rng = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)
            super().__init__(point_scenario(omega, threat_probability), seeds=[int(rng)])
            self.datacollector = mesa.DataCollector(
                model_reporters={
                    "deal_reached": lambda m: bool(m.state.first_deal_round[0] >= 0),
                    "china_max_level": _max_coercion,
                    "first_deal_round": lambda m: int(m.state.first_deal_round[0]),
                }
            )

        def step(self) -> None:
            super().step()
            self.datacollector.collect(self)

    MesaNegotiationModel.__qualname__ = ADAPTER_NAME  # found by name at module level
    MesaNegotiationModel.__module__ = __name__
    return MesaNegotiationModel


def adapter_class() -> type:
    """The adapter class (built on first use, once per process)."""
    global _ADAPTER
    if _ADAPTER is None:
        _ADAPTER = _define_adapter()
    return _ADAPTER


def __getattr__(name: str) -> Any:
    """PEP 562: lets pickle find the adapter class by name in batch_run's workers."""
    if name == ADAPTER_NAME:
        return adapter_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- helpers -----------------------------------------------------------------------------
def children_rusage() -> resource.struct_rusage:
    """Resources of this process's waited-for descendants."""
    return resource.getrusage(resource.RUSAGE_CHILDREN)


def cpu_seconds(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    """User + system time between two getrusage snapshots."""
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def machine_busy_s() -> float:
    """CPU seconds spent by every process on the machine since boot (/proc/stat; 0 if none).

    Its increase over a measurement, minus our own processes' CPU time, is what other
    processes took meanwhile: on a shared 2-core machine that is the noise to know about.
    """
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def others_cores(busy: float, ours: float, wall: float) -> float:
    """Cores other processes used during a measurement (machine busy time minus ours)."""
    return max(busy - ours, 0.0) / wall if wall > 0 else 0.0


def maxrss_mb(who: int) -> float:
    """ru_maxrss of RUSAGE_SELF or RUSAGE_CHILDREN in MB (Linux reports KiB)."""
    rss = resource.getrusage(who).ru_maxrss
    return rss / MB if sys.platform == "darwin" else rss / 1024.0


def median_of(rows: Sequence[Json], key: str) -> float:
    """Median of one field over rows."""
    return statistics.median(row[key] for row in rows)


class TreeSampler(threading.Thread):
    """Samples the memory of a process and all its descendants every ``interval`` s."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL_S) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.stop = threading.Event()
        self.peak_rss = self.peak_pss = self.peak_uss = 0
        self.peak_driver_rss = self.peak_worker_rss = 0
        self.max_processes = self.samples = 0

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.stop.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            rss = pss = uss = 0
            for proc in tree:
                try:
                    info = proc.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                rss, pss, uss = rss + info.rss, pss + info.pss, uss + info.uss
                if proc.pid == self.pid:
                    self.peak_driver_rss = max(self.peak_driver_rss, info.rss)
                else:
                    self.peak_worker_rss = max(self.peak_worker_rss, info.rss)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_uss = max(self.peak_uss, uss)
            self.max_processes = max(self.max_processes, len(tree))
            self.samples += 1
            self.stop.wait(self.interval)

    def result(self) -> Json:
        """Peaks in MB."""
        return {
            "samples": self.samples,
            "interval_s": self.interval,
            "max_processes": self.max_processes,
            "peak_tree_rss_mb": self.peak_rss / MB,
            "peak_tree_pss_mb": self.peak_pss / MB,
            "peak_tree_uss_mb": self.peak_uss / MB,
            "peak_driver_rss_mb": self.peak_driver_rss / MB,
            "peak_worker_rss_mb": self.peak_worker_rss / MB,
        }


def run_child(
    args: Sequence[str], sample: bool = False, timeout: float | None = None
) -> tuple[Json, float, float, Json | None]:
    """Run ``this script --child ...``: (its JSON, wall s, CPU s of the tree, memory peaks)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    before = children_rusage()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    out, err = proc.communicate(timeout=timeout)
    wall = time.perf_counter() - start
    if sampler:
        sampler.stop.set()
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"child {' '.join(args)} exited {proc.returncode}:\n{err}")
    cpu = cpu_seconds(before, children_rusage())
    return json.loads(out.strip().splitlines()[-1]), wall, cpu, sampler and sampler.result()


# -- children: negosim ---------------------------------------------------------------------
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
    from negosim.sweep.stats import format_report

    del negosim  # imported for its cost only
    t1 = time.perf_counter()
    experiment = load_experiment(EXPERIMENT)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="negosim-sweep-bench-") as tmp:
        out = Path(tmp) / "sweep"
        run_sweep(experiment, out, workers=workers, progress=False)
        t3 = time.perf_counter()
        report = format_report(load_sweep(out), experiment.spec.report)
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
    stats: dict[tuple[str, int, str], tuple[int, int, float, float, Any]]
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    ours = str(Path(__file__).resolve())

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

    def ranked(index: int) -> list[Json]:
        kept = [item for item in stats.items() if item[0][0] != ours]
        kept.sort(key=lambda item: item[1][index], reverse=True)
        return [
            {"function": short_name(key), "ncalls": nc, "tottime_s": tt, "cumtime_s": ct}
            for key, (_, nc, tt, ct, _) in kept[:top]
        ]

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
        "cumulative": ranked(3),
        "tottime": ranked(2),
    }


# -- child: mesa.batch_run -----------------------------------------------------------------
def grid_values() -> tuple[list[float], list[float]]:
    """The two parameters' values, from the experiment file."""
    import yaml

    spec = yaml.safe_load(EXPERIMENT.read_text())["design"]["parameters"]
    return list(spec[OMEGA]["values"]), list(spec[THREAT]["values"])


def calibrate(adapter: type, omegas: list[float], threats: list[float], per_point: int) -> Json:
    """Cost of one adapter run in this process, without batch_run: construction (and the
    scenario build inside it) and the 12 steps.
    """
    construct, steps, scenario = [], [], []
    for omega in omegas:
        for threat in threats:
            for i in range(per_point):
                t0 = time.perf_counter()
                model = adapter(omega=omega, threat_probability=threat, rng=MESA_SEED0 + i)
                t1 = time.perf_counter()
                while model.running and model.steps < ROUNDS:
                    model.step()
                t2 = time.perf_counter()
                point_scenario(omega, threat)
                t3 = time.perf_counter()
                construct.append(t1 - t0)
                steps.append(t2 - t1)
                scenario.append(t3 - t2)
    total = statistics.median(c + s for c, s in zip(construct, steps, strict=True))
    return {
        "runs": len(construct),
        "construct_ms": statistics.median(construct) * 1000,
        "scenario_ms": statistics.median(scenario) * 1000,
        "steps_ms": statistics.median(steps) * 1000,
        "run_ms": total * 1000,
        "runs_per_s": 1.0 / total,
    }


def timed_batch_run(
    adapter: type, omegas: list[float], threats: list[float], processes: int, iterations: int
) -> tuple[Json, list[Json]]:
    """One timed batch_run call: 20 points x ``iterations`` seeds."""
    from mesa.batchrunner import batch_run

    seeds = [MESA_SEED0 + i for i in range(iterations)]
    before, busy0 = children_rusage(), machine_busy_s()
    cpu0, start = time.process_time(), time.perf_counter()
    results = batch_run(
        adapter,
        parameters={"omega": omegas, "threat_probability": threats},
        number_processes=processes,
        rng=seeds,  # = iterations=len(seeds), but seeded (iterations is deprecated in 3.5)
        max_steps=ROUNDS,
        data_collection_period=-1,
        display_progress=False,
    )
    wall = time.perf_counter() - start
    driver_cpu, worker_cpu = time.process_time() - cpu0, cpu_seconds(before, children_rusage())
    runs = len(omegas) * len(threats) * iterations
    assert len(results) == runs, (len(results), runs)
    return {
        "processes": processes,
        "iterations": iterations,
        "runs": runs,
        "wall_s": wall,
        "runs_per_s": runs / wall,
        "driver_cpu_s": driver_cpu,
        "worker_cpu_s": worker_cpu,
        "others_cores": others_cores(machine_busy_s() - busy0, driver_cpu + worker_cpu, wall),
    }, results


def outcome_key(row: Json) -> tuple[float, float, int]:
    """Which run a batch_run result row is."""
    return (float(row["omega"]), float(row["threat_probability"]), int(row["rng"]))


def check_against_negosim(adapter: type, rows: list[Json]) -> Json:
    """Runs of the negosim sweep (point, seed, outcome) redone one by one with batch_run."""
    from mesa.batchrunner import batch_run

    mismatches = []
    for row in rows:
        (result,) = batch_run(
            adapter,
            parameters={"omega": row["omega"], "threat_probability": row["threat_probability"]},
            number_processes=1,
            rng=[row["seed"]],
            max_steps=ROUNDS,
            data_collection_period=-1,
            display_progress=False,
        )
        got = {name: result[name] for name in CHECK_COLUMNS}
        want = {name: row[name] for name in CHECK_COLUMNS}
        if got != want:
            mismatches.append({"row": row, "batch_run": got})
    return {
        "runs": len(rows),
        "with_deal": sum(bool(r["deal_reached"]) for r in rows),
        "mismatches": mismatches,
    }


def check_batches(results: list[Json], omegas: list[float], threats: list[float]) -> Json:
    """Every batch_run result against NegotiationModel batches on the same seeds."""
    import numpy as np

    from negosim.model import NegotiationModel
    from negosim.outcomes import summarize

    by_key = {outcome_key(r): r for r in results}
    seeds = sorted({key[2] for key in by_key})
    compared = mismatched = 0
    for omega in omegas:
        for threat in threats:
            model = NegotiationModel(point_scenario(omega, threat), seeds=seeds, rounds=ROUNDS)
            summary = summarize(model.run())
            for i, seed in enumerate(seeds):
                row = by_key[(float(omega), float(threat), seed)]
                want = {name: np.asarray(summary[name][i]).item() for name in CHECK_COLUMNS}
                compared += 1
                mismatched += any(row[name] != want[name] for name in CHECK_COLUMNS)
    return {"runs": compared, "mismatches": mismatched}


def child_mesa(target_s: float, check_file: Path | None) -> Json:
    """batch_run for about ``target_s`` with 1 and with 2 processes, then the checks."""
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    adapter = adapter_class()
    omegas, threats = grid_values()
    points = len(omegas) * len(threats)
    adapter(rng=MESA_SEED0).run()  # warm-up: first-call costs
    calibration = calibrate(adapter, omegas, threats, per_point=2)
    iterations_1 = max(1, round(target_s * calibration["runs_per_s"] / points))
    one, results_1 = timed_batch_run(adapter, omegas, threats, 1, iterations_1)
    # two processes: up to twice the rate, less the spawned workers' start-up (imports)
    iterations_2 = max(1, round(max(target_s - 2.0, 1.0) * 1.7 * one["runs_per_s"] / points))
    two, results_2 = timed_batch_run(adapter, omegas, threats, 2, iterations_2)
    # the same model and seed give the same outcome in either process count ...
    first = {outcome_key(r): r for r in results_1}
    overlap = [r for r in results_2 if outcome_key(r) in first]
    differ = sum(
        any(r[name] != first[outcome_key(r)][name] for name in CHECK_COLUMNS) for r in overlap
    )
    checks: Json = {
        "processes_1_vs_2": {"runs": len(overlap), "mismatches": differ},
        # ... as in a NegotiationModel batch of those seeds ...
        "batch_vs_model": check_batches(results_1, omegas, threats),
    }
    if check_file is not None:  # ... and as in the negosim sweep itself
        rows = json.loads(check_file.read_text())
        checks["sweep_vs_batch_run"] = check_against_negosim(adapter, rows)
    return {
        "points": points,
        "calibration": calibration,
        "batch_run": [one, two],
        "checks": checks,
    }


# -- the parent: orchestration ---------------------------------------------------------------
def sweep_command(out: Path, workers: int) -> list[str]:
    """The ``negosim sweep`` command line the benchmark times and samples."""
    return [str(negosim_executable()), "sweep", str(EXPERIMENT), "--out", str(out),
            "--workers", str(workers), "--no-progress"]  # fmt: skip


def time_cli(workers: int, repeats: int, tmp: Path) -> Json:
    """``negosim sweep`` as a subprocess: one untimed run, then ``repeats`` timed ones."""
    walls, cpus, printed, others = [], [], [], []
    pattern = re.compile(r"ran (\d+) runs in (\d+) chunks \((\w+)\) in ([\d.]+) s")
    for i in range(repeats + 1):
        out = tmp / f"cli-{workers}-{i}"
        command = sweep_command(out, workers)
        before, busy0 = children_rusage(), machine_busy_s()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        busy = machine_busy_s() - busy0
        shutil.rmtree(out, ignore_errors=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
        if i == 0:
            continue  # warm the page cache
        walls.append(wall)
        cpus.append(cpu_seconds(before, children_rusage()))
        others.append(others_cores(busy, cpus[-1], wall))
        match = pattern.search(done.stdout)
        if match:
            printed.append(float(match[4]))
    return {
        "workers": workers,
        "command": f"negosim sweep {EXPERIMENT.relative_to(ROOT)} --out DIR --workers "
        f"{workers} --no-progress",
        "wall_s": summary_of(walls),
        "cpu_s": summary_of(cpus),
        "others_cores": summary_of(others),
        "printed_run_sweep_s": summary_of(printed) if printed else None,
    }


def memory_cli(workers: int, tmp: Path) -> Json:
    """Peak memory of the whole ``negosim sweep`` process tree, sampled."""
    out = tmp / f"mem-cli-{workers}"
    command = sweep_command(out, workers)
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    sampler.stop.set()
    sampler.join()
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"negosim sweep exited {proc.returncode}:\n{err.decode()}")
    return {"workers": workers, **sampler.result()}


def measure(args: argparse.Namespace, repeats: int) -> Json:
    """Every measurement, each heavy one in a child process."""
    report: Json = {"load_average_start": load_average()}
    print("measuring: negosim sweep alone ...", file=sys.stderr)
    sweeps = []
    for executor, workers in SWEEP_SETTINGS:
        checks = 1 if (executor, workers) == ("process", 2) else 0
        data, *_ = run_child(["sweep", executor, str(workers), str(repeats), str(checks)])
        sweeps.append(data)
    report["sweep"] = sweeps
    print("measuring: memory ...", file=sys.stderr)
    memory = []
    with tempfile.TemporaryDirectory(prefix="negosim-sweep-bench-") as name:
        tmp = Path(name)
        for workers in (1, 2):
            _, _, _, peaks = run_child(["sweep", "process", str(workers), "1", "0"], sample=True)
            memory.append({"what": "sweep alone", "workers": workers, **(peaks or {})})
        for workers in (1, 2):
            memory.append({"what": "whole command", **memory_cli(workers, tmp)})
        report["memory"] = memory
        print("measuring: negosim sweep command ...", file=sys.stderr)
        report["cli"] = [time_cli(workers, repeats, tmp) for workers in (1, 2)]
    report["phases"] = [
        run_child(["phases", str(workers), repr(time.time())])[0] for workers in (1, 2)
    ]
    if args.profile:
        print("measuring: profile of a 2-worker sweep ...", file=sys.stderr)
        report["profile"] = run_child(["profile", "2", str(args.top)])[0]
    if not args.no_mesa:
        print(f"measuring: mesa.batch_run, ~{args.mesa_seconds:g} s each ...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="negosim-sweep-bench-") as name:
            check_file = Path(name) / "check.json"
            rows = next(s for s in sweeps if s["check_rows"])["check_rows"]
            check_file.write_text(json.dumps(rows))
            report["mesa"] = run_child(["mesa", str(args.mesa_seconds), str(check_file)])[0]
    report["load_average_end"] = load_average()
    return report


def ratios_and_goals(report: Json) -> Json:
    """negosim runs/s over batch_run runs/s, and the two goals."""
    sweep = {(s["executor"], s["workers"]): s for s in report["sweep"]}
    cli = {c["workers"]: c for c in report["cli"]}
    two = sweep[("process", 2)]
    result: Json = {
        "goal_wall": {
            "goal_s": GOAL_WALL_S,
            "sweep_alone_median_s": two["wall_s"]["median"],
            "sweep_alone_min_s": two["wall_s"]["min"],
            "whole_command_median_s": cli[2]["wall_s"]["median"],
            "sweep_alone_met": two["wall_s"]["median"] < GOAL_WALL_S,
            "whole_command_met": cli[2]["wall_s"]["median"] < GOAL_WALL_S,
        }
    }
    if "mesa" in report:
        rows = []
        for batch in report["mesa"]["batch_run"]:
            p = batch["processes"]
            ours = sweep[("process", p)]
            alone = ours["runs"] / ours["wall_s"]["median"]
            whole = ours["runs"] / cli[p]["wall_s"]["median"]
            # runs per CPU second of the whole tree: barely moved by other processes' load
            ours_cpu = ours["runs"] / (
                ours["driver_cpu_s"]["median"] + ours["worker_cpu_s"]["median"]
            )
            theirs_cpu = batch["runs"] / (batch["driver_cpu_s"] + batch["worker_cpu_s"])
            rows.append(
                {
                    "processes": p,
                    "negosim_sweep_runs_per_s": alone,
                    "negosim_command_runs_per_s": whole,
                    "batch_run_runs_per_s": batch["runs_per_s"],
                    "ratio_sweep": alone / batch["runs_per_s"],
                    "ratio_command": whole / batch["runs_per_s"],
                    "negosim_runs_per_cpu_s": ours_cpu,
                    "batch_run_runs_per_cpu_s": theirs_cpu,
                    "ratio_cpu": ours_cpu / theirs_cpu,
                    "met": alone / batch["runs_per_s"] >= GOAL_RATIO,
                }
            )
        result["ratio"] = rows
    return result


def agreement_ok(report: Json) -> bool:
    """Whether every check found the same outcomes on both paths (and in every setting)."""
    digests = {s["runs_digest"] for s in report["sweep"]}
    if len(digests) != 1:
        return False
    if "mesa" not in report:
        return True
    checks = report["mesa"]["checks"]
    return (
        checks["processes_1_vs_2"]["mismatches"] == 0
        and checks["batch_vs_model"]["mismatches"] == 0
        and not checks.get("sweep_vs_batch_run", {}).get("mismatches")
    )


# -- output --------------------------------------------------------------------------------
def yes(flag: bool) -> str:
    """MET / NOT MET."""
    return "MET" if flag else "NOT MET"


def print_report(report: Json) -> None:
    """The compact tables."""
    m = report["machine"]
    print(f"negosim sweep vs mesa.batch_run, {m['date']}  ({report['settings']['mode']} mode)")
    print(
        f"machine: {m['cpu_count']} CPUs ({m['cpus_usable']} usable), {m['cpu_model']}; "
        f"Python {m['python']}, numpy {m['numpy']}, mesa {m['mesa']}"
    )
    print(f"         {m['platform']}")
    code = report["code"]
    print(f"code: commit {code['commit'][:12]}, src/negosim sha256 {code['src_sha256'][:12]}")
    end = code["at_end"]
    if end != {k: code[k] for k in end}:
        print(
            f"      WARNING: the code changed during the run (at the end: commit "
            f"{end['commit'][:12]}, sha256 {end['src_sha256'][:12]}); rerun for clean figures"
        )
    print(
        f"load average (1/5/15 min): start {report['load_average_start']}, "
        f"end {report['load_average_end']}"
    )
    first = report["sweep"][0]
    settings = report["settings"]
    print(
        f"experiment: {settings['experiment']}: {first['points']} points x "
        f"{first['replicates']} replicates = {first['runs']:,} runs of {ROUNDS} rounds, "
        f"{first['chunks']} chunks; median / min of {settings['repeats']} repeats"
    )

    print("\n1. negosim, sweep alone (run_sweep in a warm process, after one untimed sweep)")
    print(
        "   executor          workers   wall median   wall min   runs/s med     best"
        "   driver CPU   worker CPU   others   first sweep"
    )
    for s in report["sweep"]:
        label = "process pool" if s["executor"] == "process" else "inline (driver)"
        wall = s["wall_s"]
        print(
            f"   {label:<17} {s['workers']:>7} {fmt_s(wall['median']):>13} "
            f"{fmt_s(wall['min']):>10} {s['runs'] / wall['median']:>12,.0f} "
            f"{s['runs'] / wall['min']:>8,.0f} {fmt_s(s['driver_cpu_s']['median']):>12} "
            f"{fmt_s(s['worker_cpu_s']['median']):>12} {s['others_cores']['median']:>8.2f} "
            f"{fmt_s(s['warmup_s']):>13}"
        )
    digests = {s["runs_digest"] for s in report["sweep"]}
    print(
        "   runs tables identical in every setting: "
        + (f"yes (sha256 {next(iter(digests))[:12]})" if len(digests) == 1 else "NO")
    )

    print("\n2. negosim, whole command (subprocess; start-up, Parquet and printed report included)")
    print(
        "   workers   wall median   wall min   runs/s med   CPU median   others"
        "   run_sweep as printed"
    )
    for c in report["cli"]:
        wall, printed = c["wall_s"], c["printed_run_sweep_s"]
        print(
            f"   {c['workers']:>7} {fmt_s(wall['median']):>13} {fmt_s(wall['min']):>10} "
            f"{first['runs'] / wall['median']:>12,.0f} {fmt_s(c['cpu_s']['median']):>12} "
            f"{c['others_cores']['median']:>8.2f} "
            f"{fmt_s(printed['median']) if printed else '-':>22}"
        )
    print("   phases of the same work in one fresh process (one run each):")
    print("   workers   start-up   imports   load_experiment   run_sweep   report   total")
    for p in report["phases"]:
        total = p["startup_s"] + p["in_process_s"]
        print(
            f"   {p['workers']:>7} {fmt_s(p['startup_s']):>10} {fmt_s(p['imports_s']):>9} "
            f"{fmt_s(p['load_experiment_s']):>17} {fmt_s(p['run_sweep_s']):>11} "
            f"{fmt_s(p['report_s']):>8} {fmt_s(total):>7}"
        )

    print(
        f"\n3. Peak memory of the process tree (driver + workers), one run each, sampled every "
        f"{SAMPLE_INTERVAL_S * 1000:.0f} ms (MB)"
    )
    print("   what            workers  procs  sum RSS  sum PSS  driver RSS  largest worker RSS")
    for row in report["memory"]:
        print(
            f"   {row['what']:<15} {row['workers']:>7} {row['max_processes']:>6} "
            f"{row['peak_tree_rss_mb']:>8.0f} {row['peak_tree_pss_mb']:>8.0f} "
            f"{row['peak_driver_rss_mb']:>11.0f} {row['peak_worker_rss_mb']:>19.0f}"
        )
    print("   getrusage in the warm process, after all its sweeps (ru_maxrss, MB):")
    for s in report["sweep"]:
        if s["executor"] == "process":
            print(
                f"   {s['workers']} worker(s): driver {s['driver_maxrss_mb']:.0f}, largest "
                f"worker {s['largest_worker_maxrss_mb']:.0f}; driver + workers <= "
                f"{s['driver_maxrss_mb'] + s['workers'] * s['largest_worker_maxrss_mb']:.0f}"
            )

    if "profile" in report:
        print_profile(report["profile"])

    if "mesa" in report:
        mesa = report["mesa"]
        cal = mesa["calibration"]
        print(
            "\n4. mesa.batch_run, same model and grid, one replicate per model "
            "(data_collection_period=-1, max_steps=12)"
        )
        print(
            f"   one adapter run in one process, no batch_run: {cal['run_ms']:.1f} ms "
            f"(construction {cal['construct_ms']:.1f} ms, of which building the scenario "
            f"{cal['scenario_ms']:.1f} ms; 12 steps {cal['steps_ms']:.1f} ms) -> "
            f"{cal['runs_per_s']:.0f} runs/s"
        )
        print(
            "   processes   runs (points x seeds)      wall    runs/s   driver CPU   worker CPU"
            "   others"
        )
        for b in mesa["batch_run"]:
            shape = f"{b['runs']:,} ({mesa['points']} x {b['iterations']})"
            print(
                f"   {b['processes']:>9} {shape:>23} {fmt_s(b['wall_s']):>9} "
                f"{b['runs_per_s']:>9.1f} {fmt_s(b['driver_cpu_s']):>12} "
                f"{fmt_s(b['worker_cpu_s']):>12} {b['others_cores']:>8.2f}"
            )
        checks = mesa["checks"]
        sweep_check = checks.get("sweep_vs_batch_run")
        if sweep_check:
            bad = len(sweep_check["mismatches"])
            print(
                f"   same seed, same outcome ({', '.join(CHECK_COLUMNS)}): "
                f"{sweep_check['runs'] - bad}/{sweep_check['runs']} runs of the negosim sweep "
                f"({sweep_check['with_deal']} with a deal) reproduced by batch_run"
            )
        bm = checks["batch_vs_model"]
        print(
            f"   {bm['runs'] - bm['mismatches']:,}/{bm['runs']:,} batch_run results equal a "
            "NegotiationModel batch of the same seeds; 1 vs 2 processes: "
            f"{checks['processes_1_vs_2']['mismatches']} differences in "
            f"{checks['processes_1_vs_2']['runs']:,} shared runs"
        )

    goals = report["goals"]
    print("\n5. Ratios and goals")
    for row in goals.get("ratio", []):
        print(
            f"   {row['processes']} process(es): negosim sweep "
            f"{row['negosim_sweep_runs_per_s']:,.0f} runs/s / batch_run "
            f"{row['batch_run_runs_per_s']:.1f} runs/s = "
            f"{row['ratio_sweep']:,.0f}x  (whole command: {row['ratio_command']:,.0f}x)"
            f"  -> >= {GOAL_RATIO:.0f}x {yes(row['met'])}"
        )
        print(
            f"      per CPU second of the process tree: {row['negosim_runs_per_cpu_s']:,.0f} / "
            f"{row['batch_run_runs_per_cpu_s']:.1f} = {row['ratio_cpu']:,.0f}x"
        )
    gw = goals["goal_wall"]
    print(
        f"   10,000 runs in < {GOAL_WALL_S:g} s wall, 2 workers: sweep alone "
        f"{fmt_s(gw['sweep_alone_median_s'])} median ({fmt_s(gw['sweep_alone_min_s'])} min) "
        f"-> {yes(gw['sweep_alone_met'])}; whole command {fmt_s(gw['whole_command_median_s'])}"
        f" -> {yes(gw['whole_command_met'])}"
    )
    print(f"   agreement between paths and settings: {'yes' if report['agreement'] else 'NO'}")


def print_profile(prof: Json) -> None:
    """Timeline of a 2-worker sweep and the profile of one chunk."""
    print(
        f"\n   profile: a warm {prof['workers']}-worker sweep took {fmt_s(prof['sweep_s'])}; "
        "timeline (s after run_sweep was called):"
    )
    for c in prof["chunks"]:
        print(
            f"     chunk {c['chunk']} ({c['runs']:,} runs) on {c['where']}: "
            f"{c['start_s']:.2f} -> {c['end_s']:.2f} ({c['end_s'] - c['start_s']:.2f} s)"
        )
    writes = prof["writes"]
    if writes:
        print(
            f"     driver writes: {len(writes)}, "
            f"{sum(w['end_s'] - w['start_s'] for w in writes):.2f} s in all; "
            f"last ends at {writes[-1]['end_s']:.2f}"
        )
    print(
        f"   one chunk ({prof['chunk_runs']:,} runs, {prof['chunk_points']} points) as a fresh "
        f"worker runs it: {fmt_s(prof['chunk_plain_s'])} ({fmt_s(prof['chunk_profiled_s'])} "
        "under cProfile)"
    )
    total = prof["chunk_total_profiled_s"]
    print(
        "   its parts (cProfile, cumulative; proportions hold, seconds are inflated): "
        + "; ".join(
            f"{name} {seconds / total:.0%}" for name, seconds in prof["chunk_parts_s"].items()
        )
    )
    print_profile_tables(prof, width=56)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 repeats instead of 5, and about 10 s of batch_run per process count",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the figures here")
    parser.add_argument("--repeats", type=int, help="override the number of repeats")
    parser.add_argument(
        "--mesa-seconds",
        type=float,
        help="target wall time of each batch_run call (default 60, quick 10)",
    )
    parser.add_argument("--no-mesa", action="store_true", help="skip mesa.batch_run")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also time a 2-worker sweep chunk by chunk and cProfile one chunk",
    )
    parser.add_argument("--top", type=int, default=12, help="rows of the profile (default 12)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_as_child(argv: list[str]) -> Json:
    """Dispatch a ``--child`` invocation."""
    kind, *rest = argv
    if kind == "sweep":
        executor, workers, repeats, checks = rest
        return child_sweep(executor, int(workers), int(repeats), int(checks))
    if kind == "phases":
        return child_phases(int(rest[0]), float(rest[1]))
    if kind == "profile":
        return child_profile(int(rest[0]), int(rest[1]))
    if kind == "mesa":
        return child_mesa(float(rest[0]), Path(rest[1]) if len(rest) > 1 else None)
    raise SystemExit(f"unknown child {kind}")


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the tables, optionally save JSON."""
    args = parse_args(argv)
    if args.child:
        print(json.dumps(run_as_child(args.child)))
        return 0
    repeats = args.repeats or (3 if args.quick else 5)
    if args.mesa_seconds is None:
        args.mesa_seconds = 10.0 if args.quick else 60.0
    started = time.time()
    code = source_fingerprint()  # stdlib only; again at the end: others may edit meanwhile
    report = measure(args, repeats)
    # Only now import mesa & co. in this process (machine_info reports their versions).
    machine = machine_info()
    machine["date"] = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started))
    machine["load_average_start"] = report["load_average_start"]
    report = {
        "machine": machine,
        "code": {**code, "at_end": source_fingerprint()},
        "settings": {
            "mode": "quick" if args.quick else "full",
            "experiment": str(EXPERIMENT.relative_to(ROOT)),
            "repeats": repeats,
            "mesa_seconds": None if args.no_mesa else args.mesa_seconds,
        },
        **report,
    }
    report["goals"] = ratios_and_goals(report)
    report["agreement"] = agreement_ok(report)
    print_report(report)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0 if report["agreement"] else 1


if __name__ == "__main__":
    sys.exit(main())
