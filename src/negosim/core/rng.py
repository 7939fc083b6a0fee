"""Counter-based random numbers: every draw is a pure function of (seed, round, purpose, index).

Why not one ``numpy.random.Generator`` per replicate? Because a round must not loop over
replicates in Python, and because a stateful stream makes replicate k's draws depend on how
many draws other code made before. A counter-based generator (Salmon et al. 2011, "Parallel
random numbers: as easy as 1, 2, 3", SC'11) hashes the coordinates of a draw instead: the
same replicate seed gives the same numbers alone, in a batch of 10,000, on any worker.

The hash is SplitMix64's finaliser (Steele, Lea & Flood 2014, "Fast splittable pseudorandom
number generators", OOPSLA), applied twice over the seed-keyed counter; it passes BigCrush as
a counter-based generator. Uniforms take the top 53 bits, so they lie in [0, 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

U64 = NDArray[np.uint64]
F64 = NDArray[np.float64]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


class Purpose(IntEnum):
    """What a draw is for. Adding a purpose never changes the draws of existing ones."""

    CHINA_LEVEL = 1
    PRESENCE_DAYS = 2
    SEA_ENTRIES = 3
    AIRSPACE = 4
    APPROVAL_NOISE = 5
    ELECTION = 6
    REPLACEMENT = 7
    REPLACEMENT_DELAY = 8
    SUCCESSOR = 9
    REVERSAL = 10
    RATIFICATION = 11
    TARIFF_LETTER = 12
    BREAKDOWN = 60
    HORIZON = 61


def splitmix64(z: U64) -> U64:
    """SplitMix64 finaliser: a bijective avalanche on 64-bit words."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def replicate_keys(seeds: Sequence[int] | NDArray[np.integer]) -> U64:
    """Turn user seeds (non-negative integers below 2**64) into well-mixed 64-bit keys."""
    raw = np.asarray(seeds, dtype=np.uint64).reshape(-1)
    with np.errstate(over="ignore"):
        return splitmix64(raw * _GOLDEN + _GOLDEN)


def uniforms(keys: U64, round_index: int, purpose: Purpose, draws: int = 1) -> F64:
    """Uniform [0, 1) draws of shape (replicates, draws) for one (round, purpose).

    Draw d of replicate r is ``u(splitmix64(splitmix64(k_r ^ c_d) + φ))`` with the counter
    ``c_d = splitmix64((round << 40 | purpose << 24 | d) φ + φ)`` and u the top 53 bits
    over 2^53 (φ the golden-ratio constant); compiled (core/kernels.py), as the model
    draws a few hundred numbers at a time, a dozen times a month.
    """
    from negosim.core.kernels import counter_uniforms  # numba loads with the first draw

    counter = (np.uint64(round_index) << np.uint64(40)) | (np.uint64(int(purpose)) << np.uint64(24))
    return counter_uniforms(np.ascontiguousarray(keys, dtype=np.uint64), counter, draws)


def uniform(keys: U64, round_index: int, purpose: Purpose) -> F64:
    """One uniform draw per replicate."""
    return uniforms(keys, round_index, purpose, 1)[:, 0]


def standard_normal(keys: U64, round_index: int, purpose: Purpose) -> F64:
    """One N(0, 1) draw per replicate by Box & Muller (1958) from two uniforms."""
    u = uniforms(keys, round_index, purpose, 2)
    radius = np.sqrt(-2.0 * np.log1p(-u[:, 0]))  # 1 - u in (0, 1]: log is finite
    return radius * np.cos(2.0 * np.pi * u[:, 1])


def inverse_cdf(u: F64, cdf_rows: F64, row: NDArray[np.integer]) -> NDArray[np.int64]:
    """Discrete draws by inversion: the count k with cdf[k-1] <= u < cdf[k], per replicate.

    ``cdf_rows`` holds one cumulative distribution per row (e.g. per coercion level) and
    ``row`` picks each replicate's row; one binary search per row, so mixtures over a few
    levels need no loop over replicates.
    """
    out = np.empty(len(u), dtype=np.int64)
    for r in np.unique(row):
        members = row == r
        out[members] = np.searchsorted(cdf_rows[r], u[members], side="right")
    return out
