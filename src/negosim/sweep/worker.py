"""What a worker does with a chunk of a sweep.

It builds each point's scenario, runs the point's replicates as one batch, and returns
columnar tables: a pure function of its task, with no shared state but a cache.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from negosim.columns import Column, declared
from negosim.columns.arrow import arrow_table
from negosim.core.lru import LRUCache
from negosim.core.utility import UtilityTables, build_tables
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import Scenario, apply_overrides, scenario_from_mapping
from negosim.sweep.plan import Chunk
from negosim.sweep.seeds import derive_seeds

# Per worker process, across chunks: the points of the chunks it ran last (64 points).
_CACHE: LRUCache[tuple[str, int], tuple[Scenario, UtilityTables]] = LRUCache(max_size=64)


@dataclass(frozen=True)
class ChunkTask:
    """Everything a worker needs for one chunk (small: it is pickled to the worker)."""

    identity: str
    base_data: dict[str, object]
    overrides: dict[int, dict[str, object]]
    chunk: Chunk
    master_seed: int
    common_random_numbers: bool
    rounds: int
    keep_runs: tuple[str, ...] | None
    keep_rounds: tuple[str, ...] | None


@dataclass(frozen=True)
class ChunkResult:
    """The chunk's runs table and, unless nothing is kept per round, its rounds table."""

    index: int
    runs: pa.Table
    rounds: pa.Table | None


def _point(task: ChunkTask, point: int) -> tuple[Scenario, UtilityTables]:
    """The point's scenario and value tables, cached per worker across chunks."""
    key = (task.identity, point)
    built = _CACHE.get(key)
    if built is None:
        data = apply_overrides(task.base_data, task.overrides[point])
        scenario = scenario_from_mapping(data, f"point {point}", text="")
        built = (scenario, build_tables(scenario.spec))
        _CACHE.put(key, built)
    return built


def _select(
    values: dict[str, np.ndarray],
    columns: tuple[Column, ...],
    keep: tuple[str, ...] | None,
) -> pa.Table:
    """The kept columns (row keys always) as Arrow, encoded like every other file."""
    chosen = [c for c in columns if c.key or keep is None or c.name in keep]
    return arrow_table(values, chosen)


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Run every piece of the chunk; rows sorted by (point, replicate[, round])."""
    runs, rounds = [], []
    for piece in task.chunk.pieces:
        scenario, tables = _point(task, piece.point)
        replicate = np.arange(piece.first, piece.stop, dtype=np.int64)
        seeds = derive_seeds(task.master_seed, piece.point, replicate, task.common_random_numbers)
        model = NegotiationModel(
            scenario, seeds=seeds.tolist(), rounds=task.rounds, tables=tables
        ).run()
        summary = summarize(model)
        summary["point"] = np.full(piece.runs, piece.point, dtype=np.int64)
        summary["replicate"] = replicate
        types = model.tables.type_names
        run_columns = declared(scenario, "run", type_names=types, sweep=True)
        runs.append(_select(summary, run_columns, task.keep_runs))
        if task.keep_rounds != ():
            table = round_table(model)
            table["point"] = np.full(len(table["round"]), piece.point, dtype=np.int64)
            table["replicate"] = np.repeat(replicate, model.rounds)
            round_columns = declared(scenario, "round", type_names=types, sweep=True)
            rounds.append(_select(table, round_columns, task.keep_rounds))
    return ChunkResult(
        task.chunk.index,
        pa.concat_tables(runs),
        pa.concat_tables(rounds) if rounds else None,
    )
