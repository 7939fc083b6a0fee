"""Replicate seeds of a sweep, derived from (master seed, point, replicate) alone.

Because a run's seed depends on nothing else (not on the chunk, the worker, the executor or
whether the sweep was resumed), every run is bit-identical however the sweep is executed.
The derivation hashes the coordinates with SplitMix64 (as ``core.rng`` does), vectorised, in
the spirit of ``numpy.random.SeedSequence(master, spawn_key=(point, replicate))``.

Common random numbers (``common_random_numbers: true``): the seed ignores the point, so
replicate r meets the same shocks at every point and points can be compared as matched
pairs, which removes the between-replicate noise from their differences (Law 2015,
Simulation Modeling and Analysis, §11.2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from negosim.core.rng import splitmix64

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_POINT_SALT = np.uint64(0x5EED_0F_90127)
_REPLICATE_SALT = np.uint64(0x5EED_0F_4E91)


def derive_seeds(
    master: int, point: int, replicates: NDArray[np.integer], common_random_numbers: bool
) -> NDArray[np.uint64]:
    """Seeds of replicates ``replicates`` at design point ``point`` (uint64, < 2**63)."""
    reps = np.asarray(replicates, dtype=np.uint64)
    with np.errstate(over="ignore"):
        key = splitmix64(np.array([master], dtype=np.uint64) * _GOLDEN + _GOLDEN)
        if not common_random_numbers:
            key = splitmix64(key ^ (np.uint64(point) * _GOLDEN + _POINT_SALT))
        seeds = splitmix64(key ^ (reps * _GOLDEN + _REPLICATE_SALT))
    return seeds >> np.uint64(1)  # below 2**63: valid everywhere a seed is accepted
