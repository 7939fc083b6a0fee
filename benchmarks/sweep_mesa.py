"""The mesa.batch_run side of ``sweep_speed.py``: the same model and grid run the way Mesa
users sweep (one replicate per model), timed, and checked against negosim's own runs.

This module runs only in the ``--child mesa`` process and in batch_run's workers, so it
imports mesa and negosim at the top. batch_run pickles the model class by reference and
(mesa 3.5.1 forces it) starts its pool with "spawn": each worker imports this module by
name (spawn hands the workers the parent's ``sys.path``, which holds ``benchmarks/``).
"""

from __future__ import annotations

import json
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
import yaml
from common import (
    CHECK_COLUMNS,
    CONFIG,
    EXPERIMENT,
    MESA_SEED0,
    OMEGA,
    ROUNDS,
    THREAT,
    Json,
    children_rusage,
    cpu_seconds,
    machine_busy_s,
    others_cores,
)
from mesa.batchrunner import batch_run

from negosim.model import NegotiationModel
from negosim.outcomes import summarize
from negosim.scenario import Scenario, apply_overrides, scenario_from_mapping

_BASE_DATA: dict[str, object] | None = None


def base_data() -> dict[str, object]:
    """The baseline scenario's YAML mapping, parsed once per process."""
    global _BASE_DATA
    if _BASE_DATA is None:
        _BASE_DATA = yaml.safe_load(CONFIG.read_text())
    return _BASE_DATA


def point_scenario(omega: float, threat_probability: float) -> Scenario:
    """The baseline with the two grid parameters set, validated (as a sweep worker does)."""
    data = apply_overrides(base_data(), {OMEGA: omega, THREAT: threat_probability})
    # text="" as in negosim.sweep.worker: without it the mapping is dumped back to YAML
    # just to hash it, about 9 ms per model.
    return scenario_from_mapping(data, f"omega={omega}, threat={threat_probability}", text="")


class MesaNegotiationModel(NegotiationModel):
    """One replicate of the negotiation at one grid point, as mesa.batch_run builds it.

    Only the grid point's scenario is added: ``rng`` is NegotiationModel's own (one
    replicate's seed; None draws a fresh one), and the outcome batch_run collects comes from
    NegotiationModel's ``datacollector`` view (the round table and the run summary).
    """

    def __init__(
        self, omega: float = 0.5, threat_probability: float = 0.15, rng: int | None = None
    ) -> None:
        super().__init__(point_scenario(omega, threat_probability), rng=rng)


# -- child: mesa.batch_run -----------------------------------------------------------------
def grid_values() -> tuple[list[float], list[float]]:
    """The two parameters' values, from the experiment file."""
    spec = yaml.safe_load(EXPERIMENT.read_text())["design"]["parameters"]
    return list(spec[OMEGA]["values"]), list(spec[THREAT]["values"])


def calibrate(adapter: type, omegas: list[float], threats: list[float], per_point: int) -> Json:
    """Cost of one adapter run in this process, without batch_run: construction (and the
    scenario build inside it), the 12 steps, and reading the datacollector view once as
    batch_run does at the end (the round table and the run summary).
    """
    construct, steps, collect, scenario = [], [], [], []
    for omega in omegas:
        for threat in threats:
            for i in range(per_point):
                t0 = time.perf_counter()
                model = adapter(omega=omega, threat_probability=threat, rng=MESA_SEED0 + i)
                t1 = time.perf_counter()
                while model.running and model.steps < ROUNDS:
                    model.step()
                t2 = time.perf_counter()
                model.datacollector.model_vars  # noqa: B018 -- what batch_run reads
                t3 = time.perf_counter()
                point_scenario(omega, threat)
                t4 = time.perf_counter()
                construct.append(t1 - t0)
                steps.append(t2 - t1)
                collect.append(t3 - t2)
                scenario.append(t4 - t3)
    parts = zip(construct, steps, collect, strict=True)
    total = statistics.median(sum(run) for run in parts)
    return {
        "runs": len(construct),
        "construct_ms": statistics.median(construct) * 1000,
        "scenario_ms": statistics.median(scenario) * 1000,
        "steps_ms": statistics.median(steps) * 1000,
        "collect_ms": statistics.median(collect) * 1000,
        "run_ms": total * 1000,
        "runs_per_s": 1.0 / total,
    }


def timed_batch_run(
    adapter: type, omegas: list[float], threats: list[float], processes: int, iterations: int
) -> tuple[Json, list[Json]]:
    """One timed batch_run call: 20 points x ``iterations`` seeds."""
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
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    adapter = MesaNegotiationModel
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
