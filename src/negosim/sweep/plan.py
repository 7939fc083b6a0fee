"""Cutting a sweep into chunks of work: contiguous runs in (point, replicate) order.

A chunk is the unit a worker receives and the unit written to disk. Runs are numbered
point-major (run i is replicate i mod R of point i div R); chunk k holds runs
[k C, (k+1) C). Within a chunk each point's replicates run as one array batch. Chunk
boundaries never change results (a replicate's draws depend on its seed only), so the
chunk size is a pure performance knob: about 0.2–1 s of work per task amortises the
executor's overhead without making progress reports coarse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Default runs per chunk: ≈0.3 s of the baseline on one core (see benchmarks/).
DEFAULT_CHUNK_RUNS = 2000


def balanced_chunk_runs(total: int, workers: int, target: int = DEFAULT_CHUNK_RUNS) -> int:
    """Runs per chunk near ``target`` with a chunk count that is a multiple of ``workers``.

    Five chunks on two workers leave one worker idle for the last; six do not. A sweep of
    at most ``target`` runs stays one chunk (it runs inline). The choice
    is recorded in the manifest, so a resumed sweep keeps it whatever its worker count.
    """
    if total <= target:
        return max(1, total)  # a tiny sweep: one chunk, run inline
    chunks = math.ceil(math.ceil(total / target) / workers) * workers
    return max(1, math.ceil(total / chunks))


@dataclass(frozen=True)
class Piece:
    """Replicates [first, stop) of one design point."""

    point: int
    first: int
    stop: int

    @property
    def runs(self) -> int:
        """How many runs the piece holds."""
        return self.stop - self.first


@dataclass(frozen=True)
class Chunk:
    """One unit of work and of storage."""

    index: int
    pieces: tuple[Piece, ...]

    @property
    def runs(self) -> int:
        """How many runs the chunk holds."""
        return sum(p.runs for p in self.pieces)


def plan_chunks(points: int, replicates: int, chunk_runs: int) -> list[Chunk]:
    """All chunks of a sweep of ``points`` × ``replicates`` runs."""
    total = points * replicates
    chunks = []
    for index, start in enumerate(range(0, total, chunk_runs)):
        stop = min(total, start + chunk_runs)
        pieces = []
        run = start
        while run < stop:
            point, first = divmod(run, replicates)
            last = min(stop - point * replicates, replicates)
            pieces.append(Piece(point, first, last))
            run = point * replicates + last
        chunks.append(Chunk(index, tuple(pieces)))
    return chunks
