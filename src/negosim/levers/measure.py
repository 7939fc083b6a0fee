"""Measuring a lever: both settings on the same seeds, paired differences per outcome.

Replicate r of the low and of the high setting use the same seed (common random numbers,
docs/sweeps.md "Reproducibility"; seeds derived as :func:`negosim.sweep.seeds.derive_seeds`
with ``common_random_numbers=True``), so each replicate is a matched pair and the
difference of the pair is the lever's effect on that history. Runs go in chunks of at
most ``chunk_size`` replicates (memory is bounded by a chunk, as in a sweep), and only the
columns the lever's outcomes read are kept. Chunks can run on a process pool: a chunk is a
pure function of its task, so results do not depend on the workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.lru import LRUCache
from negosim.core.utility import UtilityTables, build_tables
from negosim.levers.outcomes import needed_columns, nullable_columns, outcome_values
from negosim.levers.spec import Lever, LeverTable, Row, Setting
from negosim.levers.stats import Effect, paired_effect, verdict
from negosim.model import NegotiationModel
from negosim.outcomes import summarize
from negosim.scenario import Scenario
from negosim.sweep.seeds import derive_seeds

SETTINGS: tuple[Setting, Setting] = ("low", "high")
# Per process: value tables of the scenarios last run (a lever's two settings, a few levers).
_TABLES: LRUCache[str, UtilityTables] = LRUCache(max_size=16)


def lever_seeds(master: int, replicates: int, first: int = 0) -> NDArray[np.uint64]:
    """Seeds of replicates ``first .. first + replicates - 1``, the same for every setting."""
    return derive_seeds(master, 0, np.arange(first, first + replicates), True)


@dataclass(frozen=True)
class ChunkTask:
    """One chunk of one lever: both scenarios, the seeds, the columns to keep."""

    lever: str
    scenarios: dict[Setting, Scenario]
    seeds: tuple[int, ...]
    rounds: int | None
    columns: tuple[str, ...]


Columns = dict[str, NDArray]


def _tables(scenario: Scenario) -> UtilityTables:
    key = scenario.resolved_sha256
    tables = _TABLES.get(key)
    if tables is None:
        tables = build_tables(scenario.spec)
        _TABLES.put(key, tables)
    return tables


def run_chunk(task: ChunkTask) -> dict[Setting, Columns]:
    """Run both settings of a chunk on its seeds; the kept run columns of each."""
    out: dict[Setting, Columns] = {}
    for setting in SETTINGS:
        scenario = task.scenarios[setting]
        model = NegotiationModel(
            scenario, seeds=list(task.seeds), rounds=task.rounds, tables=_tables(scenario)
        ).run()
        summary = summarize(model)
        out[setting] = {name: summary[name] for name in task.columns}
    return out


def columns_for(lever: Lever) -> tuple[str, ...]:
    """Run columns the lever's rows read (always ``deal_reached``, for ``given: deal``)."""
    names = {"deal_reached"}
    for row in lever.rows:
        names.update(needed_columns(row.outcome))
    return tuple(sorted(names))


def chunk_tasks(lever: Lever, master: int, replicates: int, chunk_size: int) -> list[ChunkTask]:
    """The lever's chunks, in replicate order."""
    tasks = []
    for first in range(0, replicates, chunk_size):
        count = min(chunk_size, replicates - first)
        seeds = tuple(int(s) for s in lever_seeds(master, count, first))
        tasks.append(
            ChunkTask(lever.name, lever.scenarios, seeds, lever.spec.rounds, columns_for(lever))
        )
    return tasks


@dataclass(frozen=True)
class RowResult:
    """A measured row: the lever, the row, its effect (``None``: no valid pairs), verdict."""

    lever: Lever
    row: Row
    effect: Effect | None
    verdict: str


def row_effects(lever: Lever, chunks: Sequence[dict[Setting, Columns]]) -> list[RowResult]:
    """Every row of the lever from its chunks' columns (concatenated in replicate order)."""
    joined = {
        s: {name: np.concatenate([c[s][name] for c in chunks]) for name in chunks[0][s]}
        for s in SETTINGS
    }
    nullable = nullable_columns(lever.scenarios["low"])
    results = []
    for row in lever.rows:
        values, valid = {}, {}
        for s in SETTINGS:
            values[s], valid[s] = outcome_values(row.outcome, joined[s], row.outcome in nullable)
        mask = valid["low"] & valid["high"]
        if row.given == "deal":
            mask &= joined["low"]["deal_reached"] & joined["high"]["deal_reached"]
        effect = paired_effect(values["low"], values["high"], mask)
        results.append(RowResult(lever, row, effect, verdict(row.predicts, effect)))
    return results


def measure_lever(
    lever: Lever, master: int, replicates: int, chunk_size: int = 2000
) -> list[RowResult]:
    """Measure one lever in this process (what the behavioural tests call)."""
    chunks = [run_chunk(t) for t in chunk_tasks(lever, master, replicates, chunk_size)]
    return row_effects(lever, chunks)


def measure_table(
    table: LeverTable,
    replicates: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    levers: Iterable[str] | None = None,
) -> list[RowResult]:
    """Measure every lever of ``table`` (or those named), in file order.

    ``workers`` > 1 runs the chunks on a process pool (negosim.sweep.executors, with its
    pinned thread pools); the results are identical to ``workers=1``.
    """
    from negosim.sweep.executors import make_executor

    header = table.spec.lever_table
    n = replicates or header.replicates
    master = header.seed if seed is None else seed
    chosen = table.levers if levers is None else [table.lever(name) for name in levers]
    tasks = {lever.name: chunk_tasks(lever, master, n, header.chunk_size) for lever in chosen}
    flat = [t for lever in chosen for t in tasks[lever.name]]
    kind = "process" if workers > 1 and len(flat) > 1 else "inline"
    with make_executor(kind, workers) as executor:
        done = list(executor.map(run_chunk, flat))
    results: list[RowResult] = []
    at = 0
    for lever in chosen:
        count = len(tasks[lever.name])
        results.extend(row_effects(lever, done[at : at + count]))
        at += count
    return results
